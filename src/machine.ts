/**
 * The machine: one CPU, guest absolute storage and the hypervisor wired
 * together, with a step budget, an event stream and a summary of the final
 * state. Everything outside `src/cpu`, `src/mm` and `src/hv` (CLI, trace,
 * debugger, demo, tests) drives the emulator through this class.
 */
import { Cpu, type StopReason } from './cpu/cpu.js';
import { AbsoluteStorage } from './mm/storage.js';
import { Hypervisor, type HypervisorOptions } from './hv/hypervisor.js';
import { EventBus } from './events.js';

export interface MachineOptions extends Partial<HypervisorOptions> {
  /** guest storage size in bytes (default 16 MiB) */
  guestMem?: number;
}

export interface RunResult {
  reason: StopReason;
  message: string;
  /** exit status per machine.md: 0 for the success PSW (disabled wait at ...fff), else 1 */
  exitCode: number;
  steps: number;
}

export class Machine {
  readonly storage: AbsoluteStorage;
  readonly cpu: Cpu;
  readonly hv: Hypervisor;
  readonly events = new EventBus();

  constructor(opts: MachineOptions = {}) {
    const hvOpts: HypervisorOptions = { cmma: opts.cmma ?? true };
    this.hv = new Hypervisor(hvOpts, this.events);
    this.storage = new AbsoluteStorage(opts.guestMem ?? 16 * 1024 * 1024, this.hv);
    this.cpu = new Cpu(this.storage);
    const hv = this.hv;
    this.cpu.hooks = {
      diagnose: (c, i) => hv.diagnose(c, i),
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
    const exitCode = reason === 'disabled-wait' && (cpu.ia & 0xfff) === 0xfff ? 0 : 1;
    if (this.events.active) this.events.emit({ kind: 'stop', step: cpu.steps, reason, message });
    return { reason, message, exitCode, steps: cpu.steps - start };
  }

  get console(): string {
    return this.hv.console;
  }
}
