/**
 * THE instruction table: every instruction zhint knows, defined once in the
 * family modules and gathered here. Decoder, executor, assembler,
 * disassembler, trace and debugger all derive from `INSTRUCTIONS`.
 */
import type { InstructionDef } from './types.js';
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
