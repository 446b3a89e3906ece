/**
 * The second tier: hot basic blocks of guest code translated into JavaScript
 * functions that V8 compiles.
 *
 * A block is a trace of decoded instructions inside one absolute frame: in
 * address order, and on at the target of an always-taken relative branch
 * (J, BRAS, BRASL) in the same page; a call's return address is remembered,
 * and after a branch through a register (BR %r14) the trace goes on there,
 * predicted. It ends at an instruction the tier leaves to the interpreter
 * (privileged, control, EX, interruptible or mode-changing instructions), at
 * an always-taken branch it cannot follow, at JIT_MAX_BLOCK instructions or
 * at the end of the frame. Conditional branches stay inside: the translated
 * function is a `switch` with one case per instruction, falling through in
 * trace order, and a taken branch to an instruction of the block (a
 * predicted return checked against the actual address) continues at its
 * case, so a loop with its conditions and calls runs inside one function.
 * Following jumps and calls took the guest kernel's block entries from 5.3
 * to 3.0 million per run; a loop of jumps ran 4x, one of calls 1.5x faster. Each
 * instruction's own semantics from the instruction table are either inlined
 * from their source (isa/sem.ts) with constant operands or called directly —
 * one monomorphic call site per instruction, which V8 inlines — so the tier
 * adds no second definition of any instruction. What it removes is the
 * interpreter's per-instruction work: fetch, cache lookup, dispatch through
 * a megamorphic call, and the loop's bookkeeping.
 *
 * Exactness:
 * - `cpu.ia`/`cpu.nia` are set before each instruction exactly as the
 *   interpreter sets them, so relative addressing and branches see the same
 *   values; a taken branch outside the block ends it;
 * - an exception inside the block restores `ia`, `nia`, `curLen` and `steps` of
 *   the faulting instruction and is returned to the interpreter loop, which
 *   hands it on like its own, so the program interruption is the
 *   interpreter's, bit for bit;
 * - after every instruction that may touch storage the block checks the
 *   storage epoch (for semantics that reach storage only through the `S`
 *   pieces, only when a piece raised the local flag `Y`: an MMU slow-path
 *   call or a store into decoded code): a store into decoded code
 *   (self-modifying code), a frame the host evicted or discarded, or a TLB
 *   purge ends the block and the interpreter re-fetches;
 * - blocks live in the decoded-instruction cache of their frame and carry the
 *   frame's code generation: any store that drops one of their instructions
 *   kills them;
 * - a block never runs past the step budget, so single-stepping, timers and
 *   the trace see the same instruction boundaries;
 * - the step count lives in a local; it is stored into `c.steps`, and the
 *   instruction's address into `c.ia`, wherever the hypervisor may act
 *   during an instruction (the MMU's slow path), so its events carry the
 *   interpreter's step numbers and addresses;
 * - the MMU state the inlined loads and stores use (the TLB arrays and
 *   whether the fast path is allowed: PSW key 0, no PER storage-alteration
 *   event) is read once per call: every instruction that changes the PSW
 *   key, PER, DAT or the address space is outside TIER_FAMILIES, and a
 *   program interruption leaves the block;
 * - what never changes for a Cpu (the Cpu itself, its register halves, its
 *   MMU, its storage and the storage's frames, keys and code caches) is bound
 *   when the block is made, so a block belongs to the Cpu it was made for
 *   (an AbsoluteStorage, whose decoded instructions carry the blocks, serves
 *   one Cpu).
 */
import { Insn, type CompiledBlock, type Exec, type InstructionDef } from './isa/types.js';
import { decodeInto } from './isa/decode.js';
import { lengthFromFirstByte } from './isa/formats.js';
import { inlineSemantics, MEM_FIXED, memLocals, memoDeclarations, relAddress, storageOnlyThroughS, SEM_SCOPE_NAMES, SEM_SCOPE_VALUES } from './isa/sem.js';
import type { Cpu } from './cpu.js';
import type { AbsoluteStorage } from '../mm/storage.js';

/**
 * Interpreted executions of an instruction before a block is compiled from it.
 * High on purpose: V8 runs each new block function in its bytecode
 * interpreter until the function is hot itself, which is slower than the
 * (already optimized) interpreter loop. Measured on the guest kernel workload
 * (2.4 M instructions, blocks entered ~5,000 times each): threshold 256
 * made it 25% slower than the interpreter alone, 8192 and above equal; the
 * loops of `npm run bench` are unaffected.
 */
export const JIT_THRESHOLD = 8192;
/** Most instructions one call of a block function runs before it returns to the run loop. */
const BLOCK_SLICE = 1 << 16;
/** Longest block, in instructions. */
export const JIT_MAX_BLOCK = 48;

const TIER_FAMILIES = new Set(['loads', 'arithmetic', 'logical', 'compare', 'shifts', 'branches']);
/**
 * Whether an instruction may touch storage (and so may see the host evict or
 * discard a frame): a storage or relative operand in its syntax, or the
 * table's `registerAddressed` flag (CLST, CKSM, MVCL, ...).
 */
export function touchesStorage(d: InstructionDef): boolean {
  return /D|J/.test(d.syntax) || d.registerAddressed === true;
}

function eligible(ins: Insn): boolean {
  const d = ins.def;
  if (d === null || d.privileged) return false;
  // EX/EXRL are 'misc'; the table flags what re-executes itself or changes the addressing mode
  return TIER_FAMILIES.has(d.family) && d.interpretOnly !== true;
}

/** The target of a relative branch (J operand), or null for branches through registers or storage. */
function relativeTarget(i: Insn, ia: number, amode: number): number | null {
  const m = /J([24])/.exec(i.def!.syntax);
  return m === null ? null : relAddress(ia, m[1] === '2' ? i.i2 : i.i4, amode);
}

/** A branch that is always taken: nothing after it in address order belongs to this path. */
function alwaysTaken(i: Insn): boolean {
  const d = i.def!;
  return d.call === true || (d.onCondition === true && i.m1 === 15);
}

/** Counters for `--json` statistics and the benchmark. */
export const jitStats = { compiled: 0, rejected: 0 };

/**
 * Compile the block starting at logical address `ia` (absolute frame `pfn`,
 * offset `off`). Decoded instructions are taken from, or put into, the
 * frame's code cache so that a store into any of them bumps the frame's code
 * generation. Returns null when the block would be too short to pay.
 */
export function compileBlock(cpu: Cpu, ia: number, pfn: number, off: number, first: Insn): CompiledBlock | null {
  const st: AbsoluteStorage = cpu.storage;
  const fr = st.frames[pfn];
  const code = st.code[pfn] as (Insn | undefined)[] | undefined;
  if (fr === undefined || code === undefined) return null;
  const amode = cpu.amode;
  const page = ia - off;
  const insns: Insn[] = [];
  const at: number[] = [];
  // the predicted next address of an indirect branch the trace went on
  // after (the return address of a call it followed), by index
  const predicted = new Map<number, number>();
  const included = new Set<number>();
  const returns: number[] = [];
  let a = ia;
  let ins: Insn | undefined = first;
  while (insns.length < JIT_MAX_BLOCK) {
    const o = a - page;
    if (ins === undefined) {
      if (o + 2 > 4096) break;
      const h0 = (fr[o] << 8) | fr[o + 1];
      const len = lengthFromFirstByte(h0 >>> 8);
      if (o + len > 4096) break;
      const h1 = len > 2 ? (fr[o + 2] << 8) | fr[o + 3] : 0;
      const h2 = len > 4 ? (fr[o + 4] << 8) | fr[o + 5] : 0;
      ins = decodeInto(new Insn(), h0, h1, h2);
      code[o >>> 1] = ins;
    }
    if (!eligible(ins)) break;
    insns.push(ins);
    at.push(a);
    included.add(a);
    const next = relAddress(a, ins.len / 2, amode);
    if (ins.def!.branch && alwaysTaken(ins)) {
      // a trace: an always-taken branch to code of the same page not yet in
      // the block goes on there (a call's return address is remembered, and
      // a branch through a register goes on there, predicted to return)
      let t = relativeTarget(ins, a, amode);
      if (t !== null && ins.def!.call === true) returns.push(next);
      if (t === null && ins.def!.call !== true && returns.length > 0) {
        t = returns.pop()!;
        predicted.set(insns.length - 1, t);
      }
      if (t === null || t < page || t >= page + 4096 || included.has(t)) break;
      a = t;
      ins = code[(t - page) >>> 1];
      continue;
    }
    // (the next address wraps in the 24- and 31-bit modes only past the end of a page)
    if (o + ins.len >= 4096) break;
    a = next;
    ins = code[(o + ins.len) >>> 1];
  }
  if (insns.length < 2) {
    jitStats.rejected++;
    return null;
  }
  const fn = translate(cpu, at, insns, amode, predicted);
  jitStats.compiled++;
  const gen = st.codeGen[pfn];
  // Entries in mid-block: execution that comes to an instruction of the
  // block by another way (a branch into it, the retry after a page fault, a
  // block that ended early) enters this block there instead of being
  // interpreted until the instruction is hot itself (JIT_THRESHOLD). Each
  // case of the block is complete in itself (see translate), so entering at
  // case k runs exactly what the interpreter would from A[k].
  const entry = (k: number): CompiledBlock => ({ fn, pfn, gen, ia: at[k], amode, count: insns.length - k, pc: k });
  for (let k = 1; k < insns.length; k++) {
    if (insns[k].blk === null) insns[k].blk = entry(k);
  }
  return entry(0);
}

/** Generate the JavaScript of a block (see the file comment for the rules). */
function translate(cpu: Cpu, A: number[], insns: Insn[], amode: number, predicted: Map<number, number>): (cpu: Cpu, end: number, pc: number) => unknown {
  const n = insns.length;
  const start = A[0];
  const B = insns.map((i, k) => relAddress(A[k], i.len / 2, amode));
  const indexOf = new Map<number, number>(A.map((addr, k) => [addr, k]));
  const lines: string[] = [];
  // One case per instruction, falling through in trace order; a branch to
  // an instruction of the block continues the loop at its case. `n` counts
  // completed instructions, so it is exact wherever the block stops.
  // named by its guest address, so a profile of zhint shows which guest code is hot.
  // The Cpu (c), its register halves (H, L) and its fixed storage names
  // (MEM_FIXED) are bound when the block is made, not taken from the call:
  // V8 compiles them as constants, and an access to a register is one
  // machine instruction instead of a map check, a bounds check and two
  // loads, again after every call; the Cpu's fields need no map check
  // (measured: the ALU loop of the bench 420 -> 810 MIPS; the guest kernel's
  // steady state 242.6 -> 230.0 -> 225.6 machine instructions per guest
  // instruction under valgrind, the last step for c). The halves live off
  // V8's heap (cpu.ts) so that their address is a constant too. The block's
  // own argument `cpu` is that same Cpu (a storage serves one Cpu).
  lines.push(`return function block_${start.toString(16)}(cpu, end, pc0) {`);
  lines.push('  const E = STO.epoch;');
  const memAt = lines.length;
  // the memos of storage-to-storage instructions (sem.ts S.ss), one set per call
  const memos: string[] = [];
  // a call runs at most BLOCK_SLICE instructions: V8 then enters the
  // optimized function through a normal call rather than on-stack replacement.
  // The entry case pc0 is made an int32 (| 0): taken as it comes (a tagged
  // parameter), the switch on pc cost the page check's block 11% more
  // (valgrind, kernel-peer: 40.7 -> 45.3 machine instructions per guest instruction)
  lines.push(`  let n = c.steps; let k = 0; let pc = pc0 | 0; let Y = 0; let G = 0; let nia = 0; const lim = Math.min(end, n + ${BLOCK_SLICE});`);
  lines.push('  try {');
  lines.push('    for (;;) {');
  lines.push('      switch (pc) {');
  for (let k = 0; k < n; k++) {
    const i = insns[k];
    const last = k === n - 1;
    const d = i.def!;
    const relative = /J/.test(d.syntax);
    // the instruction's own semantics inlined with constant operands when the
    // table gives them as source (isa/sem.ts), else a direct call
    // storage reached only through the S pieces: they raise the flag Y where
    // the epoch may have moved, so the common path tests a local, not STO.epoch
    const storage = touchesStorage(d);
    const flagged = storage && storageOnlyThroughS(i.exec);
    // where the hypervisor may act (and stamp its events with the step count
    // and the instruction address), c.steps and c.ia must be exact: the S
    // pieces store them on their slow path; other storage access gets them
    // before the instruction
    const exact = `c.steps = n; c.ia = ${A[k]};`;
    // an exception a slow path caught ends the block as the catch below does
    const fault = `return c.takeFault(${A[k]}, ${B[k]}, ${i.len}, n);`;
    const inl = inlineSemantics(i, A[k], amode, flagged ? 'Y = 1;' : '', exact, fault, k);
    const memo = memoDeclarations(i.exec, k);
    if (memo !== '') memos.push(memo);
    let body = inl ?? `X${k}(c, I${k});`;
    if (storage && !flagged) body = `${exact} ${body}`;
    // inlined semantics with constant targets that never read the PSW
    // address need no c.ia; a branch among them that only assigns c.nia
    // keeps the next address in the local `nia` (stored when the block ends)
    const readsIa = inl === null || /\bc\.(ia\b(?!\s*=[^=])|relTarget\b)/.test(inl);
    const localNia = !readsIa && !/\bc\.nia\b(?!\s*=[^=])/.test(inl!);
    const NIA = localNia ? 'nia' : 'c.nia';
    lines.push(`      case ${k}:`);
    if (d.branch) {
      if (localNia) {
        body = body.replace(/\bc\.nia\b/g, 'nia');
        lines.push(`        k = ${k}; nia = ${B[k]}; ${body} n++;`);
      } else {
        lines.push(`        k = ${k}; c.ia = ${A[k]}; c.nia = ${B[k]}; ${body} n++;`);
      }
      const t = relativeTarget(i, A[k], amode) ?? predicted.get(k) ?? null;
      const j = t === null ? undefined : indexOf.get(t);
      let jump = '';
      if (j !== undefined) {
        // inside the block: forward jumps go on; backward ones only while the
        // budget allows a whole pass and no storage event intervened
        jump = j > k
          ? `if (${NIA} === ${t}) { pc = ${j}; continue; } `
          : `if (${NIA} === ${t} && n + ${n} <= lim && STO.epoch === E) { pc = ${j}; continue; } `;
      }
      lines.push(`        if (${NIA} !== ${B[k]}) { ${jump}c.ia = ${NIA}; c.steps = n; return; }`);
      // the trace went on at the branch's target: the next case is not the
      // next instruction, so a branch not taken after all (BCR 15,0) ends the block
      if (!last && A[k + 1] !== B[k]) lines.push(`        c.ia = ${B[k]}; c.steps = n; return;`);
    } else {
      // non-branches never change the next address (the interruptible
      // ones that do are left to the interpreter); relative operands need ia
      lines.push(`        k = ${k};${relative && readsIa ? ` c.ia = ${A[k]};` : ''} ${body} n++;`);
    }
    // G, the generation of the SS memos (sem.ts S.ss), moves wherever the
    // TLB may have been refilled: after a slow path, after an unflagged instruction
    if (flagged && !last) {
      lines.push(`        if (Y !== 0) { Y = 0; G++; if (STO.epoch !== E) { c.ia = ${B[k]}; c.steps = n; return; } }`);
    } else if (storage && !last) {
      lines.push(`        G++; if (STO.epoch !== E) { c.ia = ${B[k]}; c.steps = n; return; }`);
    }
  }
  lines.push('      }');
  lines.push(`      c.ia = ${B[n - 1]}; c.steps = n; return;`);
  // the TLB arrays and the fast mode the inlined loads and stores use, bound once per call
  // (the names fixed for the Cpu's life, MEM_FIXED, are bound when the block is made)
  lines.splice(memAt, 0, '  ' + memLocals(lines.join('\n'), (name) => !MEM_FIXED.has(name)), ...memos.map((m) => '  ' + m));
  lines.push('    }');
  lines.push('  } catch (e) {');
  // returned, not thrown again: a throw costs ~0.4 us in V8, and finding the
  // handler in a large function running unoptimized costs more
  lines.push('    return c.endWith(e, A[k], B[k], I[k].len, n);');
  lines.push('  }');
  lines.push('};');
  // bound when the block is made (see above): the Cpu is the factory's parameter c
  const prologue: string[] = ['const H = c.hi, L = c.lo;', memLocals(lines.join('\n'), (name) => MEM_FIXED.has(name))];
  for (let k = 0; k < n; k++) prologue.push(`const X${k} = X[${k}], I${k} = I[${k}];`);
  const factory = new Function('X', 'I', 'A', 'B', 'c', ...SEM_SCOPE_NAMES, prologue.join('\n') + '\n' + lines.join('\n')) as (
    X: Exec[], I: Insn[], A: number[], B: number[], c: Cpu, ...scope: unknown[]) => (cpu: Cpu, end: number, pc: number) => unknown;
  return factory(insns.map((i) => i.exec), insns, A, B, cpu, ...SEM_SCOPE_VALUES);
}
