/**
 * The debugger's execution engine: forward and reverse execution over a
 * timeline of positions, breakpoints that cost nothing until hit.
 *
 * ## Positions
 * A position is `{ steps, sub }`: `steps` instructions have completed and,
 * at that instruction boundary, `sub` "boundary events" have happened since
 * arriving there: program interruptions (a faulting instruction completes no
 * step, the CPU is then at its handler) and wake-ups from a wait state. A
 * debugger step (`tick`) moves to the next position: one instruction, or one
 * such event.
 *
 * ## Reverse execution
 * The machine is deterministic, so the engine keeps periodic snapshots of the
 * whole machine (src/snapshot/snapshot.ts) and reaches any earlier position
 * by restoring the latest snapshot at or before it and running forward. The
 * interval adapts so that taking snapshots costs about a tenth of the run
 * time; the count and the copied bytes are bounded and old snapshots are
 * thinned (every other one), never the first, so every position back to the
 * start stays reachable (further back = longer replay). Editing the machine
 * (registers, storage) restarts the history at the edit.
 *
 * ## Breakpoints
 * The CPU caches decoded instructions per frame and calls `onDecode` only
 * when it decodes one. Instructions whose page offset matches a breakpoint
 * are decoded into a wrapper that runs through its exec function (case 0 of
 * the interpreter loop, which stores the PSW address and step count before
 * the call), and that function throws {@link BREAK} first, before the
 * instruction changes any state, when the PSW address is a breakpoint. Every
 * other instruction runs exactly as without breakpoints, so breakpoints cost
 * nothing until hit.
 */
import type { Machine } from '../machine.js';
import type { StopReason } from '../cpu/cpu.js';
import { Insn } from '../cpu/isa/types.js';
import { restoreSnapshot, takeSnapshot, type MachineSnapshot } from './snapshot.js';

export interface Pos {
  steps: number;
  sub: number;
}

export const cmpPos = (a: Pos, b: Pos): number => (a.steps - b.steps) || (a.sub - b.sub);

export type Outcome =
  | { kind: 'done' }
  | { kind: 'break'; ia: number }
  | { kind: 'stop'; reason: StopReason; message: string };

/** A snapshot's position: at sub 0, except the first after an edit in the middle of a boundary. */
function snapPos(s: MachineSnapshot): Pos {
  return { steps: s.steps, sub: s.sub ?? 0 };
}

/** Thrown by a breakpoint wrapper; one object, no allocation. */
export const BREAK = new Error('zhint breakpoint');

export interface TimelineOptions {
  /** smallest snapshot interval in steps (default 20,000) */
  minInterval?: number;
  /** snapshots kept before thinning (default 256) */
  maxSnapshots?: number;
  /** storage bytes copied by snapshots before thinning (default 512 MiB) */
  maxBytes?: number;
}

export class Timeline {
  readonly m: Machine;
  /** breakpoint instruction addresses (logical) */
  readonly breakpoints = new Set<number>();
  private offsets = new Set<number>();
  private armed = true;
  private skipIa = -1;
  /** snapshots, sorted by steps; all at sub 0 */
  readonly snapshots: MachineSnapshot[] = [];
  /** steps between snapshots (adapts to the cost of a snapshot) */
  interval: number;
  private readonly minInterval: number;
  private readonly maxSnapshots: number;
  private readonly maxBytes: number;
  private bytes = 0;
  private subSteps = -1;
  private subCount = 0;
  /** boundary → number of boundary events there (learned while executing) */
  private readonly subHistory = new Map<number, number>();
  /** the debugger's own state kept with each snapshot (event log position) */
  captureExtra: () => unknown = () => undefined;
  restoreExtra: (x: unknown) => void = () => {};
  /** measured run speed (exponential average over fast slices) */
  nsPerStep = 200;

  constructor(m: Machine, opts: TimelineOptions = {}) {
    this.m = m;
    this.minInterval = opts.minInterval ?? 20_000;
    this.interval = this.minInterval;
    this.maxSnapshots = opts.maxSnapshots ?? 256;
    this.maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
    const cpu = m.cpu;
    const prev = cpu.hooks.onInterrupt;
    cpu.hooks.onInterrupt = (kind, code, oldIa, newIa, teid) => {
      if (kind === 'program') this.noteSub();
      prev?.(kind, code, oldIa, newIa, teid);
    };
    cpu.hooks.onWake = () => this.noteSub();
    cpu.onDecode = (ins, ia) => (this.offsets.has(ia & 0xfff) ? this.wrap(ins) : ins);
    this.resetHistory();
  }

  private noteSub(): void {
    const s = this.m.cpu.steps;
    if (s === this.subSteps) this.subCount++;
    else { this.subSteps = s; this.subCount = 1; }
    this.subHistory.set(s, this.subCount);
  }

  pos(): Pos {
    const s = this.m.cpu.steps;
    return { steps: s, sub: s === this.subSteps ? this.subCount : 0 };
  }

  /** Start the history at the current state (at start-up and after an edit). */
  resetHistory(): void {
    this.snapshots.length = 0;
    this.subHistory.clear();
    this.bytes = 0;
    const p = this.pos();
    this.subSteps = -1;
    this.subCount = 0;
    const s = this.snap();
    // an edit in the middle of a boundary: keep its sub count with the snapshot
    s.sub = p.sub;
    if (p.sub > 0) { this.subSteps = p.steps; this.subCount = p.sub; this.subHistory.set(p.steps, p.sub); }
    this.snapshots.push(s);
    this.bytes += s.newBytes;
  }

  /** The earliest reachable position. */
  get origin(): Pos {
    return snapPos(this.snapshots[0]);
  }

  // ================= breakpoints =================

  setBreakpoint(addr: number, on: boolean): void {
    if (on) this.breakpoints.add(addr);
    else this.breakpoints.delete(addr);
    const offs = new Set<number>();
    for (const a of this.breakpoints) offs.add(a & 0xfff);
    this.offsets = offs;
    // decoded code was wrapped by the old set: decode again
    const st = this.m.storage;
    st.code.fill(undefined);
    st.newEpoch();
  }

  private wrap(ins: Insn): Insn {
    const t = Object.assign(new Insn(), ins);
    const exec = ins.exec;
    t.op = 0;
    t.exec = (c, i) => {
      const ia = c.ia;
      if (this.armed && ia !== this.skipIa && this.breakpoints.has(ia)) throw BREAK;
      exec(c, i);
    };
    return t;
  }

  // ================= forward =================

  /** One debugger step: the next instruction, or one program interruption / wake-up. */
  tick(): Outcome {
    const cpu = this.m.cpu;
    this.skipIa = cpu.ia;
    cpu.stopAfterProgramInterrupt = true;
    let r: StopReason | null;
    try {
      r = cpu.run(1);
    } catch (e) {
      if (e === BREAK) return { kind: 'break', ia: cpu.ia };
      throw e;
    } finally {
      cpu.stopAfterProgramInterrupt = false;
      this.skipIa = -1;
    }
    this.maybeSnap();
    return r === null ? { kind: 'done' } : { kind: 'stop', reason: r, message: cpu.stopMessage };
  }

  /**
   * Run up to `budget` steps at full speed, stopping at breakpoints (unless
   * `breaks` is false). The instruction at the current address runs even if
   * it has a breakpoint (we are stopped there). Takes snapshots on the way.
   */
  run(budget: number, breaks = true): Outcome {
    const cpu = this.m.cpu;
    const end = cpu.steps + budget;
    this.armed = breaks;
    try {
      // leave the breakpoint we stand on
      if (breaks && this.breakpoints.has(cpu.ia) && budget > 0) {
        const o = this.tick();
        if (o.kind !== 'done') return o;
      }
      while (cpu.steps < end) {
        const last = this.snapshots[this.snapshots.length - 1];
        const next = Math.max(last.steps + this.interval, cpu.steps + 1);
        const n = Math.min(end, next) - cpu.steps;
        let r: StopReason | null;
        const t0 = n >= 5000 ? performance.now() : 0;
        try {
          r = cpu.run(n);
          if (t0 !== 0) this.nsPerStep = 0.8 * this.nsPerStep + 0.2 * (((performance.now() - t0) * 1e6) / n);
        } catch (e) {
          if (e === BREAK) return { kind: 'break', ia: cpu.ia };
          throw e;
        }
        if (r !== null) return { kind: 'stop', reason: r, message: cpu.stopMessage };
        this.maybeSnap();
      }
      return { kind: 'done' };
    } finally {
      this.armed = true;
    }
  }

  /** Take a snapshot if the last one is an interval behind (only at sub 0, only beyond the newest). */
  private maybeSnap(): void {
    const p = this.pos();
    const last = this.snapshots[this.snapshots.length - 1];
    if (p.sub !== 0 || p.steps < last.steps + this.interval) return;
    const t0 = performance.now();
    const s = this.snap(last);
    const snapMs = performance.now() - t0;
    this.snapshots.push(s);
    this.bytes += s.newBytes;
    // keep snapshots at about 10% of the run time (and a replay at ~10 snapshot times)
    this.interval = Math.max(this.minInterval, Math.min(2_000_000, Math.round((snapMs * 10 * 1e6) / this.nsPerStep)));
    if (this.snapshots.length > this.maxSnapshots || this.bytes > this.maxBytes) this.thin();
  }

  private snap(base?: MachineSnapshot): MachineSnapshot {
    const s = takeSnapshot(this.m, base);
    s.extra = this.captureExtra();
    return s;
  }

  /** Drop every other snapshot of the older half (never the first). */
  private thin(): void {
    const n = this.snapshots.length;
    const half = Math.floor(n / 2);
    const keep: MachineSnapshot[] = [this.snapshots[0]];
    for (let i = 1; i < n; i++) if (i >= half || i % 2 === 0) keep.push(this.snapshots[i]);
    this.snapshots.length = 0;
    this.snapshots.push(...keep);
    // recount the copied bytes (frames are shared between neighbours)
    const seen = new Set<Uint8Array>();
    let b = 0;
    for (const s of keep) {
      for (const f of s.frames) if (f !== undefined && !seen.has(f)) { seen.add(f); b += f.byteLength; }
      for (const [, f] of s.host.swap) if (!seen.has(f)) { seen.add(f); b += f.byteLength; }
    }
    this.bytes = b;
  }

  /** Snapshot count and copied bytes (for the status pane). */
  memory(): { snapshots: number; bytes: number; interval: number } {
    return { snapshots: this.snapshots.length, bytes: this.bytes, interval: this.interval };
  }

  // ================= going to a position =================

  /** Reach `target` (before or after now): restore the latest snapshot at or before it and run forward. */
  goto(target: Pos): Outcome {
    const cur = this.pos();
    if (cmpPos(target, this.origin) < 0) target = this.origin;
    const s = this.snapshots[this.latestAtOrBefore(target.steps)];
    // running forward from here is cheaper than a restore when no snapshot lies between
    if (cmpPos(target, cur) < 0 || s.steps > cur.steps) {
      restoreSnapshot(this.m, s);
      this.restoreExtra(s.extra);
      const { sub } = snapPos(s);
      this.subSteps = sub > 0 ? s.steps : -1;
      this.subCount = sub;
    }
    const cpu = this.m.cpu;
    let o: Outcome = { kind: 'done' };
    if (cpu.steps < target.steps) o = this.run(target.steps - cpu.steps, false);
    while (o.kind === 'done' && cmpPos(this.pos(), target) < 0) o = this.tick();
    return o;
  }

  /** Index of the latest snapshot at or before `steps` (the first when none is). */
  private latestAtOrBefore(steps: number): number {
    let k = this.snapshots.length - 1;
    while (k > 0 && this.snapshots[k].steps > steps) k--;
    return k;
  }

  /** The position just before `p` (the origin for the origin). */
  prev(p: Pos): Pos {
    if (cmpPos(p, this.origin) <= 0) return this.origin;
    if (p.sub > 0) return { steps: p.steps, sub: p.sub - 1 };
    return { steps: p.steps - 1, sub: this.subHistory.get(p.steps - 1) ?? 0 };
  }

  /** Reverse step: one position back. */
  reverseStep(): Outcome {
    return this.goto(this.prev(this.pos()));
  }

  /**
   * Reverse continue: the latest earlier position whose instruction address
   * is a breakpoint (or the origin when there is none). Scans the history
   * backwards one snapshot interval at a time, replaying with breakpoints armed.
   */
  reverseContinue(): { outcome: Outcome; found: boolean } {
    const end = this.pos();
    let hi = end;
    for (let k = this.snapshotIndexBefore(end); k >= 0; k--) {
      const s = this.snapshots[k];
      const hits = this.scan(snapPos(s), hi, (p) => this.breakpoints.has(this.m.cpu.ia) && cmpPos(p, end) < 0, true);
      if (hits !== null) return { outcome: this.goto(hits), found: true };
      hi = snapPos(s);
    }
    return { outcome: this.goto(this.origin), found: false };
  }

  /**
   * Reverse next: back one position, but over calls and interruption
   * handlers: if the previous instruction belongs to another function than
   * the current one (`fn` maps an address to its function), go back to the
   * latest earlier position in the current function.
   */
  reverseNext(fn: (addr: number) => string | undefined): Outcome {
    const cur = this.pos();
    const here = fn(this.m.cpu.ia);
    const p1 = this.prev(cur);
    const o = this.goto(p1);
    if (o.kind !== 'done' || cmpPos(p1, cur) === 0) return o;
    const f1 = fn(this.m.cpu.ia);
    if (f1 === here) return o;
    // we came back from a callee (or a handler): find the latest position in our function
    let hi = p1;
    for (let k = this.snapshotIndexBefore(p1); k >= 0; k--) {
      const lo = snapPos(this.snapshots[k]);
      const hit = this.scan(lo, hi, () => fn(this.m.cpu.ia) === here, false);
      if (hit !== null) return this.goto(hit);
      hi = lo;
    }
    return this.goto(p1);
  }

  private snapshotIndexBefore(p: Pos): number {
    let k = this.snapshots.length - 1;
    while (k > 0 && cmpPos({ steps: this.snapshots[k].steps, sub: 0 }, p) >= 0) k--;
    return k;
  }

  /**
   * Replay from position `from` to `to` (exclusive) and return the last
   * position where `pred` held, or null. With `fast`, only breakpoint
   * positions are examined (armed run); otherwise every position (ticks).
   */
  private scan(from: Pos, to: Pos, pred: (p: Pos) => boolean, fast: boolean): Pos | null {
    this.goto(from);
    let last: Pos | null = null;
    for (;;) {
      const p = this.pos();
      if (cmpPos(p, to) >= 0) break;
      if (pred(p)) last = p;
      let o: Outcome;
      if (fast) {
        if (p.steps < to.steps) {
          o = this.breakpoints.has(this.m.cpu.ia) ? this.tick() : this.run(to.steps - p.steps, true);
        } else {
          o = this.tick();
        }
        if (o.kind === 'break') continue;
      } else {
        o = this.tick();
      }
      if (o.kind === 'stop') { const q = this.pos(); if (cmpPos(q, to) < 0 && pred(q)) last = q; break; }
      if (cmpPos(this.pos(), p) === 0) break; // no progress (stopped machine)
    }
    return last;
  }
}
