/**
 * Where host frames come from: 4 KB views carved out of slabs, each slab one
 * WebAssembly memory (never grown, so its views stay valid). Every frame is
 * still an ordinary Uint8Array for the rest of zhint; what the slabs add is
 * that two frames of one slab are two ranges of one buffer, so a
 * storage-to-storage instruction whose operands share a slab runs as one
 * native operation on it: MVC as WebAssembly's memory.copy (no subarray view to
 * allocate), TR and CLC as WebAssembly loops (frame-ops.ts). The first 64K
 * of each memory hold no frames: TR copies its table there.
 *
 * One allocator per guest storage: its slabs live as long as the machine. Frames
 * the hypervisor no longer needs (discarded, dropped from swap) come back
 * with `release` and are handed out again, so slabs do not pile up.
 */
import { frameOps, FRAMES_AT, type FrameOps } from './frame-ops.js';

/** bytes per frame (PoP: a 4K-byte block); storage.ts exports it to the rest of zhint */
export const FRAME_SIZE = 4096;
const WASM_PAGE = 65536;
/** the largest slab: 4096 frames (V8 reserves address space per memory, so few large ones) */
export const SLAB_MAX = 16 * 1024 * 1024;

export class Slab {
  /** bytes of frames */
  readonly size: number;
  /** frames were handed out before (a slab from the pool): zero each again */
  used = false;
  /** the whole memory */
  readonly bytes: Uint8Array;
  /** the whole memory as big-endian words (LOAD/STORE MULTIPLE) */
  readonly view: DataView;
  readonly ops: FrameOps;
  /** `size`: bytes of frames; the memory has FRAMES_AT bytes more in front (TR's table) */
  constructor(size: number) {
    this.size = size;
    const pages = (FRAMES_AT + size) / WASM_PAGE;
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.bytes = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
    this.ops = frameOps(memory);
  }
}

/**
 * A frame carved from a slab, marked with where it lives: its slab and its
 * offset there. Plain properties, because a typed array's own `buffer` and
 * `byteOffset` cost 15-20 ns each to read here (V8 does not inline them),
 * more than the copy they would serve.
 */
export interface SlabFrame extends Uint8Array {
  slab: Slab;
  base: number;
}

/**
 * The slab holding both frames, or null (different slabs, or a frame not
 * from a slab). Offsets into the slab are `base + offset` (`slabBase`).
 */
export function commonSlab(a: Uint8Array, b: Uint8Array): Slab | null {
  const s = (a as SlabFrame).slab;
  return s !== undefined && s === (b as SlabFrame).slab ? s : null;
}

/** Where byte 0 of a frame from a slab is, in the slab's memory. */
export function slabBase(f: Uint8Array): number {
  return (f as SlabFrame).base;
}

/**
 * Slabs of machines that were collected, kept for the next machine of the
 * process. Why: a slab's WebAssembly functions (its `ops`) are objects of
 * its own, and V8 builds them into the code it optimizes (the interpreter
 * loop, the S pieces) as known call targets, held weakly. When a machine
 * died with its slabs, that code was thrown away ("weak objects") and built
 * again for the next machine's slabs, machine after machine: in about half
 * of all processes the guest kernel then ran at 8 instead of 20 MIPS. Slabs
 * that live on keep the code valid. At most POOL_MAX are kept.
 */
const pool: Slab[] = [];
const POOL_MAX = 8;
const collected = new FinalizationRegistry<Slab[]>((slabs) => {
  for (const s of slabs) if (pool.length < POOL_MAX) pool.push(s);
});

/** A slab of `size` bytes of frames: one from the pool if it has one, else a new one. */
function slabOfSize(size: number): Slab {
  const k = pool.findIndex((s) => s.size === size);
  if (k < 0) return new Slab(size);
  const s = pool[k];
  pool.splice(k, 1);
  s.used = true;
  return s;
}

export class SlabAllocator {
  /** bytes per slab: a multiple of 64 KB */
  readonly slabSize: number;
  private slab: Slab | null = null;
  /** offset of the next frame in the current slab */
  private next = 0;
  /** slabs made so far */
  slabCount = 0;
  private readonly spare: Uint8Array[] = [];
  /** every slab of this allocator: back to the pool when the allocator is collected */
  private readonly slabs: Slab[] = [];

  /** `expected`: the most frames' worth of bytes likely to be needed (the guest's size) */
  constructor(expected: number, slabSize = Math.min(SLAB_MAX, Math.ceil(expected / WASM_PAGE) * WASM_PAGE)) {
    // (a WebAssembly memory is whole 64K pages)
    if (slabSize < WASM_PAGE || slabSize % WASM_PAGE !== 0) throw new RangeError(`slab size must be a multiple of 64K, got ${slabSize}`);
    this.slabSize = slabSize;
    collected.register(this, this.slabs);
  }

  /** A zeroed frame: a released one if any, else the next one of the current slab. */
  alloc(): Uint8Array {
    const old = this.spare.pop();
    if (old !== undefined) {
      old.fill(0);
      return old;
    }
    if (this.slab === null || this.next === FRAMES_AT + this.slabSize) {
      this.slab = slabOfSize(this.slabSize);
      this.slabs.push(this.slab);
      this.slabCount++;
      this.next = FRAMES_AT;
    }
    const fr = new Uint8Array(this.slab.bytes.buffer, this.next, FRAME_SIZE) as SlabFrame;
    if (this.slab.used) fr.fill(0);
    // always these two properties in this order: every frame has one hidden
    // class, and the interpreter's loads and stores on frames stay monomorphic
    fr.slab = this.slab;
    fr.base = this.next;
    this.next += FRAME_SIZE;
    return fr;
  }

  /** A frame with the content of `src` (snapshot restore). */
  copyOf(src: Uint8Array): Uint8Array {
    const fr = this.alloc();
    fr.set(src);
    return fr;
  }

  /** A frame whose content is no longer needed: handed out again by `alloc`. */
  release(fr: Uint8Array): void {
    this.spare.push(fr);
  }
}
