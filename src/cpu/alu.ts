/**
 * Fixed-point arithmetic on 64-bit values held as 32-bit halves, and the
 * condition-code rules shared by many instructions (PoP chapter 7,
 * "General Instructions"). All functions write the result register(s) and
 * `cpu.cc` directly; nothing allocates.
 */
import type { Cpu } from './cpu.js';

/** cc for a signed 64-bit result: 0 zero, 1 negative, 2 positive. */
export function ccSigned64(hi: number, lo: number): number {
  if ((hi | lo) === 0) return 0;
  return (hi & 0x80000000) !== 0 ? 1 : 2;
}

/** cc for a signed 32-bit result. */
export function ccSigned32(v: number): number {
  v |= 0;
  return v === 0 ? 0 : v < 0 ? 1 : 2;
}

/** ADD (64): r1 := r1 + (bh:bl), signed overflow → cc 3 (+interruption under PM). */
export function add64(c: Cpu, r1: number, ah: number, al: number, bh: number, bl: number): void {
  const lo = (al + bl) >>> 0;
  const hi = (ah + bh + (lo < al ? 1 : 0)) >>> 0;
  c.hi[r1] = hi;
  c.lo[r1] = lo;
  if ((((ah ^ hi) & (bh ^ hi)) & 0x80000000) !== 0) c.overflow();
  else c.cc = (hi | lo) === 0 ? 0 : (hi & 0x80000000) !== 0 ? 1 : 2;
}

/** SUBTRACT (64): r1 := a - b. */
export function sub64(c: Cpu, r1: number, ah: number, al: number, bh: number, bl: number): void {
  const lo = (al - bl) >>> 0;
  const hi = (ah - bh - (al < bl ? 1 : 0)) >>> 0;
  c.hi[r1] = hi;
  c.lo[r1] = lo;
  if ((((ah ^ bh) & (ah ^ hi)) & 0x80000000) !== 0) c.overflow();
  else c.cc = (hi | lo) === 0 ? 0 : (hi & 0x80000000) !== 0 ? 1 : 2;
}

/** ADD (32): low half of r1 := a + b; the high half is unchanged. */
export function add32(c: Cpu, r1: number, a: number, b: number): void {
  const r = (a + b) | 0;
  c.lo[r1] = r;
  if ((((a ^ r) & (b ^ r)) & 0x80000000) !== 0) c.overflow();
  else c.cc = r === 0 ? 0 : r < 0 ? 1 : 2;
}

/** SUBTRACT (32). */
export function sub32(c: Cpu, r1: number, a: number, b: number): void {
  const r = (a - b) | 0;
  c.lo[r1] = r;
  if ((((a ^ b) & (a ^ r)) & 0x80000000) !== 0) c.overflow();
  else c.cc = r === 0 ? 0 : r < 0 ? 1 : 2;
}

/**
 * ADD LOGICAL (64) with carry-in: cc 0 zero/no carry, 1 nonzero/no carry,
 * 2 zero/carry, 3 nonzero/carry.
 */
export function addLogical64(c: Cpu, r1: number, ah: number, al: number, bh: number, bl: number, cin: number): void {
  const l = al + bl + cin;
  const lo = l >>> 0;
  const h = ah + bh + (l > 0xffffffff ? 1 : 0);
  const hi = h >>> 0;
  c.hi[r1] = hi;
  c.lo[r1] = lo;
  c.cc = ((hi | lo) !== 0 ? 1 : 0) | (h > 0xffffffff ? 2 : 0);
}

/** ADD LOGICAL (32) with carry-in. */
export function addLogical32(c: Cpu, r1: number, a: number, b: number, cin: number): void {
  const s = (a >>> 0) + (b >>> 0) + cin;
  const r = s >>> 0;
  c.lo[r1] = r;
  c.cc = (r !== 0 ? 1 : 0) | (s > 0xffffffff ? 2 : 0);
}

/**
 * SUBTRACT LOGICAL (64) with borrow-in (bin = 1 means a borrow is pending):
 * computed as a + ~b + (1 - bin); cc as for ADD LOGICAL (carry = no borrow).
 */
export function subLogical64(c: Cpu, r1: number, ah: number, al: number, bh: number, bl: number, bin: number): void {
  addLogical64(c, r1, ah, al, ~bh >>> 0, ~bl >>> 0, 1 - bin);
}

export function subLogical32(c: Cpu, r1: number, a: number, b: number, bin: number): void {
  addLogical32(c, r1, a, ~b >>> 0, 1 - bin);
}

/** Signed 64-bit compare: cc 0 equal, 1 first low, 2 first high. */
export function cmpSigned64(ah: number, al: number, bh: number, bl: number): number {
  if (ah !== bh) return (ah | 0) < (bh | 0) ? 1 : 2;
  if (al !== bl) return al >>> 0 < bl >>> 0 ? 1 : 2;
  return 0;
}

/** Unsigned 64-bit compare. */
export function cmpLogical64(ah: number, al: number, bh: number, bl: number): number {
  if (ah !== bh) return ah >>> 0 < bh >>> 0 ? 1 : 2;
  if (al !== bl) return al >>> 0 < bl >>> 0 ? 1 : 2;
  return 0;
}

export function cmpSigned32(a: number, b: number): number {
  a |= 0; b |= 0;
  return a === b ? 0 : a < b ? 1 : 2;
}

export function cmpLogical32(a: number, b: number): number {
  a >>>= 0; b >>>= 0;
  return a === b ? 0 : a < b ? 1 : 2;
}

/** Sign-extend a 32-bit value to the high half. */
export function signHi(v: number): number {
  return (v & 0x80000000) !== 0 ? 0xffffffff : 0;
}

/** BigInt view of a register pair half (for multiply/divide, off the hot path). */
export function big64(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function bigS64(hi: number, lo: number): bigint {
  return BigInt.asIntN(64, big64(hi, lo));
}

export function setBig64(c: Cpu, r: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  c.hi[r] = Number(u >> 32n);
  c.lo[r] = Number(u & 0xffffffffn);
}
