/**
 * Fixed-point arithmetic (PoP chapter 7): ADD, SUBTRACT, MULTIPLY, DIVIDE
 * and their logical forms. Family "arithmetic" of isa.md.
 */
import { def, type InstructionDef } from './types.js';
import { add32, add64 } from '../alu.js';

export const ARITHMETIC: InstructionDef[] = [
  def('ar', '1A', 'RR', 'R1,R2', 'arithmetic', 'add 32 bits: r1 += r2, cc by result, overflow → cc 3', (c, i) => {
    add32(c, i.r1, c.lo[i.r1], c.lo[i.r2]);
  }),
  def('agr', 'B908', 'RRE', 'R1,R2', 'arithmetic', 'add 64 bits: r1 += r2, cc by result, overflow → cc 3', (c, i) => {
    add64(c, i.r1, c.hi[i.r1], c.lo[i.r1], c.hi[i.r2], c.lo[i.r2]);
  }),
  def('a', '5A', 'RX', 'R1,D2(X2,B2)', 'arithmetic', 'add 32 bits from storage', (c, i) => {
    add32(c, i.r1, c.lo[i.r1], c.mem.ld32(c.eaXBD(i.x2, i.b2, i.d2)));
  }),
  def('ahi', 'A7A', 'RI', 'R1,I2', 'arithmetic', 'add halfword immediate (32 bits)', (c, i) => {
    add32(c, i.r1, c.lo[i.r1], i.i2);
  }),
  def('aghi', 'A7B', 'RI', 'R1,I2', 'arithmetic', 'add halfword immediate (64 bits)', (c, i) => {
    add64(c, i.r1, c.hi[i.r1], c.lo[i.r1], i.i2 < 0 ? 0xffffffff : 0, i.i2 >>> 0);
  }),
];
