/**
 * Fixed-point arithmetic (PoP chapter 7): ADD, SUBTRACT, MULTIPLY, DIVIDE
 * and their logical forms. Family "arithmetic" of isa.md.
 *
 * Conventions (PoP "Fixed-Point Arithmetic"):
 * - 32-bit forms work on bits 32-63 and leave bits 0-31 of R1 unchanged.
 * - Signed add/subtract: cc 0 zero, 1 < 0, 2 > 0, 3 overflow; on overflow the
 *   (truncated) result is stored and, when PSW bit 20 is one, a
 *   fixed-point-overflow interruption follows (`c.overflow()`; completing).
 * - Logical add: cc 0 zero/no carry, 1 nonzero/no carry, 2 zero/carry,
 *   3 nonzero/carry. Logical subtract: the same with carry = "no borrow", so
 *   cc 1 nonzero/borrow, 2 zero/no borrow, 3 nonzero/no borrow.
 * - MULTIPLY and DIVIDE leave the cc unchanged; forms that use an even/odd
 *   pair raise a specification exception for an odd R1 (recognized before
 *   the storage operand is accessed). DIVIDE raises fixed-point divide on a
 *   zero divisor or a quotient that does not fit (suppressed: nothing changes).
 */
import { def, type InstructionDef, type Insn } from './types.js';
import { sem, S } from './sem.js';
import { eaB1, eaX2, evenPair, interlocked } from './common.js';
import type { Cpu } from '../cpu.js';
import { pgm, PIC } from '../exceptions.js';
import {
  addLogical32, addLogical64, subLogical32, subLogical64, signHi, addS32cc, addS64cc, addL32cc, addL64cc, mulS32, mulU32, mulLo64, T, big64, bigS64, setBig64, h16, TWO32,
} from '../alu.js';


// carry / borrow from the cc of a previous logical operation:
// ADD LOGICAL WITH CARRY uses cc bit 0 of the two (cc 2/3 = carry);
// SUBTRACT LOGICAL WITH BORROW: cc 0/1 = borrow.
const carryIn = (c: Cpu): number => c.cc >>> 1;
const borrowIn = (c: Cpu): number => 1 - (c.cc >>> 1);
const none = (): number => 0;

type Logical32 = (c: Cpu, r1: number, a: number, b: number, cin: number) => void;
type Logical64 = (c: Cpu, r1: number, ah: number, al: number, bh: number, bl: number, cin: number) => void;

/**
 * The operand forms ADD LOGICAL and SUBTRACT LOGICAL (and their WITH CARRY /
 * WITH BORROW forms) share: one 32- and one 64-bit operation of alu.ts, the
 * carry or borrow taken in by `cin`, and where the second operand comes from
 * (g: 64-bit, gf: zero-extended 32-bit; r register, k three-register, x
 * storage D2(X2,B2), i immediate).
 */
function logicalForms(op32: Logical32, op64: Logical64, cin: (c: Cpu) => number) {
  type E = (c: Cpu, i: Insn) => void;
  const r: E = (c, i) => op32(c, i.r1, c.lo[i.r1], c.lo[i.r2], cin(c));
  const gr: E = (c, i) => op64(c, i.r1, c.hi[i.r1], c.lo[i.r1], c.hi[i.r2], c.lo[i.r2], cin(c));
  const gfr: E = (c, i) => op64(c, i.r1, c.hi[i.r1], c.lo[i.r1], 0, c.lo[i.r2], cin(c));
  const k: E = (c, i) => op32(c, i.r1, c.lo[i.r2], c.lo[i.r3], cin(c));
  const gk: E = (c, i) => op64(c, i.r1, c.hi[i.r2], c.lo[i.r2], c.hi[i.r3], c.lo[i.r3], cin(c));
  const x: E = (c, i) => op32(c, i.r1, c.lo[i.r1], c.mem.ld32(eaX2(c, i)), cin(c));
  const gx: E = (c, i) => {
    const m = c.mem;
    m.ld64(eaX2(c, i));
    op64(c, i.r1, c.hi[i.r1], c.lo[i.r1], m.rhi, m.rlo, cin(c));
  };
  const gfx: E = (c, i) => op64(c, i.r1, c.hi[i.r1], c.lo[i.r1], 0, c.mem.ld32(eaX2(c, i)), cin(c));
  const imm: E = (c, i) => op32(c, i.r1, c.lo[i.r1], i.i2, cin(c));
  const gfi: E = (c, i) => op64(c, i.r1, c.hi[i.r1], c.lo[i.r1], 0, i.i2, cin(c));
  return { r, gr, gfr, k, gk, x, gx, gfx, imm, gfi };
}

const AL = logicalForms(addLogical32, addLogical64, none);
const ALC = logicalForms(addLogical32, addLogical64, carryIn);
const SL = logicalForms(subLogical32, subLogical64, none);
const SLB = logicalForms(subLogical32, subLogical64, borrowIn);

// ---- multiply helpers (cc unchanged) ----

/** MULTIPLY (M, MR): pair R1 := (R1+1)[32:63] * op2, signed 64-bit product in bits 32-63 of the pair. */
function mulPair32(c: Cpu, r1: number, b: number): void {
  mulS32(c.lo[r1 + 1], b);
  c.lo[r1] = T.hi;
  c.lo[r1 + 1] = T.lo;
}

/** MULTIPLY LOGICAL (ML, MLR): unsigned. */
function mulPairL32(c: Cpu, r1: number, b: number): void {
  mulU32(c.lo[r1 + 1], b);
  c.lo[r1] = T.hi;
  c.lo[r1 + 1] = T.lo;
}

/** MULTIPLY LOGICAL (MLG, MLGR): R1+1 (64) * op2 (64) → 128-bit unsigned product in the pair. */
function mulPairL64(c: Cpu, r1: number, bh: number, bl: number): void {
  const p = big64(c.hi[r1 + 1], c.lo[r1 + 1]) * big64(bh, bl);
  setBig64(c, r1, p >> 64n);
  setBig64(c, r1 + 1, p);
}

/** MULTIPLY SINGLE (64): R1 := low 64 bits of R1 * op2; no overflow indication. */
function msg(c: Cpu, r1: number, bh: number, bl: number): void {
  mulLo64(c.hi[r1], c.lo[r1], bh, bl);
  c.hi[r1] = T.hi;
  c.lo[r1] = T.lo;
}

// ---- divide helpers (BigInt: rare instructions) ----

const S32_MIN = -(1n << 31n), S32_MAX = (1n << 31n) - 1n;
const S64_MIN = -(1n << 63n);

/** DIVIDE (D, DR): 64-bit signed dividend in bits 32-63 of the pair, 32-bit signed divisor. */
function div32(c: Cpu, r1: number, divisor: number): void {
  const d = BigInt(divisor | 0);
  if (d === 0n) pgm(PIC.FIXED_POINT_DIVIDE);
  const n = BigInt.asIntN(64, (BigInt(c.lo[r1]) << 32n) | BigInt(c.lo[r1 + 1]));
  const q = n / d; // BigInt division truncates toward zero, as the PoP requires
  if (q < S32_MIN || q > S32_MAX) pgm(PIC.FIXED_POINT_DIVIDE);
  const r = n - q * d; // remainder has the sign of the dividend
  c.lo[r1] = Number(BigInt.asUintN(32, r));
  c.lo[r1 + 1] = Number(BigInt.asUintN(32, q));
}

/** DIVIDE LOGICAL (DL, DLR): 64-bit unsigned dividend in bits 32-63 of the pair, 32-bit divisor. */
function divL32(c: Cpu, r1: number, divisor: number): void {
  const d = BigInt(divisor >>> 0);
  if (d === 0n) pgm(PIC.FIXED_POINT_DIVIDE);
  const n = (BigInt(c.lo[r1]) << 32n) | BigInt(c.lo[r1 + 1]);
  const q = n / d;
  if (q > 0xffffffffn) pgm(PIC.FIXED_POINT_DIVIDE);
  c.lo[r1] = Number(n % d);
  c.lo[r1 + 1] = Number(q);
}

/** DIVIDE LOGICAL (DLG, DLGR): 128-bit unsigned dividend in the pair, 64-bit divisor. */
function divL64(c: Cpu, r1: number, dh: number, dl: number): void {
  const d = big64(dh, dl);
  if (d === 0n) pgm(PIC.FIXED_POINT_DIVIDE);
  const n = (big64(c.hi[r1], c.lo[r1]) << 64n) | big64(c.hi[r1 + 1], c.lo[r1 + 1]);
  const q = n / d;
  if (q > 0xffffffffffffffffn) pgm(PIC.FIXED_POINT_DIVIDE);
  setBig64(c, r1, n % d);
  setBig64(c, r1 + 1, q);
}

/**
 * DIVIDE SINGLE (DSG...): 64-bit signed dividend in R1+1, signed divisor
 * (dh:dl, 64 bits); only -2^63 / -1 overflows. Operands within 2^53 divide
 * as numbers (the kernel workload divides per page; BigInt cost ~1 us); the
 * remainder check proves the quotient exact, anything else takes BigInt.
 */
function divS64(c: Cpu, r1: number, dh: number, dl: number): void {
  const nh = c.hi[r1 + 1] | 0, sdh = dh | 0;
  if (nh >= -0x200000 && nh < 0x200000 && sdh >= -0x200000 && sdh < 0x200000) {
    const n = nh * TWO32 + c.lo[r1 + 1], d = sdh * TWO32 + (dl >>> 0);
    if (d === 0) pgm(PIC.FIXED_POINT_DIVIDE);
    const q = Math.trunc(n / d);
    const r = n - q * d;
    // truncation toward zero: |r| < |d|, r zero or of the dividend's sign
    if (Math.abs(r) < Math.abs(d) && (r === 0 || (r < 0) === (n < 0))) {
      setS64(c, r1, r);
      setS64(c, r1 + 1, q);
      return;
    }
  }
  const d = bigS64(dh, dl);
  if (d === 0n) pgm(PIC.FIXED_POINT_DIVIDE);
  const n = bigS64(c.hi[r1 + 1], c.lo[r1 + 1]);
  if (n === S64_MIN && d === -1n) pgm(PIC.FIXED_POINT_DIVIDE);
  const q = n / d;
  setBig64(c, r1, n - q * d);
  setBig64(c, r1 + 1, q);
}

/** A signed integer within 2^53 into a 64-bit register (two's complement halves). */
function setS64(c: Cpu, r: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  c.hi[r] = hi >>> 0;
  c.lo[r] = (v - hi * TWO32) >>> 0;
}

// ---- high-word facility helpers: the same rules on bits 0-31 (hi[]) ----

/** signed 32-bit subtract, cc 0/1/2 or 3 on overflow (not raised) */
function subS32cc(c: Cpu, a: number, b: number): number {
  const r = (a - b) | 0;
  c.cc = (((a ^ b) & (a ^ r)) & 0x80000000) !== 0 ? 3 : r === 0 ? 0 : r < 0 ? 1 : 2;
  return r;
}

/** unsigned 32-bit subtract as a + ~b + 1; cc as SUBTRACT LOGICAL */
function subL32cc(c: Cpu, a: number, b: number): number {
  const s = (a >>> 0) + (~b >>> 0) + 1;
  const r = s >>> 0;
  c.cc = (r !== 0 ? 1 : 0) | (s > 0xffffffff ? 2 : 0);
  return r;
}

/** store a signed result into bits 0-31 of r1, then report overflow (completing) */
function setHiS(c: Cpu, r1: number, v: number): void {
  c.hi[r1] = v;
  if (c.cc === 3) c.overflow();
}

const A = 'arithmetic' as const;

export const ARITHMETIC: InstructionDef[] = [
  // ================= ADD (signed) =================
  def('ar', '1A', 'RR', 'R1,R2', A, 'add 32 bits: r1 += r2, cc by result, overflow → cc 3', sem(S.add32('$r1', 'L[$r1]', 'L[$r2]'))),
  def('agr', 'B908', 'RRE', 'R1,R2', A, 'add 64 bits: r1 += r2, cc by result, overflow → cc 3', sem(S.add64('$r1', 'H[$r1]', 'L[$r1]', 'H[$r2]', 'L[$r2]'))),
  def('agfr', 'B918', 'RRE', 'R1,R2', A, 'add 32-bit r2 sign-extended to 64-bit r1', sem(S.add64('$r1', 'H[$r1]', 'L[$r1]', S.sx('L[$r2]'), 'L[$r2]'))),
  def('ark', 'B9F8', 'RRF', 'R1,R2,R3', A, 'add 32 bits: r1 := r2 + r3', sem(S.add32('$r1', 'L[$r2]', 'L[$r3]'))),
  def('agrk', 'B9E8', 'RRF', 'R1,R2,R3', A, 'add 64 bits: r1 := r2 + r3', sem(S.add64('$r1', 'H[$r2]', 'L[$r2]', 'H[$r3]', 'L[$r3]'))),
  def('a', '5A', 'RX', 'R1,D2(X2,B2)', A, 'add 32 bits from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.add32('$r1', 'L[$r1]', 'x'))),
  def('ay', 'E35A', 'RXY', 'R1,D2(X2,B2)', A, 'add 32 bits from storage (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.add32('$r1', 'L[$r1]', 'x'))),
  def('ag', 'E308', 'RXY', 'R1,D2(X2,B2)', A, 'add 64 bits from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.add64('$r1', 'H[$r1]', 'L[$r1]', 'xh', 'xl'))),
  def('agf', 'E318', 'RXY', 'R1,D2(X2,B2)', A, 'add a sign-extended 32-bit word from storage to 64-bit r1', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.add64('$r1', 'H[$r1]', 'L[$r1]', S.sx('x'), 'x'))),
  def('ah', '4A', 'RX', 'R1,D2(X2,B2)', A, 'add a sign-extended halfword from storage (32 bits)', sem(
    'let x; ' + S.ld16('x', '$EA2') + ' x = (x << 16) >> 16; ' + S.add32('$r1', 'L[$r1]', 'x'))),
  def('ahy', 'E37A', 'RXY', 'R1,D2(X2,B2)', A, 'add halfword from storage (long displacement)', sem(
    'let x; ' + S.ld16('x', '$EA2') + ' x = (x << 16) >> 16; ' + S.add32('$r1', 'L[$r1]', 'x'))),
  def('ahi', 'A7A', 'RI', 'R1,I2', A, 'add halfword immediate (32 bits)', sem(S.add32('$r1', 'L[$r1]', '$i2'))),
  def('aghi', 'A7B', 'RI', 'R1,I2', A, 'add halfword immediate (64 bits)', sem(S.add64('$r1', 'H[$r1]', 'L[$r1]', '($i2 < 0 ? 0xffffffff : 0)', '($i2 >>> 0)'))),
  def('ahik', 'ECD8', 'RIE', 'R1,R3,I2', A, 'add halfword immediate: r1 := r3 + i2 (32 bits)', sem(S.add32('$r1', 'L[$r3]', '$i2'))),
  def('aghik', 'ECD9', 'RIE', 'R1,R3,I2', A, 'add halfword immediate: r1 := r3 + i2 (64 bits)', sem(S.add64('$r1', 'H[$r3]', 'L[$r3]', '($i2 < 0 ? 0xffffffff : 0)', '($i2 >>> 0)'))),
  def('afi', 'C29', 'RIL', 'R1,I2', A, 'add 32-bit immediate (32 bits)', sem(S.add32('$r1', 'L[$r1]', '$i2'))),
  def('agfi', 'C28', 'RIL', 'R1,I2', A, 'add 32-bit immediate sign-extended (64 bits)', sem(S.add64('$r1', 'H[$r1]', 'L[$r1]', '($i2 < 0 ? 0xffffffff : 0)', '($i2 >>> 0)'))),
  def('asi', 'EB6A', 'SIY', 'D1(B1),I2', A, 'add signed 8-bit immediate to a 32-bit word in storage', (c, i) => {
    const a = eaB1(c, i);
    const r = addS32cc(c, c.mem.ld32(a), i.i2);
    c.mem.st32(a, r); // the sum is stored even on overflow (the interruption completes)
    if (c.cc === 3) c.overflow();
  }),
  // the sum is stored even on overflow (the interruption completes)
  def('agsi', 'EB7A', 'SIY', 'D1(B1),I2', A, 'add signed 8-bit immediate to a 64-bit doubleword in storage', sem(`
    const ea = $EA1; let xh = 0, xl = 0; ${S.ld64('xh', 'xl', 'ea')}
    ${S.sum64('xh', 'xl', '$i2 < 0 ? 0xffffffff : 0', '$i2 >>> 0', S.st64('ea', 'hi', 'lo'))}`)),

  // LOAD AND ADD (interlocked-access facility 1; Linux atomics on z196): R1 :=
  // the original operand, storage := operand + R3, cc as ADD; the operand must
  // be aligned on its size. On overflow the sum is stored and R1 loaded first.
  def('laa', 'EBF8', 'RSY', 'R1,R3,D2(B2)', A, 'load and add 32 bits: r1 := storage, storage += r3 (interlocked)', (c, i) => {
    const a = interlocked(c, i, 4);
    const m = c.mem;
    const v = m.ld32(a);
    m.st32(a, addS32cc(c, v, c.lo[i.r3]));
    c.lo[i.r1] = v;
    if (c.cc === 3) c.overflow();
  }),
  def('laag', 'EBE8', 'RSY', 'R1,R3,D2(B2)', A, 'load and add 64 bits: r1 := storage, storage += r3 (interlocked)', (c, i) => {
    const a = interlocked(c, i, 8);
    const m = c.mem;
    m.ld64(a);
    const h = m.rhi, l = m.rlo;
    addS64cc(c, h, l, c.hi[i.r3], c.lo[i.r3]);
    m.st64(a, T.hi, T.lo);
    c.hi[i.r1] = h; c.lo[i.r1] = l;
    if (c.cc === 3) c.overflow();
  }),
  def('laal', 'EBFA', 'RSY', 'R1,R3,D2(B2)', A, 'load and add logical 32 bits (interlocked)', (c, i) => {
    const a = interlocked(c, i, 4);
    const m = c.mem;
    const v = m.ld32(a);
    m.st32(a, addL32cc(c, v, c.lo[i.r3]));
    c.lo[i.r1] = v;
  }),
  def('laalg', 'EBEA', 'RSY', 'R1,R3,D2(B2)', A, 'load and add logical 64 bits (interlocked)', (c, i) => {
    const a = interlocked(c, i, 8);
    const m = c.mem;
    m.ld64(a);
    const h = m.rhi, l = m.rlo;
    addL64cc(c, h, l, c.hi[i.r3], c.lo[i.r3]);
    m.st64(a, T.hi, T.lo);
    c.hi[i.r1] = h; c.lo[i.r1] = l;
  }),

  // ================= ADD LOGICAL =================
  def('alr', '1E', 'RR', 'R1,R2', A, 'add logical 32 bits: cc tells zero/nonzero and carry', AL.r),
  def('algr', 'B90A', 'RRE', 'R1,R2', A, 'add logical 64 bits', AL.gr),
  def('algfr', 'B91A', 'RRE', 'R1,R2', A, 'add logical zero-extended 32-bit r2 to 64-bit r1', AL.gfr),
  def('alrk', 'B9FA', 'RRF', 'R1,R2,R3', A, 'add logical 32 bits: r1 := r2 + r3', AL.k),
  def('algrk', 'B9EA', 'RRF', 'R1,R2,R3', A, 'add logical 64 bits: r1 := r2 + r3', AL.gk),
  def('al', '5E', 'RX', 'R1,D2(X2,B2)', A, 'add logical 32 bits from storage', AL.x),
  def('aly', 'E35E', 'RXY', 'R1,D2(X2,B2)', A, 'add logical 32 bits from storage (long displacement)', AL.x),
  def('alg', 'E30A', 'RXY', 'R1,D2(X2,B2)', A, 'add logical 64 bits from storage', AL.gx),
  def('algf', 'E31A', 'RXY', 'R1,D2(X2,B2)', A, 'add logical zero-extended 32-bit word from storage (64 bits)', AL.gfx),
  def('alfi', 'C2B', 'RIL', 'R1,U2', A, 'add logical 32-bit immediate (32 bits)', AL.imm),
  def('algfi', 'C2A', 'RIL', 'R1,U2', A, 'add logical zero-extended 32-bit immediate (64 bits)', AL.gfi),
  def('alcr', 'B998', 'RRE', 'R1,R2', A, 'add logical with carry (cc 2/3) 32 bits', ALC.r),
  def('alcgr', 'B988', 'RRE', 'R1,R2', A, 'add logical with carry (cc 2/3) 64 bits', ALC.gr),
  def('alc', 'E398', 'RXY', 'R1,D2(X2,B2)', A, 'add logical with carry, 32 bits from storage', ALC.x),
  def('alcg', 'E388', 'RXY', 'R1,D2(X2,B2)', A, 'add logical with carry, 64 bits from storage', ALC.gx),
  // ADD LOGICAL WITH SIGNED IMMEDIATE: the sign-extended immediate is added as
  // an unsigned value, so a negative immediate behaves as a subtraction whose
  // "no borrow" shows as carry (PoP).
  def('alsi', 'EB6E', 'SIY', 'D1(B1),I2', A, 'add logical signed 8-bit immediate to a word in storage', (c, i) => {
    const a = eaB1(c, i);
    const r = addL32cc(c, c.mem.ld32(a), i.i2);
    c.mem.st32(a, r);
  }),
  def('algsi', 'EB7E', 'SIY', 'D1(B1),I2', A, 'add logical signed 8-bit immediate to a doubleword in storage', (c, i) => {
    const a = eaB1(c, i);
    const m = c.mem;
    m.ld64(a);
    addL64cc(c, m.rhi, m.rlo, i.i2 < 0 ? 0xffffffff : 0, i.i2 >>> 0);
    m.st64(a, T.hi, T.lo);
  }),
  def('alhsik', 'ECDA', 'RIE', 'R1,R3,I2', A, 'add logical signed halfword immediate: r1 := r3 + i2 (32 bits)', (c, i) => {
    c.lo[i.r1] = addL32cc(c, c.lo[i.r3], i.i2);
  }),
  def('alghsik', 'ECDB', 'RIE', 'R1,R3,I2', A, 'add logical signed halfword immediate: r1 := r3 + i2 (64 bits)', (c, i) => {
    addL64cc(c, c.hi[i.r3], c.lo[i.r3], i.i2 < 0 ? 0xffffffff : 0, i.i2 >>> 0);
    c.hi[i.r1] = T.hi; c.lo[i.r1] = T.lo;
  }),

  // ================= SUBTRACT (signed) =================
  def('sr', '1B', 'RR', 'R1,R2', A, 'subtract 32 bits: r1 -= r2, overflow → cc 3', sem(S.sub32('$r1', 'L[$r1]', 'L[$r2]'))),
  def('sgr', 'B909', 'RRE', 'R1,R2', A, 'subtract 64 bits', sem(S.sub64('$r1', 'H[$r1]', 'L[$r1]', 'H[$r2]', 'L[$r2]'))),
  def('sgfr', 'B919', 'RRE', 'R1,R2', A, 'subtract sign-extended 32-bit r2 from 64-bit r1', sem(S.sub64('$r1', 'H[$r1]', 'L[$r1]', S.sx('L[$r2]'), 'L[$r2]'))),
  def('srk', 'B9F9', 'RRF', 'R1,R2,R3', A, 'subtract 32 bits: r1 := r2 - r3', sem(S.sub32('$r1', 'L[$r2]', 'L[$r3]'))),
  def('sgrk', 'B9E9', 'RRF', 'R1,R2,R3', A, 'subtract 64 bits: r1 := r2 - r3', sem(S.sub64('$r1', 'H[$r2]', 'L[$r2]', 'H[$r3]', 'L[$r3]'))),
  def('s', '5B', 'RX', 'R1,D2(X2,B2)', A, 'subtract 32 bits from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.sub32('$r1', 'L[$r1]', 'x'))),
  def('sy', 'E35B', 'RXY', 'R1,D2(X2,B2)', A, 'subtract 32 bits from storage (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.sub32('$r1', 'L[$r1]', 'x'))),
  def('sg', 'E309', 'RXY', 'R1,D2(X2,B2)', A, 'subtract 64 bits from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.sub64('$r1', 'H[$r1]', 'L[$r1]', 'xh', 'xl'))),
  def('sgf', 'E319', 'RXY', 'R1,D2(X2,B2)', A, 'subtract a sign-extended word from storage (64 bits)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.sub64('$r1', 'H[$r1]', 'L[$r1]', S.sx('x'), 'x'))),
  def('sh', '4B', 'RX', 'R1,D2(X2,B2)', A, 'subtract a sign-extended halfword from storage (32 bits)', sem(
    'let x; ' + S.ld16('x', '$EA2') + ' x = (x << 16) >> 16; ' + S.sub32('$r1', 'L[$r1]', 'x'))),
  def('shy', 'E37B', 'RXY', 'R1,D2(X2,B2)', A, 'subtract halfword from storage (long displacement)', sem(
    'let x; ' + S.ld16('x', '$EA2') + ' x = (x << 16) >> 16; ' + S.sub32('$r1', 'L[$r1]', 'x'))),

  // ================= SUBTRACT LOGICAL =================
  def('slr', '1F', 'RR', 'R1,R2', A, 'subtract logical 32 bits: cc 1 borrow, 2 zero, 3 nonzero', SL.r),
  def('slgr', 'B90B', 'RRE', 'R1,R2', A, 'subtract logical 64 bits', SL.gr),
  def('slgfr', 'B91B', 'RRE', 'R1,R2', A, 'subtract logical zero-extended 32-bit r2 from 64-bit r1', SL.gfr),
  def('slrk', 'B9FB', 'RRF', 'R1,R2,R3', A, 'subtract logical 32 bits: r1 := r2 - r3', SL.k),
  def('slgrk', 'B9EB', 'RRF', 'R1,R2,R3', A, 'subtract logical 64 bits: r1 := r2 - r3', SL.gk),
  def('sl', '5F', 'RX', 'R1,D2(X2,B2)', A, 'subtract logical 32 bits from storage', SL.x),
  def('sly', 'E35F', 'RXY', 'R1,D2(X2,B2)', A, 'subtract logical 32 bits from storage (long displacement)', SL.x),
  def('slg', 'E30B', 'RXY', 'R1,D2(X2,B2)', A, 'subtract logical 64 bits from storage', SL.gx),
  def('slgf', 'E31B', 'RXY', 'R1,D2(X2,B2)', A, 'subtract logical zero-extended word from storage (64 bits)', SL.gfx),
  def('slfi', 'C25', 'RIL', 'R1,U2', A, 'subtract logical 32-bit immediate (32 bits)', SL.imm),
  def('slgfi', 'C24', 'RIL', 'R1,U2', A, 'subtract logical zero-extended 32-bit immediate (64 bits)', SL.gfi),
  def('slbr', 'B999', 'RRE', 'R1,R2', A, 'subtract logical with borrow (cc 0/1) 32 bits', SLB.r),
  def('slbgr', 'B989', 'RRE', 'R1,R2', A, 'subtract logical with borrow (cc 0/1) 64 bits', SLB.gr),
  def('slb', 'E399', 'RXY', 'R1,D2(X2,B2)', A, 'subtract logical with borrow, 32 bits from storage', SLB.x),
  def('slbg', 'E389', 'RXY', 'R1,D2(X2,B2)', A, 'subtract logical with borrow, 64 bits from storage', SLB.gx),

  // ================= MULTIPLY (cc unchanged) =================
  def('mr', '1C', 'RR', 'P1,R2', A, 'multiply 32x32 → 64 signed: pair r1 := r1+1 * r2', (c, i) => {
    evenPair(i.r1);
    mulPair32(c, i.r1, c.lo[i.r2]);
  }),
  def('m', '5C', 'RX', 'P1,D2(X2,B2)', A, 'multiply 32x32 → 64 signed with a word from storage', (c, i) => {
    evenPair(i.r1);
    mulPair32(c, i.r1, c.mem.ld32(eaX2(c, i)));
  }),
  def('mfy', 'E35C', 'RXY', 'P1,D2(X2,B2)', A, 'multiply 32x32 → 64 signed with a word from storage (long displacement)', (c, i) => {
    evenPair(i.r1);
    mulPair32(c, i.r1, c.mem.ld32(eaX2(c, i)));
  }),
  def('mlr', 'B996', 'RRE', 'P1,R2', A, 'multiply logical 32x32 → 64 unsigned: pair r1 := r1+1 * r2', (c, i) => {
    evenPair(i.r1);
    mulPairL32(c, i.r1, c.lo[i.r2]);
  }),
  def('ml', 'E396', 'RXY', 'P1,D2(X2,B2)', A, 'multiply logical 32x32 → 64 with a word from storage', (c, i) => {
    evenPair(i.r1);
    mulPairL32(c, i.r1, c.mem.ld32(eaX2(c, i)));
  }),
  def('mlgr', 'B986', 'RRE', 'P1,R2', A, 'multiply logical 64x64 → 128 unsigned: pair r1 := r1+1 * r2', (c, i) => {
    evenPair(i.r1);
    mulPairL64(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('mlg', 'E386', 'RXY', 'P1,D2(X2,B2)', A, 'multiply logical 64x64 → 128 with a doubleword from storage', (c, i) => {
    evenPair(i.r1);
    const m = c.mem;
    m.ld64(eaX2(c, i));
    mulPairL64(c, i.r1, m.rhi, m.rlo);
  }),
  def('msr', 'B252', 'RRE', 'R1,R2', A, 'multiply single 32 bits: r1 := low 32 bits of r1 * r2 (no overflow check)', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], c.lo[i.r2]);
  }),
  def('ms', '71', 'RX', 'R1,D2(X2,B2)', A, 'multiply single 32 bits by a word from storage', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], c.mem.ld32(eaX2(c, i)));
  }),
  def('msy', 'E351', 'RXY', 'R1,D2(X2,B2)', A, 'multiply single 32 bits by a word from storage (long displacement)', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], c.mem.ld32(eaX2(c, i)));
  }),
  def('msfi', 'C21', 'RIL', 'R1,I2', A, 'multiply single 32 bits by a 32-bit immediate', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], i.i2);
  }),
  def('mh', '4C', 'RX', 'R1,D2(X2,B2)', A, 'multiply 32 bits by a sign-extended halfword from storage', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], h16(c.mem.ld16(eaX2(c, i))));
  }),
  def('mhy', 'E37C', 'RXY', 'R1,D2(X2,B2)', A, 'multiply halfword from storage (long displacement)', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], h16(c.mem.ld16(eaX2(c, i))));
  }),
  def('mhi', 'A7C', 'RI', 'R1,I2', A, 'multiply 32 bits by a halfword immediate', (c, i) => {
    c.lo[i.r1] = Math.imul(c.lo[i.r1], i.i2);
  }),
  def('mghi', 'A7D', 'RI', 'R1,I2', A, 'multiply 64 bits by a halfword immediate', (c, i) => {
    msg(c, i.r1, i.i2 < 0 ? 0xffffffff : 0, i.i2 >>> 0);
  }),
  def('msgr', 'B90C', 'RRE', 'R1,R2', A, 'multiply single 64 bits: r1 := low 64 bits of r1 * r2', (c, i) => {
    msg(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('msgfr', 'B91C', 'RRE', 'R1,R2', A, 'multiply single 64 bits by sign-extended 32-bit r2', (c, i) => {
    const v = c.lo[i.r2];
    msg(c, i.r1, signHi(v), v);
  }),
  def('msg', 'E30C', 'RXY', 'R1,D2(X2,B2)', A, 'multiply single 64 bits by a doubleword from storage', (c, i) => {
    const m = c.mem;
    m.ld64(eaX2(c, i));
    msg(c, i.r1, m.rhi, m.rlo);
  }),
  def('msgf', 'E31C', 'RXY', 'R1,D2(X2,B2)', A, 'multiply single 64 bits by a sign-extended word from storage', (c, i) => {
    const v = c.mem.ld32(eaX2(c, i));
    msg(c, i.r1, signHi(v), v);
  }),
  def('msgfi', 'C20', 'RIL', 'R1,I2', A, 'multiply single 64 bits by a sign-extended 32-bit immediate', (c, i) => {
    msg(c, i.r1, i.i2 < 0 ? 0xffffffff : 0, i.i2 >>> 0);
  }),

  // ================= high-word facility (bits 0-31 of the registers) =================
  def('aih', 'CC8', 'RIL', 'R1,I2', A, 'add immediate to bits 0-31 (high word)', (c, i) => {
    setHiS(c, i.r1, addS32cc(c, c.hi[i.r1], i.i2));
  }),
  def('alsih', 'CCA', 'RIL', 'R1,I2', A, 'add logical with signed immediate to the high word', (c, i) => {
    c.hi[i.r1] = addL32cc(c, c.hi[i.r1], i.i2);
  }),
  def('alsihn', 'CCB', 'RIL', 'R1,I2', A, 'add logical with signed immediate to the high word, cc unchanged', (c, i) => {
    c.hi[i.r1] = c.hi[i.r1] + i.i2;
  }),
  def('ahhhr', 'B9C8', 'RRF', 'R1,R2,R3', A, 'add high: r1.hi := r2.hi + r3.hi', (c, i) => {
    setHiS(c, i.r1, addS32cc(c, c.hi[i.r2], c.hi[i.r3]));
  }),
  def('ahhlr', 'B9D8', 'RRF', 'R1,R2,R3', A, 'add high: r1.hi := r2.hi + r3.lo', (c, i) => {
    setHiS(c, i.r1, addS32cc(c, c.hi[i.r2], c.lo[i.r3]));
  }),
  def('alhhhr', 'B9CA', 'RRF', 'R1,R2,R3', A, 'add logical high: r1.hi := r2.hi + r3.hi', (c, i) => {
    c.hi[i.r1] = addL32cc(c, c.hi[i.r2], c.hi[i.r3]);
  }),
  def('alhhlr', 'B9DA', 'RRF', 'R1,R2,R3', A, 'add logical high: r1.hi := r2.hi + r3.lo', (c, i) => {
    c.hi[i.r1] = addL32cc(c, c.hi[i.r2], c.lo[i.r3]);
  }),
  def('shhhr', 'B9C9', 'RRF', 'R1,R2,R3', A, 'subtract high: r1.hi := r2.hi - r3.hi', (c, i) => {
    setHiS(c, i.r1, subS32cc(c, c.hi[i.r2], c.hi[i.r3]));
  }),
  def('shhlr', 'B9D9', 'RRF', 'R1,R2,R3', A, 'subtract high: r1.hi := r2.hi - r3.lo', (c, i) => {
    setHiS(c, i.r1, subS32cc(c, c.hi[i.r2], c.lo[i.r3]));
  }),
  def('slhhhr', 'B9CB', 'RRF', 'R1,R2,R3', A, 'subtract logical high: r1.hi := r2.hi - r3.hi', (c, i) => {
    c.hi[i.r1] = subL32cc(c, c.hi[i.r2], c.hi[i.r3]);
  }),
  def('slhhlr', 'B9DB', 'RRF', 'R1,R2,R3', A, 'subtract logical high: r1.hi := r2.hi - r3.lo', (c, i) => {
    c.hi[i.r1] = subL32cc(c, c.hi[i.r2], c.lo[i.r3]);
  }),

  // ================= DIVIDE (cc unchanged) =================
  def('dr', '1D', 'RR', 'P1,R2', A, 'divide 64/32 signed: r1 := remainder, r1+1 := quotient', (c, i) => {
    evenPair(i.r1);
    div32(c, i.r1, c.lo[i.r2]);
  }),
  def('d', '5D', 'RX', 'P1,D2(X2,B2)', A, 'divide 64/32 signed by a word from storage', (c, i) => {
    evenPair(i.r1);
    div32(c, i.r1, c.mem.ld32(eaX2(c, i)));
  }),
  def('dlr', 'B997', 'RRE', 'P1,R2', A, 'divide logical 64/32 unsigned: r1 := remainder, r1+1 := quotient', (c, i) => {
    evenPair(i.r1);
    divL32(c, i.r1, c.lo[i.r2]);
  }),
  def('dl', 'E397', 'RXY', 'P1,D2(X2,B2)', A, 'divide logical 64/32 by a word from storage', (c, i) => {
    evenPair(i.r1);
    divL32(c, i.r1, c.mem.ld32(eaX2(c, i)));
  }),
  def('dlgr', 'B987', 'RRE', 'P1,R2', A, 'divide logical 128/64 unsigned: r1 := remainder, r1+1 := quotient', (c, i) => {
    evenPair(i.r1);
    divL64(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('dlg', 'E387', 'RXY', 'P1,D2(X2,B2)', A, 'divide logical 128/64 by a doubleword from storage', (c, i) => {
    evenPair(i.r1);
    const m = c.mem;
    m.ld64(eaX2(c, i));
    divL64(c, i.r1, m.rhi, m.rlo);
  }),
  def('dsgr', 'B90D', 'RRE', 'P1,R2', A, 'divide single 64/64 signed: r1 := remainder, r1+1 := quotient', (c, i) => {
    evenPair(i.r1);
    divS64(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('dsg', 'E30D', 'RXY', 'P1,D2(X2,B2)', A, 'divide single 64/64 signed by a doubleword from storage', (c, i) => {
    evenPair(i.r1);
    const m = c.mem;
    m.ld64(eaX2(c, i));
    divS64(c, i.r1, m.rhi, m.rlo);
  }),
  def('dsgfr', 'B91D', 'RRE', 'P1,R2', A, 'divide single 64 by sign-extended 32-bit r2', (c, i) => {
    evenPair(i.r1);
    divS64(c, i.r1, signHi(c.lo[i.r2]), c.lo[i.r2]);
  }),
  def('dsgf', 'E31D', 'RXY', 'P1,D2(X2,B2)', A, 'divide single 64 by a sign-extended word from storage', (c, i) => {
    evenPair(i.r1);
    { const v = c.mem.ld32(eaX2(c, i)); divS64(c, i.r1, signHi(v), v); }
  }),
];
