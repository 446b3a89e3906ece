/**
 * THE instruction table: every instruction zhint knows, defined once in the
 * family modules and gathered here. Decoder, executor, assembler,
 * disassembler, trace and debugger all derive from `INSTRUCTIONS`.
 */
import type { InstructionDef } from './types.js';
import { FORMATS } from './formats.js';
import { LOADS } from './loads.js';
import { ARITHMETIC } from './arithmetic.js';
import { LOGICAL } from './logical.js';
import { COMPARE } from './compare.js';
import { SHIFTS } from './shifts.js';
import { BRANCHES } from './branches.js';
import { MISC } from './misc.js';
import { HINTING } from './hinting.js';
import { EXECUTE } from './execute.js';
import { EXTENDED_MNEMONICS } from './extended.js';

/** Base instructions: one per opcode. */
export const INSTRUCTIONS: readonly InstructionDef[] = [
  ...LOADS, ...ARITHMETIC, ...LOGICAL, ...COMPARE, ...SHIFTS, ...BRANCHES, ...MISC, ...HINTING, ...EXECUTE,
];

/** Extended mnemonics (aliases of base instructions with fixed mask fields). */
export const ALIASES: readonly InstructionDef[] = EXTENDED_MNEMONICS(INSTRUCTIONS);

export const BY_MNEMONIC = new Map<string, InstructionDef>();
for (const d of [...INSTRUCTIONS, ...ALIASES]) {
  if (BY_MNEMONIC.has(d.mnemonic)) throw new Error(`instruction table: duplicate mnemonic ${d.mnemonic}`);
  BY_MNEMONIC.set(d.mnemonic, d);
}

/** Opcode split per format: first byte and extension value. */
export function opcodeParts(d: InstructionDef): { byte0: number; ext: number } {
  const fmt = FORMATS[d.format];
  if (d.op.length !== fmt.opDigits) {
    throw new Error(`instruction table: ${d.mnemonic} opcode ${d.op} does not fit format ${d.format}`);
  }
  const byte0 = parseInt(d.op.slice(0, 2), 16);
  const ext = fmt.opDigits > 2 ? parseInt(d.op.slice(2), 16) : 0;
  return { byte0, ext };
}
