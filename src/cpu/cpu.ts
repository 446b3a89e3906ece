/**
 * The CPU: architected state (PSW, 16 GPRs, 16 control registers, prefix,
 * timers) and the interpreter loop.
 *
 * 64-bit registers are kept as two Uint32Array halves (`hi[r]`, `lo[r]`): no
 * BigInt and no allocation on the hot path. Instruction semantics (in
 * `isa/*.ts`) read and write these arrays directly and reach storage only
 * through `this.mem` (the MMU of `src/mm`).
 */
import { Insn } from './isa/types.js';
import { decodeInto } from './isa/decode.js';
import { JIT_THRESHOLD } from './jit.js';
import { interpreterLoop, NO_PAGE } from './interp.js';
import { isNullifying, pgm, PIC, ProgramException } from './exceptions.js';
import { decodeMask, maskHi, maskLo, type PswFields } from './psw.js';
import { LC } from './lowcore.js';
import { join64, TWO32 } from './alu.js';
import { AbsoluteStorage, FRAME_SIZE } from '../mm/storage.js';
import { Access, Mmu } from '../mm/mmu.js';
import { Dat } from '../mm/dat.js';
import { DEFAULT_FACILITIES } from './facilities.js';
import { CR9_STORE, perActive, runSlicePer } from './per.js';

export type StopReason =
  | 'disabled-wait'
  | 'step-limit'
  | 'program-interruption-loop'
  | 'enabled-wait'
  | 'breakpoint'
  | 'halted';

/** Hooks the machine layer installs (hypervisor services, events). */
export interface CpuHooks {
  /** DIAGNOSE: the hypervisor service call (privilege already checked) */
  diagnose?(cpu: Cpu, i: Insn): void;
  /** ESSA: the page-hinting instruction (privilege etc. checked by the hypervisor) */
  essa?(cpu: Cpu, i: Insn): void;
  /** an interruption was taken */
  onInterrupt?(kind: 'program' | 'svc' | 'external' | 'restart', code: number, oldIa: number, newIa: number, teid: number): void;
  /** the CPU left a wait state (an interruption ended it; the debugger counts it as a step) */
  onWake?(): void;
}

/**
 * Most instructions one call of the interpreter loop runs (Cpu.run): V8 then
 * enters its optimized code through a normal call, compiled with the type
 * feedback of the whole loop, instead of by on-stack replacement early in
 * one long call, compiled before (say) any block had run.
 */
const SLICE_MAX = 1 << 12;
/** TOD-clock units (bit 63 = 2^-12 us) in a microsecond; zhint: one instruction takes 1 us. */
export const TOD_UNITS_PER_US = 4096;

export class Cpu {
  // ---- general registers: hi/lo 32-bit halves ----
  // (each on an ArrayBuffer of its own: V8 keeps an array of 64 bytes or
  // less on its heap, where it moves, unless it is made on a buffer; a
  // compiled block can then address the registers as constants: jit.ts)
  readonly hi = new Uint32Array(new ArrayBuffer(64));
  readonly lo = new Uint32Array(new ArrayBuffer(64));
  // ---- control registers ----
  readonly crh = new Uint32Array(16);
  readonly crl = new Uint32Array(16);
  // ---- PSW, decoded ----
  per = false;
  dat = false;
  io = false;
  ext = false;
  key = 0;
  mcheck = false;
  wait = false;
  problem = false;
  asc = 0;
  cc = 0;
  /** program mask: 8 fixed-point overflow, 4 decimal overflow, 2 exponent underflow, 1 significance */
  pm = 0;
  amode: 24 | 31 | 64 = 64;
  /** instruction address of the instruction being executed (the PSW address between instructions) */
  ia = 0;
  /** address of the next instruction; branches set it */
  nia = 0;
  prefix = 0;

  /** access registers (SAR/EAR; zhint does not implement access-register translation) */
  readonly ar = new Uint32Array(16);

  // ---- timers (zhint: deterministic, driven by the instruction count) ----
  /** instructions executed */
  steps = 0;
  /** microseconds spent in enabled wait (time jumps to the next timer event) */
  idleUs = 0;
  /** TOD clock value in microseconds at time 0 (TOD bit 51 = 1 us) */
  todEpochUs = 0;
  /** clock comparator as hi/lo (PoP: cleared by reset) */
  ckcHi = 0;
  ckcLo = 0;
  /** CPU timer: whole microseconds (signed) at time `cptSetAt`, and the TOD-unit fraction (bits 52-63) */
  cptUs = 0;
  cptFrac = 0;
  cptSetAt = 0;
  /** a restart interruption is pending (machine API `restart()`) */
  restartPending = false;

  /**
   * STFLE facility bits (bit n = byte n>>3, mask 0x80>>(n&7)). Settable: the
   * hypervisor decides facility 147 (ESSA no-DAT). See facilities.ts.
   */
  readonly facilities = new Uint8Array(32);

  readonly storage: AbsoluteStorage;
  readonly mem: Mmu;
  hooks: CpuHooks = {};

  /**
   * Length of the instruction being executed (its ILC for interruptions);
   * 0 while fetching: an exception then has no instruction. A number, not the
   * decoded instruction: an object store per instruction costs a write barrier.
   * The interpreter sets it only where it is read: before an instruction
   * that is a plain function (SVC, SSM, ... read it while they execute) and
   * when an exception leaves an instruction (interp.ts).
   */
  curLen = 0;
  /** set while executing the target of EX/EXRL: ILC and next address are the EX's */
  exLen = 0;

  stopReason: StopReason | null = null;
  stopMessage = '';
  /** consecutive program interruptions without a completed instruction */
  private pgmChain = 0;

  // ---- fetch state: current code page ----
  /**
   * Logical address of the current code page, or NO_PAGE. Whatever may make
   * it stale (a store into decoded code, a frame the host took away, a TLB
   * purge, a key change: every storage epoch change, and every PSW or CR
   * change through modeChanged) drops it at once, so the fetch fast path
   * tests nothing but the address range.
   */
  private fetchBase = NO_PAGE;
  private fetchPfn = -1;
  private fetchCode: Insn[] | undefined = undefined;
  /**
   * Decoded page-crossing instructions by their bits (h0 h1 h2 as one
   * 48-bit number). They have no frame to be cached in, and a hot one (the
   * kernel's verify loop crosses 0x5000) was decoded on every execution:
   * 13% of a kernel run. A decoding depends on the bits alone; its `next`
   * and `blk` stay null, as no code page is current after such a fetch.
   */
  private readonly crossPage = new Map<number, Insn>();
  /** how many crossPage holds at most before it starts again (a guest's code has few page boundaries) */
  private static readonly CROSS_PAGE_MAX = 256;

  readonly datw: Dat;

  constructor(storage: AbsoluteStorage) {
    // a storage serves one Cpu: the compiled blocks its decoded instructions
    // carry have that Cpu's registers and storage arrays built in (jit.ts)
    if (storage.cpu !== null) throw new Error('zhint: this AbsoluteStorage already has a Cpu');
    storage.cpu = this;
    this.storage = storage;
    // Speed only: V8 keeps a field that has held nothing but small integers
    // as a Smi field, and changes its representation (a new hidden class,
    // deoptimized loops, boxed reads from then on) the first time it holds
    // anything else — a PSW address computed as hi * 2^32 + lo, or a step
    // count past 2^31. Fix the representations up front: instruction
    // addresses "tagged" (small integers stay unboxed, an address of 2^31 or
    // more is boxed), the step count a double.
    const fields = this as unknown as Record<string, unknown>;
    fields.ia = fields.nia = undefined;
    this.ia = this.nia = 0;
    this.steps = 0.5;
    this.steps = 0;
    this.mem = new Mmu(storage);
    this.datw = new Dat(this, storage);
    this.mem.translator = this.datw;
    storage.onEpoch(() => this.dropCodePage());
    for (const f of DEFAULT_FACILITIES) this.setFacility(f.bit, true);
    this.reset();
  }

  setFacility(bit: number, on: boolean): void {
    if (on) this.facilities[bit >>> 3] |= 0x80 >>> (bit & 7);
    else this.facilities[bit >>> 3] &= ~(0x80 >>> (bit & 7));
  }

  hasFacility(bit: number): boolean {
    return (this.facilities[bit >>> 3] & (0x80 >>> (bit & 7))) !== 0;
  }

  /** Initial CPU reset state per zhint's machine.md. */
  reset(): void {
    this.hi.fill(0); this.lo.fill(0); this.crh.fill(0); this.crl.fill(0);
    this.crl[0] = 0xe0;
    this.crl[14] = 0xc2000000;
    this.ar.fill(0);
    this.prefix = 0;
    this.ckcHi = this.ckcLo = 0;
    this.cptUs = this.cptFrac = this.cptSetAt = 0;
    this.idleUs = 0;
    this.restartPending = false;
    this.loadPswFields(decodeMask(0x00000001, 0x80000000, 0)!, 0);
    this.mem.purgeTlb();
    this.stopReason = null;
    this.steps = 0;
  }

  // ================= PSW =================

  get psw(): PswFields {
    return {
      per: this.per, dat: this.dat, io: this.io, ext: this.ext, key: this.key, mcheck: this.mcheck,
      wait: this.wait, problem: this.problem, asc: this.asc, cc: this.cc, pm: this.pm, amode: this.amode,
    };
  }

  pswMaskHi(): number { return maskHi(this); }
  pswMaskLo(): number { return maskLo(this); }

  /** Install decoded PSW fields and the instruction address. */
  loadPswFields(p: PswFields, ia: number): void {
    this.per = p.per; this.dat = p.dat; this.io = p.io; this.ext = p.ext; this.key = p.key;
    this.mcheck = p.mcheck; this.wait = p.wait; this.problem = p.problem; this.asc = p.asc;
    this.cc = p.cc; this.pm = p.pm; this.amode = p.amode;
    this.ia = ia; this.nia = ia;
    this.modeChanged();
    // a new PSW may enable a pending interruption: end the current slice
    this.pendingCheck = true;
  }

  /**
   * Load a 16-byte-form PSW. An invalid PSW is still loaded (so the old PSW of
   * the resulting interruption shows it) and an early specification exception
   * is raised (PoP "Early Exception Recognition").
   */
  loadPsw(hi: number, lo: number, ia: number): void {
    const p = decodeMask(hi, lo, ia);
    if (p === null) {
      this.badPsw = { hi, lo, ia };
      throw new ProgramException(PIC.SPECIFICATION, -1, true);
    }
    this.loadPswFields(p, ia);
    this.nia = ia;
  }
  /**
   * The invalid PSW that raised an early exception (stored as the old PSW).
   * `ilc` is 0 for LPSW/LPSWE/interruptions; SSM/STOSM/STNSM complete and report their length.
   */
  badPsw: { hi: number; lo: number; ia: number; ilc?: number } | null = null;

  /** Tell the MMU about the PSW/CR/prefix state it depends on. */
  modeChanged(): void {
    const lap = ((this.crl[0] >>> 28) & 1) === 1; // CR0 bit 35
    const perStore = this.per && (this.crl[9] & CR9_STORE) !== 0; // CR9 bit 34: storage alteration (per.ts)
    this.mem.setMode(this.dat, this.key, this.amode, this.prefix, lap, perStore);
    // CR0 bit 38 fetch-protection override, bit 39 storage-protection override
    this.mem.setSpace(this.asc, (this.crl[0] & 0x02000000) !== 0, (this.crl[0] & 0x01000000) !== 0);
    this.dropCodePage();
  }

  /** Forget the current code page: the next fetch translates again. */
  private dropCodePage(): void {
    this.fetchBase = NO_PAGE;
  }

  // ================= helpers for instruction semantics =================

  /** Effective address D(X,B) (PoP "Address Generation"), wrapped to the addressing mode. */
  eaXBD(x: number, b: number, d: number): number {
    let l = d;
    let h = 0;
    if (x !== 0) { l += this.lo[x]; h += this.hi[x]; }
    if (b !== 0) { l += this.lo[b]; h += this.hi[b]; }
    const am = this.amode;
    if (am === 64) {
      // the common case: high halves zero and no carry out of the low half
      if (h === 0 && l >= 0 && l <= 0xffffffff) return l;
      // carry from the low half (-1 .. 2: d may be negative, two halves add)
      const carry = l < 0 ? -1 : l <= 0xffffffff ? 0 : l <= 0x1ffffffff ? 1 : 2;
      return ((h + carry) >>> 0) * TWO32 + (l >>> 0);
    }
    if (am === 31) return (l & 0x7fffffff) >>> 0;
    return l & 0xffffff;
  }

  /** Wrap an address to the current addressing mode. */
  wrap(a: number): number {
    const am = this.amode;
    if (am === 31) return (a & 0x7fffffff) >>> 0;
    if (am === 24) return a & 0xffffff;
    if (a < 0) return a + 18446744073709551616;
    return a >= 18446744073709551616 ? a - 18446744073709551616 : a;
  }

  /** Address held in a register, per addressing mode (for R2 of MVCL, CLST, BASR, ...). */
  regAddr(r: number): number {
    const am = this.amode;
    if (am === 31) return this.lo[r] & 0x7fffffff;
    if (am === 24) return this.lo[r] & 0xffffff;
    return join64(this.hi[r], this.lo[r]);
  }

  /** Relative target: current instruction address + 2*halfwords (PoP "Relative addressing"). */
  relTarget(halfwords: number): number {
    return this.wrap(this.ia + 2 * halfwords);
  }

  /** Fixed-point overflow: cc 3 and, under program-mask bit 20, the interruption (completing). */
  overflow(): void {
    this.cc = 3;
    if ((this.pm & 8) !== 0) pgm(PIC.FIXED_POINT_OVERFLOW);
  }

  privileged(): void {
    if (this.problem) pgm(PIC.PRIVILEGED_OPERATION);
  }

  // ================= 64-bit register views (BigInt; not for hot paths) =================

  getReg(r: number): bigint {
    return (BigInt(this.hi[r]) << 32n) | BigInt(this.lo[r]);
  }

  setReg(r: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.hi[r] = Number(u >> 32n);
    this.lo[r] = Number(u & 0xffffffffn);
  }

  getCr(r: number): bigint {
    return (BigInt(this.crh[r]) << 32n) | BigInt(this.crl[r]);
  }

  setCr(r: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.crh[r] = Number(u >> 32n);
    this.crl[r] = Number(u & 0xffffffffn);
    this.modeChanged();
  }

  // ================= instruction fetch and decode =================

  /**
   * The decoded instruction at `this.ia`. Decoded instructions are cached per
   * absolute frame; a store into the frame drops its cache (self-modifying code).
   */
  fetch(): Insn {
    return this.decodedAt(this.ia) ?? this.fetchSlow();
  }

  /**
   * The fetch's fast path: the decoded instruction at `ia` when it lies in
   * the current code page and is decoded there, else undefined (the plain
   * interpreter loop calls it with its own `ia`, and fetches only on a miss).
   */
  decodedAt(ia: number): Insn | undefined {
    // 4096 = FRAME_SIZE written out: an imported constant is a module cell
    // V8 loads and checks on every fetch
    if (ia >= this.fetchBase && ia < this.fetchBase + 4096) return this.fetchCode![(ia & 0xfff) >>> 1];
    return undefined;
  }

  /**
   * The interpreter ran `prev` (at `prevIa`) and then, in sequence, `cur` (at
   * `ia`), both from the current code page: remember `cur` as the one
   * after `prev` (Insn.next), so the next time the loop needs no fetch.
   * Anything else (a page-crossing instruction, another page) is not linked.
   */
  linkNext(prev: Insn, prevIa: number, ia: number, cur: Insn): void {
    const base = this.fetchBase;
    const code = this.fetchCode;
    if (base === NO_PAGE || code === undefined || prevIa + prev.len !== ia || prevIa < base || ia >= base + 4096) return;
    if (code[(prevIa & 0xfff) >>> 1] === prev && code[(ia & 0xfff) >>> 1] === cur) prev.next = cur;
  }

  private fetchSlow(): Insn {
    const ia = this.ia;
    // An exception while fetching (odd address, translation, addressing,
    // protection, discard fault of the code page) has no instruction yet:
    // zhint reports ILC 0 and an old PSW at the instruction address, the
    // same whichever tier ran the previous instruction.
    this.curLen = 0;
    if ((ia & 1) !== 0) pgm(PIC.SPECIFICATION);
    const mem = this.mem;
    // the TLB first: the code page changes at every interruption, PSW load
    // and branch to another page, and the full translation is ~100 ns
    let pfn = mem.tlbFetchFrame(ia);
    if (pfn < 0) pfn = Math.floor(mem.translate(ia, Access.FETCH) / FRAME_SIZE);
    const st = this.storage;
    const fr = st.frame(pfn, false);
    st.touch(pfn, false);
    const off = ia & 0xfff;
    const h0 = (fr[off] << 8) | fr[off + 1];
    const len = (h0 >>> 14) === 0 ? 2 : (h0 >>> 14) === 3 ? 6 : 4;
    if (off + len > FRAME_SIZE) {
      // instruction crosses a page: fetch the rest through the MMU, do not cache
      const h1 = len > 2 ? mem.ld16(this.wrap(ia + 2)) : 0;
      const h2 = len > 4 ? mem.ld16(this.wrap(ia + 4)) : 0;
      // no code page is current now: the next fetch must not index the page
      // cached before this one (a branch here to the same offset of another
      // page would run that page's instruction)
      this.fetchBase = NO_PAGE;
      if (this.onDecode !== null) return this.onDecode(decodeInto(new Insn(), h0, h1, h2), ia);
      const key = h0 * 0x100000000 + h1 * 0x10000 + h2;
      let x = this.crossPage.get(key);
      if (x === undefined) {
        if (this.crossPage.size >= Cpu.CROSS_PAGE_MAX) this.crossPage.clear();
        x = decodeInto(new Insn(), h0, h1, h2);
        this.crossPage.set(key, x);
      }
      return x;
    }
    let code = st.code[pfn] as Insn[] | undefined;
    if (code === undefined) {
      code = new Array<Insn>(FRAME_SIZE / 2);
      st.code[pfn] = code;
    }
    this.fetchBase = ia - off;
    this.fetchPfn = pfn;
    this.fetchCode = code;
    const cached = code[off >>> 1];
    if (cached !== undefined) return cached;
    const h1 = len > 2 ? (fr[off + 2] << 8) | fr[off + 3] : 0;
    const h2 = len > 4 ? (fr[off + 4] << 8) | fr[off + 5] : 0;
    let ins = decodeInto(new Insn(), h0, h1, h2);
    if (this.onDecode !== null) ins = this.onDecode(ins, ia);
    code[off >>> 1] = ins;
    return ins;
  }

  // ================= the run loop =================

  /**
   * Run until the machine stops or `budget` instructions have executed.
   * Returns the stop reason, or null when the budget ran out (caller decides).
   * The hot loop (`runSlice`) checks nothing but the slice end: slices end at
   * the next timer event, and instructions that may enable a pending
   * interruption (PSW and CR loads, SCKC, SPT, interruptions) set
   * `pendingCheck` to end the slice early.
   */
  run(budget: number): StopReason | null {
    const end = this.steps + budget;
    this.stopReason = null;
    this.checkPendingInterrupts();
    while (this.steps < end && this.stopReason === null) {
      if (this.wait) {
        if (!this.waitForInterrupt()) break;
        this.hooks.onWake?.();
        if (this.stopAfterProgramInterrupt) return null;
        continue;
      }
      // hard: where something happens (an event, the end of the budget);
      // slice: where the loop stops starting instructions (SLICE_MAX), which
      // a compiled block entered before it may run past, up to hard
      const hard = Math.min(end, this.nextEventStep());
      const slice = Math.min(hard, this.steps + SLICE_MAX);
      const before = this.steps;
      let took = false;
      // the exception that ended the slice: returned by the interpreter loop
      // (its own, a compiled block's or a slow path's), thrown by the PER
      // loop. Not thrown again: a throw costs ~0.4 us in V8 (it computes the
      // message location), a third of a program interruption
      let e: unknown;
      try {
        e = this.runSlice(slice, hard);
      } catch (x) {
        e = x;
      }
      if (e === undefined) {
        this.pgmChain = 0;
      } else {
        if (this.steps > before) this.pgmChain = 0;
        if (e instanceof ProgramException) {
          this.programInterrupt(e);
          took = true;
        } else {
          throw e;
        }
      }
      if (this.stopReason !== null) return this.stopReason;
      this.checkPendingInterrupts();
      if (took && this.stopAfterProgramInterrupt) return null;
    }
    return this.stopReason;
  }

  /**
   * The hot loop (interp.ts): no interrupt checks inside; it starts no
   * instruction at or after `end`, and a compiled block it enters runs to
   * `hard` at most (a block's pass is never cut short for a slice end).
   * Returns the exception that ended an instruction, if any (the loop returns
   * its own and a compiled block's; the PER loop's is thrown).
   */
  private runSlice(end: number, hard: number): unknown {
    if (perActive(this)) { this.runSlicePer(end); return undefined; }
    this.pendingCheck = false;
    return interpreterLoop(this.jit && this.onDecode === null)(this, end, hard);
  }

  /** PER on (PSW bit 1 and a CR9 event mask): one instruction at a time, no compiled blocks (per.ts). */
  private runSlicePer(end: number): void {
    runSlicePer(this, end);
  }

  /** Set by instructions that may make an interrupt pending (SSM, LPSW, SCKC, ...) */
  pendingCheck = false;
  /**
   * The program exception a memory slow path caught (isa/slow.ts), until the
   * instruction's `$FAULT` hands it on (isa/sem.ts); null between instructions.
   */
  fault: unknown = null;

  /**
   * `$FAULT` in the interpreter loop and in compiled blocks: the caught
   * exception taken out of `fault` and handed to `endWith` (one call: a block
   * has a `$FAULT` for each memory access, and its size is V8's compile time).
   */
  takeFault(ia: number, nia: number, len: number, steps: number): unknown {
    const e = this.fault;
    this.fault = null;
    return this.endWith(e, ia, nia, len, steps);
  }

  /**
   * Exception `e` ends the instruction at `ia` (updated address `nia`,
   * length `len`) after `steps` instructions: the PSW address, ILC and step
   * count put where the program interruption reads them; `e` returned.
   */
  endWith(e: unknown, ia: number, nia: number, len: number, steps: number): unknown {
    this.ia = ia;
    this.nia = nia;
    this.curLen = len;
    this.steps = steps;
    return e;
  }

  /** `$FAULT` in an exec function: the caught exception thrown on, to its caller. */
  throwFault(): never {
    const e = this.fault;
    this.fault = null;
    throw e;
  }

  /** Second tier on (translate hot blocks to JavaScript, src/cpu/jit.ts); `--no-jit` turns it off. */
  jit = true;
  /** interpreted executions of an instruction before a block is compiled from it */
  jitThreshold = JIT_THRESHOLD;

  // ---- debugger support (src/snapshot, src/tui); nothing here is on the hot path ----
  /** end `run` right after a program interruption or a wake-up from a wait (the debugger shows the handler's first instruction) */
  stopAfterProgramInterrupt = false;
  /** called for each newly decoded instruction (fetchSlow only): the debugger wraps breakpoint addresses */
  onDecode: ((ins: Insn, ia: number) => Insn) | null = null;

  /** The run loop's private state, for machine snapshots. */
  saveRunState(): { pgmChain: number } {
    return { pgmChain: this.pgmChain };
  }

  /** Restore what saveRunState returned and forget the current code page. */
  restoreRunState(s: { pgmChain: number }): void {
    this.pgmChain = s.pgmChain;
    this.fetchBase = NO_PAGE;
    this.fetchPfn = -1;
    this.fetchCode = undefined;
  }

  /** Single step (for the debugger and trace): one instruction or one interruption. */
  step(): StopReason | null {
    return this.run(1);
  }

  // ================= timers (PoP "Timing"; zhint: 1 instruction = 1 us) =================

  /** Current time in microseconds since the TOD epoch base (instructions + waited time). */
  nowUs(): number {
    return this.steps + this.idleUs;
  }

  /** TOD clock bits 0-63 as hi/lo into `todHi`/`todLo`. */
  readTod(): void {
    const us = this.todEpochUs + this.nowUs();
    this.todHi = Math.floor(us / 1048576) >>> 0;
    this.todLo = ((us % 1048576) * TOD_UNITS_PER_US) >>> 0;
  }
  todHi = 0;
  todLo = 0;

  /** Clock comparator as whole microseconds (TOD bits 0-51, unsigned). */
  private ckcUs(): number {
    return this.ckcHi * 1048576 + (this.ckcLo >>> 12);
  }

  setClockComparator(hi: number, lo: number): void {
    this.ckcHi = hi >>> 0; this.ckcLo = lo >>> 0;
    this.pendingCheck = true;
  }

  /** Clock-comparator condition: TOD clock > clock comparator (PoP "Clock Comparator"). */
  ckcPending(): boolean {
    return this.todEpochUs + this.nowUs() > this.ckcUs();
  }

  /** Set the CPU timer (SPT): the value as hi/lo of a signed 64-bit number. */
  setCpuTimer(hi: number, lo: number): void {
    this.cptUs = (hi | 0) * 1048576 + (lo >>> 12);
    this.cptFrac = lo & 0xfff;
    this.cptSetAt = this.nowUs();
    this.pendingCheck = true;
  }

  /** CPU timer value now, into `todHi`/`todLo` (STPT). It decrements by 4096 per microsecond. */
  readCpuTimer(): void {
    const u = this.cptUs - (this.nowUs() - this.cptSetAt);
    this.todHi = Math.floor(u / 1048576) >>> 0;
    this.todLo = ((((u % 1048576) + 1048576) % 1048576) * TOD_UNITS_PER_US + this.cptFrac) >>> 0;
  }

  /** CPU-timer condition: the timer is negative. */
  cptPending(): boolean {
    return this.nowUs() - this.cptSetAt > this.cptUs;
  }

  /**
   * Step number at which the next timer condition becomes pending (to size
   * slices). Conditions already pending are not events: a masked one can only
   * become deliverable through an instruction that sets `pendingCheck`.
   */
  nextEventStep(): number {
    let t = Number.MAX_SAFE_INTEGER;
    const now = this.nowUs();
    if (!this.ckcPending()) t = Math.min(t, this.ckcUs() - this.todEpochUs + 1);
    if (!this.cptPending()) t = Math.min(t, this.cptSetAt + this.cptUs + 1);
    if (t <= now) t = now + 1;
    return t === Number.MAX_SAFE_INTEGER ? t : t - this.idleUs;
  }

  /**
   * Deliver pending interruptions the PSW is enabled for, in priority order
   * (PoP "Priority of Interruptions": external before restart; each new PSW is
   * checked again, so an enabled new PSW takes the next one at once).
   */
  checkPendingInterrupts(): void {
    this.pendingCheck = false;
    for (let k = 0; k < 8 && this.stopReason === null; k++) {
      const code = this.pendingExternal();
      if (code !== 0) {
        this.externalInterrupt(code);
        continue;
      }
      if (this.restartPending) {
        this.restartPending = false;
        this.interrupt('restart', LC.RESTART_OLD_PSW, LC.RESTART_NEW_PSW, 0, this.ia);
        continue;
      }
      break;
    }
    this.pendingCheck = false;
  }

  /** External-interruption code pending and enabled now, or 0. Clock comparator before CPU timer. */
  pendingExternal(): number {
    if (!this.ext) return 0;
    const cr0 = this.crl[0];
    if ((cr0 & 0x800) !== 0 && this.ckcPending()) return 0x1004; // CR0 bit 52
    if ((cr0 & 0x400) !== 0 && this.cptPending()) return 0x1005; // CR0 bit 53
    return 0;
  }

  /** Machine API: make a restart interruption pending (taken at the next instruction boundary, even in wait). */
  restart(): void {
    this.restartPending = true;
    this.pendingCheck = true;
  }

  /** Wait state: advance time to the next interrupt, or stop. Returns false to stop running. */
  waitForInterrupt(): boolean {
    if (this.restartPending) {
      this.checkPendingInterrupts();
      return this.stopReason === null;
    }
    const enabled = this.io || this.ext || this.mcheck;
    if (!enabled) {
      this.stopReason = 'disabled-wait';
      this.stopMessage = `disabled wait, PSW address 0x${this.ia.toString(16)}`;
      return false;
    }
    // Only the clock comparator and the CPU timer can ever interrupt a zhint CPU in wait.
    let t = Infinity;
    if (this.ext) {
      const cr0 = this.crl[0];
      const now = this.nowUs();
      if ((cr0 & 0x800) !== 0) {
        const c = this.ckcUs() - this.todEpochUs + 1;
        if (this.ckcHi !== 0xffffffff || this.ckcLo < 0xfffff000) t = Math.min(t, Math.max(c, now));
      }
      if ((cr0 & 0x400) !== 0) t = Math.min(t, Math.max(this.cptSetAt + this.cptUs + 1, now));
    }
    if (t === Infinity) {
      this.stopReason = 'enabled-wait';
      this.stopMessage =
        `enabled wait at PSW address 0x${this.ia.toString(16)} with no interruption that can arrive ` +
        `(external mask ${this.ext ? 'on' : 'off'}, CR0 clock-comparator/CPU-timer subclass masks ` +
        `${(this.crl[0] >>> 11) & 1}/${(this.crl[0] >>> 10) & 1}; zhint has no I/O or machine-check sources)`;
      return false;
    }
    this.idleUs += t - this.nowUs();
    this.checkPendingInterrupts();
    if (this.wait && this.stopReason === null) {
      this.stop('enabled-wait', `enabled wait at 0x${this.ia.toString(16)}: timer event delivered nothing`);
      return false;
    }
    return this.stopReason === null;
  }

  // ================= interruptions through the lowcore =================

  /**
   * Swap PSWs for an interruption class: store the current PSW (address
   * `oldIa`) as the old PSW, load the new PSW. An invalid new PSW gives an
   * early specification exception (program interruption, ILC 0).
   */
  private interrupt(kind: 'svc' | 'external' | 'restart', oldOff: number, newOff: number, code: number, oldIa: number): void {
    this.storeOldPsw(oldOff, oldIa);
    if (!this.loadNewPsw(newOff)) {
      this.programInterrupt(new ProgramException(PIC.SPECIFICATION, -1, true));
      return;
    }
    this.pendingCheck = true;
    this.hooks.onInterrupt?.(kind, code, oldIa, this.ia, -1);
  }

  /** External interruption (PoP "External Interruption"): code at 0x86, CPU address at 0x84. */
  externalInterrupt(code: number): void {
    const st = this.storage;
    const lc = this.prefix;
    st.write16(lc + LC.CPU_ADDRESS, 0);
    st.write16(lc + LC.EXT_INT_CODE, code);
    this.interrupt('external', LC.EXTERNAL_OLD_PSW, LC.EXTERNAL_NEW_PSW, code, this.ia);
  }

  /**
   * SUPERVISOR CALL: the interruption happens as the instruction completes;
   * the old PSW points past the SVC (past the EX/EXRL when executed), the ILC
   * is that of the SVC or of the execute instruction (PoP "Supervisor-Call
   * Interruption").
   */
  supervisorCall(code: number): void {
    const st = this.storage;
    const lc = this.prefix;
    const ilc = this.exLen !== 0 ? this.exLen : this.curLen !== 0 ? this.curLen : 2;
    st.write16(lc + LC.SVC_ILC, ilc);
    st.write16(lc + LC.SVC_CODE, code);
    const oldIa = this.nia;
    this.interrupt('svc', LC.SVC_OLD_PSW, LC.SVC_NEW_PSW, code, oldIa);
    this.nia = this.ia; // the run loop continues at the new PSW
  }

  /** Absolute address of lowcore offset `off`. */
  lowcore(off: number): number {
    return this.prefix + off;
  }

  storeOldPsw(off: number, ia: number): void {
    const st = this.storage;
    const a = this.lowcore(off);
    st.write32(a, this.pswMaskHi());
    st.write32(a + 4, this.pswMaskLo());
    st.write32(a + 8, Math.floor(ia / TWO32));
    st.write32(a + 12, ia >>> 0);
  }

  /** Load a new PSW from the lowcore; returns false if it is invalid. */
  loadNewPsw(off: number): boolean {
    const st = this.storage;
    const a = this.lowcore(off);
    const hi = st.read32(a);
    const lo = st.read32(a + 4);
    const ia = join64(st.read32(a + 8), st.read32(a + 12));
    const p = decodeMask(hi, lo, ia);
    if (p === null) {
      this.badPsw = { hi, lo, ia };
      return false;
    }
    this.loadPswFields(p, ia);
    return true;
  }

  /** Program interruption (PoP "Program Interruption"). */
  programInterrupt(e: ProgramException): void {
    const st = this.storage;
    let ilc: number;
    let oldIa: number;
    let oldHi: number, oldLo: number;
    if (e.early) {
      // early exception: ILC 0, old PSW = the invalid PSW as loaded
      const b = this.badPsw!;
      ilc = b.ilc ?? 0;
      oldHi = b.hi; oldLo = b.lo; oldIa = b.ia;
      this.badPsw = null;
    } else {
      ilc = this.exLen !== 0 ? this.exLen : this.curLen;
      oldIa = isNullifying(e.code) ? this.ia : this.wrap(this.ia + ilc);
      if ((e.code & 0x7f) === PIC.FIXED_POINT_OVERFLOW || e.code === PIC.PER_EVENT) oldIa = this.nia; // completed (PER: per.ts)
      oldHi = this.pswMaskHi(); oldLo = this.pswMaskLo();
    }
    this.exLen = 0;
    const lc = this.prefix;
    st.write32(lc + LC.PROGRAM_OLD_PSW, oldHi);
    st.write32(lc + LC.PROGRAM_OLD_PSW + 4, oldLo);
    st.write32(lc + LC.PROGRAM_OLD_PSW + 8, Math.floor(oldIa / TWO32));
    st.write32(lc + LC.PROGRAM_OLD_PSW + 12, oldIa >>> 0);
    st.write16(lc + LC.PGM_ILC, ilc);
    st.write16(lc + LC.PGM_CODE, e.code);
    if (e.teid >= 0) {
      st.write32(lc + LC.TEID, Math.floor(e.teid / TWO32));
      st.write32(lc + LC.TEID + 4, e.teid >>> 0);
    }
    this.curLen = 0;
    const fromIa = oldIa;
    if (!this.loadNewPsw(LC.PROGRAM_NEW_PSW)) {
      this.stop('program-interruption-loop',
        `program interruption loop: code 0x${e.code.toString(16).padStart(4, '0')} at 0x${fromIa.toString(16)}, ` +
        `program new PSW (lowcore 0x1d0) is invalid`);
      return;
    }
    this.hooks.onInterrupt?.('program', e.code, fromIa, this.ia, e.teid);
    if (++this.pgmChain > 64) {
      this.stop('program-interruption-loop',
        `program interruption loop: code 0x${e.code.toString(16).padStart(4, '0')} at 0x${fromIa.toString(16)} ` +
        `repeats without any instruction completing (program new PSW address 0x${this.ia.toString(16)})`);
    }
  }

  stop(reason: StopReason, message: string): void {
    this.stopReason = reason;
    this.stopMessage = message;
    this.pendingCheck = true; // leave the hot loop
  }
}
