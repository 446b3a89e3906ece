/**
 * The debugger session: the machine, its timeline (forward/reverse
 * execution, breakpoints), watchpoints, the event log, what changed in the
 * last step, and the `:` command language. No rendering here (app.tsx draws
 * it), so tests drive a session directly.
 */
import type { Machine } from '../machine.js';
import type { MachineEvent } from '../events.js';
import { Timeline, type Outcome, type Pos } from '../snapshot/timeline.js';
import { disassembleOne, lineAt, symbolLookup, type LineEntry, type SymbolLookup } from '../asm/index.js';
import type { DisasmLine } from '../asm/index.js';
import { picName } from '../cpu/exceptions.js';
import { decodeBytes } from '../cpu/isa/decode.js';
import { ORC_NAMES } from '../hv/page-states.js';
import { readMem, toAbs, type Space, SPACES } from './view.js';
import { addrHex, EXT_NAMES } from '../trace/trace.js';

export interface LogEntry {
  seq: number;
  step: number;
  kind: string;
  /** the line (machine events are formatted when first shown: logging stays cheap while the guest runs) */
  readonly text: string;
}

class EventEntry implements LogEntry {
  private t: string | undefined;
  constructor(readonly seq: number, readonly e: MachineEvent) {}
  get step(): number { return this.e.step; }
  get kind(): string { return this.e.kind; }
  get text(): string { return (this.t ??= describeEvent(this.e)); }
}

export interface Watch {
  abs: number;
  len: number;
  old: Uint8Array;
}

export interface SourceInfo {
  lineMap?: readonly LineEntry[];
  /** file → its lines */
  files?: Map<string, string[]>;
}

const LOG_MAX = 4000;
const MAX_SLICE = 2_000_000;

const hex = (n: number) => '0x' + n.toString(16);

/** One line for a machine event (the event pane). */
export function describeEvent(e: MachineEvent): string {
  switch (e.kind) {
    case 'interrupt': {
      const name = e.class === 'program' ? picName(e.code) : e.class === 'external' ? EXT_NAMES[e.code] ?? 'external' : e.class;
      const teid = e.teid !== undefined ? ` teid ${hex(e.teid)}` : '';
      return `*** ${e.class} ${e.code.toString(16).padStart(4, '0')} ${name} at ${hex(e.oldIa)} -> ${hex(e.newIa)}${teid}`;
    }
    case 'essa': return `ESSA ${ORC_NAMES[e.orc] ?? e.orc} abs ${hex(e.abs)} ${e.oldState}->${e.newState}`;
    case 'page-out': return `page-out abs ${hex(e.abs)} (${e.state})`;
    case 'page-in': return `page-in abs ${hex(e.abs)}`;
    case 'discard': return `discard abs ${hex(e.abs)} (${e.state}, ${e.usage})`;
    case 'zero-fill': return `zero-fill abs ${hex(e.abs)}`;
    case 'discard-fault': return `DISCARD FAULT abs ${hex(e.abs)} at ia ${hex(e.ia)}`;
    case 'console': return `console ${JSON.stringify(e.text.length > 40 ? e.text.slice(0, 40) + '…' : e.text)}`;
    case 'disk': return `disk ${e.op} block ${e.block} abs ${hex(e.abs)}`;
    case 'stop': return `stop: ${e.message}`;
    default: return JSON.stringify(e);
  }
}

/** A timeline position as the debugger shows it: `1234`, or `1234.1` after a boundary event there. */
export function posText(p: Pos): string {
  return p.sub > 0 ? `${p.steps}.${p.sub}` : String(p.steps);
}

/** The code pane's text of a disassembled instruction. */
export function insnText(l: DisasmLine & { readable: boolean }): string {
  return !l.readable ? '(not addressable)' : l.operands === '' ? l.mnemonic : `${l.mnemonic.padEnd(6)} ${l.operands}`;
}

export class Session {
  readonly m: Machine;
  readonly tl: Timeline;
  readonly file: string;
  readonly symbols: Map<string, number>;
  readonly lookup: SymbolLookup | undefined;
  readonly source: SourceInfo;
  log: LogEntry[] = [];
  private seq = 0;
  watches: Watch[] = [];
  /** GPR / CR numbers changed by the last step or command */
  changed = new Set<number>();
  changedCr = new Set<number>();
  message = '';
  running = false;
  private stopRequested = false;
  ips = 0;
  trace = false;
  /** the code pane's cursor (breakpoint target of `b`); null = follow the PSW */
  cursor: number | null = null;
  memAddr = 0;
  memSpace: Space = 'virtual';
  /** memory pane follows this register (or -1) */
  memFollow = -1;
  lastOutcome: Outcome = { kind: 'done' };
  private listeners: (() => void)[] = [];

  constructor(m: Machine, opts: { file: string; symbols?: Map<string, number>; source?: SourceInfo }) {
    this.m = m;
    this.file = opts.file;
    this.symbols = opts.symbols ?? new Map();
    this.lookup = this.symbols.size > 0 ? symbolLookup(this.symbols) : undefined;
    this.source = opts.source ?? {};
    this.tl = new Timeline(m);
    this.tl.captureExtra = () => this.seq;
    this.tl.restoreExtra = (x) => {
      const s = x as number;
      this.log = this.log.filter((e) => e.seq < s);
      this.seq = s;
    };
    m.events.on((e) => {
      this.log.push(new EventEntry(this.seq++, e));
      if (this.log.length > LOG_MAX * 2) this.log.splice(0, this.log.length - LOG_MAX);
    });
    this.memAddr = m.cpu.ia;
  }

  onChange(l: () => void): () => void {
    this.listeners.push(l);
    return () => { this.listeners = this.listeners.filter((x) => x !== l); };
  }

  private changedNow(): void {
    for (const l of this.listeners) l();
  }

  addLog(step: number, kind: string, text: string): void {
    this.log.push({ seq: this.seq++, step, kind, text });
    if (this.log.length > LOG_MAX) this.log.splice(0, this.log.length - LOG_MAX);
  }

  // ================= symbols and addresses =================

  /** GPR `r` as a number (an address). */
  regValue(r: number): number {
    return this.m.cpu.hi[r] * 4294967296 + this.m.cpu.lo[r];
  }

  /** name of the function (nearest symbol at or below) of `addr` */
  fnOf = (addr: number): string | undefined => {
    const s = this.lookup?.(addr);
    return s?.name;
  };

  symbolText(addr: number): string {
    const s = this.lookup?.(addr);
    if (s === undefined) return '';
    return s.addr === addr ? `<${s.name}>` : `<${s.name}+${hex(addr - s.addr)}>`;
  }

  /** Parse an address: hex (0x.., or bare hex), decimal with #, a symbol (+/- offset), or a register rN (its value). */
  parseAddr(text: string): number {
    const t = text.trim();
    const m = /^([A-Za-z_.$][\w.$]*)\s*(?:([+-])\s*(0x[0-9a-f]+|\d+))?$/i.exec(t);
    if (m !== null && !/^(0x)?[0-9a-f]+$/i.test(t)) {
      const reg = /^%?r(\d{1,2})$/i.exec(m[1]);
      let base: number | undefined;
      if (reg !== null && Number(reg[1]) < 16) {
        const r = Number(reg[1]);
        base = this.regValue(r);
      } else {
        base = this.symbols.get(m[1]);
      }
      if (base === undefined) throw new Error(`no symbol '${m[1]}'`);
      const off = m[3] === undefined ? 0 : Number(m[3]);
      return m[2] === '-' ? base - off : base + off;
    }
    if (/^#\d+$/.test(t)) return Number(t.slice(1));
    if (/^(0x)?[0-9a-f]+$/i.test(t)) return parseInt(t.replace(/^0x/i, ''), 16);
    throw new Error(`not an address: '${text}'`);
  }

  sourceLine(addr: number): { file: string; line: number; text: string } | undefined {
    const lm = this.source.lineMap;
    if (lm === undefined) return undefined;
    const e = lineAt(lm, addr);
    if (e === undefined) return undefined;
    const lines = this.source.files?.get(e.file);
    return { file: e.file, line: e.line, text: lines?.[e.line - 1]?.trim() ?? '' };
  }

  /** Disassemble the instruction at `addr` (logical, as the CPU fetches it). */
  insnAt(addr: number): DisasmLine & { readable: boolean } {
    const { bytes, ok } = readMem(this.m, addr, 6, 'virtual', true);
    const l = disassembleOne(bytes, 0, addr, { symbols: this.lookup });
    return { ...l, readable: ok[0] };
  }

  insnTextAt(addr: number): string {
    return insnText(this.insnAt(addr));
  }

  /** For the current instruction if it is a branch: whether it will be taken (when zhint can tell). */
  branchHint(l: DisasmLine): string {
    const d = l.def;
    const i = decodeBytes(l.bytes);
    if (d === null || !d.branch || i === null) return '';
    const c = this.m.cpu;
    // the register forms (BCR, BCTR, BCTGR) with R2 = 0 never branch
    const target = (d.format !== 'RR' && d.format !== 'RRE') || i.r2 !== 0;
    const taken = (t: boolean) => (t ? 'taken' : 'not taken');
    // the branch-on-condition forms: mask M1 selects the cc
    if (d.onCondition) return taken(target && (i.m1 & (8 >>> c.cc)) !== 0);
    const bits = d.onCount;
    if (bits !== undefined) {
      // decrement r1; branch unless it becomes zero
      const one = c.lo[i.r1] === 1 && (bits === 32 || c.hi[i.r1] === 0);
      return taken(target && !one);
    }
    return d.call ? 'call' : 'branch';
  }

  // ================= execution =================

  private before(): { hi: Uint32Array; lo: Uint32Array; crh: Uint32Array; crl: Uint32Array } {
    const c = this.m.cpu;
    return { hi: c.hi.slice(), lo: c.lo.slice(), crh: c.crh.slice(), crl: c.crl.slice() };
  }

  private after(b: ReturnType<Session['before']>): void {
    const c = this.m.cpu;
    this.changed = new Set();
    this.changedCr = new Set();
    for (let r = 0; r < 16; r++) {
      if (b.hi[r] !== c.hi[r] || b.lo[r] !== c.lo[r]) this.changed.add(r);
      if (b.crh[r] !== c.crh[r] || b.crl[r] !== c.crl[r]) this.changedCr.add(r);
    }
    if (this.memFollow >= 0) this.memAddr = this.regValue(this.memFollow);
    this.cursor = null;
    this.changedNow();
  }

  private report(o: Outcome, what: string): void {
    this.lastOutcome = o;
    const p = this.tl.pos();
    const at = `step ${posText(p)}`;
    if (o.kind === 'break') this.message = `breakpoint at ${hex(o.ia)} ${this.symbolText(o.ia)} (${at})`;
    else if (o.kind === 'stop') this.message = `stopped: ${o.message} (${at})`;
    else this.message = `${what} (${at})`;
  }

  private traceLine(): void {
    if (!this.trace) return;
    const ia = this.m.cpu.ia;
    this.addLog(this.m.cpu.steps, 'trace', `${addrHex(ia)} ${this.insnTextAt(ia)}`);
  }

  step(n = 1): void {
    const b = this.before();
    let o: Outcome = { kind: 'done' };
    for (let k = 0; k < n && o.kind === 'done'; k++) {
      this.traceLine();
      o = this.tl.tick();
      const w = this.checkWatches();
      if (w !== null) { this.message = w; this.after(b); return; }
    }
    this.report(o, n === 1 ? 'step' : `${n} steps`);
    this.after(b);
  }

  /** Step over a call: run to the return address (a temporary breakpoint), else step. */
  async next(): Promise<void> {
    const l = this.insnAt(this.m.cpu.ia);
    if (!l.readable || l.def === null || !l.def.call) { this.step(); return; }
    const ra = this.m.cpu.ia + l.len;
    const had = this.tl.breakpoints.has(ra);
    if (!had) this.tl.setBreakpoint(ra, true);
    try {
      await this.cont('next');
    } finally {
      if (!had) this.tl.setBreakpoint(ra, false);
    }
    if (this.lastOutcome.kind === 'break' && this.lastOutcome.ia === ra) this.report({ kind: 'done' }, 'next');
  }

  /** Continue until a breakpoint, a watchpoint, a stop or Ctrl-C; in slices, yielding between them. */
  async cont(what = 'continue', maxSteps = Infinity): Promise<void> {
    if (this.running) return;
    const b = this.before();
    this.running = true;
    this.stopRequested = false;
    this.message = `running... (Ctrl-C stops)`;
    this.changedNow();
    let slice = this.watches.length > 0 ? 20_000 : 100_000;
    let done = 0;
    let o: Outcome = { kind: 'done' };
    try {
      while (!this.stopRequested && done < maxSteps) {
        const start = this.tl.pos();
        const t0 = performance.now();
        const n = Math.min(slice, maxSteps - done);
        if (this.trace) {
          o = { kind: 'done' };
          for (let k = 0; k < Math.min(n, 2000) && o.kind === 'done'; k++) {
            if (k > 0 && this.tl.breakpoints.has(this.m.cpu.ia)) { o = { kind: 'break', ia: this.m.cpu.ia }; break; }
            this.traceLine();
            o = this.tl.tick();
          }
        } else {
          o = this.tl.run(n);
        }
        const ran = this.tl.pos().steps - start.steps;
        done += Math.max(ran, 1);
        const ms = performance.now() - t0;
        if (ms > 0) this.ips = Math.round((ran * 1000) / ms);
        const w = this.locateWatch(start);
        if (w !== null) { this.message = w; o = { kind: 'done' }; this.lastOutcome = o; this.after(b); return; }
        if (o.kind !== 'done') break;
        // aim at ~40 ms per slice
        if (!this.trace && ms > 0) slice = Math.max(1000, Math.min(MAX_SLICE, Math.round((slice * 40) / ms)));
        if (this.watches.length > 0) slice = Math.min(slice, 50_000);
        this.message = `running... ${(this.ips / 1e6).toFixed(2)} M instructions/s, step ${this.m.cpu.steps} (Ctrl-C stops)`;
        this.changedNow();
        await new Promise<void>((r) => setImmediate(r));
      }
      this.report(o, this.stopRequested ? 'interrupted' : what);
    } finally {
      this.running = false;
      this.after(b);
    }
  }

  /** Ctrl-C: stop the guest after the current slice. */
  interrupt(): void {
    if (this.running) this.stopRequested = true;
  }

  reverseStep(): void {
    const b = this.before();
    const o = this.tl.reverseStep();
    this.report(o, 'reverse step');
    this.after(b);
  }

  reverseNext(): void {
    const b = this.before();
    const o = this.tl.reverseNext(this.fnOf);
    this.report(o, 'reverse next');
    this.after(b);
  }

  reverseContinue(): void {
    const b = this.before();
    const r = this.tl.reverseContinue();
    if (r.found) this.report({ kind: 'break', ia: this.m.cpu.ia }, 'reverse continue');
    else this.report(r.outcome, 'reverse continue: no earlier breakpoint hit; at the start of the history');
    this.after(b);
  }

  toggleBreak(addr: number): boolean {
    const on = !this.tl.breakpoints.has(addr);
    this.tl.setBreakpoint(addr, on);
    this.message = `breakpoint ${on ? 'set' : 'deleted'} at ${hex(addr)} ${this.symbolText(addr)}`;
    this.changedNow();
    return on;
  }

  // ================= watchpoints =================

  addWatch(addr: number, len: number): void {
    const abs = toAbs(this.m, addr, this.memSpace);
    if (abs < 0) throw new Error(`${hex(addr)} does not translate (${this.memSpace})`);
    this.watches.push({ abs, len, old: this.m.hv.peek(abs, len) });
    this.message = `watchpoint on absolute ${hex(abs)}..${hex(abs + len - 1)}`;
  }

  /** A watched range that differs from its last value: updates it and returns a message. */
  private checkWatches(): string | null {
    for (const w of this.watches) {
      const now = this.m.hv.peek(w.abs, w.len);
      if (!Buffer.from(now).equals(Buffer.from(w.old))) {
        const msg = `watchpoint: abs ${hex(w.abs)} changed ${Buffer.from(w.old).toString('hex')} -> ${Buffer.from(now).toString('hex')} (step ${this.m.cpu.steps})`;
        w.old = now;
        return msg;
      }
    }
    return null;
  }

  /** After a slice from `start`: if a watched range changed, go back and single-step to the change. */
  private locateWatch(start: Pos): string | null {
    if (this.watches.length === 0) return null;
    const changed = this.watches.some((w) => !Buffer.from(this.m.hv.peek(w.abs, w.len)).equals(Buffer.from(w.old)));
    if (!changed) return null;
    this.tl.goto(start);
    for (let k = 0; k < MAX_SLICE * 2; k++) {
      const o = this.tl.tick();
      const w = this.checkWatches();
      if (w !== null) return w;
      if (o.kind === 'stop') break;
    }
    return 'watchpoint: change not found again';
  }

  // ================= editing =================

  /** An edit changes the future: the reverse history restarts here. */
  private edited(what: string): void {
    this.tl.resetHistory();
    this.message = `${what} (reverse history restarts here)`;
    this.changedNow();
  }

  // ================= the `:` command line =================

  /** Run a command; returns the message shown. */
  async command(line: string): Promise<string> {
    const [cmd, ...args] = line.trim().split(/\s+/);
    const c = this.m.cpu;
    try {
      switch (cmd) {
        case '': return this.message;
        case 'b': case 'break': {
          const a = args.length > 0 ? this.parseAddr(args.join(' ')) : c.ia;
          if (!this.tl.breakpoints.has(a)) this.toggleBreak(a);
          else this.message = `breakpoint already at ${hex(a)}`;
          break;
        }
        case 'd': case 'delete': {
          if (args.length === 0 || args[0] === 'all') {
            for (const a of [...this.tl.breakpoints]) this.tl.setBreakpoint(a, false);
            this.watches = [];
            this.message = 'all breakpoints and watchpoints deleted';
          } else {
            const a = this.parseAddr(args.join(' '));
            if (!this.tl.breakpoints.has(a)) throw new Error(`no breakpoint at ${hex(a)}`);
            this.toggleBreak(a);
          }
          break;
        }
        case 'x': {
          if (args.length === 0) throw new Error('usage: x ADDR [LEN]');
          const a = this.parseAddr(args[0]);
          const len = args[1] !== undefined ? Math.min(64, Number(args[1])) : 16;
          const { bytes, ok } = readMem(this.m, a, len, this.memSpace);
          this.memAddr = a;
          this.memFollow = -1;
          this.message = `${hex(a)} (${this.memSpace}): ${ok[0] ? Buffer.from(bytes).toString('hex').replace(/(.{8})/g, '$1 ').trim() : 'not addressable'}`;
          break;
        }
        case 'w': case 'watch': {
          if (args.length === 0) throw new Error('usage: watch ADDR [LEN]');
          this.addWatch(this.parseAddr(args[0]), args[1] !== undefined ? Number(args[1]) : 8);
          break;
        }
        case 'set': return await this.setCommand(args);
        case 'info': this.message = this.info(args[0]); break;
        case 'trace':
          this.trace = args[0] !== 'off';
          this.message = `trace ${this.trace ? 'on: each executed instruction goes to the event log' : 'off'}`;
          break;
        case 's': case 'step': this.step(args[0] ? Math.max(1, Number(args[0])) : 1); break;
        case 'n': case 'next': await this.next(); break;
        case 'c': case 'continue': await this.cont('continue', args[0] ? Number(args[0]) : Infinity); break;
        case 'rs': case 'reverse-step': {
          const n = args[0] ? Math.max(1, Number(args[0])) : 1;
          const b = this.before();
          const p = this.tl.pos();
          const o = this.tl.goto(n === 1 ? this.tl.prev(p) : { steps: Math.max(0, p.steps - n), sub: 0 });
          this.report(o, `reverse ${n} step${n === 1 ? '' : 's'}`);
          this.after(b);
          break;
        }
        case 'rn': case 'reverse-next': this.reverseNext(); break;
        case 'rc': case 'reverse-continue': this.reverseContinue(); break;
        case 'g': case 'goto': case 'list': {
          this.cursor = this.parseAddr(args.join(' '));
          this.message = `code at ${hex(this.cursor)} ${this.symbolText(this.cursor)}`;
          break;
        }
        case 'mem': case 'space': {
          const sp = args[0] as Space;
          if (!SPACES.includes(sp)) throw new Error('usage: space virtual|real|absolute');
          this.memSpace = sp;
          this.message = `memory pane: ${sp} addresses`;
          break;
        }
        case 'follow': {
          const r = /^%?r(\d+)$/i.exec(args[0] ?? '');
          if (r === null || Number(r[1]) > 15) throw new Error('usage: follow rN | follow off');
          this.memFollow = Number(r[1]);
          this.memAddr = this.regValue(this.memFollow);
          this.message = `memory pane follows r${this.memFollow}`;
          break;
        }
        case 'help': this.message = 'commands: break delete x watch set info trace step next continue rs rn rc goto space follow'; break;
        default: throw new Error(`unknown command '${cmd}' (help lists them)`);
      }
    } catch (e) {
      this.message = `error: ${(e as Error).message}`;
    }
    this.changedNow();
    return this.message;
  }

  private async setCommand(args: string[]): Promise<string> {
    const c = this.m.cpu;
    let [what, ...rest] = args;
    if (what === 'reg') [what, ...rest] = rest;
    if (what === undefined) throw new Error('usage: set rN VALUE | set psw ADDR | set cc N | set mem ADDR HEXBYTES');
    const value = (t: string | undefined) => {
      if (t === undefined) throw new Error('value missing');
      return BigInt(t.startsWith('-') ? t : /^0x/i.test(t) ? t : '0x' + t);
    };
    const reg = /^%?r(\d{1,2})$/i.exec(what);
    if (reg !== null && Number(reg[1]) < 16) {
      c.setReg(Number(reg[1]), value(rest[0]));
      this.edited(`r${reg[1]} set`);
    } else if (what === 'psw' || what === 'pc' || what === 'ia') {
      const a = this.parseAddr(rest.join(' '));
      c.ia = a; c.nia = a;
      this.edited(`PSW address set to ${hex(a)}`);
    } else if (what === 'cc') {
      const v = Number(rest[0]);
      if (!(v >= 0 && v <= 3)) throw new Error('cc is 0..3');
      c.cc = v;
      this.edited(`cc set to ${v}`);
    } else if (what === 'mem') {
      const a = this.parseAddr(rest[0] ?? '');
      const hexs = (rest.slice(1).join('')).replace(/^0x/i, '');
      if (!/^([0-9a-f]{2})+$/i.test(hexs)) throw new Error('usage: set mem ADDR HEXBYTES');
      const abs = toAbs(this.m, a, this.memSpace);
      if (abs < 0) throw new Error(`${hex(a)} does not translate`);
      const bytes = Buffer.from(hexs, 'hex');
      for (let k = 0; k < bytes.length; k++) this.m.storage.write8(abs + k, bytes[k]);
      this.edited(`${bytes.length} bytes stored at absolute ${hex(abs)}`);
    } else {
      throw new Error(`cannot set '${what}'`);
    }
    this.after(this.before());
    return this.message;
  }

  info(what?: string): string {
    const bps = [...this.tl.breakpoints].map((a) => `${hex(a)}${this.symbolText(a)}`).join(' ') || 'none';
    const ws = this.watches.map((w) => `${hex(w.abs)}/${w.len}`).join(' ') || 'none';
    const mem = this.tl.memory();
    if (what === 'break' || what === 'b') return `breakpoints: ${bps}; watchpoints: ${ws}`;
    if (what === 'snap' || what === 'history') {
      return `history: ${mem.snapshots} snapshots, ${(mem.bytes / 1048576).toFixed(1)} MiB, interval ${mem.interval} steps, from step ${this.tl.origin.steps}`;
    }
    const p = this.tl.pos();
    return `step ${posText(p)}; breakpoints: ${bps}; watch: ${ws}; history ${mem.snapshots} snapshots from step ${this.tl.origin.steps}`;
  }
}
