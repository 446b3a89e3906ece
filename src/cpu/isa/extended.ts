/**
 * Extended mnemonics (PoP Appendix B; binutils' s390 opcode table): aliases
 * of base instructions with a fixed mask field. They share the base
 * instruction's opcode and semantics; the assembler accepts them and the
 * disassembler prints them where objdump does.
 */
import type { InstructionDef } from './types.js';

/** condition-mask suffixes, objdump's spelling and order */
export const CONDITIONS: [string, number][] = [
  ['o', 1], ['h', 2], ['p', 2], ['nle', 3], ['l', 4], ['m', 4], ['nhe', 5], ['lh', 6], ['ne', 7], ['nz', 7],
  ['e', 8], ['z', 8], ['nlh', 9], ['he', 10], ['nl', 11], ['nm', 11], ['le', 12], ['nh', 13], ['np', 13], ['no', 14],
];

export function EXTENDED_MNEMONICS(base: readonly InstructionDef[]): InstructionDef[] {
  const by = new Map(base.map((d) => [d.mnemonic, d]));
  const out: InstructionDef[] = [];
  const alias = (mn: string, of: string, syntax: string, fixed: InstructionDef['fixed']) => {
    const b = by.get(of);
    if (!b) return;
    out.push({ ...b, mnemonic: mn, syntax, fixed, alias: of });
  };
  for (const [cond, m] of CONDITIONS) {
    alias(`j${cond}`, 'brc', 'J2', { m1: m });
    alias(`jg${cond}`, 'brcl', 'J2', { m1: m });
    alias(`b${cond}r`, 'bcr', 'R2', { m1: m });
  }
  alias('j', 'brc', 'J2', { m1: 15 });
  alias('jg', 'brcl', 'J2', { m1: 15 });
  alias('br', 'bcr', 'R2', { m1: 15 });
  alias('nopr', 'bcr', 'R2', { m1: 0 });
  return out;
}
