/**
 * Storage-to-storage operations with their operands given (lengths and
 * addresses): the byte loops of MVC, MVN, MVZ, NC, OC, XC, TRANSLATE and
 * COMPARE LOGICAL (character). The instructions' semantics in loads.ts call
 * them; MVC, TR and CLC first try the inline fast path of isa/sem.ts
 * (`S.ss`: both operands TLB hits in one slab, run as WebAssembly) and
 * come here for everything else: a TLB miss, an operand crossing a page,
 * PER, a nonzero PSW key, frames of two slabs, destructive overlap.
 */
import type { Cpu } from '../cpu.js';
import { commonSlab, slabBase } from '../../mm/slabs.js';
import { FRAME_SIZE } from '../../mm/storage.js';

type C = Cpu;

/**
 * Storage-to-storage byte loop of MVC/NC/OC/XC/MVN/MVZ (PoP: operands
 * processed left to right one byte at a time, so destructive overlap is as
 * if each result byte were stored before the next byte is fetched; MVC with
 * the first operand one byte right of the second propagates a byte). Both
 * operands are checked for access first, so nothing is stored on an access
 * exception. Returns whether any result byte is nonzero (for the cc).
 */
export const enum Op { MOVE, AND, OR, XOR, NUMERICS, ZONES }
export function ssLoop(c: C, len: number, d: number, s: number, op: Op): boolean {
  const mem = c.mem;
  let nz = 0;
  // fast path: both operands inside one page each (the usual case; span
  // makes every access check, source first); the left-to-right byte order is
  // kept, so overlap behaves as below
  const sf = mem.span(s, len, false);
  if (sf !== null) {
    const so = mem.spanOff;
    const df = mem.span(d, len, true);
    if (df !== null) {
      const dof = mem.spanOff;
      // MVC without destructive overlap is a plain copy, and XC of an operand
      // with itself (the classic clear) a fill with zeros
      if (op === Op.MOVE && (sf !== df || dof <= so || dof >= so + len)) {
        // short moves byte by byte (forward is right for these overlaps):
        // a subarray view costs an allocation, ~50 ns
        if (len <= 32) {
          for (let k = 0; k < len; k++) df[dof + k] = sf[so + k];
        } else {
          // frames of one slab (mm/slabs.ts): WebAssembly's memory.copy,
          // ~13 ns for 256 bytes where set of a subarray view takes ~50
          const slab = commonSlab(sf, df);
          if (slab !== null) {
            slab.ops.mvc(slabBase(df) + dof, slabBase(sf) + so, len);
          } else if (sf === df) {
            df.copyWithin(dof, so, so + len);
          } else {
            df.set(sf.subarray(so, so + len), dof);
          }
        }
        return false; // MVC sets no condition code
      }
      if (op === Op.XOR && sf === df && so === dof) {
        df.fill(0, dof, dof + len);
        return false;
      }
      for (let k = 0; k < len; k++) {
        const v = sf[so + k];
        let r: number;
        switch (op) {
          case Op.MOVE: r = v; break;
          case Op.AND: r = df[dof + k] & v; break;
          case Op.OR: r = df[dof + k] | v; break;
          case Op.XOR: r = df[dof + k] ^ v; break;
          case Op.NUMERICS: r = (df[dof + k] & 0xf0) | (v & 0x0f); break;
          default: r = (df[dof + k] & 0x0f) | (v & 0xf0); break;
        }
        df[dof + k] = r;
        nz |= r;
      }
      return nz !== 0;
    }
  }
  mem.checkFetch(s, len);
  if (op !== Op.MOVE) mem.checkFetch(d, len);
  mem.checkStore(d, len);
  // An operand crosses a page: every byte is known to be accessible now, so
  // the operation goes on in pieces that cross no page boundary of either
  // operand, left to right (the byte order the PoP defines, overlap
  // included), each by the fast path above or, when that does not apply
  // (PER, a PSW key), by the byte loop below. A 256-byte MVC whose source
  // crosses a page: 8.4 us byte by byte through the MMU, 0.27 us in pieces.
  if (len > 16 && ((d % FRAME_SIZE) + len > FRAME_SIZE || (s % FRAME_SIZE) + len > FRAME_SIZE)) {
    for (let k = 0; k < len;) {
      const a = c.wrap(d + k), b = c.wrap(s + k);
      const m = Math.min(len - k, FRAME_SIZE - (a % FRAME_SIZE), FRAME_SIZE - (b % FRAME_SIZE));
      if (ssLoop(c, m, a, b, op)) nz = 1;
      k += m;
    }
    return nz !== 0;
  }
  for (let k = 0, a = d, b = s; k < len; k++) {
    const v = mem.ld8(b);
    let r: number;
    switch (op) {
      case Op.MOVE: r = v; break;
      case Op.AND: r = mem.ld8(a) & v; break;
      case Op.OR: r = mem.ld8(a) | v; break;
      case Op.XOR: r = mem.ld8(a) ^ v; break;
      case Op.NUMERICS: r = (mem.ld8(a) & 0xf0) | (v & 0x0f); break;
      default: r = (mem.ld8(a) & 0x0f) | (v & 0xf0); break;
    }
    mem.st8(a, r);
    nz |= r;
    a = c.wrap(a + 1);
    b = c.wrap(b + 1);
  }
  return nz !== 0;
}

/** MOVE (character): `len` bytes from `s` to `d`, left to right (ssLoop). */
export function move(c: C, len: number, d: number, s: number): void {
  ssLoop(c, len, d, s, Op.MOVE);
}

/** Whether this host stores a Uint32Array's words little-endian (x86, ARM; not s390x). */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** 32-bit views of frames, made once per frame array (TR's word loop) */
const wordViews = new WeakMap<Uint8Array, Uint32Array>();

/** TR's table, copied: a module constant of 256 bytes lets V8 drop the bounds checks of `TABLE[x & 0xff]` */
const TABLE = new Uint8Array(256);

/**
 * TR's work, operand and table inside one frame each. When they do not
 * overlap (the order of the byte translations cannot matter), four bytes per
 * step through a 32-bit view of the operand's frame, ~2.3x faster than a
 * byte loop (256 bytes ~195 ns instead of ~450 ns; the kernel's page checks
 * are TR-bound); otherwise strictly byte by byte, left to right.
 */
function translateBytes(df: Uint8Array, dof: number, len: number, tf: Uint8Array, to: number): void {
  let a = dof;
  const end = dof + len;
  const overlap = tf === df && to < end && to + 256 > dof;
  if (!overlap) {
    // operand and table in one slab (mm/slabs.ts): WebAssembly's loop
    const slab = commonSlab(df, tf);
    if (slab !== null) {
      slab.ops.tr(slabBase(df) + dof, len, slabBase(tf) + to);
      return;
    }
  }
  if (overlap || !LITTLE_ENDIAN_HOST || len < 16 || (df.byteOffset & 3) !== 0) {
    for (; a < end; a++) df[a] = tf[to + df[a]];
    return;
  }
  const t = TABLE;
  t.set(tf.subarray(to, to + 256));
  for (; (a & 3) !== 0; a++) df[a] = t[df[a]];
  let w = wordViews.get(df);
  if (w === undefined) {
    w = new Uint32Array(df.buffer, df.byteOffset, df.length >>> 2);
    wordViews.set(df, w);
  }
  const wend = end >>> 2;
  let k = a >>> 2;
  for (; k < wend; k++) {
    const x = w[k];
    w[k] = t[x & 0xff] | (t[(x >>> 8) & 0xff] << 8) | (t[(x >>> 16) & 0xff] << 16) | (t[x >>> 24] << 24);
  }
  for (a = k << 2; a < end; a++) df[a] = t[df[a]];
}

/** TRANSLATE: each first-operand byte (`len` at `d`) replaced by the byte it indexes in the table at `t`. */
export function translate(c: C, len: number, d: number, t: number): void {
  const mem = c.mem;
  mem.checkStore(d, len);
  // fast path: operand and table each inside one page
  const tf = mem.span(t, 256, false);
  if (tf !== null) {
    const to = mem.spanOff;
    const df = mem.span(d, len, true);
    if (df !== null) {
      translateBytes(df, mem.spanOff, len, tf, to);
      return;
    }
  }
  // First pass: fetch every table byte that will be used, so an access
  // exception on the table suppresses the instruction with nothing stored.
  for (let k = 0, a = d; k < len; k++, a = c.wrap(a + 1)) mem.ld8(c.wrap(t + mem.ld8(a)));
  // Second pass: byte by byte, left to right (overlap behaves as the PoP says).
  for (let k = 0, a = d; k < len; k++, a = c.wrap(a + 1)) mem.st8(a, mem.ld8(c.wrap(t + mem.ld8(a))));
}

/**
 * Node's memcmp over two byte ranges (Buffer's compare works on any
 * Uint8Array): a call costs about as much as comparing ~40 bytes in a
 * JavaScript loop, and 256 bytes take ~70 ns instead of ~470 ns.
 */
const nativeCompare = Buffer.prototype.compare as (this: Uint8Array, target: Uint8Array,
  targetStart: number, targetEnd: number, sourceStart: number, sourceEnd: number) => number;
const NATIVE_COMPARE_MIN = 48;

/** COMPARE LOGICAL (character) of `len` bytes at `a` and `b`: unsigned, left to right, stops at the first difference. Returns the cc. */
export function compare(c: C, len: number, a: number, b: number): number {
  const mem = c.mem;
  const af = mem.span(a, len, false);
  if (af !== null) {
    const ao = mem.spanOff;
    const bf = mem.span(b, len, false);
    if (bf !== null) {
      const bo = mem.spanOff;
      // both in one slab (mm/slabs.ts): WebAssembly's loop, ~20 ns for 256 bytes
      const slab = commonSlab(af, bf);
      if (slab !== null) {
        return slab.ops.clc(slabBase(af) + ao, slabBase(bf) + bo, len);
      }
      if (len >= NATIVE_COMPARE_MIN) {
        // the sign of a byte-wise unsigned comparison is that of the first
        // difference, left to right: the PoP's cc
        const r = nativeCompare.call(af, bf, bo, bo + len, ao, ao + len);
        return r === 0 ? 0 : r < 0 ? 1 : 2;
      }
      for (let k = 0; k < len; k++) {
        const x = af[ao + k], y = bf[bo + k];
        if (x !== y) return x < y ? 1 : 2;
      }
      return 0;
    }
  }
  for (let k = 0; k < len; k++) {
    const x = mem.ld8(a), y = mem.ld8(b);
    if (x !== y) return x < y ? 1 : 2;
    a = c.wrap(a + 1);
    b = c.wrap(b + 1);
  }
  return 0;
}

