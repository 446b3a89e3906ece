/**
 * Loads, stores, moves and inserts (PoP chapter 7). Family "loads" of isa.md.
 */
import { def, type InstructionDef } from './types.js';
import { ccSigned64, signHi } from '../alu.js';

export const LOADS: InstructionDef[] = [
  def('lr', '18', 'RR', 'R1,R2', 'loads', 'load 32 bits: r1[32:63] := r2[32:63]', (c, i) => {
    c.lo[i.r1] = c.lo[i.r2];
  }),
  def('lgr', 'B904', 'RRE', 'R1,R2', 'loads', 'load 64 bits: r1 := r2', (c, i) => {
    c.hi[i.r1] = c.hi[i.r2];
    c.lo[i.r1] = c.lo[i.r2];
  }),
  def('l', '58', 'RX', 'R1,D2(X2,B2)', 'loads', 'load 32 bits from storage', (c, i) => {
    c.lo[i.r1] = c.mem.ld32(c.eaXBD(i.x2, i.b2, i.d2));
  }),
  def('lg', 'E304', 'RXY', 'R1,D2(X2,B2)', 'loads', 'load 64 bits from storage', (c, i) => {
    c.mem.ld64(c.eaXBD(i.x2, i.b2, i.d2));
    c.hi[i.r1] = c.mem.rhi;
    c.lo[i.r1] = c.mem.rlo;
  }),
  def('lhi', 'A78', 'RI', 'R1,I2', 'loads', 'load halfword immediate (sign-extended to 32 bits)', (c, i) => {
    c.lo[i.r1] = i.i2;
  }),
  def('lghi', 'A79', 'RI', 'R1,I2', 'loads', 'load halfword immediate (sign-extended to 64 bits)', (c, i) => {
    c.lo[i.r1] = i.i2;
    c.hi[i.r1] = i.i2 < 0 ? 0xffffffff : 0;
  }),
  def('ltgr', 'B902', 'RRE', 'R1,R2', 'loads', 'load and test 64 bits', (c, i) => {
    const h = c.hi[i.r2], l = c.lo[i.r2];
    c.hi[i.r1] = h; c.lo[i.r1] = l;
    c.cc = ccSigned64(h, l);
  }),
  def('lgfr', 'B914', 'RRE', 'R1,R2', 'loads', 'load 32 bits sign-extended to 64', (c, i) => {
    const v = c.lo[i.r2];
    c.lo[i.r1] = v; c.hi[i.r1] = signHi(v);
  }),
  def('la', '41', 'RX', 'R1,D2(X2,B2)', 'loads', 'load address D2(X2,B2) into r1 (per addressing mode)', (c, i) => {
    const a = c.eaXBD(i.x2, i.b2, i.d2);
    setAddress(c, i.r1, a);
  }),
  def('larl', 'C00', 'RIL', 'R1,J2', 'loads', 'load the address of a PC-relative label', (c, i) => {
    setAddress(c, i.r1, c.relTarget(i.i2));
  }),
  def('st', '50', 'RX', 'R1,D2(X2,B2)', 'loads', 'store 32 bits', (c, i) => {
    c.mem.st32(c.eaXBD(i.x2, i.b2, i.d2), c.lo[i.r1]);
  }),
  def('stg', 'E324', 'RXY', 'R1,D2(X2,B2)', 'loads', 'store 64 bits', (c, i) => {
    c.mem.st64(c.eaXBD(i.x2, i.b2, i.d2), c.hi[i.r1], c.lo[i.r1]);
  }),
];

/**
 * Place an address in a register per the addressing mode (PoP "LOAD ADDRESS"):
 * 24-bit: bits 40-63, bits 32-39 zero, 0-31 unchanged; 31-bit: bits 33-63,
 * bit 32 zero, 0-31 unchanged; 64-bit: all 64 bits.
 */
export function setAddress(c: import('../cpu.js').Cpu, r: number, a: number): void {
  if (c.amode === 64) {
    c.hi[r] = Math.floor(a / 4294967296);
    c.lo[r] = a >>> 0;
  } else {
    c.lo[r] = a;
  }
}
