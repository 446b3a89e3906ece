/**
 * AND, OR, EXCLUSIVE OR (PoP chapter 7). Family "logical" of isa.md.
 * cc 0 result zero, 1 result not zero.
 */
import { def, type InstructionDef } from './types.js';

export const LOGICAL: InstructionDef[] = [
  def('nr', '14', 'RR', 'R1,R2', 'logical', 'AND 32 bits: r1 &= r2', (c, i) => {
    const v = c.lo[i.r1] & c.lo[i.r2];
    c.lo[i.r1] = v;
    c.cc = v !== 0 ? 1 : 0;
  }),
  def('ngr', 'B980', 'RRE', 'R1,R2', 'logical', 'AND 64 bits: r1 &= r2', (c, i) => {
    const h = c.hi[i.r1] & c.hi[i.r2], l = c.lo[i.r1] & c.lo[i.r2];
    c.hi[i.r1] = h; c.lo[i.r1] = l;
    c.cc = (h | l) !== 0 ? 1 : 0;
  }),
  def('xgr', 'B982', 'RRE', 'R1,R2', 'logical', 'exclusive OR 64 bits: r1 ^= r2', (c, i) => {
    const h = c.hi[i.r1] ^ c.hi[i.r2], l = c.lo[i.r1] ^ c.lo[i.r2];
    c.hi[i.r1] = h; c.lo[i.r1] = l;
    c.cc = (h | l) !== 0 ? 1 : 0;
  }),
];
