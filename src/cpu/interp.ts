/**
 * The interpreter's hot loop: fetch, dispatch, execute, one instruction at a
 * time, until the slice ends.
 *
 * Dispatch is a `switch` on the decoded instruction's case number (`Insn.op`)
 * whose cases are the instructions' own semantics source from the
 * instruction table (isa/sem.ts), inlined in their interpreter form: operands
 * read from the decoded instruction, exactly as `sem()` builds each
 * instruction's exec function. Nothing is defined twice: the table stays the
 * one definition; this module only places the source of every instruction
 * that has one inside one function, which V8 compiles to a jump table with
 * the register arrays in locals. Instructions whose semantics are a plain
 * function (privileged, control, SS, hypervisor services ...) are case 0:
 * a call of their exec. Calling every instruction's exec through one call
 * site that sees them all (megamorphic) cost more than the work of a
 * register-to-register instruction.
 *
 * The second tier's entry (src/cpu/jit.ts) sits at the top of the loop: a
 * hot instruction that starts a compiled block runs the block instead. That
 * loop (the tier on) has no cases: it calls every instruction's exec.
 */
import { switchCases } from './isa/decode.js';
import { interpreterSource, LOOP_EXACT, memLocals, semanticsSource, storageOnlyThroughS, SEM_SCOPE_NAMES, SEM_SCOPE_VALUES } from './isa/sem.js';
import { compileBlock, touchesStorage } from './jit.js';
import type { Cpu } from './cpu.js';

/** Cpu.fetchBase when no code page is current: no address is in [NO_PAGE, NO_PAGE + 4096) */
export const NO_PAGE = -0x10000;

/**
 * Run instructions until `cpu.steps` reaches `end`, a wait state, or an
 * instruction that asks for an interruption check. A compiled block the
 * tiered loop enters before `end` may run past it, never past `hard` (the
 * next event or the end of the budget: `end` <= `hard`). An exception that ends an
 * instruction is returned, not thrown (Cpu.run takes the interruption): see below.
 */
export type SliceLoop = (cpu: Cpu, end: number, hard: number) => unknown;

const loops: { plain: SliceLoop | null; tiered: SliceLoop | null } = { plain: null, tiered: null };

/**
 * The interpreter loop, generated on first use from the instruction table:
 * with the second tier's entry (`tiered`) or without it. Two functions: the
 * plain one (`--no-jit`, the debugger) carries no block-entry code and has
 * the instructions inlined as cases; the tiered one calls every
 * instruction's exec function (why: `tieredSource`).
 */
export function interpreterLoop(tiered: boolean): SliceLoop {
  if (tiered) return loops.tiered ??= generate(true);
  return loops.plain ??= generate(false);
}

function generate(tiered: boolean): SliceLoop {
  const make = new Function('compileBlock', ...SEM_SCOPE_NAMES, tiered ? tieredSource() : plainSource()) as (...a: unknown[]) => SliceLoop;
  return make(compileBlock, ...SEM_SCOPE_VALUES);
}

/**
 * The plain loop: every instruction whose semantics are source inlined as a
 * case of one switch; the rest (case 0) called through their exec function.
 *
 * The step count, the instruction address and the addressing mode live in
 * locals (`stop - left`, `ia`, `am`), as a compiled block's do, and reach
 * the Cpu only where something else reads them: before a fetch that misses
 * the code page, an exec function, the MMU's slow path (`$STEPS`), an
 * instruction whose storage access is not through the S pieces, an
 * exception, and the end of the slice. Kept in the Cpu, they cost a load
 * and a store each per instruction; the step count, a double, most (V8
 * boxes it: ~10 machine instructions per guest instruction, counted under
 * valgrind on the ALU loop).
 *
 * Size: V8 optimizes no function with more than 61,440 bytes of bytecode;
 * this one has 59,455 (Node 20). Past the limit it would run unoptimized,
 * ~30 times slower: test/cpu/plain-loop.v8.test.ts asks V8 whether it
 * optimized the loop. (Reading both register halves from one array, which
 * saves a map check per case, made it too large.)
 */
function plainSource(): string {
  const cases: string[] = [];
  switchCases().forEach((d, k) => {
    const src = semanticsSource(d.exec)!;
    // a caught exception is returned from inside the try, as the catch does
    const body = interpreterSource(src, true);
    // storage reached other than through the S pieces (which store the
    // state on their slow path): the state stored before, as in a block
    const exact = touchesStorage(d) && !storageOnlyThroughS(d.exec) ? LOOP_EXACT : '';
    // each case is a block: the memory names its loads and stores use are
    // bound where they are used (the TLB views follow the address space)
    cases.push(`        case ${k + 1}: { ${memLocals(body)} ${exact} ${body} } break; // ${d.mnemonic}`);
  });
  return `return function interpretSlice(c, end) {
  const H = c.hi, L = c.lo;
  // left: instructions left in the slice; the step count is stop - left
  // (the TOD clock and the CPU timer read it: 1 instruction = 1 us)
  // (an int32: the slice ends after at most 2^30 instructions; Cpu.run
  // runs slices until its budget is spent)
  const s0 = c.steps;
  let left = Math.min(end - s0, 0x40000000) | 0;
  const stop = s0 + left;
  let ia = c.ia, am = c.amode;
  // i: the instruction to run, when known without a fetch (the successor of
  // the last one, Insn.next); prev/prevIa: the last one, to link it to the
  // one fetched next when they ran in sequence
  let i = null, prev = null, prevIa = 0;
  run: while (left > 0) {
    if (i === null) {
      // the fetch's fast path first: a miss stores the state the fetch reads
      i = c.decodedAt(ia) ?? null;
      if (i === null) {
        ${LOOP_EXACT}
        i = c.fetch();
      }
      if (prev !== null) { c.linkNext(prev, prevIa, ia, i); prev = null; }
    }
    // the updated PSW address (PoP "Sequencing"), wrapped to the addressing
    // mode: a local, which the cases' branches set; c.nia only where it is
    // read (by plain-function instructions, and by an exception that
    // completes the instruction: fixed-point overflow); ~3% on the ALU loop
    let nia = ia + i.len;
    if (am !== 64) nia = c.wrap(nia);
    const seq = nia;
    // the ILC (curLen) is stored only where it is read: by an exception
    // leaving the instruction, and by plain-function instructions (SVC, SSM,
    // ...) while they run; a store per instruction cost ~4% (ALU loop).
    // Exceptions are slow to pass through this (large) function while V8
    // runs it unoptimized: finding the handler scans its code up to the
    // throwing call, up to ~90 us at the end of the function (measured:
    // 100,000 program interruptions in a row under zhint run, 5.8 s; 0.55 s
    // with the layout below). So the
    // plain-function call, where most exceptions come from, is the switch's
    // first case (a separate test before the switch cost ~4% more machine
    // instructions on the ALU loop), and the handler returns the exception
    // instead of throwing it through this frame a second time.
    try {
      switch (i.op) {
        case 0: {
          ${LOOP_EXACT}
          ${VIA_EXEC}
          am = c.amode;
          // a wait state, a stop, or a possibly enabled interruption ends the
          // slice: every PSW load, CR load, clock-comparator and CPU-timer set,
          // stop() and restart() set pendingCheck, all of them in exec functions
          // (or outside the loop); no inlined case does
          if (c.pendingCheck) { left--; ia = nia; break run; }
        } break;
${cases.join('\n')}
      }
    } catch (e) {
      ${LOOP_EXACT}
      c.curLen = i.len;
      if (i.op !== 0) c.nia = nia;
      return e;
    }
    left--;
    ${SUCCESSOR}
    ia = nia;
  }
  ${LOOP_EXACT}
};`;
}

/**
 * The next instruction to run: in sequence, with the code page still current
 * (anything that may make decoded code stale drops it: cpu.ts fetchBase),
 * the successor if known; otherwise none (a fetch), and the last one is
 * remembered to be linked to the one fetched (Insn.next).
 */
const SUCCESSOR = `if (nia === seq && c.fetchBase !== ${NO_PAGE}) {
      const nx = i.next;
      if (nx === null) { prev = i; prevIa = ia; }
      i = nx;
    } else {
      i = null;
    }`;

/** an instruction through its exec function: the plain loop's case 0, every instruction in the tiered loop */
const VIA_EXEC = `c.curLen = i.len;
        c.nia = nia;
        i.exec(c, i);
        nia = c.nia;`;

/**
 * The tiered loop: the second tier's entry at the top, and no cases. With
 * the second tier on, the loop runs only code not yet hot (the guest
 * kernel: 3% of its instructions), and what it costs there is V8's compile
 * time, not the call. The loop with all 142 cases took V8 100-330 ms to
 * compile, and it was compiled again after every deopt (a cold case meeting
 * its first instruction), each time running unoptimized meanwhile; without
 * them, 3-15 ms. Measured on `kernel-peer`, eight processes of five runs
 * each: the better of the first two runs 34.2 → 38.9 MIPS on average, later
 * runs unchanged (35.4 → 35.7).
 */
function tieredSource(): string {
  return `return function interpretSliceTiered(c, end, hard) {
  const st = c.storage;
  // steps stays in the Cpu (not a local): compiled blocks and exec functions read it
  let i = null, prev = null, prevIa = 0;
  while (c.steps < end) {
    if (i === null) {
      i = c.fetch();
      if (prev !== null) { c.linkNext(prev, prevIa, c.ia, i); prev = null; }
    }
    const ia = c.ia;
    // second tier: run the compiled block that starts here, if any
    let b = i.blk;
    if (b !== null && (b.gen !== st.codeGen[b.pfn] || b.ia !== ia || b.amode !== c.amode)) {
      // stale (a store changed its frame's code), or made for another address or addressing mode
      i.blk = b = null;
      i.heat = 0;
    }
    // an instruction without a block of its own (none, or an entry in
    // mid-block) heats up to one
    if ((b === null || b.pc !== 0) && ++i.heat === c.jitThreshold && c.fetchBase !== ${NO_PAGE}) {
      const own = compileBlock(c, ia, c.fetchPfn, ia - c.fetchBase, i);
      if (own !== null) { i.blk = b = own; prev = null; }
    }
    // a slice end (not an event) may fall inside the block's pass
    if (b !== null && c.steps + b.count <= hard) {
      // an exception that ended the block comes back as its value
      const x = b.fn(c, end, b.pc);
      if (x !== undefined) return x;
      i = null; prev = null; continue;
    }
    let nia = ia + i.len;
    if (c.amode !== 64) nia = c.wrap(nia);
    const seq = nia;
    try {
      ${VIA_EXEC}
    } catch (e) {
      // (the ILC and the updated address were stored before the call)
      return e;
    }
    c.ia = nia;
    c.steps++;
    if (c.pendingCheck) break;
    ${SUCCESSOR}
  }
};`;
}
