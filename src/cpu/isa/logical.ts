/**
 * AND, OR, EXCLUSIVE OR (PoP chapter 7). Family "logical" of isa.md.
 * cc 0 result zero, 1 result not zero. For the immediate forms on a
 * halfword or word of the register (NILL ... XIHF) the "result" is only the
 * 16/32 bits operated on; the rest of the register is unchanged.
 */
import { def, type InstructionDef, type Insn } from './types.js';
import { sem, S } from './sem.js';
import { eaB1, interlocked } from './common.js';
import type { Cpu } from '../cpu.js';

const L = 'logical' as const;

/** 32-bit result into bits 32-63 of r; cc by the result. */
function set32(c: Cpu, r: number, v: number): void {
  c.lo[r] = v;
  c.cc = v !== 0 ? 1 : 0;
}

function set64(c: Cpu, r: number, h: number, l: number): void {
  c.hi[r] = h; c.lo[r] = l;
  c.cc = (h | l) !== 0 ? 1 : 0;
}

/** AND / OR / XOR a byte in storage (NI, OI, XI and their Y forms): fetch, then store. */
function byteOp(c: Cpu, a: number, v: number): void {
  c.mem.st8(a, v);
  c.cc = v !== 0 ? 1 : 0;
}

/** Immediate on a halfword of the register: `hiHalf` picks hi[] (bits 0-31), `shift` 16 = left halfword. */
function andHalf(c: Cpu, r: number, hiHalf: boolean, shift: number, imm: number): void {
  const arr = hiHalf ? c.hi : c.lo;
  const keep = shift === 16 ? 0x0000ffff : 0xffff0000;
  const v = arr[r];
  const field = ((v >>> shift) & imm) & 0xffff;
  arr[r] = (v & keep) | (field << shift);
  c.cc = field !== 0 ? 1 : 0;
}

function orHalf(c: Cpu, r: number, hiHalf: boolean, shift: number, imm: number): void {
  const arr = hiHalf ? c.hi : c.lo;
  const v = arr[r];
  const field = ((v >>> shift) | imm) & 0xffff;
  arr[r] = v | (imm << shift);
  c.cc = field !== 0 ? 1 : 0;
}

/**
 * LOAD AND AND / OR / EXCLUSIVE OR (interlocked-access facility 1): R1 := the
 * original operand, storage := operand op R3, cc by the stored result.
 * The operand must be aligned on its size (specification otherwise).
 */
function loadAndOp32(c: Cpu, i: Insn, op: 0 | 1 | 2): void {
  const a = interlocked(c, i, 4);
  const m = c.mem;
  const v = m.ld32(a), r = c.lo[i.r3];
  const res = (op === 0 ? v & r : op === 1 ? v | r : v ^ r) >>> 0;
  m.st32(a, res);
  c.lo[i.r1] = v;
  c.cc = res !== 0 ? 1 : 0;
}

function loadAndOp64(c: Cpu, i: Insn, op: 0 | 1 | 2): void {
  const a = interlocked(c, i, 8);
  const m = c.mem;
  m.ld64(a);
  const h = m.rhi, l = m.rlo, rh = c.hi[i.r3], rl = c.lo[i.r3];
  const nh = (op === 0 ? h & rh : op === 1 ? h | rh : h ^ rh) >>> 0;
  const nl = (op === 0 ? l & rl : op === 1 ? l | rl : l ^ rl) >>> 0;
  m.st64(a, nh, nl);
  c.hi[i.r1] = h; c.lo[i.r1] = l;
  c.cc = (nh | nl) !== 0 ? 1 : 0;
}

/** Ones in each byte of a 32-bit word, as bytes (the POPULATION COUNT result). */
function popBytes(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (v + (v >>> 4)) & 0x0f0f0f0f;
}

export const LOGICAL: InstructionDef[] = [
  // POPULATION COUNT (population-count facility, z196): each byte of R1 := the
  // number of one bits in the same byte of R2; cc 0 if R2 is zero, else 1.
  def('popcnt', 'B9E1', 'RRE', 'R1,R2', L, 'population count: each byte of r1 := number of ones in that byte of r2', (c, i) => {
    const h = c.hi[i.r2], l = c.lo[i.r2];
    c.hi[i.r1] = popBytes(h);
    c.lo[i.r1] = popBytes(l);
    c.cc = (h | l) !== 0 ? 1 : 0;
  }),

  def('lan', 'EBF4', 'RSY', 'R1,R3,D2(B2)', L, 'load and AND 32 bits: r1 := storage, storage &= r3 (interlocked)', (c, i) => { loadAndOp32(c, i, 0); }),
  def('lang', 'EBE4', 'RSY', 'R1,R3,D2(B2)', L, 'load and AND 64 bits (interlocked)', (c, i) => { loadAndOp64(c, i, 0); }),
  def('lao', 'EBF6', 'RSY', 'R1,R3,D2(B2)', L, 'load and OR 32 bits: r1 := storage, storage |= r3 (interlocked)', (c, i) => { loadAndOp32(c, i, 1); }),
  def('laog', 'EBE6', 'RSY', 'R1,R3,D2(B2)', L, 'load and OR 64 bits (interlocked)', (c, i) => { loadAndOp64(c, i, 1); }),
  def('lax', 'EBF7', 'RSY', 'R1,R3,D2(B2)', L, 'load and exclusive OR 32 bits: r1 := storage, storage ^= r3 (interlocked)', (c, i) => { loadAndOp32(c, i, 2); }),
  def('laxg', 'EBE7', 'RSY', 'R1,R3,D2(B2)', L, 'load and exclusive OR 64 bits (interlocked)', (c, i) => { loadAndOp64(c, i, 2); }),

  // ================= AND =================
  def('nr', '14', 'RR', 'R1,R2', L, 'AND 32 bits: r1 &= r2', sem(S.bit32('&', '$r1', 'L[$r2]'))),
  def('ngr', 'B980', 'RRE', 'R1,R2', L, 'AND 64 bits: r1 &= r2', sem(S.bit64('&', '$r1', 'H[$r2]', 'L[$r2]'))),
  def('nrk', 'B9F4', 'RRF', 'R1,R2,R3', L, 'AND 32 bits: r1 := r2 & r3', (c, i) => {
    set32(c, i.r1, c.lo[i.r2] & c.lo[i.r3]);
  }),
  def('ngrk', 'B9E4', 'RRF', 'R1,R2,R3', L, 'AND 64 bits: r1 := r2 & r3', (c, i) => {
    set64(c, i.r1, c.hi[i.r2] & c.hi[i.r3], c.lo[i.r2] & c.lo[i.r3]);
  }),
  def('n', '54', 'RX', 'R1,D2(X2,B2)', L, 'AND 32 bits with a word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.bit32('&', '$r1', 'x'))),
  def('ny', 'E354', 'RXY', 'R1,D2(X2,B2)', L, 'AND 32 bits with a word from storage (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.bit32('&', '$r1', 'x'))),
  def('ng', 'E380', 'RXY', 'R1,D2(X2,B2)', L, 'AND 64 bits with a doubleword from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.bit64('&', '$r1', 'xh', 'xl'))),
  def('ni', '94', 'SI', 'D1(B1),U2', L, 'AND an immediate byte into storage', (c, i) => {
    const a = eaB1(c, i);
    byteOp(c, a, c.mem.ld8(a) & i.i2);
  }),
  def('niy', 'EB54', 'SIY', 'D1(B1),U2', L, 'AND an immediate byte into storage (long displacement)', (c, i) => {
    const a = eaB1(c, i);
    byteOp(c, a, c.mem.ld8(a) & i.i2);
  }),
  def('nihh', 'A54', 'RI', 'R1,U2', L, 'AND immediate into bits 0-15', (c, i) => { andHalf(c, i.r1, true, 16, i.i2); }),
  def('nihl', 'A55', 'RI', 'R1,U2', L, 'AND immediate into bits 16-31', (c, i) => { andHalf(c, i.r1, true, 0, i.i2); }),
  def('nilh', 'A56', 'RI', 'R1,U2', L, 'AND immediate into bits 32-47', (c, i) => { andHalf(c, i.r1, false, 16, i.i2); }),
  def('nill', 'A57', 'RI', 'R1,U2', L, 'AND immediate into bits 48-63', sem(`
    const v = L[$r1], f = v & $i2 & 0xffff; L[$r1] = (v & 0xffff0000) | f; c.cc = f !== 0 ? 1 : 0;`)),
  def('nihf', 'C0A', 'RIL', 'R1,U2', L, 'AND a 32-bit immediate into bits 0-31', (c, i) => {
    const v = (c.hi[i.r1] & i.i2) >>> 0;
    c.hi[i.r1] = v;
    c.cc = v !== 0 ? 1 : 0;
  }),
  def('nilf', 'C0B', 'RIL', 'R1,U2', L, 'AND a 32-bit immediate into bits 32-63', sem(S.bit32('&', '$r1', '$i2'))),

  // ================= OR =================
  def('or', '16', 'RR', 'R1,R2', L, 'OR 32 bits: r1 |= r2', sem(S.bit32('|', '$r1', 'L[$r2]'))),
  def('ogr', 'B981', 'RRE', 'R1,R2', L, 'OR 64 bits: r1 |= r2', sem(S.bit64('|', '$r1', 'H[$r2]', 'L[$r2]'))),
  def('ork', 'B9F6', 'RRF', 'R1,R2,R3', L, 'OR 32 bits: r1 := r2 | r3', (c, i) => {
    set32(c, i.r1, (c.lo[i.r2] | c.lo[i.r3]) >>> 0);
  }),
  def('ogrk', 'B9E6', 'RRF', 'R1,R2,R3', L, 'OR 64 bits: r1 := r2 | r3', (c, i) => {
    set64(c, i.r1, c.hi[i.r2] | c.hi[i.r3], c.lo[i.r2] | c.lo[i.r3]);
  }),
  def('o', '56', 'RX', 'R1,D2(X2,B2)', L, 'OR 32 bits with a word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.bit32('|', '$r1', 'x'))),
  def('oy', 'E356', 'RXY', 'R1,D2(X2,B2)', L, 'OR 32 bits with a word from storage (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.bit32('|', '$r1', 'x'))),
  def('og', 'E381', 'RXY', 'R1,D2(X2,B2)', L, 'OR 64 bits with a doubleword from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.bit64('|', '$r1', 'xh', 'xl'))),
  def('oi', '96', 'SI', 'D1(B1),U2', L, 'OR an immediate byte into storage', (c, i) => {
    const a = eaB1(c, i);
    byteOp(c, a, c.mem.ld8(a) | i.i2);
  }),
  def('oiy', 'EB56', 'SIY', 'D1(B1),U2', L, 'OR an immediate byte into storage (long displacement)', (c, i) => {
    const a = eaB1(c, i);
    byteOp(c, a, c.mem.ld8(a) | i.i2);
  }),
  def('oihh', 'A58', 'RI', 'R1,U2', L, 'OR immediate into bits 0-15', (c, i) => { orHalf(c, i.r1, true, 16, i.i2); }),
  def('oihl', 'A59', 'RI', 'R1,U2', L, 'OR immediate into bits 16-31', (c, i) => { orHalf(c, i.r1, true, 0, i.i2); }),
  def('oilh', 'A5A', 'RI', 'R1,U2', L, 'OR immediate into bits 32-47', (c, i) => { orHalf(c, i.r1, false, 16, i.i2); }),
  def('oill', 'A5B', 'RI', 'R1,U2', L, 'OR immediate into bits 48-63', sem(`
    const v = L[$r1] | $i2; L[$r1] = v; c.cc = (v & 0xffff) !== 0 ? 1 : 0;`)),
  def('oihf', 'C0C', 'RIL', 'R1,U2', L, 'OR a 32-bit immediate into bits 0-31', (c, i) => {
    const v = (c.hi[i.r1] | i.i2) >>> 0;
    c.hi[i.r1] = v;
    c.cc = v !== 0 ? 1 : 0;
  }),
  def('oilf', 'C0D', 'RIL', 'R1,U2', L, 'OR a 32-bit immediate into bits 32-63', sem(S.bit32('|', '$r1', '$i2'))),

  // ================= EXCLUSIVE OR =================
  def('xr', '17', 'RR', 'R1,R2', L, 'exclusive OR 32 bits: r1 ^= r2', sem(S.bit32('^', '$r1', 'L[$r2]'))),
  def('xgr', 'B982', 'RRE', 'R1,R2', L, 'exclusive OR 64 bits: r1 ^= r2', sem(S.bit64('^', '$r1', 'H[$r2]', 'L[$r2]'))),
  def('xrk', 'B9F7', 'RRF', 'R1,R2,R3', L, 'exclusive OR 32 bits: r1 := r2 ^ r3', (c, i) => {
    set32(c, i.r1, (c.lo[i.r2] ^ c.lo[i.r3]) >>> 0);
  }),
  def('xgrk', 'B9E7', 'RRF', 'R1,R2,R3', L, 'exclusive OR 64 bits: r1 := r2 ^ r3', (c, i) => {
    set64(c, i.r1, c.hi[i.r2] ^ c.hi[i.r3], c.lo[i.r2] ^ c.lo[i.r3]);
  }),
  def('x', '57', 'RX', 'R1,D2(X2,B2)', L, 'exclusive OR 32 bits with a word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.bit32('^', '$r1', 'x'))),
  def('xy', 'E357', 'RXY', 'R1,D2(X2,B2)', L, 'exclusive OR 32 bits with a word from storage (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.bit32('^', '$r1', 'x'))),
  def('xg', 'E382', 'RXY', 'R1,D2(X2,B2)', L, 'exclusive OR 64 bits with a doubleword from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.bit64('^', '$r1', 'xh', 'xl'))),
  def('xi', '97', 'SI', 'D1(B1),U2', L, 'exclusive OR an immediate byte into storage', (c, i) => {
    const a = eaB1(c, i);
    byteOp(c, a, c.mem.ld8(a) ^ i.i2);
  }),
  def('xiy', 'EB57', 'SIY', 'D1(B1),U2', L, 'exclusive OR an immediate byte into storage (long displacement)', (c, i) => {
    const a = eaB1(c, i);
    byteOp(c, a, c.mem.ld8(a) ^ i.i2);
  }),
  def('xihf', 'C06', 'RIL', 'R1,U2', L, 'exclusive OR a 32-bit immediate into bits 0-31', (c, i) => {
    const v = (c.hi[i.r1] ^ i.i2) >>> 0;
    c.hi[i.r1] = v;
    c.cc = v !== 0 ? 1 : 0;
  }),
  def('xilf', 'C07', 'RIL', 'R1,U2', L, 'exclusive OR a 32-bit immediate into bits 32-63', sem(S.bit32('^', '$r1', '$i2'))),
];
