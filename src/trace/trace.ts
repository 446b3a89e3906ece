/**
 * The per-instruction trace: one line per executed instruction (address,
 * bytes, disassembly, registers the instruction changed) and one line per
 * interruption and per machine event (console output, ESSA, host paging,
 * discards), in the order they happen.
 *
 * Tracing single-steps the CPU (`cpu.run(1)`) and listens to the machine's
 * events; a run without the trace never comes here, so the interpreter's hot
 * loop pays nothing for it.
 *
 * Attribution: the line of an instruction is printed once the instruction has
 * ended — completed, or interrupted (a program interruption: the instruction
 * did not complete; an SVC: it did). The events fire synchronously inside
 * `cpu.run`, so at an interruption the registers still hold exactly what the
 * interrupted instruction left (an interruption itself changes no GPR or CR).
 */
import { exitCodeFor, type Machine, type RunResult } from '../machine.js';
import type { MachineEvent } from '../events.js';
import { Access } from '../mm/mmu.js';
import { FRAME_SIZE } from '../mm/storage.js';
import { picName } from '../cpu/exceptions.js';
import { TWO32 } from '../cpu/alu.js';
import { lengthFromFirstByte } from '../cpu/isa/formats.js';
import { explainInstruction, explainInterrupt } from './explain.js';

/** Text of the instruction in `bytes` (2, 4 or 6 of them) at `addr`, objdump style. */
export type Disassemble = (bytes: Uint8Array, addr: number) => string;

export function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}

/** 64-bit value from halves as 16 hex digits. */
export function hex64(hi: number, lo: number): string {
  return hex(hi >>> 0, 8) + hex(lo >>> 0, 8);
}

/** An address: at least 8 hex digits, 16 when it does not fit in 32 bits. */
export function addrHex(a: number): string {
  return a >= TWO32 ? hex(a, 16) : hex(a, 8);
}

/** External-interruption codes zhint raises, by name. */
export const EXT_NAMES: Readonly<Record<number, string>> = { 0x1004: 'clock comparator', 0x1005: 'CPU timer', 0x2603: 'service signal' };

/** One line for an event other than an instruction (interrupts start with `***`, others with `---`). */
export function formatEvent(e: MachineEvent): string | null {
  switch (e.kind) {
    case 'interrupt': {
      const code = e.code.toString(16).padStart(4, '0');
      let name = '';
      if (e.class === 'program') name = picName(e.code);
      else if (e.class === 'external') name = EXT_NAMES[e.code] ?? '';
      let s = `*** ${e.class} interruption code 0x${code}${name ? ` (${name})` : ''}` +
        `: old PSW address ${addrHex(e.oldIa)} -> new PSW address ${addrHex(e.newIa)}`;
      if (e.teid !== undefined) s += ` teid=${hex(e.teid, 16)}`;
      return s;
    }
    case 'console':
      return `--- console ${JSON.stringify(e.text)}`;
    case 'essa':
      return `--- essa abs=${addrHex(e.abs)} orc=${e.orc} ${e.oldState} -> ${e.newState}`;
    case 'page-out':
      return `--- host page-out abs=${addrHex(e.abs)} state=${e.state}`;
    case 'page-in':
      return `--- host page-in abs=${addrHex(e.abs)}`;
    case 'discard':
      return `--- host discard abs=${addrHex(e.abs)} state=${e.state} usage=${e.usage}`;
    case 'zero-fill':
      return `--- host zero-fill abs=${addrHex(e.abs)}`;
    case 'discard-fault':
      return `--- discard fault abs=${addrHex(e.abs)} at ${addrHex(e.ia)}`;
    case 'disk':
      return `--- disk ${e.op} block=${e.block} abs=${addrHex(e.abs)}`;
    case 'stop':
      return null;
    default: {
      const other = e as { kind: string };
      return `--- ${other.kind}`;
    }
  }
}

/** Explanation lines (`--explain`) are indented under their instruction and start with '#'. */
const EXPLAIN_INDENT = '          # ';

export class Tracer {
  readonly hi = new Uint32Array(16);
  /** the registers and cc as of the last printed line (public read-only for explain.ts) */
  readonly lo = new Uint32Array(16);
  readonly crh = new Uint32Array(16);
  readonly crl = new Uint32Array(16);
  cc = 0;
  private maskHi = 0;
  /** the instruction that will execute next (-1: none, the CPU waits) */
  private pendingIa = -1;
  private pendingBytes: Uint8Array | null = null;
  /** cpu.steps when the pending instruction was noted */
  private pendingStep = 0;
  /** an instruction completed during the current `cpu.run(1)` (at most one can) */
  private completed = false;
  /** event lines seen since the last instruction line */
  private held: string[] = [];
  private out: string[] = [];

  constructor(
    readonly machine: Machine,
    private readonly write: (s: string) => void,
    private readonly disassemble: Disassemble,
    /** `--explain`: a plain-language line after each instruction and interruption (explain.ts) */
    private readonly explain = false,
  ) {}

  /** Run with tracing until the program stops or `maxSteps` instructions have run. */
  run(maxSteps: number): RunResult {
    const m = this.machine;
    const cpu = m.cpu;
    const start = cpu.steps;
    const off = m.events.on((e) => this.onEvent(e));
    let reason: string | null = null;
    let message = '';
    try {
      this.snapshot();
      while (cpu.steps - start < maxSteps) {
        this.note(cpu.wait ? -1 : cpu.ia);
        this.completed = false;
        const before = cpu.steps;
        const r = cpu.run(1);
        if (this.pendingIa >= 0 && !this.completed && cpu.steps > before) this.flushInstruction();
        this.flushHeld();
        if (r !== null) {
          reason = r;
          message = cpu.stopMessage;
          break;
        }
        if (this.out.length >= 512) this.drain();
      }
      if (reason === null) {
        reason = 'step-limit';
        message = `step limit reached after ${cpu.steps - start} instructions (PSW address 0x${cpu.ia.toString(16)})`;
        cpu.stop('step-limit', message);
      }
      this.out.push(`*** stop: ${message}`);
    } finally {
      off();
      this.drain();
    }
    return { reason: reason as RunResult['reason'], message, exitCode: exitCodeFor(reason, cpu.ia), steps: cpu.steps - start };
  }

  private drain(): void {
    if (this.out.length > 0) {
      this.write(this.out.join('\n') + '\n');
      this.out = [];
    }
  }

  private snapshot(): void {
    const c = this.machine.cpu;
    this.hi.set(c.hi); this.lo.set(c.lo); this.crh.set(c.crh); this.crl.set(c.crl);
    this.cc = c.cc;
    this.maskHi = c.pswMaskHi() & ~0x3000;
  }

  /** Remember the instruction at `ia` (about to execute) and its bytes, read without side effects. */
  private note(ia: number): void {
    this.pendingIa = ia;
    this.pendingStep = this.machine.cpu.steps;
    this.pendingBytes = ia >= 0 ? this.peekInstruction(ia) : null;
  }

  /** The bytes of the instruction at logical address `ia`, or null when they cannot be fetched. */
  peekInstruction(ia: number): Uint8Array | null {
    const c = this.machine.cpu;
    const st = this.machine.storage;
    const abs = (a: number): number => (c.dat ? c.mem.translate(a, Access.FETCH) : c.mem.realToAbsolute(a));
    try {
      const a0 = abs(ia);
      if (a0 >= st.size) return null;
      const len = lengthFromFirstByte(st.peek(a0, 1)[0]);
      if ((ia % FRAME_SIZE) + len <= FRAME_SIZE) return st.peek(a0, len);
      const out = new Uint8Array(len);
      for (let k = 0; k < len; k++) out[k] = st.peek(abs(c.wrap(ia + k)), 1)[0];
      return out;
    } catch {
      // the fetch itself will fail: the interruption line tells why
      return null;
    }
  }

  private onEvent(e: MachineEvent): void {
    if (e.kind === 'interrupt') {
      const cpu = this.machine.cpu;
      if (this.pendingIa >= 0) {
        // program: the instruction was interrupted; svc: it completed;
        // external/restart arrive between instructions: the noted one ran only if a step was counted
        if (e.class === 'program') {
          this.flushInstruction(true, false);
        } else if (e.class === 'svc' || e.step > this.pendingStep) {
          this.flushInstruction(false, false);
          this.completed = true;
        }
      }
      this.flushHeld();
      // the PSW (and with it the cc) is now the new PSW: the line shows it, and diffs start from it
      this.out.push(`${formatEvent(e)!} psw=${hex64(cpu.pswMaskHi(), cpu.pswMaskLo())}`);
      if (this.explain) for (const l of explainInterrupt(this.machine, e)) this.out.push(`${EXPLAIN_INDENT}${l}`);
      this.cc = cpu.cc;
      this.maskHi = cpu.pswMaskHi() & ~0x3000;
      this.note(cpu.wait ? -1 : cpu.ia);
      return;
    }
    const line = formatEvent(e);
    if (line !== null) this.held.push(line);
  }

  private flushHeld(): void {
    if (this.held.length > 0) {
      for (const l of this.held) this.out.push(l);
      this.held = [];
    }
  }

  /** Print the noted instruction with the registers changed since the last line. */
  private flushInstruction(interrupted = false, withPsw = true): void {
    const ia = this.pendingIa;
    this.pendingIa = -1;
    const b = this.pendingBytes;
    let bytes: string;
    let text: string;
    if (b === null) {
      bytes = '????';
      text = '(instruction not fetchable)';
    } else {
      bytes = '';
      for (let k = 0; k < b.length; k++) bytes += hex(b[k], 2);
      text = this.disassemble(b, ia);
    }
    let line = `${addrHex(ia)}  ${bytes.padEnd(12)}  ${text}`;
    // explained before changes() moves the snapshot on: it still holds the registers before the instruction
    const why = this.explain && b !== null
      ? explainInstruction(this.machine, b, ia, text, this, { interrupted, pswIsOwn: withPsw })
      : null;
    const changes = this.changes(withPsw);
    if (changes !== '' || interrupted) {
      line = line.padEnd(60) + (interrupted ? ' (interrupted)' : '') + changes;
    }
    this.out.push(line.trimEnd());
    if (why !== null) this.out.push(`${EXPLAIN_INDENT}${why}`);
  }

  /** " r2=... cc=1": what changed since the last snapshot, which is then updated. */
  private changes(withPsw: boolean): string {
    const c = this.machine.cpu;
    let s = '';
    for (let r = 0; r < 16; r++) {
      if (c.hi[r] !== this.hi[r] || c.lo[r] !== this.lo[r]) {
        s += ` r${r}=${hex64(c.hi[r], c.lo[r])}`;
        this.hi[r] = c.hi[r]; this.lo[r] = c.lo[r];
      }
    }
    for (let r = 0; r < 16; r++) {
      if (c.crh[r] !== this.crh[r] || c.crl[r] !== this.crl[r]) {
        s += ` c${r}=${hex64(c.crh[r], c.crl[r])}`;
        this.crh[r] = c.crh[r]; this.crl[r] = c.crl[r];
      }
    }
    if (!withPsw) return s;
    if (c.cc !== this.cc) {
      s += ` cc=${c.cc}`;
      this.cc = c.cc;
    }
    const mh = c.pswMaskHi() & ~0x3000;
    if (mh !== this.maskHi) {
      s += ` psw=${hex64(mh | (c.cc << 12), c.pswMaskLo())}`;
      this.maskHi = mh;
    }
    return s;
  }
}
