/**
 * Shifts and rotates (PoP chapter 7). Family "shifts" of isa.md.
 *
 * The shift amount is the low 6 bits of the second-operand address D2(B2)
 * (the address is not used to reach storage), so only the low word of B2
 * matters. Arithmetic shifts keep the sign bit and shift the 31- or 63-bit
 * numeric part; a left arithmetic shift that loses a bit unlike the sign is a
 * fixed-point overflow (cc 3, interruption under program-mask bit 20).
 */
import { sem } from './sem.js';
import { evenPair } from './common.js';
import { def, type InstructionDef, type Insn } from './types.js';
import type { Cpu } from '../cpu.js';
import { ccSigned32, ccSigned64 } from '../alu.js';

type C = Cpu;

/** The shift amount: bits 58-63 of D2(B2). */
const amount = (c: C, i: Insn): number => (i.d2 + (i.b2 !== 0 ? c.lo[i.b2] : 0)) & 63;

/** 64-bit results of the helpers below (module-level: nothing allocated). */
const out = { h: 0, l: 0 };

function shl64(h: number, l: number, n: number): void {
  if (n === 0) { out.h = h; out.l = l; }
  else if (n < 32) { out.h = ((h << n) | (l >>> (32 - n))) >>> 0; out.l = (l << n) >>> 0; }
  else { out.h = (l << (n - 32)) >>> 0; out.l = 0; }
}

function shr64(h: number, l: number, n: number): void {
  if (n === 0) { out.h = h; out.l = l; }
  else if (n < 32) { out.l = ((l >>> n) | (h << (32 - n))) >>> 0; out.h = h >>> n; }
  else { out.l = h >>> (n - 32); out.h = 0; }
}

function sar64(h: number, l: number, n: number): void {
  if (n === 0) { out.h = h; out.l = l; }
  else if (n < 32) { out.l = ((l >>> n) | (h << (32 - n))) >>> 0; out.h = (h >> n) >>> 0; }
  else { out.l = (h >> (n - 32)) >>> 0; out.h = (h >> 31) >>> 0; }
}

function rotl64(h: number, l: number, n: number): void {
  if (n >= 32) { const t = h; h = l; l = t; n -= 32; }
  if (n === 0) { out.h = h; out.l = l; return; }
  out.h = ((h << n) | (l >>> (32 - n))) >>> 0;
  out.l = ((l << n) | (h >>> (32 - n))) >>> 0;
}

/**
 * SHIFT LEFT SINGLE/DOUBLE (64-bit value): the 63-bit numeric part shifts,
 * the sign stays. Overflow when a bit unlike the sign leaves bit 1, i.e. when
 * shifting back arithmetically does not give the original value. Leaves the
 * result in `out`; returns whether it overflowed.
 */
function sla64(h: number, l: number, n: number): boolean {
  shl64(h, l, n);
  const th = out.h, tl = out.l;
  sar64(th, tl, n);
  const ovf = out.h !== h || out.l !== l;
  out.h = ((h & 0x80000000) | (th & 0x7fffffff)) >>> 0;
  out.l = tl;
  return ovf;
}

/** SHIFT LEFT SINGLE (32 bits): result in bits 32-63 of r1, cc, overflow. */
function sla32(c: C, r1: number, v: number, n: number): void {
  v |= 0;
  let r: number, ovf: boolean;
  if (n >= 31) {
    // every numeric bit leaves; from a count of 32 on, zeros shifted in reach
    // the sign position too, so only 0 (and -1 for a count of 31) keep the sign
    r = v & 0x80000000;
    ovf = v !== 0 && (v !== -1 || n >= 32);
  } else {
    const t = v << n;
    ovf = (t >> n) !== v;
    r = (v & 0x80000000) | (t & 0x7fffffff);
  }
  c.lo[r1] = r;
  if (ovf) c.overflow();
  else c.cc = ccSigned32(r);
}

function sra32(c: C, r1: number, v: number, n: number): void {
  const r = (v | 0) >> (n > 31 ? 31 : n);
  c.lo[r1] = r;
  c.cc = ccSigned32(r);
}

// ---- ROTATE THEN <op> SELECTED BITS ----

/** bits a..b (0 = leftmost, 0 <= a <= b <= 31) of a 32-bit word */
function bits32(a: number, b: number): number {
  return ((0xffffffff >>> a) ^ (b === 31 ? 0 : 0xffffffff >>> (b + 1))) >>> 0;
}

const msk = { h: 0, l: 0 };

/** The selection mask of bits start..end, wrapping from 63 to 0 when start > end. */
function selMask(s: number, e: number): void {
  if (s <= e) {
    msk.h = s <= 31 ? bits32(s, Math.min(e, 31)) : 0;
    msk.l = e >= 32 ? bits32(Math.max(s, 32) - 32, e - 32) : 0;
  } else {
    // s..63 and 0..e
    const h1 = s <= 31 ? bits32(s, 31) : 0;
    const l1 = bits32(Math.max(s, 32) - 32, 31);
    const h2 = bits32(0, Math.min(e, 31));
    const l2 = e >= 32 ? bits32(0, e - 32) : 0;
    msk.h = (h1 | h2) >>> 0;
    msk.l = (l1 | l2) >>> 0;
  }
}

const enum Rsb { AND, OR, XOR }

/**
 * ROTATE THEN AND/OR/EXCLUSIVE OR SELECTED BITS: the rotated second operand
 * is combined with the first operand in the selected bits; the others stay.
 * cc 0 when the selected bits of the result are all zero, else 1. With the
 * test-results bit (I3 bit 0) only the cc is set.
 */
function rxsbg(c: C, i: Insn, op: Rsb): void {
  rotl64(c.hi[i.r2], c.lo[i.r2], i.i5 & 63);
  selMask(i.i3 & 63, i.i4 & 63);
  const h = c.hi[i.r1], l = c.lo[i.r1];
  let rh: number, rl: number;
  if (op === Rsb.AND) { rh = h & out.h; rl = l & out.l; }
  else if (op === Rsb.OR) { rh = h | out.h; rl = l | out.l; }
  else { rh = h ^ out.h; rl = l ^ out.l; }
  rh &= msk.h; rl &= msk.l;
  c.cc = (rh | rl) !== 0 ? 1 : 0;
  if ((i.i3 & 0x80) === 0) {
    c.hi[i.r1] = (h & ~msk.h) | rh;
    c.lo[i.r1] = (l & ~msk.l) | rl;
  }
}

const S = 'shifts' as const;

export const SHIFTS: InstructionDef[] = [
  // ---- single, 32 bits ----
  def('sll', '89', 'RS', 'R1,D2(B2)', S, 'shift bits 32-63 of r1 left logical', sem(`
    const sh = ($d2 + ($b2 !== 0 ? L[$b2] : 0)) & 63; L[$r1] = sh >= 32 ? 0 : L[$r1] << sh;`)),
  def('srl', '88', 'RS', 'R1,D2(B2)', S, 'shift bits 32-63 of r1 right logical', sem(`
    const sh = ($d2 + ($b2 !== 0 ? L[$b2] : 0)) & 63; L[$r1] = sh >= 32 ? 0 : L[$r1] >>> sh;`)),
  def('sla', '8B', 'RS', 'R1,D2(B2)', S, 'shift left arithmetic 32 bits (sign kept); cc, overflow → cc 3', (c, i) => {
    sla32(c, i.r1, c.lo[i.r1], amount(c, i));
  }),
  def('sra', '8A', 'RS', 'R1,D2(B2)', S, 'shift right arithmetic 32 bits; cc 0 zero, 1 negative, 2 positive', (c, i) => {
    sra32(c, i.r1, c.lo[i.r1], amount(c, i));
  }),
  // ---- distinct operands, 32 bits ----
  def('sllk', 'EBDF', 'RSY', 'R1,R3,D2(B2)', S, 'r1[32:63] := r3[32:63] shifted left logical', (c, i) => {
    const n = amount(c, i);
    c.lo[i.r1] = n >= 32 ? 0 : c.lo[i.r3] << n;
  }),
  def('srlk', 'EBDE', 'RSY', 'R1,R3,D2(B2)', S, 'r1[32:63] := r3[32:63] shifted right logical', (c, i) => {
    const n = amount(c, i);
    c.lo[i.r1] = n >= 32 ? 0 : c.lo[i.r3] >>> n;
  }),
  def('slak', 'EBDD', 'RSY', 'R1,R3,D2(B2)', S, 'r1[32:63] := r3[32:63] shifted left arithmetic; cc, overflow', (c, i) => {
    sla32(c, i.r1, c.lo[i.r3], amount(c, i));
  }),
  def('srak', 'EBDC', 'RSY', 'R1,R3,D2(B2)', S, 'r1[32:63] := r3[32:63] shifted right arithmetic; cc', (c, i) => {
    sra32(c, i.r1, c.lo[i.r3], amount(c, i));
  }),
  // ---- single, 64 bits ----
  def('sllg', 'EB0D', 'RSY', 'R1,R3,D2(B2)', S, 'shift left single logical 64 bits: r1 := r3 << n', sem(`
    const sh = ($d2 + ($b2 !== 0 ? L[$b2] : 0)) & 63; const h = H[$r3], l = L[$r3];
    if (sh === 0) { H[$r1] = h; L[$r1] = l; }
    else if (sh < 32) { H[$r1] = (h << sh) | (l >>> (32 - sh)); L[$r1] = l << sh; }
    else { H[$r1] = l << (sh - 32); L[$r1] = 0; }`)),
  def('srlg', 'EB0C', 'RSY', 'R1,R3,D2(B2)', S, 'shift right single logical 64 bits: r1 := r3 >> n', sem(`
    const sh = ($d2 + ($b2 !== 0 ? L[$b2] : 0)) & 63; const h = H[$r3], l = L[$r3];
    if (sh === 0) { H[$r1] = h; L[$r1] = l; }
    else if (sh < 32) { L[$r1] = (l >>> sh) | (h << (32 - sh)); H[$r1] = h >>> sh; }
    else { L[$r1] = h >>> (sh - 32); H[$r1] = 0; }`)),
  def('slag', 'EB0B', 'RSY', 'R1,R3,D2(B2)', S, 'shift left arithmetic 64 bits (sign kept); cc, overflow → cc 3', (c, i) => {
    const ovf = sla64(c.hi[i.r3], c.lo[i.r3], amount(c, i));
    c.hi[i.r1] = out.h; c.lo[i.r1] = out.l;
    if (ovf) c.overflow();
    else c.cc = ccSigned64(out.h, out.l);
  }),
  def('srag', 'EB0A', 'RSY', 'R1,R3,D2(B2)', S, 'shift right arithmetic 64 bits; cc', (c, i) => {
    sar64(c.hi[i.r3], c.lo[i.r3], amount(c, i));
    c.hi[i.r1] = out.h; c.lo[i.r1] = out.l;
    c.cc = ccSigned64(out.h, out.l);
  }),
  // ---- double: the even/odd pair's low words as one 64-bit value ----
  def('sldl', '8D', 'RS', 'P1,D2(B2)', S, 'shift the pair r1:r1+1 (bits 32-63 of each) left logical', (c, i) => {
    evenPair(i.r1);
    shl64(c.lo[i.r1], c.lo[i.r1 + 1], amount(c, i));
    c.lo[i.r1] = out.h; c.lo[i.r1 + 1] = out.l;
  }),
  def('srdl', '8C', 'RS', 'P1,D2(B2)', S, 'shift the pair r1:r1+1 right logical', (c, i) => {
    evenPair(i.r1);
    shr64(c.lo[i.r1], c.lo[i.r1 + 1], amount(c, i));
    c.lo[i.r1] = out.h; c.lo[i.r1 + 1] = out.l;
  }),
  def('slda', '8F', 'RS', 'P1,D2(B2)', S, 'shift the pair r1:r1+1 left arithmetic; cc, overflow → cc 3', (c, i) => {
    evenPair(i.r1);
    const ovf = sla64(c.lo[i.r1], c.lo[i.r1 + 1], amount(c, i));
    c.lo[i.r1] = out.h; c.lo[i.r1 + 1] = out.l;
    if (ovf) c.overflow();
    else c.cc = ccSigned64(out.h, out.l);
  }),
  def('srda', '8E', 'RS', 'P1,D2(B2)', S, 'shift the pair r1:r1+1 right arithmetic; cc', (c, i) => {
    evenPair(i.r1);
    sar64(c.lo[i.r1], c.lo[i.r1 + 1], amount(c, i));
    c.lo[i.r1] = out.h; c.lo[i.r1 + 1] = out.l;
    c.cc = ccSigned64(out.h, out.l);
  }),
  // ---- rotates ----
  def('rll', 'EB1D', 'RSY', 'R1,R3,D2(B2)', S, 'r1[32:63] := r3[32:63] rotated left', (c, i) => {
    const n = amount(c, i) & 31;
    const v = c.lo[i.r3];
    c.lo[i.r1] = n === 0 ? v : (v << n) | (v >>> (32 - n));
  }),
  def('rllg', 'EB1C', 'RSY', 'R1,R3,D2(B2)', S, 'r1 := r3 rotated left (64 bits)', (c, i) => {
    rotl64(c.hi[i.r3], c.lo[i.r3], amount(c, i));
    c.hi[i.r1] = out.h; c.lo[i.r1] = out.l;
  }),
  def('risbg', 'EC55', 'RIE_F', 'R1,R2,U3,U4,U5', S,
    'rotate r2 left by I5, insert bits I3..I4 (wrapping) into r1; I4 bit 0 zeroes the rest; cc by the 64-bit result', (c, i) => {
      rotl64(c.hi[i.r2], c.lo[i.r2], i.i5 & 63);
      selMask(i.i3 & 63, i.i4 & 63);
      const keep = (i.i4 & 0x80) === 0;
      const h = ((out.h & msk.h) | (keep ? c.hi[i.r1] & ~msk.h : 0)) >>> 0;
      const l = ((out.l & msk.l) | (keep ? c.lo[i.r1] & ~msk.l : 0)) >>> 0;
      c.hi[i.r1] = h; c.lo[i.r1] = l;
      c.cc = ccSigned64(h, l);
    }),
  def('rnsbg', 'EC54', 'RIE_F', 'R1,R2,U3,U4,U5', S, 'rotate r2, AND into the selected bits of r1; cc 0 selected bits zero, else 1', (c, i) => {
    rxsbg(c, i, Rsb.AND);
  }),
  def('rosbg', 'EC56', 'RIE_F', 'R1,R2,U3,U4,U5', S, 'rotate r2, OR into the selected bits of r1; cc 0 selected bits zero, else 1', (c, i) => {
    rxsbg(c, i, Rsb.OR);
  }),
  def('rxsbg', 'EC57', 'RIE_F', 'R1,R2,U3,U4,U5', S, 'rotate r2, exclusive-OR into the selected bits of r1; cc 0 selected bits zero, else 1', (c, i) => {
    rxsbg(c, i, Rsb.XOR);
  }),
];
