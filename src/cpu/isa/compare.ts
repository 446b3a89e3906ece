/**
 * COMPARE, COMPARE LOGICAL, compare-and-branch, COMPARE AND SWAP
 * (PoP chapter 7). Family "compare" of isa.md.
 * cc 0 equal, 1 first operand low, 2 first operand high.
 */
import { def, type InstructionDef } from './types.js';
import { cmpSigned32, cmpSigned64 } from '../alu.js';

export const COMPARE: InstructionDef[] = [
  def('cr', '19', 'RR', 'R1,R2', 'compare', 'compare 32 bits signed', (c, i) => {
    c.cc = cmpSigned32(c.lo[i.r1], c.lo[i.r2]);
  }),
  def('cgr', 'B920', 'RRE', 'R1,R2', 'compare', 'compare 64 bits signed', (c, i) => {
    c.cc = cmpSigned64(c.hi[i.r1], c.lo[i.r1], c.hi[i.r2], c.lo[i.r2]);
  }),
];
