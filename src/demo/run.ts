/**
 * Running the guest kernel on the emulated hypervisor, in slices, sampling
 * the host statistics over guest time: once with page hinting (CMMA on) and
 * once without (CMMA off: ESSA is an operation exception, the kernel finds
 * out at boot and never hints), on the same host.
 */
import { Machine, type MachineStats, type RunResult } from '../machine.js';
import { PatternDisk } from '../hv/disk.js';
import { checkParams, loadKernel, readResults, FAIL_CODES, type KernelParams, type KernelResults } from './kernel.js';

export interface DemoOptions {
  guestMem: number;
  hostMem: number;
  /** file size in bytes (the working set the workload sweeps) */
  workingSet: number;
  passes: number;
  /** anonymous pages and mlocked pages of the workload */
  anonPages?: number;
  mlockPages?: number;
  /** instructions between clock-comparator ticks */
  tick?: number;
  /** 256-byte chunks the workload checks per page read (16 = all; every disk read is checked whole) */
  check?: number;
  /** instructions per slice (one sample per slice) */
  slice?: number;
  /** give up after this many instructions per run */
  maxSteps?: number;
}

export const DEMO_DEFAULTS: Required<DemoOptions> = {
  guestMem: 8 * 1024 * 1024,
  hostMem: 2 * 1024 * 1024,
  workingSet: 3 * 1024 * 1024,
  passes: 3,
  anonPages: 64,
  mlockPages: 32,
  tick: 20_000,
  check: 16,
  slice: 10_000,
  maxSteps: 200_000_000,
};

/** One sample of the host counters at a point in guest time. */
export interface Sample {
  steps: number;
  pageOuts: number;
  pageIns: number;
  /** U + V discards */
  discards: number;
  discardFaults: number;
}

export interface RunReport {
  label: 'hinting' | 'no hinting';
  cmma: boolean;
  ok: boolean;
  /** why it did not end with the success PSW */
  failure?: string;
  stopMessage: string;
  steps: number;
  ms: number;
  stats: MachineStats;
  kernel: KernelResults;
  samples: Sample[];
}

export interface DemoReport {
  options: Required<DemoOptions>;
  params: KernelParams;
  runs: [RunReport, RunReport];
  /** (page-outs + page-ins) without hinting minus with hinting */
  hostIoSaved: number;
  /** page-outs without hinting / page-outs with hinting (null when hinting needed none) */
  pageOutRatio: number | null;
}

export type Progress = (run: number, label: string, fraction: number) => void;

export function kernelParams(o: Required<DemoOptions>): KernelParams {
  const fileBlocks = Math.max(1, Math.floor(o.workingSet / 4096));
  return {
    guestMem: o.guestMem,
    fileBlocks,
    writableBlocks: Math.floor(fileBlocks / 6),
    passes: o.passes,
    anonPages: o.anonPages,
    mlockPages: o.mlockPages,
    tick: o.tick,
    check: o.check,
  };
}

function sample(s: MachineStats): Sample {
  return {
    steps: s.steps,
    pageOuts: s.pageOuts,
    pageIns: s.pageIns,
    discards: s.discardsUnused + s.discardsVolatile,
    discardFaults: s.discardFaults,
  };
}

/** Run the kernel once. */
export function runKernel(o: Required<DemoOptions>, cmma: boolean, progress?: (fraction: number) => void): RunReport {
  const params = kernelParams(o);
  const bad = checkParams(params);
  if (bad !== null) throw new RangeError(bad);
  const m = new Machine({ guestMem: o.guestMem, hostMem: o.hostMem, cmma, disk: new PatternDisk(params.fileBlocks) });
  loadKernel(m, params);
  const samples: Sample[] = [sample(m.stats())];
  const perPass = params.fileBlocks + 2 * params.anonPages + params.mlockPages;
  const t0 = Date.now();
  let r: RunResult = { reason: 'step-limit', message: 'not started', exitCode: 1, steps: 0 };
  let steps = 0;
  while (steps < o.maxSteps) {
    r = m.run(Math.min(o.slice, o.maxSteps - steps));
    steps += r.steps;
    samples.push(sample(m.stats()));
    if (r.reason !== 'step-limit') break;
    if (progress !== undefined) {
      const k = readResults(m);
      // pages checked by the workload so far (each disk read is checked too: count it once)
      const done = Math.max(0, k.verified - k.diskReads);
      progress(Math.min(0.99, Math.max(k.pass / params.passes, done / (perPass * params.passes))));
    }
  }
  const ms = Date.now() - t0;
  const kernel = readResults(m);
  const ok = r.exitCode === 0 && kernel.status === 1;
  let failure: string | undefined;
  if (!ok) {
    failure = kernel.status === 2
      ? `kernel failure ${kernel.failCode}: ${FAIL_CODES[kernel.failCode] ?? 'unknown'} (info 0x${kernel.failInfo.toString(16)})`
      : r.message;
  }
  progress?.(1);
  return {
    label: cmma ? 'hinting' : 'no hinting',
    cmma, ok, failure, stopMessage: r.message, steps: m.cpu.steps, ms,
    stats: m.stats(), kernel, samples,
  };
}

/** Both runs, hinting first. */
export function runDemo(opts: Partial<DemoOptions> = {}, progress?: Progress): DemoReport {
  const o: Required<DemoOptions> = { ...DEMO_DEFAULTS, ...opts };
  const a = runKernel(o, true, (f) => progress?.(0, 'hinting', f));
  const b = runKernel(o, false, (f) => progress?.(1, 'no hinting', f));
  const io = (r: RunReport): number => r.stats.pageOuts + r.stats.pageIns;
  return {
    options: o,
    params: kernelParams(o),
    runs: [a, b],
    hostIoSaved: io(b) - io(a),
    pageOutRatio: a.stats.pageOuts === 0 ? null : b.stats.pageOuts / a.stats.pageOuts,
  };
}
