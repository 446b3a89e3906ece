/**
 * The machine's event stream: interruptions, ESSA, host paging, discard
 * faults, console output, stops. Consumers (CLI, trace, debugger, statistics
 * over time) subscribe; nothing is built when nobody listens, so the hot path
 * pays one boolean test.
 *
 * Addresses are labelled by kind: `abs` = absolute, `real` = real,
 * `virt` = virtual/logical (instruction addresses are logical).
 */
export type MachineEvent =
  | { kind: 'interrupt'; step: number; class: 'program' | 'svc' | 'external' | 'restart'; code: number; oldIa: number; newIa: number; teid?: number }
  | { kind: 'essa'; step: number; abs: number; orc: number; oldState: string; newState: string }
  | { kind: 'page-out'; step: number; abs: number; state: string }
  | { kind: 'page-in'; step: number; abs: number }
  | { kind: 'discard'; step: number; abs: number; state: string; usage: 'U' | 'V' | 'P' }
  | { kind: 'zero-fill'; step: number; abs: number }
  | { kind: 'discard-fault'; step: number; abs: number; ia: number }
  | { kind: 'console'; step: number; text: string }
  | { kind: 'disk'; step: number; op: 'read' | 'write'; block: number; abs: number }
  | { kind: 'stop'; step: number; reason: string; message: string };

export type Listener = (e: MachineEvent) => void;

export class EventBus {
  private listeners: Listener[] = [];
  /** true when someone listens: producers test this before building an event */
  active = false;

  on(l: Listener): () => void {
    this.listeners.push(l);
    this.active = true;
    return () => {
      this.listeners = this.listeners.filter((x) => x !== l);
      this.active = this.listeners.length > 0;
    };
  }

  emit(e: MachineEvent): void {
    for (const l of this.listeners) l(e);
  }
}
