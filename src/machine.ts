/**
 * The machine: one CPU, guest absolute storage and the hypervisor wired
 * together, with a step budget, an event stream and a summary of the final
 * state. Everything outside `src/cpu`, `src/mm` and `src/hv` (CLI, trace,
 * debugger, demo, tests) drives the emulator through this class.
 */
import { Cpu, type StopReason } from './cpu/cpu.js';
import { FACILITY_ESSA_NODAT } from './cpu/facilities.js';
import { AbsoluteStorage } from './mm/storage.js';
import { Hypervisor, type HypervisorOptions, type UnusedAccess } from './hv/hypervisor.js';
import { RECLAIM_POLICIES, type ReclaimPolicy } from './hv/reclaim.js';
import { FileDisk, type VirtualDisk } from './hv/disk.js';
import type { HvStats } from './hv/stats.js';
import { EventBus } from './events.js';

export { parseSize, formatSize } from './hv/size.js';
export { RECLAIM_POLICIES, type ReclaimPolicy } from './hv/reclaim.js';
export type { UnusedAccess } from './hv/hypervisor.js';
export type { HvStats } from './hv/stats.js';

export interface MachineOptions {
  /** guest storage size in bytes (default 16 MiB) */
  guestMem?: number;
  /** host memory backing the guest, in bytes (default = guestMem: no pressure); a multiple of 4K, at least 16K */
  hostMem?: number;
  /** CMMA (ESSA) installed (default true); false = the baseline without hinting */
  cmma?: boolean;
  /** guest access to an unused, discarded (Uz) frame: 'addressing' (default; alias 'fault') or 'zero' */
  unusedAccess?: UnusedAccess | 'fault';
  /** host reclaim policy: 'state-aware' (default; alias 'hinting') or 'clock' (alias 'lru') */
  reclaim?: ReclaimPolicy | 'hinting' | 'lru';
  /** the DIAGNOSE 0x250 disk: a file path or a disk object (default: the generated pattern disk) */
  disk?: string | VirtualDisk;
  /** facility 147: ESSA ORC 7 (set stable, no-DAT) */
  facility147?: boolean;
  /** the second tier: compile hot blocks to JavaScript (default true; `--no-jit` turns it off) */
  jit?: boolean;
}

/** Accepted spellings of `--reclaim` (aliases: hinting = state-aware, lru = clock). */
export function normalizeReclaim(v: string | undefined): ReclaimPolicy | undefined {
  if (v === undefined) return undefined;
  const p = v === 'hinting' ? 'state-aware' : v === 'lru' ? 'clock' : v;
  if (!(RECLAIM_POLICIES as readonly string[]).includes(p)) {
    throw new RangeError(`unknown reclaim policy '${v}' (${RECLAIM_POLICIES.join(', ')})`);
  }
  return p as ReclaimPolicy;
}

/** Accepted spellings of `--unused-access` (alias: fault = addressing). */
export function normalizeUnusedAccess(v: string | undefined): UnusedAccess | undefined {
  if (v === undefined) return undefined;
  const u = v === 'fault' ? 'addressing' : v;
  if (u !== 'addressing' && u !== 'zero') throw new RangeError(`unknown unused-access '${v}' (addressing, zero)`);
  return u;
}

/** What `machine.stats()` returns: the host statistics plus the instruction count. */
export interface MachineStats extends HvStats {
  steps: number;
}

export interface RunResult {
  reason: StopReason;
  message: string;
  /** exit status per machine.md: 0 for the success PSW (disabled wait at ...fff), else 1 */
  exitCode: number;
  steps: number;
}

/** The exit status of a stop (machine.md: 0 for a disabled wait at an address ending in 0xfff). */
export function exitCodeFor(reason: string, ia: number): number {
  return reason === 'disabled-wait' && ia % 4096 === 0xfff ? 0 : 1;
}

export class Machine {
  readonly storage: AbsoluteStorage;
  readonly cpu: Cpu;
  readonly hv: Hypervisor;
  readonly events = new EventBus();

  constructor(opts: MachineOptions = {}) {
    const guestMem = opts.guestMem ?? 16 * 1024 * 1024;
    const hostMem = opts.hostMem ?? guestMem;
    if (!Number.isInteger(hostMem) || hostMem % 4096 !== 0) {
      throw new RangeError(`host memory must be a multiple of 4K, got ${hostMem}`);
    }
    const hvOpts: HypervisorOptions = {
      cmma: opts.cmma ?? true,
      hostFrames: hostMem / 4096,
      unusedAccess: normalizeUnusedAccess(opts.unusedAccess),
      reclaim: normalizeReclaim(opts.reclaim),
      facility147: opts.facility147,
      disk: typeof opts.disk === 'string' ? new FileDisk(opts.disk) : opts.disk,
    };
    this.hv = new Hypervisor(hvOpts, this.events);
    this.storage = new AbsoluteStorage(guestMem, this.hv);
    this.hv.attach(this.storage);
    this.cpu = new Cpu(this.storage);
    this.cpu.jit = opts.jit ?? true;
    // STFLE reports ESSA no-DAT exactly when the hypervisor accepts ORC 7
    this.cpu.setFacility(FACILITY_ESSA_NODAT, this.hv.facility147);
    const hv = this.hv;
    hv.cpu = this.cpu;
    this.cpu.hooks = {
      diagnose: (c, i) => hv.diagnose(c, i),
      // no hook when CMMA is off: ESSA is then an operation exception
      essa: hvOpts.cmma ? (c, i) => hv.essa(c, i) : undefined,
      onInterrupt: (kind, code, oldIa, newIa, teid) => {
        if (this.events.active) {
          this.events.emit({ kind: 'interrupt', step: this.cpu.steps, class: kind, code, oldIa, newIa, teid: teid >= 0 ? teid : undefined });
        }
      },
    };
  }

  /** Copy bytes to absolute storage. */
  load(addr: number, bytes: Uint8Array): void {
    this.storage.load(addr, bytes);
  }

  /** Set the PSW to zhint's initial state at `entry` (machine.md "Initial state"). */
  start(entry: number): void {
    this.cpu.reset();
    this.cpu.ia = entry;
    this.cpu.nia = entry;
  }

  /** Run until the program stops or `maxSteps` instructions have run. */
  run(maxSteps = 100_000_000): RunResult {
    const cpu = this.cpu;
    const start = cpu.steps;
    let reason = cpu.run(maxSteps);
    let message = cpu.stopMessage;
    if (reason === null) {
      reason = 'step-limit';
      message = `step limit reached after ${cpu.steps - start} instructions (PSW address 0x${cpu.ia.toString(16)})`;
      cpu.stop(reason, message);
    }
    const exitCode = exitCodeFor(reason, cpu.ia);
    if (this.events.active) this.events.emit({ kind: 'stop', step: cpu.steps, reason, message });
    return { reason, message, exitCode, steps: cpu.steps - start };
  }

  /** The restart interruption (operator's restart key): lowcore 0x120/0x1A0. */
  restart(): void {
    this.cpu.restart();
  }

  get console(): string {
    return this.hv.console;
  }

  /** Host statistics (page-outs, page-ins, discards, ESSA per ORC, census...) as a plain JSON-able object. */
  stats(): MachineStats {
    return { ...this.hv.stats(), steps: this.cpu.steps };
  }
}
