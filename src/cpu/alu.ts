/**
 * Fixed-point arithmetic on 64-bit values held as 32-bit halves, and the
 * condition-code rules shared by many instructions (PoP chapter 7,
 * "General Instructions"). All functions write the result register(s) and
 * `cpu.cc` directly; nothing allocates.
 */
import type { Cpu } from './cpu.js';

/** 2^32: the weight of a register's high half */
export const TWO32 = 4294967296;

/**
 * The unsigned 64-bit value hi:lo (hi, lo uint32) as a number, exact below
 * 2^53: an address, a PSW's or a register's. With hi = 0 it is `lo >>> 0`,
 * which V8 makes a small integer where it fits: `0 * 2^32 + lo` is a heap
 * number in unoptimized code even when small (so is lo when it was read from
 * a double field), and the first heap number stored into a small-integer
 * field of the Cpu (the instruction address, the code page's base) turns it
 * into a double field: a new map for the Cpu, and every function optimized
 * against the old one thrown away.
 */
export function join64(hi: number, lo: number): number {
  return hi === 0 ? lo >>> 0 : hi * TWO32 + lo;
}

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

// Signed ADD and SUBTRACT into a register (overflow → cc 3 and the
// PM-controlled interruption) are semantics source: S.add32 ... S.sub64 in
// isa/sem.ts, so compiled blocks inline them.

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

/** Sign-extend a halfword (bits 16-31 of v) to 32 bits. */
export function h16(v: number): number {
  return (v << 16) >> 16;
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

// ---------------------------------------------------------------------------
// Helpers that compute without writing a register (storage-operand forms such
// as ASI/AGSI, which store first and then report overflow), multiply without
// BigInt, and the register-address update of the interruptible instructions.
// ---------------------------------------------------------------------------

/** Out-values of the 64-bit helpers below (one shared scratch; nothing allocates). */
export const T = { hi: 0, lo: 0 };

/**
 * Signed 32-bit add: returns the result and sets cc 0/1/2, or 3 on overflow
 * WITHOUT raising the interruption (the caller stores, then calls
 * `c.overflow()`: PoP, the overflow interruption completes the instruction).
 */
export function addS32cc(c: Cpu, a: number, b: number): number {
  const r = (a + b) | 0;
  c.cc = (((a ^ r) & (b ^ r)) & 0x80000000) !== 0 ? 3 : r === 0 ? 0 : r < 0 ? 1 : 2;
  return r;
}

/** Signed 64-bit add into `T`, cc as addS32cc (3 = overflow, not raised). */
export function addS64cc(c: Cpu, ah: number, al: number, bh: number, bl: number): void {
  const lo = (al + bl) >>> 0;
  const hi = (ah + bh + (lo < al >>> 0 ? 1 : 0)) >>> 0;
  T.hi = hi; T.lo = lo;
  c.cc = (((ah ^ hi) & (bh ^ hi)) & 0x80000000) !== 0 ? 3
    : (hi | lo) === 0 ? 0 : (hi & 0x80000000) !== 0 ? 1 : 2;
}

/** Unsigned add with carry into `T` (64 bits): cc 0-3 as ADD LOGICAL. */
export function addL64cc(c: Cpu, ah: number, al: number, bh: number, bl: number): void {
  const l = (al >>> 0) + (bl >>> 0);
  const lo = l >>> 0;
  const h = (ah >>> 0) + (bh >>> 0) + (l > 0xffffffff ? 1 : 0);
  const hi = h >>> 0;
  T.hi = hi; T.lo = lo;
  c.cc = ((hi | lo) !== 0 ? 1 : 0) | (h > 0xffffffff ? 2 : 0);
}

/** Unsigned add (32 bits), returns the sum, cc as ADD LOGICAL. */
export function addL32cc(c: Cpu, a: number, b: number): number {
  const s = (a >>> 0) + (b >>> 0);
  const r = s >>> 0;
  c.cc = (r !== 0 ? 1 : 0) | (s > 0xffffffff ? 2 : 0);
  return r;
}

/** Unsigned 32x32 → 64-bit product into `T` (16-bit limbs keep every step exact in a double). */
export function mulU32(a: number, b: number): void {
  a >>>= 0; b >>>= 0;
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  T.lo = low >>> 0;
  T.hi = (a1 * b1 + Math.floor(mid / 65536) + Math.floor(low / TWO32)) >>> 0;
}

/** Signed 32x32 → 64-bit product into `T`. */
export function mulS32(a: number, b: number): void {
  mulU32(a, b);
  // two's-complement correction of the high half for negative factors
  let hi = T.hi;
  if ((a | 0) < 0) hi -= b >>> 0;
  if ((b | 0) < 0) hi -= a >>> 0;
  T.hi = hi >>> 0;
}

/** Low 64 bits of a 64x64 product into `T` (signedness does not matter for the low half). */
export function mulLo64(ah: number, al: number, bh: number, bl: number): void {
  mulU32(al, bl);
  T.hi = (T.hi + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/**
 * Link information of BRANCH AND SAVE (and of BRANCH AND LINK outside the
 * 24-bit mode): 64-bit mode the whole updated address; 31-bit mode bit 32 one
 * and the address in bits 33-63; 24-bit mode bits 32-39 zero and the address
 * in 40-63. Bits 0-31 are unchanged in the 24- and 31-bit modes.
 */
export function setLinkAddress(c: Cpu, r: number, a: number): void {
  setRegAddress(c, r, a);
  // the 31-bit mode marks the link with its addressing-mode bit
  if (c.amode === 31) c.lo[r] = (c.lo[r] | 0x80000000) >>> 0;
}

/**
 * Replace the address in register r after an interruptible instruction
 * advanced it (PoP, e.g. CHECKSUM / COMPARE LOGICAL STRING): 24-bit mode
 * bits 40-63 with bits 32-39 zeroed, 31-bit mode bits 33-63 with bit 32
 * zeroed (bits 0-31 unchanged in both), 64-bit mode all 64 bits.
 */
export function setRegAddress(c: Cpu, r: number, a: number): void {
  const am = c.amode;
  if (am === 64) {
    c.hi[r] = Math.floor(a / TWO32);
    c.lo[r] = a >>> 0;
  } else {
    c.lo[r] = am === 31 ? a & 0x7fffffff : a & 0xffffff;
  }
}
