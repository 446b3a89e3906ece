/**
 * The guest kernel of programs/kernel/: assembling it with zhint's own
 * assembler, writing its parameter block, and reading its result block and
 * frame table back (layouts documented in programs/kernel/README.md).
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, formatError, fsResolver, type AssembleResult } from '../asm/index.js';
import type { Machine } from '../machine.js';

/** Absolute addresses of the kernel's blocks (programs/kernel/defs.s). */
export const KERNEL = {
  PARM: 0x2000,
  RES: 0x2100,
  KVARS: 0x2400,
  FTAB: 0x58000,
  FIRST_PFN: 0x100,
  MAX_FRAMES: 16384,
  MAX_BLOCKS: 16384,
  /** frames the kernel keeps for itself below FIRST_PFN plus its slack */
  RESERVED_FRAMES: 0x100 + 64,
} as const;

export interface KernelParams {
  /** guest storage in bytes */
  guestMem: number;
  /** file size in 4 KB blocks */
  fileBlocks: number;
  /** how many of them (the tail of the file) are mapped writable */
  writableBlocks: number;
  passes: number;
  anonPages: number;
  mlockPages: number;
  /** instructions between clock-comparator ticks */
  tick: number;
  /** never issue ESSA even when CMMA is installed */
  noHint?: boolean;
  /** 256-byte chunks the workload checks per page it reads: 1, 2, 4, 8 or 16 (default 16, the whole page) */
  check?: number;
}

/** The kernel's result block, in order (RES + 8*i). */
export const RESULT_FIELDS = [
  'status', 'failCode', 'failInfo', 'hinting', 'diskReads', 'reReads', 'discardFaults', 'staleHits',
  'drained', 'ticks', 'pageFaults', 'writeBacks', 'verified', 'allocs', 'frees', 'pass', 'checked', 'cacheHits',
] as const;
export type KernelResults = Record<(typeof RESULT_FIELDS)[number], number>;

/** Failure codes (defs.s E_*), for messages. */
export const FAIL_CODES: Record<number, string> = {
  1: 'workload read wrong data', 2: 'disk read failed', 3: 'a block just read does not match the disk pattern',
  4: 'out of frames', 5: 'allocator found a frame that is not free (on the discarded-page list?)',
  6: 'unexpected program interruption', 7: 'page fault outside every VMA', 8: 'page fault on a valid PTE',
  9: 'discard fault on a frame outside the page cache', 10: 'discard fault address outside guest storage',
  11: 'unexpected external interruption', 12: 'unknown SVC', 13: 'discarded-page list holds a frame not marked discarded',
  14: 'self-check: a free frame is not U', 15: 'self-check: an mlocked frame is not S',
  16: 'self-check: a writable-mapped frame is V', 17: 'self-check: a discarded frame is not V',
  18: 'bad parameters', 19: 'fault on an mlocked page', 20: 'disk write failed',
  21: 'self-check: a clean cached frame is not V',
};

/** Frame-table flags (defs.s F_*). */
export const FT = { FREE: 0x01, CACHE: 0x02, ANON: 0x04, MLOCK: 0x08, WMAP: 0x10, DISC: 0x20, KERN: 0x40 } as const;

export function kernelDir(): string {
  // src/demo/kernel.ts or dist/demo/kernel.js → <repo>/programs/kernel
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const d = resolve(here, up, 'programs/kernel');
    if (existsSync(join(d, 'kernel.s'))) return d;
  }
  throw new Error(`programs/kernel/kernel.s not found near ${here}`);
}

const cached = new Map<boolean, AssembleResult>();

/**
 * Assemble programs/kernel/kernel.s with zhint's assembler (once per process
 * and variant). `peer`: the build for machines without zhint's hypervisor
 * services (PEER defined: a RAM disk in storage instead of DIAGNOSE 0x250,
 * programs/kernel/ramdisk.s), which `npm run bench` runs on zhint and Hercules.
 */
export function assembleKernel(opts: { peer?: boolean } = {}): AssembleResult {
  const peer = opts.peer === true;
  const hit = cached.get(peer);
  if (hit !== undefined) return hit;
  const dir = kernelDir();
  const file = join(dir, 'kernel.s');
  const r = assemble(readFileSync(file, 'utf8'), {
    file, origin: 0, resolve: fsResolver(dir), listing: false, defsym: peer ? { PEER: 1 } : undefined,
  });
  if (!r.ok) throw new Error(`programs/kernel does not assemble:\n${r.errors.map(formatError).join('\n')}`);
  cached.set(peer, r);
  return r;
}

/** The 0x50-byte parameter block. */
export function parameterBlock(p: KernelParams): Uint8Array {
  const b = new Uint8Array(0x50);
  const view = new DataView(b.buffer);
  const put64 = (off: number, v: number): void => view.setBigUint64(off, BigInt(v));
  b.set([0x5a, 0x48, 0x4b, 0x31], 0); // 'ZHK1'
  b[7] = 1;
  put64(0x08, p.guestMem);
  put64(0x10, p.fileBlocks);
  put64(0x18, p.writableBlocks);
  put64(0x20, p.passes);
  put64(0x28, p.anonPages);
  put64(0x30, p.mlockPages);
  put64(0x38, p.tick);
  put64(0x40, p.noHint ? 1 : 0);
  put64(0x48, p.check ?? 16);
  return b;
}

/** Why these parameters cannot run, or null. */
export function checkParams(p: KernelParams): string | null {
  const frames = p.guestMem / 4096;
  if (!Number.isInteger(frames) || frames > KERNEL.MAX_FRAMES) return `guest memory must be a multiple of 4K and at most ${KERNEL.MAX_FRAMES * 4} KiB`;
  if (p.fileBlocks < 1 || p.fileBlocks > KERNEL.MAX_BLOCKS) return `working set must be 1..${KERNEL.MAX_BLOCKS} pages`;
  if (p.writableBlocks > p.fileBlocks) return 'writable part larger than the file';
  const need = KERNEL.RESERVED_FRAMES + p.fileBlocks + p.anonPages + p.mlockPages;
  if (need > frames) return `guest memory too small: the kernel needs ${need} frames (${need * 4} KiB) for this working set`;
  if (p.passes < 1) return 'passes must be at least 1';
  if (p.tick < 100) return 'tick must be at least 100 instructions';
  if (p.check !== undefined && ![1, 2, 4, 8, 16].includes(p.check)) return 'check must be 1, 2, 4, 8 or 16 chunks of 256 bytes';
  return null;
}

/** Load the kernel image and its parameters; set the PSW to its entry. */
export function loadKernel(m: Machine, p: KernelParams): AssembleResult {
  const k = assembleKernel();
  m.load(k.origin, k.image);
  m.load(KERNEL.PARM, parameterBlock(p));
  m.start(k.entry);
  return k;
}

/** The kernel's result block. Reads without touching (no host page-in). */
export function readResults(m: Machine): KernelResults {
  const out = {} as KernelResults;
  RESULT_FIELDS.forEach((f, i) => { out[f] = readGuest64(m, KERNEL.RES + 8 * i); });
  return out;
}

/** A guest doubleword as the guest would see it, without touching it (paged-out content included). */
export function readGuest64(m: Machine, abs: number): number {
  return Number(new DataView(m.hv.peek(abs, 8).buffer).getBigUint64(0));
}

export interface FrameEntry { pfn: number; flags: number; block: number; va: number }

/** The kernel's frame table entry of frame `pfn`. */
export function frameEntry(m: Machine, pfn: number): FrameEntry {
  const a = KERNEL.FTAB + 32 * pfn;
  const w0 = readGuest64(m, a);
  return { pfn, flags: Math.floor(w0 / 2 ** 32), block: w0 % 2 ** 32, va: readGuest64(m, a + 8) };
}
