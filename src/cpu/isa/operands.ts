/**
 * Operand syntax of an instruction definition, parsed once. The same parsed
 * form drives decoding (which slots to extract and how to sign-extend them),
 * the assembler (what to accept, where to put it) and the disassembler (how
 * objdump prints it).
 */
import type { Slot } from './formats.js';

export type OperandKind =
  | 'gpr' | 'pair' | 'cr' | 'ar' | 'mask' | 'simm' | 'uimm' | 'rel'
  | 'addr'; // D(X,B), D(B), D(L,B) or D(R,B) (a register in the index place: SS-d/SS-e)

export interface Operand {
  kind: OperandKind;
  slot: Slot;
  /** for 'addr': the index (x2, or r1 for D1(R1,B1)), length (l1) and base (b2) slots */
  index?: Slot;
  length?: Slot;
  base?: Slot;
}

const KIND: Record<string, OperandKind> = {
  R: 'gpr', P: 'pair', C: 'cr', A: 'ar', M: 'mask', I: 'simm', U: 'uimm', J: 'rel',
};
const SLOT_PREFIX: Record<string, string> = {
  R: 'r', P: 'r', C: 'r', A: 'r', M: 'm', I: 'i', U: 'i', J: 'i',
};

const cache = new Map<string, Operand[]>();

/** Parse "R1,D2(X2,B2)" into operands. Throws on a malformed table entry (a programming error). */
export function parseSyntax(syntax: string): Operand[] {
  const hit = cache.get(syntax);
  if (hit) return hit;
  const out: Operand[] = [];
  const re = /\s*(?:D(\d)\((?:([XLR])(\d),)?B(\d)\)|([RPCAMIUJ])(\d))\s*(?:,|$)/y;
  let pos = 0;
  while (pos < syntax.length) {
    re.lastIndex = pos;
    const m = re.exec(syntax);
    if (!m) throw new Error(`bad operand syntax '${syntax}' at ${pos}`);
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      const op: Operand = { kind: 'addr', slot: `d${m[1]}` as Slot, base: `b${m[4]}` as Slot };
      if (m[2] === 'X') op.index = `x${m[3]}` as Slot;
      if (m[2] === 'R') op.index = `r${m[3]}` as Slot;
      if (m[2] === 'L') op.length = `l${m[3]}` as Slot;
      out.push(op);
    } else {
      out.push({ kind: KIND[m[5]], slot: `${SLOT_PREFIX[m[5]]}${m[6]}` as Slot });
    }
  }
  cache.set(syntax, out);
  return out;
}

/** The slots an operand list reads from the instruction. */
export function slotsOf(ops: Operand[]): Slot[] {
  const s: Slot[] = [];
  for (const o of ops) {
    s.push(o.slot);
    if (o.index) s.push(o.index);
    if (o.length) s.push(o.length);
    if (o.base) s.push(o.base);
  }
  return s;
}
