/**
 * Benchmarks beyond the simple loops, both on the guest kernel
 * (programs/kernel):
 * - `kernel`: its page-hinting workload as `zhint demo` runs it with hinting
 *   on (8 MiB guest, 2 MiB host). zhint only: it needs zhint's hypervisor
 *   services (DIAGNOSE 0x250 disk, ESSA, a host under memory pressure).
 * - `kernel-peer`: the same kernel's peer build (PEER defined: a RAM disk in
 *   storage instead of DIAGNOSE 0x250, programs/kernel/ramdisk.s), without
 *   hinting, memory pressure or clock ticks, so Hercules runs exactly the
 *   instructions zhint runs: page faults, DAT, the allocator, the page cache
 *   and the MVC/TR/CLC page checks.
 */
import { Machine } from '../machine.js';
import { PatternDisk } from '../hv/disk.js';
import { assembleKernel, KERNEL, loadKernel, parameterBlock, readResults, type KernelParams } from '../demo/kernel.js';
import { DEMO_DEFAULTS, kernelParams } from '../demo/run.js';
import { gnuBinary, gnuKernel, type HerculesRun } from './peers.js';
import { readFileSync } from 'node:fs';

/**
 * A full garbage collection before a measurement, when the worker runs with
 * --expose-gc (bench.ts starts it so): the assembler's garbage must not be
 * collected on the guest's time.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The fastest of `n` runs: this machine's figures vary from run to run, and
 * only ever downwards (other work on the host), never upwards.
 */
export function bestOf(n: number, run: () => { mips: number; steps: number }): { mips: number; steps: number } {
  let best = run();
  for (let k = 1; k < n; k++) {
    const r = run();
    if (r.mips > best.mips) best = r;
  }
  return best;
}

export interface BenchExtra {
  name: string;
  what: string;
  /**
   * one measurement with the second tier on or off, the best of `runs` runs
   * in this process (bench.ts runs each measurement in a process of its own)
   */
  measure(jit: boolean, passes?: number, runs?: number): Promise<{ mips: number; steps: number }>;
  /** when Hercules runs it too: passes at scale 1 (the interpreter alone runs 40% of them), the GNU-built image, how Hercules runs it */
  hercules?: { passes: number; image(dir: string, passes: number): Uint8Array; how: HerculesRun };
}

/** Run a loaded kernel to its end; MIPS and instructions. */
function timeKernel(m: Machine): { mips: number; steps: number } {
  collectGarbage();
  const t = process.hrtime.bigint();
  const r = m.run(2_000_000_000);
  const dt = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.exitCode !== 0 || readResults(m).status !== 1) throw new Error(`kernel workload: ${r.message}`);
  return { mips: r.steps / dt / 1e6, steps: r.steps };
}

function kernelRun(jit: boolean): { mips: number; steps: number } {
  const o = { ...DEMO_DEFAULTS, passes: 6 };
  const params = kernelParams(o);
  const m = new Machine({ guestMem: o.guestMem, hostMem: o.hostMem, cmma: true, jit, disk: new PatternDisk(params.fileBlocks) });
  loadKernel(m, params);
  return timeKernel(m);
}

/**
 * The peer build's machine: the demo's 8 MiB guest and 3 MiB file, the RAM
 * disk above the guest's frames (storage 12 MiB: Hercules' MAINSIZE), no
 * ESSA, and a clock tick too far away to come (zhint's TOD advances 1 us per
 * instruction, Hercules' with the wall clock: ticks would make the two
 * instruction streams differ).
 */
export const PEER_KERNEL = { storageMiB: 12, entry: 0x4000 } as const;

export function peerKernelParams(passes: number): KernelParams {
  return {
    ...kernelParams({ ...DEMO_DEFAULTS, passes }),
    tick: 1_000_000_000_000,
    noHint: true,
  };
}

/** The peer build's image with its parameter block in place (as Hercules loads it). */
export function peerKernelImage(passes: number): Uint8Array {
  const k = assembleKernel({ peer: true });
  const img = k.image.slice();
  img.set(parameterBlock(peerKernelParams(passes)), KERNEL.PARM - k.origin);
  return img;
}

/**
 * The peer kernel built by GNU as and ld from the same source, with zhint's
 * parameter block; it must be byte-identical to zhint's image, or the two
 * machines would not run the same program.
 */
function gnuPeerKernelImage(dir: string, passes: number): Uint8Array {
  const mine = peerKernelImage(passes);
  const gnu = new Uint8Array(readFileSync(gnuBinary(dir, gnuKernel(dir, true))));
  gnu.set(parameterBlock(peerKernelParams(passes)), KERNEL.PARM);
  if (Buffer.compare(gnu, mine) !== 0) throw new Error('the peer kernel built by GNU as differs from zhint\'s');
  return gnu;
}

function peerKernelRun(jit: boolean, passes: number): { mips: number; steps: number } {
  const m = new Machine({ guestMem: PEER_KERNEL.storageMiB << 20, cmma: false, jit });
  const k = assembleKernel({ peer: true });
  m.load(k.origin, peerKernelImage(passes));
  m.start(PEER_KERNEL.entry);
  return timeKernel(m);
}

export function benchExtras(): BenchExtra[] {
  return [{
    name: 'kernel',
    what: 'the guest kernel workload, hinting on: zhint demo, 6 passes',
    // three runs: the first also pays V8's warm-up, and a run this short
    // (~0.3 s) varies with the machine
    measure: async (jit, _passes, runs = 3) => bestOf(runs, () => kernelRun(jit)),
  }, {
    name: 'kernel-peer',
    what: 'the guest kernel, peer build: RAM disk, no hinting; also on Hercules',
    measure: async (jit, passes = 60, runs = 2) => bestOf(runs, () => peerKernelRun(jit, passes)),
    hercules: { passes: 600, image: gnuPeerKernelImage, how: { mainsizeMiB: PEER_KERNEL.storageMiB, entry: PEER_KERNEL.entry } },
  }];
}
