/**
 * Extended mnemonics (PoP Appendix B "Branch mnemonics" and the
 * compare-and-branch suffixes; binutils' s390 opcode table). They are
 * aliases of base instructions with a fixed mask field (or, for `risbgz`, a
 * fixed flag bit in an immediate). They share the base instruction's opcode
 * and semantics; the assembler accepts every one GNU as 2.40 accepts, and the
 * disassembler prints the one objdump prints (`printable` aliases, in order:
 * the first whose fixed fields match wins, otherwise the base mnemonic).
 *
 * Facts mirrored from binutils (checked against s390x-linux-gnu-objdump 2.40):
 *  - BRANCH ON CONDITION family: b<c>r, b<c>, j<c>, jg<c> for masks 1..14,
 *    `br`/`b`/`j`/`jg` for 15 and `nopr`/`nop`/`jnop`/`jgnop` for 0;
 *    objdump prints the first spelling of CONDITIONS for a mask.
 *  - `br<c>` / `br<c>l` / `bru` / `brul` are accepted by GNU as but never
 *    printed (objdump prints the j forms).
 *  - compare-and-branch (crj, cgij, ...): only the six "comparison" masks
 *    2,4,6,8,10,12 have suffixes; others print the base with the mask.
 *  - `jas`, `jct`, `jxh`, `tmh`, ... are synonyms GNU as accepts; objdump
 *    prints the base.
 *  - objdump omits trailing optional operands whose value is 0
 *    (`OPTIONAL_OPERANDS`), and GNU as lets the programmer omit them.
 */
import type { InstructionDef } from './types.js';
import type { Slot } from './formats.js';

/** condition-mask suffixes of the branch mnemonics, objdump's spelling and order */
export const CONDITIONS: [string, number][] = [
  ['o', 1], ['h', 2], ['p', 2], ['nle', 3], ['l', 4], ['m', 4], ['nhe', 5], ['lh', 6], ['ne', 7], ['nz', 7],
  ['e', 8], ['z', 8], ['nlh', 9], ['he', 10], ['nl', 11], ['nm', 11], ['le', 12], ['nh', 13], ['np', 13], ['no', 14],
];

/** suffixes of the compare-and-branch mnemonics (crje, cgijnl, ...), objdump's spelling first */
export const COMPARE_CONDITIONS: [string, number][] = [
  ['h', 2], ['nle', 2], ['l', 4], ['nhe', 4], ['ne', 6], ['lh', 6], ['e', 8], ['nlh', 8],
  ['nl', 10], ['he', 10], ['nh', 12], ['le', 12],
];

/** compare-and-branch and compare-and-trap base instructions whose M3 gets a suffix */
const COMPARE_AND_BRANCH = [
  'crj', 'cgrj', 'clrj', 'clgrj', 'cij', 'cgij', 'clij', 'clgij',
  'crb', 'cgrb', 'clrb', 'clgrb', 'cib', 'cgib', 'clib', 'clgib',
  'crt', 'cgrt', 'clrt', 'clgrt', 'cit', 'cgit', 'clfit', 'clgit',
];

/** plain synonyms: GNU as accepts them, objdump prints the base */
const SYNONYMS: [string, string][] = [
  ['jas', 'bras'], ['jasl', 'brasl'], ['jct', 'brct'], ['jctg', 'brctg'],
  ['jxh', 'brxh'], ['jxle', 'brxle'], ['jxhg', 'brxhg'], ['jxleg', 'brxlg'],
  ['tmh', 'tmlh'], ['tml', 'tmll'],
];

/**
 * Instructions whose trailing operands are optional (binutils' "optparm" /
 * "optparm2" flags): the number of operands that must be written. GNU as
 * takes omitted ones as 0 and objdump does not print trailing zero register
 * or mask operands from this index on. Storage operands are still printed:
 * objdump shows `nop\t0`.
 */
export const MIN_OPERANDS: ReadonlyMap<string, number> = new Map([
  ['nopr', 0], ['nop', 0], ['sske', 2], ['ipte', 2],
]);

/** How an alias relates to its base. */
export interface AliasInfo {
  base: string;
  /** objdump prints this alias for encodings that match it */
  printable: boolean;
  /** a flag bit fixed inside an immediate: (field & mask) === value; operand keeps the other bits */
  imm?: { slot: Slot; mask: number; value: number; operandMax: number };
}

const INFO = new WeakMap<InstructionDef, AliasInfo>();

/** Alias information for a definition produced here (undefined for base instructions). */
export function aliasInfo(d: InstructionDef): AliasInfo | undefined {
  return INFO.get(d);
}

/** Remove one operand token ("M3") from a syntax string. */
function dropOperand(syntax: string, tok: string): string {
  return syntax.split(',').filter((t) => t.trim() !== tok).join(',');
}

export function EXTENDED_MNEMONICS(base: readonly InstructionDef[]): InstructionDef[] {
  const by = new Map(base.map((d) => [d.mnemonic, d]));
  const out: InstructionDef[] = [];
  const alias = (mn: string, of: string, syntax: string | null, fixed: InstructionDef['fixed'], printable: boolean,
    imm?: AliasInfo['imm']) => {
    const b = by.get(of);
    if (!b) return;
    const d: InstructionDef = { ...b, mnemonic: mn, syntax: syntax ?? b.syntax, fixed, alias: of };
    INFO.set(d, { base: of, printable, imm });
    out.push(d);
  };
  // BRANCH ON CONDITION and its relative forms
  for (const [cond, m] of CONDITIONS) {
    alias(`b${cond}r`, 'bcr', 'R2', { m1: m }, true);
    alias(`b${cond}`, 'bc', 'D2(X2,B2)', { m1: m }, true);
    alias(`j${cond}`, 'brc', 'J2', { m1: m }, true);
    alias(`jg${cond}`, 'brcl', 'J2', { m1: m }, true);
  }
  alias('br', 'bcr', 'R2', { m1: 15 }, true);
  alias('nopr', 'bcr', 'R2', { m1: 0 }, true);
  alias('b', 'bc', 'D2(X2,B2)', { m1: 15 }, true);
  alias('nop', 'bc', 'D2(X2,B2)', { m1: 0 }, true);
  alias('j', 'brc', 'J2', { m1: 15 }, true);
  alias('jnop', 'brc', 'J2', { m1: 0 }, true);
  alias('jg', 'brcl', 'J2', { m1: 15 }, true);
  alias('jgnop', 'brcl', 'J2', { m1: 0 }, true);
  // spellings GNU as accepts but objdump never prints
  for (const [cond, m] of CONDITIONS) {
    alias(`br${cond}`, 'brc', 'J2', { m1: m }, false);
    alias(`br${cond}l`, 'brcl', 'J2', { m1: m }, false);
  }
  alias('bru', 'brc', 'J2', { m1: 15 }, false);
  alias('brul', 'brcl', 'J2', { m1: 15 }, false);
  // compare and branch (relative): base with M3 fixed
  for (const of of COMPARE_AND_BRANCH) {
    const b = by.get(of);
    if (!b) continue;
    for (const [cond, m] of COMPARE_CONDITIONS) alias(`${of}${cond}`, of, dropOperand(b.syntax, 'M3'), { m3: m }, true);
  }
  for (const [mn, of] of SYNONYMS) alias(mn, of, null, undefined, false);
  // ROTATE THEN INSERT SELECTED BITS with the "zero remaining bits" flag (bit 0 of I4)
  alias('risbgz', 'risbg', null, undefined, true, { slot: 'i4', mask: 0xc0, value: 0x80, operandMax: 63 });
  return out;
}
