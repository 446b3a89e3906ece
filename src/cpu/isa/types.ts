import type { FormatName, Slot } from './formats.js';
import type { Cpu } from '../cpu.js';

/**
 * A decoded instruction: every operand slot pre-extracted, immediates
 * sign-extended, relative offsets in halfwords. One shape for every
 * instruction so the interpreter's call sites stay monomorphic.
 */
export class Insn {
  exec: Exec = noExec;
  def: InstructionDef | null = null;
  /** case of the plain interpreter loop's dispatch switch (src/cpu/interp.ts); 0: call `exec` (the tier's loop calls `exec` for every instruction) */
  op = 0;
  len = 2;
  r1 = 0; r2 = 0; r3 = 0;
  m1 = 0; m3 = 0; m4 = 0; m5 = 0;
  x2 = 0; b1 = 0; b2 = 0;
  d1 = 0; d2 = 0;
  /** branch address D4(B4) of RRS / RIS (compare and branch) */
  b4 = 0; d4 = 0;
  i1 = 0; i2 = 0; i3 = 0; i4 = 0; i5 = 0;
  l1 = 0; l2 = 0;
  /** the raw halfwords (for EX, the disassembler and the trace) */
  h0 = 0; h1 = 0; h2 = 0;
  /** second tier (src/cpu/jit.ts): executions seen by the interpreter, and the compiled block starting here */
  heat = 0;
  blk: CompiledBlock | null = null;
  /**
   * The decoded instruction right after this one in the same frame, once the
   * interpreter has run the two in sequence (interp.ts follows it instead of
   * fetching). Cleared when a store drops that instruction (storage.ts).
   */
  next: Insn | null = null;
}

/** A basic block of guest code translated to a JavaScript function (src/cpu/jit.ts). */
export interface CompiledBlock {
  /**
   * runs the block (and loops on itself while `steps + count <= end`);
   * returns the exception that ended an instruction (with the PSW and ILC
   * of that instruction in place), else undefined
   */
  fn: (cpu: Cpu, end: number, pc: number) => unknown;
  /** absolute frame and its code generation when compiled: a mismatch kills the block */
  pfn: number;
  gen: number;
  /** logical address of the first instruction and the addressing mode it was compiled for */
  ia: number;
  amode: number;
  /** instructions in one pass through the block, from the entry */
  count: number;
  /**
   * where the call enters: 0 for the block's first instruction, k for its
   * k-th (an entry in mid-block, kept by that instruction until it is hot
   * enough to start a block of its own)
   */
  pc: number;
}

export type Exec = (cpu: Cpu, i: Insn) => void;
const noExec: Exec = () => {};

export type Family = 'arithmetic' | 'misc' | 'shifts' | 'branches' | 'loads' | 'logical' | 'compare' | 'hinting';

export interface InstructionDef {
  mnemonic: string;
  /** opcode as the Principles of Operation writes it: "1A", "A7B", "E308", "B908" */
  op: string;
  format: FormatName;
  /**
   * Assembler syntax, binutils order. Tokens: Rn gpr, Pn even gpr (pair),
   * Cn control register, An access register, Mn mask, In signed immediate,
   * Un unsigned immediate, Jn PC-relative (halfwords), Dn(Xn,Bn) / Dn(Bn) /
   * Dn(Ln,Bn) storage operands. The digit names the slot (R1 -> r1).
   */
  syntax: string;
  family: Family;
  /** one line for `--explain` and the debugger */
  desc: string;
  exec: Exec;
  privileged?: boolean;
  /** fields fixed by an extended mnemonic (e.g. `je` = brc with m1=8) */
  fixed?: Partial<Record<Slot, number>>;
  /** for extended mnemonics: the base instruction's mnemonic */
  alias?: string;
  /** instruction is a branch (for the debugger's step-over and taken hints) */
  branch?: boolean;
  /** instruction is a call (BRAS, BRASL, BASR, BAS) for "next" */
  call?: boolean;
  /** a BRANCH ON CONDITION form (BC, BCR, BRC, BRCL): taken when the cc is selected by mask M1 */
  onCondition?: boolean;
  /** a BRANCH ON COUNT form: the width of R1's count it decrements (taken unless it becomes zero) */
  onCount?: 32 | 64;
  /**
   * The second tier leaves it to the interpreter: it re-executes itself
   * (interruptible MVCL/MVCLE) or changes the addressing mode every later
   * address depends on (SAMxx, BSM, BASSM).
   */
  interpretOnly?: boolean;
  /** addresses storage through registers although its syntax has no storage operand (CLST, CKSM, MVCL) */
  registerAddressed?: boolean;
  /** EXECUTE forms: the address of the target instruction (which is fetched too: PER instruction fetch) */
  executeTarget?: (cpu: Cpu, i: Insn) => number;
  /** stores at a real address (STURA, STURG): the PER store-using-real-address event */
  storesReal?: boolean;
}

/** Helper to keep definition lists terse. */
export function def(
  mnemonic: string, op: string, format: FormatName, syntax: string,
  family: Family, desc: string, exec: Exec, extra: Partial<InstructionDef> = {},
): InstructionDef {
  return { mnemonic, op, format, syntax, family, desc, exec, ...extra };
}
