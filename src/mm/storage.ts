/**
 * Guest absolute storage: big-endian, in 4 KB frames allocated on first touch,
 * so a 4 GiB guest that touches a few pages costs a few pages of host memory.
 *
 * Each frame also has a storage key (PoP "Storage Key"): bits 0-3 access-control
 * (ACC), bit 4 fetch protection (F), bit 5 reference (R), bit 6 change (C).
 * zhint keeps them in one byte as `ACC<<4 | F<<3 | R<<2 | C<<1 | H`, where H
 * (bit value 1) is the *host's* own reference bit, used by the hypervisor's
 * second-chance reclaim and invisible to the guest. One `|=` per access sets
 * the guest's R (and C on stores) and the host's H together.
 *
 * Whether a frame is backed is the business of the FrameHost (the hypervisor):
 * `frames[pfn]` is undefined while the frame holds no host frame, and the next
 * access asks the host, which may page in, zero fill, raise a discard fault or
 * an addressing exception.
 */
import { pgm, PIC } from '../cpu/exceptions.js';
import { SlabAllocator, FRAME_SIZE } from './slabs.js';

export { FRAME_SIZE };

/** Storage-key bits as held in `AbsoluteStorage.keys`. */
export const KEY_F = 0x08;
export const KEY_R = 0x04;
export const KEY_C = 0x02;
/** zhint: the host's reference bit for second-chance reclaim */
export const KEY_HOST_R = 0x01;

/** The big-endian word at `o` of a byte array (z/Architecture storage is big-endian). */
export function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export interface FrameHost {
  /**
   * The guest touched frame `pfn`, which is not resident. Return its storage
   * (after a page-in, zero fill, ...) having set `storage.frames[pfn]`, or throw a
   * ProgramException (discard fault, addressing).
   */
  resolve(storage: AbsoluteStorage, pfn: number, write: boolean): Uint8Array;
}

/** The host without memory pressure: every frame is backed on first touch, zeroed. */
export class UnlimitedHost implements FrameHost {
  resolve(storage: AbsoluteStorage, pfn: number): Uint8Array {
    const fr = storage.slabs.alloc();
    storage.frames[pfn] = fr;
    return fr;
  }
}

/** Decoded-instruction cache of one frame: index = offset / 2. */
export type CodeCache = unknown[];

export class AbsoluteStorage {
  readonly size: number;
  readonly frameCount: number;
  /** resident frames; undefined = not backed by a host frame right now */
  readonly frames: (Uint8Array | undefined)[];
  readonly keys: Uint8Array;
  /**
   * Per-frame generation of its code: bumped whenever decoded instructions of
   * the frame are dropped. Compiled blocks remember it and die with it.
   */
  readonly codeGen: Uint32Array;
  /** decoded instructions per frame; dropped on any store into the frame */
  readonly code: (CodeCache | undefined)[];
  /** the one Cpu this storage serves (set by the Cpu: its compiled blocks live in `code`) */
  cpu: object | null = null;
  host: FrameHost;
  /** where host frames come from (slabs of WebAssembly memory: mm/slabs.ts) */
  readonly slabs: SlabAllocator;
  /**
   * Bumped whenever cached translations or decoded code may be stale (code
   * dropped, frame unbacked, TLB purged): the CPU re-validates its current
   * code page when it changes.
   */
  epoch = 0;
  private readonly epochListeners: (() => void)[] = [];

  /** Call `fn` whenever the epoch moves (the CPU drops its current code page). */
  onEpoch(fn: () => void): void {
    this.epochListeners.push(fn);
  }

  /** Move the epoch: cached translations or decoded code may be stale now. */
  newEpoch(): void {
    this.epoch++;
    for (const fn of this.epochListeners) fn();
  }

  /** `slabSize`: bytes per slab of host frames (default: the guest's size, at most 16 MiB; mm/slabs.ts) */
  constructor(size = 16 * 1024 * 1024, host: FrameHost = new UnlimitedHost(), slabSize?: number) {
    if (!Number.isInteger(size) || size < 2 * FRAME_SIZE || size % FRAME_SIZE !== 0) {
      throw new RangeError(`storage size must be a multiple of 4K and at least 8K, got ${size}`);
    }
    this.size = size;
    this.frameCount = size / FRAME_SIZE;
    this.frames = new Array<Uint8Array | undefined>(this.frameCount).fill(undefined);
    this.code = new Array<CodeCache | undefined>(this.frameCount).fill(undefined);
    this.keys = new Uint8Array(this.frameCount);
    this.codeGen = new Uint32Array(this.frameCount);
    this.slabs = new SlabAllocator(size, slabSize);
    this.host = host;
  }

  /** The resident storage of frame `pfn` for an access, resolving it with the host. */
  frame(pfn: number, write: boolean): Uint8Array {
    if (pfn >= this.frameCount) pgm(PIC.ADDRESSING);
    const fr = this.frames[pfn];
    if (fr !== undefined) return fr;
    return this.host.resolve(this, pfn, write);
  }

  /** Record an access in the storage key and drop cached code on a store. */
  touch(pfn: number, write: boolean): void {
    if (write) {
      this.keys[pfn] |= KEY_R | KEY_C | KEY_HOST_R;
      if (this.code[pfn] !== undefined) this.invalidateCode(pfn);
    } else {
      this.keys[pfn] |= KEY_R | KEY_HOST_R;
    }
  }

  /**
   * A store of `len` bytes at offset `off` hit frame `pfn`, which holds
   * decoded instructions: drop those that overlap the stored bytes (an
   * instruction is at most 6 bytes, so it may start up to 4 bytes before
   * `off`). Data stored beside code leaves the code's decodings alone; the
   * epoch tells the CPU (and compiled blocks) that code changed.
   */
  storeHitsCode(pfn: number, off: number, len: number): void {
    const code = this.code[pfn];
    if (code === undefined) return;
    const first = off >= 4 ? (off - 4) >>> 1 : 0;
    const last = Math.min(2047, (off + len - 1) >>> 1);
    let hit = false;
    for (let k = first; k <= last; k++) {
      if (code[k] !== undefined) {
        code[k] = undefined;
        hit = true;
        // an instruction 2, 4 or 6 bytes before may name this one as its
        // successor (Insn.next): it must be fetched again
        for (let p = Math.max(0, k - 3); p < k; p++) {
          const prev = code[p] as { next: unknown } | undefined;
          if (prev !== undefined) prev.next = null;
        }
      }
    }
    if (hit) {
      this.codeGen[pfn]++;
      this.newEpoch();
    }
  }

  /** A store hit a frame holding decoded instructions: drop them all. */
  invalidateCode(pfn: number): void {
    this.codeGen[pfn]++;
    this.code[pfn] = undefined;
    this.newEpoch();
  }

  /** Forget a frame's host backing (the hypervisor evicted or discarded it). */
  unback(pfn: number): void {
    this.frames[pfn] = undefined;
    if (this.code[pfn] !== undefined) this.codeGen[pfn]++;
    this.code[pfn] = undefined;
    this.newEpoch();
  }

  // ---- absolute-address byte access (no key checks; for loaders, DAT table
  // fetches, the hypervisor's own services and tests) ----

  read8(abs: number): number {
    return this.frameForFetch(abs)[abs % FRAME_SIZE];
  }

  write8(abs: number, v: number): void {
    const off = abs % FRAME_SIZE;
    this.frameForStore(abs, off, 1)[off] = v;
  }

  read32(abs: number): number {
    const off = abs % FRAME_SIZE;
    if (off <= FRAME_SIZE - 4) {
      const fr = this.frameForFetch(abs);
      return be32(fr, off);
    }
    return ((this.read8(abs) << 24) | (this.read8(abs + 1) << 16) | (this.read8(abs + 2) << 8) | this.read8(abs + 3)) >>> 0;
  }

  write32(abs: number, v: number): void {
    const off = abs % FRAME_SIZE;
    if (off <= FRAME_SIZE - 4) {
      // one frame: resolved, recorded and checked for decoded code once
      // (interruptions store their old PSWs and codes through here)
      const fr = this.frameForStore(abs, off, 4);
      fr[off] = v >>> 24; fr[off + 1] = v >>> 16; fr[off + 2] = v >>> 8; fr[off + 3] = v;
      return;
    }
    this.write8(abs, v >>> 24);
    this.write8(abs + 1, (v >>> 16) & 0xff);
    this.write8(abs + 2, (v >>> 8) & 0xff);
    this.write8(abs + 3, v & 0xff);
  }

  read16(abs: number): number {
    const off = abs % FRAME_SIZE;
    if (off <= FRAME_SIZE - 2) {
      const fr = this.frameForFetch(abs);
      return (fr[off] << 8) | fr[off + 1];
    }
    return (this.read8(abs) << 8) | this.read8(abs + 1);
  }

  write16(abs: number, v: number): void {
    const off = abs % FRAME_SIZE;
    if (off <= FRAME_SIZE - 2) {
      const fr = this.frameForStore(abs, off, 2);
      fr[off] = v >>> 8; fr[off + 1] = v;
      return;
    }
    this.write8(abs, (v >>> 8) & 0xff);
    this.write8(abs + 1, v & 0xff);
  }

  /** The resident frame holding `abs`, the reference recorded in its key (DAT reads its table entries through it). */
  frameForFetch(abs: number): Uint8Array {
    const pfn = Math.floor(abs / FRAME_SIZE);
    const fr = this.frame(pfn, false);
    this.touch(pfn, false);
    return fr;
  }

  /** The resident frame for a store of `len` bytes at `abs` (inside one frame), the store noted (noteStore). */
  private frameForStore(abs: number, off: number, len: number): Uint8Array {
    const pfn = Math.floor(abs / FRAME_SIZE);
    const fr = this.frame(pfn, true);
    this.noteStore(pfn, off, len);
    return fr;
  }

  /** A store of `len` bytes at offset `off` of frame `pfn`: recorded in the storage key, decoded code it overlaps dropped. */
  noteStore(pfn: number, off: number, len: number): void {
    this.keys[pfn] |= KEY_R | KEY_C | KEY_HOST_R;
    if (this.code[pfn] !== undefined) this.storeHitsCode(pfn, off, len);
  }

  /** 64-bit value as a BigInt (not for hot paths). */
  read64(abs: number): bigint {
    return (BigInt(this.read32(abs)) << 32n) | BigInt(this.read32(abs + 4));
  }

  write64(abs: number, v: bigint): void {
    this.write32(abs, Number((v >> 32n) & 0xffffffffn));
    this.write32(abs + 4, Number(v & 0xffffffffn));
  }

  /** Copy bytes into absolute storage (loader). */
  load(abs: number, bytes: Uint8Array): void {
    if (abs < 0 || abs + bytes.length > this.size) pgm(PIC.ADDRESSING);
    for (let i = 0; i < bytes.length; i++) this.write8(abs + i, bytes[i]);
  }

  /** Read bytes without recording references (debugger, dumps). Unbacked frames read as zero. */
  peek(abs: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = abs + i;
      if (a >= this.size) break;
      const fr = this.frames[Math.floor(a / FRAME_SIZE)];
      out[i] = fr === undefined ? 0 : fr[a % FRAME_SIZE];
    }
    return out;
  }
}
