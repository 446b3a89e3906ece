/**
 * Loads, stores, moves and inserts (PoP chapter 7). Family "loads" of isa.md,
 * which also files the storage-to-storage logical operations (MVC, XC, NC,
 * OC, CLC, TR, MVCL, MVCLE), the immediate compares/tests on storage (CLI,
 * TM) and the register tests (TMxx), sign operations (LCR, LPR, LNR), byte
 * reversal and FIND LEFTMOST ONE.
 *
 * Registers are 32-bit halves: "32-bit" instructions touch `lo[r]` only
 * (bits 32-63), leaving bits 0-31 unchanged, as the PoP specifies.
 */
import { def, type InstructionDef, type Insn } from './types.js';
import { sem, S } from './sem.js';
import { aligned, eaB1, eaB2, eaX2, evenPair } from './common.js';
import type { Cpu } from '../cpu.js';
import { ccSigned32, ccSigned64, setRegAddress, signHi, TWO32 } from '../alu.js';
import { reexecute } from './execute.js';
import { Op, ssLoop } from './ss.js';
import type { SlabFrame } from '../../mm/slabs.js';

type C = Cpu;

// ---------------------------------------------------------------- helpers


function set64(c: C, r: number, h: number, l: number): void {
  c.hi[r] = h;
  c.lo[r] = l;
}

/** Byte-reverse a 32-bit value. */
function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function bswap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}


/**
 * cc of TEST UNDER MASK (TMLL, ...): like TM, but mixed results say whether
 * the leftmost selected bit is one (2) or zero (1).
 */
function ccTmx(v: number, m: number): number {
  const s = v & m;
  if (s === 0) return 0;
  if (s === m) return 3;
  return (v & (0x80000000 >>> Math.clz32(m))) !== 0 ? 2 : 1;
}

/**
 * INSERT CHARACTERS UNDER MASK into a 32-bit half: the bytes selected by M3
 * (bit 8 → bits 0-7 of the half, ... bit 1 → bits 24-31) come from consecutive
 * storage bytes. cc 0 all inserted bits zero or mask zero, 1 leftmost inserted
 * bit one, 2 otherwise. With a zero mask no storage is accessed.
 */
function icm(c: C, half: Uint32Array, r: number, m: number, a: number): void {
  let v = half[r];
  let cc = 0;
  let first = true;
  if (m !== 0) c.mem.checkFetch(a, popcount4(m));
  for (let k = 3; k >= 0; k--) {
    if ((m & (1 << k)) === 0) continue;
    const b = c.mem.ld8(a);
    a = c.wrap(a + 1);
    const sh = 8 * k;
    v = (v & ~(0xff << sh)) | (b << sh);
    if (first) { cc = (b & 0x80) !== 0 ? 1 : b !== 0 ? 2 : 0; first = false; }
    else if (cc === 0 && b !== 0) cc = 2;
  }
  half[r] = v;
  c.cc = cc;
}

/** STORE CHARACTERS UNDER MASK: the selected bytes stored contiguously. */
function stcm(c: C, half: Uint32Array, r: number, m: number, a: number): void {
  const v = half[r];
  if (m === 0) return;
  c.mem.checkStore(a, popcount4(m));
  for (let k = 3; k >= 0; k--) {
    if ((m & (1 << k)) === 0) continue;
    c.mem.st8(a, (v >>> (8 * k)) & 0xff);
    a = c.wrap(a + 1);
  }
}

function popcount4(m: number): number {
  return (m & 1) + ((m >>> 1) & 1) + ((m >>> 2) & 1) + ((m >>> 3) & 1);
}

/**
 * LOAD MULTIPLE / STORE MULTIPLE (LM, STM, LMG, STMG and the Y forms): R1
 * through R3, wrapping from 15 to 0, `size` bytes each (4: bits 32-63, 8:
 * all 64). All of the operand is checked before any register or byte
 * changes, so an access exception leaves the registers (possibly the base)
 * as they were. An operand inside one page of a frame from a slab is
 * checked once (Mmu.span) and moved directly: the kernel's ENTER/LEAVE and
 * interrupt handlers save and restore up to 16 registers; anything else
 * (across pages, PER storage alteration armed) register by register.
 */
function multiple(c: C, r1: number, r3: number, a: number, size: 4 | 8, store: boolean): void {
  const n = ((r3 - r1) & 15) + 1;
  const mem = c.mem;
  const H = c.hi, L = c.lo;
  const f = mem.span(a, size * n, store) as SlabFrame | null;
  if (f !== null && f.slab !== undefined) {
    // big-endian words through the slab's DataView: V8 compiles get/setUint32
    // to one access and a byte swap (STMG + LMG of 13 registers: 132 -> 46 ns,
    // against four byte accesses per word)
    const dv = f.slab.view;
    let o = f.base + mem.spanOff;
    if (size === 8) {
      if (store) for (let k = 0, r = r1; k < n; k++, r = (r + 1) & 15, o += 8) { dv.setUint32(o, H[r]); dv.setUint32(o + 4, L[r]); }
      else for (let k = 0, r = r1; k < n; k++, r = (r + 1) & 15, o += 8) { H[r] = dv.getUint32(o); L[r] = dv.getUint32(o + 4); }
    } else if (store) {
      for (let k = 0, r = r1; k < n; k++, r = (r + 1) & 15, o += 4) dv.setUint32(o, L[r]);
    } else {
      for (let k = 0, r = r1; k < n; k++, r = (r + 1) & 15, o += 4) L[r] = dv.getUint32(o);
    }
    return;
  }
  if (store) mem.checkStore(a, size * n);
  else mem.checkFetch(a, size * n);
  for (let k = 0, r = r1; k < n; k++, r = (r + 1) & 15, a = c.wrap(a + size)) {
    if (size === 8) {
      if (store) mem.st64(a, H[r], L[r]);
      else { mem.ld64(a); H[r] = mem.rhi; L[r] = mem.rlo; }
    } else if (store) mem.st32(a, L[r]);
    else L[r] = mem.ld32(a);
  }
}

// ---- MVCL / MVCLE ----

const TWO24 = 0x1000000;
/** zhint: bytes MOVE LONG (EXTENDED) processes per execution before it lets interrupts in */
export const MOVE_LONG_UNIT = 4096;

/** Size of the address space of the current addressing mode. */
function space(c: C): number {
  return c.amode === 64 ? 18446744073709551616 : c.amode === 31 ? 0x80000000 : TWO24;
}


/**
 * Move `n` bytes from `s` to `d` (forward), page piece by page piece: each
 * piece's source and destination are checked for access first, then moved,
 * and `done(k)` is told how many bytes are complete, so an access exception
 * leaves the registers describing the bytes already moved (PoP
 * "Interruptible instructions"). `pad` < 0 means copy, otherwise fill.
 */
function moveLong(c: C, d: number, s: number, n: number, pad: number,
  done: (k: number) => void): void {
  const mem = c.mem;
  let k = 0;
  while (k < n) {
    let piece = Math.min(n - k, 4096 - (d % 4096));
    if (pad < 0) piece = Math.min(piece, 4096 - (s % 4096));
    if (pad < 0) mem.checkFetch(s, piece);
    mem.checkStore(d, piece);
    for (let j = 0; j < piece; j++) {
      mem.st8(d, pad < 0 ? mem.ld8(s) : pad);
      d = c.wrap(d + 1);
      if (pad < 0) s = c.wrap(s + 1);
    }
    k += piece;
    done(piece);
  }
}

/** working state of one MVCL/MVCLE execution (module-level: no allocation) */
const ml = { r1: 0, r2: 0, d: 0, s: 0, l1: 0, l2: 0, long: false };

function mlCopied(n: number): void {
  ml.d = ml.d + n; ml.s = ml.s + n; ml.l1 -= n; ml.l2 -= n;
  mlStore(curCpu!);
}
function mlPadded(n: number): void {
  ml.d = ml.d + n; ml.l1 -= n;
  mlStore(curCpu!);
}
let curCpu: C | null = null;

/** write the MVCL/MVCLE registers from `ml` */
function mlStore(c: C): void {
  const sp = space(c);
  // the updated addresses: bits above the addressing mode zero (the PoP
  // lets bits 32-39 resp. 32 be zeroed or kept; zhint zeroes)
  setRegAddress(c, ml.r1, ml.d % sp);
  setRegAddress(c, ml.r2, ml.s % sp);
  if (ml.long) {
    // MVCLE lengths: 32 bits (bits 32-63) in 24/31-bit mode, 64 bits in 64-bit mode
    if (c.amode === 64) {
      set64(c, ml.r1 + 1, Math.floor(ml.l1 / TWO32) >>> 0, ml.l1 >>> 0);
      set64(c, ml.r2 + 1, Math.floor(ml.l2 / TWO32) >>> 0, ml.l2 >>> 0);
    } else {
      c.lo[ml.r1 + 1] = ml.l1;
      c.lo[ml.r2 + 1] = ml.l2;
    }
  } else {
    // MVCL lengths: bits 40-63; bits 32-39 of R1+1 zero, the pad byte in R2+1 kept
    c.lo[ml.r1 + 1] = ml.l1;
    c.lo[ml.r2 + 1] = (c.lo[ml.r2 + 1] & 0xff000000) | ml.l2;
  }
}

/**
 * One execution's worth of MOVE LONG (EXTENDED) on the operands in `ml`: up
 * to MOVE_LONG_UNIT bytes copied, then padding once the source is exhausted;
 * addresses and lengths stored back into the registers.
 */
function moveLongUnit(c: C, pad: number, sp: number): void {
  curCpu = c;
  let budget = MOVE_LONG_UNIT;
  const copy = Math.min(ml.l1, ml.l2, budget);
  moveLong(c, ml.d, ml.s, copy, -1, mlCopied);
  budget -= copy;
  if (ml.l2 === 0 || ml.l1 === 0) {
    moveLong(c, ml.d % sp, 0, Math.min(ml.l1, budget), pad, mlPadded);
  }
  mlStore(c);
}

/**
 * MOVE LONG (PoP): R1/R1+1 destination address/length (24-bit length in
 * bits 40-63), R2/R2+1 source address/length with the pad byte in bits
 * 32-39. cc by lengths (0 equal, 1 first shorter, 2 first longer), 3 on
 * destructive overlap with nothing moved. Interruptible: zhint moves at most
 * MOVE_LONG_UNIT bytes per execution and re-executes the instruction (the
 * PSW stays on it) until done.
 */
function mvcl(c: C, i: Insn): void {
  evenPair(i.r1); evenPair(i.r2);
  const r1 = i.r1, r2 = i.r2;
  const l1 = c.lo[r1 + 1] & 0xffffff;
  const l2 = c.lo[r2 + 1] & 0xffffff;
  const pad = c.lo[r2 + 1] >>> 24;
  const d = c.regAddr(r1), s = c.regAddr(r2);
  const cc = l1 === l2 ? 0 : l1 < l2 ? 1 : 2;
  // destructive overlap: the destination starts inside the part of the
  // source that will be used, to the right of its first byte
  const used = Math.min(l1, l2);
  const sp = space(c);
  let dist = d - s;
  if (dist < 0) dist += sp;
  ml.r1 = r1; ml.r2 = r2; ml.d = d; ml.s = s; ml.l1 = l1; ml.l2 = l2; ml.long = false;
  if (used > 1 && dist > 0 && dist < used) {
    mlStore(c); // addresses re-stored in the mode's format, as after any execution
    c.cc = 3;
    return;
  }
  moveLongUnit(c, pad, sp);
  if (ml.l1 !== 0) {
    reexecute(c); // not finished: resume on the next execution
    return;
  }
  c.cc = cc;
}

/**
 * MOVE LONG EXTENDED (PoP): like MOVE LONG with 32/64-bit lengths in R1+1
 * and R3+1 and the pad byte in bits 56-63 of the second-operand address.
 * cc 0/1/2 by lengths when done, 3 when a CPU-determined amount was moved
 * and the program must branch back.
 */
function mvcle(c: C, i: Insn): void {
  evenPair(i.r1); evenPair(i.r3);
  const r1 = i.r1, r3 = i.r3;
  const pad = eaB2(c, i) % 256;
  const l1 = c.amode === 64 ? c.hi[r1 + 1] * TWO32 + c.lo[r1 + 1] : c.lo[r1 + 1];
  const l2 = c.amode === 64 ? c.hi[r3 + 1] * TWO32 + c.lo[r3 + 1] : c.lo[r3 + 1];
  const d = c.regAddr(r1), s = c.regAddr(r3);
  const sp = space(c);
  ml.r1 = r1; ml.r2 = r3; ml.d = d; ml.s = s; ml.l1 = l1; ml.l2 = l2; ml.long = true;
  moveLongUnit(c, pad, sp);
  c.cc = ml.l1 !== 0 ? 3 : l1 === l2 ? 0 : l1 < l2 ? 1 : 2;
}

// ---- sign operations on 64-bit halves ----

/** LOAD COMPLEMENT (64): two's complement, overflow for the maximum negative number. */
function lcg(c: C, r1: number, h: number, l: number): void {
  const lo = (-l) >>> 0;
  const hi = (~h + (l === 0 ? 1 : 0)) >>> 0;
  set64(c, r1, hi, lo);
  if (h === 0x80000000 && l === 0) c.overflow();
  else c.cc = ccSigned64(hi, lo);
}

function lpg(c: C, r1: number, h: number, l: number): void {
  if ((h & 0x80000000) !== 0) { lcg(c, r1, h, l); return; }
  set64(c, r1, h, l);
  c.cc = (h | l) === 0 ? 0 : 2;
}

function lng(c: C, r1: number, h: number, l: number): void {
  if ((h & 0x80000000) === 0 && (h | l) !== 0) {
    set64(c, r1, (~h + (l === 0 ? 1 : 0)) >>> 0, (-l) >>> 0);
    c.cc = 1;
    return;
  }
  set64(c, r1, h, l);
  c.cc = (h | l) === 0 ? 0 : 1;
}

/**
 * LOAD ADDRESS: in the 64-bit mode the 64-bit sum is formed on the register
 * halves, because compilers use LA for plain arithmetic on values that a
 * double (the address type of `eaXBD`) cannot hold exactly.
 */
const LOAD_ADDRESS = `
    if ($AMODE !== 64) L[$r1] = $EA2;
    else {
      const l = $d2 + ($x2 !== 0 ? L[$x2] : 0) + ($b2 !== 0 ? L[$b2] : 0);
      const h = ($x2 !== 0 ? H[$x2] : 0) + ($b2 !== 0 ? H[$b2] : 0);
      // the carry out of (or borrow from, LAY's negative displacement) the
      // low half: l lies in (-2^19, 3 * 2^32); compares, no division
      H[$r1] = h + (l >= 0 ? (l >= 4294967296 ? (l >= 8589934592 ? 2 : 1) : 0) : -1); L[$r1] = l;
    }`;

/** cc of TEST UNDER MASK (TM, TMY) of byte `v` with mask I2: 0 selected bits all zero (or mask zero), 3 all one, 1 mixed */
const TEST_UNDER_MASK = ' const s = v & $i2; c.cc = s === 0 ? 0 : s === $i2 ? 3 : 1;';

// ---------------------------------------------------------------- the table

const L = 'loads' as const;

export const LOADS: InstructionDef[] = [
  // ---- loads, 32 and 64 bits ----
  def('lr', '18', 'RR', 'R1,R2', L, 'load 32 bits: r1[32:63] := r2[32:63]', sem(`
    L[$r1] = L[$r2];`)),
  def('lgr', 'B904', 'RRE', 'R1,R2', L, 'load 64 bits: r1 := r2', sem(`
    H[$r1] = H[$r2]; L[$r1] = L[$r2];`)),
  def('l', '58', 'RX', 'R1,D2(X2,B2)', L, 'load 32 bits from storage', sem(S.ld32('L[$r1]', '$EA2'))),
  def('ly', 'E358', 'RXY', 'R1,D2(X2,B2)', L, 'load 32 bits from storage (long displacement)', sem(S.ld32('L[$r1]', '$EA2'))),
  def('lg', 'E304', 'RXY', 'R1,D2(X2,B2)', L, 'load 64 bits from storage', sem(
    'let h, l; ' + S.ld64('h', 'l', '$EA2') + ' H[$r1] = h; L[$r1] = l;')),
  def('lgf', 'E314', 'RXY', 'R1,D2(X2,B2)', L, 'load 32 bits from storage sign-extended to 64', sem(
    'let v; ' + S.ld32('v', '$EA2') + ' L[$r1] = v; H[$r1] = (v & 0x80000000) !== 0 ? 0xffffffff : 0;')),
  def('llgf', 'E316', 'RXY', 'R1,D2(X2,B2)', L, 'load 32 bits from storage zero-extended to 64', sem(
    S.ld32('L[$r1]', '$EA2') + ' H[$r1] = 0;')),
  def('llgt', 'E317', 'RXY', 'R1,D2(X2,B2)', L, 'load 31 bits from storage zero-extended to 64 (bit 32 cleared)', sem(
    'let v; ' + S.ld32('v', '$EA2') + ' H[$r1] = 0; L[$r1] = v & 0x7fffffff;')),
  def('lgfr', 'B914', 'RRE', 'R1,R2', L, 'load 32 bits sign-extended to 64', sem(`
    const v = L[$r2]; L[$r1] = v; H[$r1] = (v & 0x80000000) !== 0 ? 0xffffffff : 0;`)),
  def('llgfr', 'B916', 'RRE', 'R1,R2', L, 'load 32 bits zero-extended to 64', sem(`
    L[$r1] = L[$r2]; H[$r1] = 0;`)),
  def('llgtr', 'B917', 'RRE', 'R1,R2', L, 'load 31 bits zero-extended to 64 (bit 32 cleared)', (c, i) => {
    set64(c, i.r1, 0, c.lo[i.r2] & 0x7fffffff);
  }),
  // ---- load and test ----
  def('ltr', '12', 'RR', 'R1,R2', L, 'load and test 32 bits: cc 0 zero, 1 negative, 2 positive', sem(`
    const v = L[$r2]; L[$r1] = v; c.cc = alu.ccSigned32(v);`)),
  def('ltgr', 'B902', 'RRE', 'R1,R2', L, 'load and test 64 bits', sem(`
    const h = H[$r2], l = L[$r2];
    H[$r1] = h; L[$r1] = l;
    c.cc = (h | l) === 0 ? 0 : (h & 0x80000000) !== 0 ? 1 : 2;`)),
  def('ltgfr', 'B912', 'RRE', 'R1,R2', L, 'load and test 32 bits sign-extended to 64', sem(`
    const v = L[$r2]; H[$r1] = ${S.sx('v')}; L[$r1] = v; c.cc = alu.ccSigned32(v);`)),
  def('lt', 'E312', 'RXY', 'R1,D2(X2,B2)', L, 'load and test 32 bits from storage', sem(
    'let v; ' + S.ld32('v', '$EA2') + ' L[$r1] = v; c.cc = alu.ccSigned32(v);')),
  def('ltg', 'E302', 'RXY', 'R1,D2(X2,B2)', L, 'load and test 64 bits from storage', sem(
    'let h, l; ' + S.ld64('h', 'l', '$EA2') + ' H[$r1] = h; L[$r1] = l; c.cc = alu.ccSigned64(h, l);')),
  def('ltgf', 'E332', 'RXY', 'R1,D2(X2,B2)', L, 'load and test 32 bits from storage sign-extended to 64', sem(
    'let v; ' + S.ld32('v', '$EA2') + ` H[$r1] = ${S.sx('v')}; L[$r1] = v; c.cc = alu.ccSigned32(v);`)),
  // ---- halfwords and bytes ----
  def('lh', '48', 'RX', 'R1,D2(X2,B2)', L, 'load halfword sign-extended to 32 bits', sem(
    'let v; ' + S.ld16('v', '$EA2') + ' L[$r1] = (v << 16) >> 16;')),
  def('lhy', 'E378', 'RXY', 'R1,D2(X2,B2)', L, 'load halfword sign-extended to 32 bits (long displacement)', sem(
    'let v; ' + S.ld16('v', '$EA2') + ' L[$r1] = (v << 16) >> 16;')),
  def('lgh', 'E315', 'RXY', 'R1,D2(X2,B2)', L, 'load halfword sign-extended to 64 bits', sem(
    'let v; ' + S.ld16('v', '$EA2') + ` v = (v << 16) >> 16; H[$r1] = ${S.sx('v')}; L[$r1] = v;`)),
  def('lhr', 'B927', 'RRE', 'R1,R2', L, 'load halfword (bits 48-63 of r2) sign-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = (c.lo[i.r2] << 16) >> 16;
  }),
  def('lghr', 'B907', 'RRE', 'R1,R2', L, 'load halfword (bits 48-63 of r2) sign-extended to 64 bits', (c, i) => {
    const v = (c.lo[i.r2] << 16) >> 16;
    set64(c, i.r1, signHi(v), v);
  }),
  def('lhi', 'A78', 'RI', 'R1,I2', L, 'load halfword immediate (sign-extended to 32 bits)', sem(`
    L[$r1] = $i2;`)),
  def('lghi', 'A79', 'RI', 'R1,I2', L, 'load halfword immediate (sign-extended to 64 bits)', sem(`
    L[$r1] = $i2; H[$r1] = $i2 < 0 ? 0xffffffff : 0;`)),
  def('lgfi', 'C01', 'RIL', 'R1,I2', L, 'load 32-bit immediate sign-extended to 64 bits', sem(`
    L[$r1] = $i2; H[$r1] = $i2 < 0 ? 0xffffffff : 0;`)),
  def('llgc', 'E390', 'RXY', 'R1,D2(X2,B2)', L, 'load byte zero-extended to 64 bits', sem(
    'let v; ' + S.ld8('v', '$EA2') + ' H[$r1] = 0; L[$r1] = v;')),
  def('llgh', 'E391', 'RXY', 'R1,D2(X2,B2)', L, 'load halfword zero-extended to 64 bits', sem(
    'let v; ' + S.ld16('v', '$EA2') + ' H[$r1] = 0; L[$r1] = v;')),
  def('llc', 'E394', 'RXY', 'R1,D2(X2,B2)', L, 'load byte zero-extended to 32 bits', sem(S.ld8('L[$r1]', '$EA2'))),
  def('llh', 'E395', 'RXY', 'R1,D2(X2,B2)', L, 'load halfword zero-extended to 32 bits', sem(S.ld16('L[$r1]', '$EA2'))),
  def('llcr', 'B994', 'RRE', 'R1,R2', L, 'load byte (bits 56-63 of r2) zero-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = c.lo[i.r2] & 0xff;
  }),
  def('llhr', 'B995', 'RRE', 'R1,R2', L, 'load halfword (bits 48-63 of r2) zero-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = c.lo[i.r2] & 0xffff;
  }),
  def('llgcr', 'B984', 'RRE', 'R1,R2', L, 'load byte (bits 56-63 of r2) zero-extended to 64 bits', (c, i) => {
    set64(c, i.r1, 0, c.lo[i.r2] & 0xff);
  }),
  def('llghr', 'B985', 'RRE', 'R1,R2', L, 'load halfword (bits 48-63 of r2) zero-extended to 64 bits', (c, i) => {
    set64(c, i.r1, 0, c.lo[i.r2] & 0xffff);
  }),
  def('lb', 'E376', 'RXY', 'R1,D2(X2,B2)', L, 'load byte sign-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = (c.mem.ld8(eaX2(c, i)) << 24) >> 24;
  }),
  def('lgb', 'E377', 'RXY', 'R1,D2(X2,B2)', L, 'load byte sign-extended to 64 bits', (c, i) => {
    const v = (c.mem.ld8(eaX2(c, i)) << 24) >> 24;
    set64(c, i.r1, signHi(v), v);
  }),
  def('lbr', 'B926', 'RRE', 'R1,R2', L, 'load byte (bits 56-63 of r2) sign-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = (c.lo[i.r2] << 24) >> 24;
  }),
  def('lgbr', 'B906', 'RRE', 'R1,R2', L, 'load byte (bits 56-63 of r2) sign-extended to 64 bits', (c, i) => {
    const v = (c.lo[i.r2] << 24) >> 24;
    set64(c, i.r1, signHi(v), v);
  }),
  // ---- addresses ----
  def('la', '41', 'RX', 'R1,D2(X2,B2)', L, 'load address D2(X2,B2) into r1 (per addressing mode)', sem(LOAD_ADDRESS)),
  def('lay', 'E371', 'RXY', 'R1,D2(X2,B2)', L, 'load address D2(X2,B2) with a long displacement', sem(LOAD_ADDRESS)),
  def('larl', 'C00', 'RIL', 'R1,J2', L, 'load the address of a PC-relative label', sem(`
    const a = $T2;
    if ($AMODE === 64) { H[$r1] = Math.floor(a / 4294967296); L[$r1] = a >>> 0; } else L[$r1] = a;`)),
  // ---- relative long ----
  def('lrl', 'C4D', 'RIL', 'R1,J2', L, 'load 32 bits from a PC-relative word (aligned)', (c, i) => {
    c.lo[i.r1] = c.mem.ld32(aligned(c.relTarget(i.i2), 4));
  }),
  def('lgrl', 'C48', 'RIL', 'R1,J2', L, 'load 64 bits from a PC-relative doubleword (aligned)', (c, i) => {
    c.mem.ld64(aligned(c.relTarget(i.i2), 8));
    set64(c, i.r1, c.mem.rhi, c.mem.rlo);
  }),
  def('lgfrl', 'C4C', 'RIL', 'R1,J2', L, 'load a PC-relative word sign-extended to 64 bits', (c, i) => {
    const v = c.mem.ld32(aligned(c.relTarget(i.i2), 4));
    set64(c, i.r1, signHi(v), v);
  }),
  def('llgfrl', 'C4E', 'RIL', 'R1,J2', L, 'load a PC-relative word zero-extended to 64 bits', (c, i) => {
    set64(c, i.r1, 0, c.mem.ld32(aligned(c.relTarget(i.i2), 4)));
  }),
  def('lhrl', 'C45', 'RIL', 'R1,J2', L, 'load a PC-relative halfword sign-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = (c.mem.ld16(c.relTarget(i.i2)) << 16) >> 16;
  }),
  def('lghrl', 'C44', 'RIL', 'R1,J2', L, 'load a PC-relative halfword sign-extended to 64 bits', (c, i) => {
    const v = (c.mem.ld16(c.relTarget(i.i2)) << 16) >> 16;
    set64(c, i.r1, signHi(v), v);
  }),
  def('llhrl', 'C42', 'RIL', 'R1,J2', L, 'load a PC-relative halfword zero-extended to 32 bits', (c, i) => {
    c.lo[i.r1] = c.mem.ld16(c.relTarget(i.i2));
  }),
  def('llghrl', 'C46', 'RIL', 'R1,J2', L, 'load a PC-relative halfword zero-extended to 64 bits', (c, i) => {
    set64(c, i.r1, 0, c.mem.ld16(c.relTarget(i.i2)));
  }),
  def('strl', 'C4F', 'RIL', 'R1,J2', L, 'store 32 bits to a PC-relative word (aligned)', (c, i) => {
    c.mem.st32(aligned(c.relTarget(i.i2), 4), c.lo[i.r1]);
  }),
  def('stgrl', 'C4B', 'RIL', 'R1,J2', L, 'store 64 bits to a PC-relative doubleword (aligned)', (c, i) => {
    c.mem.st64(aligned(c.relTarget(i.i2), 8), c.hi[i.r1], c.lo[i.r1]);
  }),
  def('sthrl', 'C47', 'RIL', 'R1,J2', L, 'store bits 48-63 to a PC-relative halfword', (c, i) => {
    c.mem.st16(c.relTarget(i.i2), c.lo[i.r1] & 0xffff);
  }),
  // ---- immediates into parts of a register ----
  def('llill', 'A5F', 'RI', 'R1,U2', L, 'load logical immediate into bits 48-63, all other bits zero', sem(`
    H[$r1] = 0; L[$r1] = $i2;`)),
  def('llilh', 'A5E', 'RI', 'R1,U2', L, 'load logical immediate into bits 32-47, all other bits zero', (c, i) => {
    set64(c, i.r1, 0, (i.i2 << 16) >>> 0);
  }),
  def('llihl', 'A5D', 'RI', 'R1,U2', L, 'load logical immediate into bits 16-31, all other bits zero', (c, i) => {
    set64(c, i.r1, i.i2, 0);
  }),
  def('llihh', 'A5C', 'RI', 'R1,U2', L, 'load logical immediate into bits 0-15, all other bits zero', (c, i) => {
    set64(c, i.r1, (i.i2 << 16) >>> 0, 0);
  }),
  def('llilf', 'C0F', 'RIL', 'R1,U2', L, 'load logical 32-bit immediate into bits 32-63, bits 0-31 zero', sem(`
    H[$r1] = 0; L[$r1] = $i2;`)),
  def('llihf', 'C0E', 'RIL', 'R1,U2', L, 'load logical 32-bit immediate into bits 0-31, bits 32-63 zero', (c, i) => {
    set64(c, i.r1, i.i2, 0);
  }),
  def('iill', 'A53', 'RI', 'R1,U2', L, 'insert immediate into bits 48-63 (others unchanged)', (c, i) => {
    c.lo[i.r1] = (c.lo[i.r1] & 0xffff0000) | i.i2;
  }),
  def('iilh', 'A52', 'RI', 'R1,U2', L, 'insert immediate into bits 32-47 (others unchanged)', (c, i) => {
    c.lo[i.r1] = (c.lo[i.r1] & 0xffff) | (i.i2 << 16);
  }),
  def('iihl', 'A51', 'RI', 'R1,U2', L, 'insert immediate into bits 16-31 (others unchanged)', (c, i) => {
    c.hi[i.r1] = (c.hi[i.r1] & 0xffff0000) | i.i2;
  }),
  def('iihh', 'A50', 'RI', 'R1,U2', L, 'insert immediate into bits 0-15 (others unchanged)', (c, i) => {
    c.hi[i.r1] = (c.hi[i.r1] & 0xffff) | (i.i2 << 16);
  }),
  def('iilf', 'C09', 'RIL', 'R1,U2', L, 'insert 32-bit immediate into bits 32-63', (c, i) => {
    c.lo[i.r1] = i.i2;
  }),
  def('iihf', 'C08', 'RIL', 'R1,U2', L, 'insert 32-bit immediate into bits 0-31', (c, i) => {
    c.hi[i.r1] = i.i2;
  }),
  // ---- stores ----
  def('st', '50', 'RX', 'R1,D2(X2,B2)', L, 'store 32 bits', sem(S.st32('$EA2', 'L[$r1]'))),
  def('sty', 'E350', 'RXY', 'R1,D2(X2,B2)', L, 'store 32 bits (long displacement)', sem(S.st32('$EA2', 'L[$r1]'))),
  def('stg', 'E324', 'RXY', 'R1,D2(X2,B2)', L, 'store 64 bits', sem(S.st64('$EA2', 'H[$r1]', 'L[$r1]'))),
  def('sth', '40', 'RX', 'R1,D2(X2,B2)', L, 'store halfword (bits 48-63)', sem(S.st16('$EA2', 'L[$r1] & 0xffff'))),
  def('sthy', 'E370', 'RXY', 'R1,D2(X2,B2)', L, 'store halfword (long displacement)', sem(S.st16('$EA2', 'L[$r1] & 0xffff'))),
  def('stc', '42', 'RX', 'R1,D2(X2,B2)', L, 'store byte (bits 56-63)', sem(S.st8('$EA2', 'L[$r1] & 0xff'))),
  def('stcy', 'E372', 'RXY', 'R1,D2(X2,B2)', L, 'store byte (long displacement)', sem(S.st8('$EA2', 'L[$r1] & 0xff'))),
  def('stpq', 'E38E', 'RXY', 'R1,D2(X2,B2)', L, 'store pair to quadword: r1:r1+1 to an aligned quadword', (c, i) => {
    evenPair(i.r1);
    const a = aligned(eaX2(c, i), 16);
    c.mem.checkStore(a, 16);
    c.mem.st64(a, c.hi[i.r1], c.lo[i.r1]);
    c.mem.st64(a + 8, c.hi[i.r1 + 1], c.lo[i.r1 + 1]);
  }),
  def('lpq', 'E38F', 'RXY', 'P1,D2(X2,B2)', L, 'load pair from quadword: an aligned quadword into r1:r1+1', (c, i) => {
    evenPair(i.r1);
    const a = aligned(eaX2(c, i), 16);
    c.mem.ld64(a);
    const h = c.mem.rhi, l = c.mem.rlo;
    c.mem.ld64(a + 8);
    set64(c, i.r1 + 1, c.mem.rhi, c.mem.rlo);
    set64(c, i.r1, h, l);
  }),
  // ---- multiple ----
  def('stm', '90', 'RS', 'R1,R3,D2(B2)', L, 'store bits 32-63 of r1 through r3 (wrapping 15 → 0)', (c, i) => {
    multiple(c, i.r1, i.r3, eaB2(c, i), 4, true);
  }),
  def('stmy', 'EB90', 'RSY', 'R1,R3,D2(B2)', L, 'store multiple 32 bits (long displacement)', (c, i) => {
    multiple(c, i.r1, i.r3, eaB2(c, i), 4, true);
  }),
  def('stmg', 'EB24', 'RSY', 'R1,R3,D2(B2)', L, 'store 64-bit r1 through r3 (wrapping 15 → 0)', (c, i) => {
    multiple(c, i.r1, i.r3, eaB2(c, i), 8, true);
  }),
  def('lm', '98', 'RS', 'R1,R3,D2(B2)', L, 'load bits 32-63 of r1 through r3 (wrapping 15 → 0)', (c, i) => {
    multiple(c, i.r1, i.r3, eaB2(c, i), 4, false);
  }),
  def('lmy', 'EB98', 'RSY', 'R1,R3,D2(B2)', L, 'load multiple 32 bits (long displacement)', (c, i) => {
    multiple(c, i.r1, i.r3, eaB2(c, i), 4, false);
  }),
  def('lmg', 'EB04', 'RSY', 'R1,R3,D2(B2)', L, 'load 64-bit r1 through r3 (wrapping 15 → 0)', (c, i) => {
    multiple(c, i.r1, i.r3, eaB2(c, i), 8, false);
  }),
  // ---- characters ----
  def('ic', '43', 'RX', 'R1,D2(X2,B2)', L, 'insert a byte into bits 56-63', sem(
    'let v; ' + S.ld8('v', '$EA2') + ' L[$r1] = (L[$r1] & 0xffffff00) | v;')),
  def('icy', 'E373', 'RXY', 'R1,D2(X2,B2)', L, 'insert a byte into bits 56-63 (long displacement)', sem(
    'let v; ' + S.ld8('v', '$EA2') + ' L[$r1] = (L[$r1] & 0xffffff00) | v;')),
  def('icm', 'BF', 'RS', 'R1,M3,D2(B2)', L, 'insert bytes under mask into bits 32-63; cc by the inserted bits', (c, i) => {
    icm(c, c.lo, i.r1, i.m3, eaB2(c, i));
  }),
  def('icmy', 'EB81', 'RSY', 'R1,M3,D2(B2)', L, 'insert characters under mask (long displacement)', (c, i) => {
    icm(c, c.lo, i.r1, i.m3, eaB2(c, i));
  }),
  def('icmh', 'EB80', 'RSY', 'R1,M3,D2(B2)', L, 'insert bytes under mask into bits 0-31', (c, i) => {
    icm(c, c.hi, i.r1, i.m3, eaB2(c, i));
  }),
  def('stcm', 'BE', 'RS', 'R1,M3,D2(B2)', L, 'store the bytes of bits 32-63 selected by the mask', (c, i) => {
    stcm(c, c.lo, i.r1, i.m3, eaB2(c, i));
  }),
  def('stcmy', 'EB2D', 'RSY', 'R1,M3,D2(B2)', L, 'store characters under mask (long displacement)', (c, i) => {
    stcm(c, c.lo, i.r1, i.m3, eaB2(c, i));
  }),
  def('stcmh', 'EB2C', 'RSY', 'R1,M3,D2(B2)', L, 'store the bytes of bits 0-31 selected by the mask', (c, i) => {
    stcm(c, c.hi, i.r1, i.m3, eaB2(c, i));
  }),
  // ---- immediate to storage ----
  def('mvi', '92', 'SI', 'D1(B1),U2', L, 'move an immediate byte to storage', sem(S.st8('$EA1', '$i2'))),
  def('mviy', 'EB52', 'SIY', 'D1(B1),U2', L, 'move an immediate byte to storage (long displacement)', sem(S.st8('$EA1', '$i2'))),
  def('mvhhi', 'E544', 'SIL', 'D1(B1),I2', L, 'move a 16-bit immediate to a halfword', sem(S.st16('$EA1', '$i2 & 0xffff'))),
  def('mvhi', 'E54C', 'SIL', 'D1(B1),I2', L, 'move a 16-bit immediate sign-extended to a word', sem(S.st32('$EA1', '$i2 >>> 0'))),
  def('mvghi', 'E548', 'SIL', 'D1(B1),I2', L, 'move a 16-bit immediate sign-extended to a doubleword', sem(
    S.st64('$EA1', '$i2 < 0 ? 0xffffffff : 0', '$i2 >>> 0'))),
  // ---- storage to storage ----
  def('mvc', 'D2', 'SS', 'D1(L1,B1),D2(B2)', L, 'move L bytes, left to right one byte at a time', sem(
    S.ss('$EA1', '$l1 + 1', true, '$EA2', '$l1 + 1',
      // destructive overlap (the first operand starts inside the second) goes byte by byte
      'if (mp === np && mo > no && mo < no + $l1 + 1) { SS.move(c, $l1 + 1, ma, mb); $SYNC } else sl.ops.mvc(ba, bb, $l1 + 1);',
      'SLOW.move(c, $l1 + 1, ma, mb);'))),
  def('mvn', 'D1', 'SS', 'D1(L1,B1),D2(B2)', L, 'move the right four bits of each byte', (c, i) => {
    ssLoop(c, i.l1 + 1, eaB1(c, i), eaB2(c, i), Op.NUMERICS);
  }),
  def('mvz', 'D3', 'SS', 'D1(L1,B1),D2(B2)', L, 'move the left four bits of each byte', (c, i) => {
    ssLoop(c, i.l1 + 1, eaB1(c, i), eaB2(c, i), Op.ZONES);
  }),
  def('nc', 'D4', 'SS', 'D1(L1,B1),D2(B2)', L, 'AND L bytes into the first operand; cc 0 zero, 1 not zero', (c, i) => {
    c.cc = ssLoop(c, i.l1 + 1, eaB1(c, i), eaB2(c, i), Op.AND) ? 1 : 0;
  }),
  def('oc', 'D6', 'SS', 'D1(L1,B1),D2(B2)', L, 'OR L bytes into the first operand; cc 0 zero, 1 not zero', (c, i) => {
    c.cc = ssLoop(c, i.l1 + 1, eaB1(c, i), eaB2(c, i), Op.OR) ? 1 : 0;
  }),
  def('xc', 'D7', 'SS', 'D1(L1,B1),D2(B2)', L, 'exclusive-OR L bytes into the first operand; cc 0 zero, 1 not zero', (c, i) => {
    c.cc = ssLoop(c, i.l1 + 1, eaB1(c, i), eaB2(c, i), Op.XOR) ? 1 : 0;
  }),
  def('clc', 'D5', 'SS', 'D1(L1,B1),D2(B2)', L, 'compare L bytes unsigned: cc 0 equal, 1 first low, 2 first high', sem(
    S.ss('$EA1', '$l1 + 1', false, '$EA2', '$l1 + 1',
      'c.cc = sl.ops.clc(ba, bb, $l1 + 1);',
      // the cc changes only when the instruction completes
      'const cc = SLOW.compare(c, $l1 + 1, ma, mb); if (c.fault === null) c.cc = cc;'))),
  def('tr', 'DC', 'SS', 'D1(L1,B1),D2(B2)', L, 'translate L bytes through a 256-byte table', sem(
    S.ss('$EA1', '$l1 + 1', true, '$EA2', '256',
      // a table overlapping the operand: byte by byte, later bytes see earlier results
      'if (mp === np && no < mo + $l1 + 1 && no + 256 > mo) { SS.translate(c, $l1 + 1, ma, mb); $SYNC } else sl.ops.tr(ba, $l1 + 1, bb);',
      'SLOW.translate(c, $l1 + 1, ma, mb);'))),
  def('mvcl', '0E', 'RR', 'R1,R2', L, 'move long with padding (even/odd pairs); cc by lengths, 3 destructive overlap', mvcl, { interpretOnly: true, registerAddressed: true }),
  def('mvcle', 'A8', 'RS', 'P1,P3,D2(B2)', L, 'move long extended; cc 3 = not finished, branch back', mvcle, { interpretOnly: true, registerAddressed: true }),
  // ---- compare and test immediate ----
  def('cli', '95', 'SI', 'D1(B1),U2', L, 'compare a storage byte with an immediate (unsigned)', sem(
    'let v; ' + S.ld8('v', '$EA1') + ' c.cc = v === $i2 ? 0 : v < $i2 ? 1 : 2;')),
  def('cliy', 'EB55', 'SIY', 'D1(B1),U2', L, 'compare logical immediate (long displacement)', sem(
    'let v; ' + S.ld8('v', '$EA1') + ' c.cc = v === $i2 ? 0 : v < $i2 ? 1 : 2;')),
  def('tm', '91', 'SI', 'D1(B1),U2', L, 'test the bits of a storage byte selected by the mask: cc 0 zeros, 1 mixed, 3 ones', sem(
    'let v; ' + S.ld8('v', '$EA1') + TEST_UNDER_MASK)),
  def('tmy', 'EB51', 'SIY', 'D1(B1),U2', L, 'test under mask (long displacement)', sem(
    'let v; ' + S.ld8('v', '$EA1') + TEST_UNDER_MASK)),
  def('tmll', 'A71', 'RI', 'R1,U2', L, 'test bits 48-63 under mask: cc 0 zeros, 1/2 mixed (leftmost 0/1), 3 ones', (c, i) => {
    c.cc = ccTmx(c.lo[i.r1] & 0xffff, i.i2);
  }),
  def('tmlh', 'A70', 'RI', 'R1,U2', L, 'test bits 32-47 under mask', (c, i) => {
    c.cc = ccTmx(c.lo[i.r1] >>> 16, i.i2);
  }),
  def('tmhl', 'A73', 'RI', 'R1,U2', L, 'test bits 16-31 under mask', (c, i) => {
    c.cc = ccTmx(c.hi[i.r1] & 0xffff, i.i2);
  }),
  def('tmhh', 'A72', 'RI', 'R1,U2', L, 'test bits 0-15 under mask', (c, i) => {
    c.cc = ccTmx(c.hi[i.r1] >>> 16, i.i2);
  }),
  // ---- sign ----
  def('lcr', '13', 'RR', 'R1,R2', L, 'load complement 32 bits; overflow for -2^31', (c, i) => {
    const v = c.lo[i.r2] | 0;
    const r = (-v) | 0;
    c.lo[i.r1] = r;
    if (v === -0x80000000) c.overflow();
    else c.cc = ccSigned32(r);
  }),
  def('lcgr', 'B903', 'RRE', 'R1,R2', L, 'load complement 64 bits; overflow for -2^63', (c, i) => {
    lcg(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('lcgfr', 'B913', 'RRE', 'R1,R2', L, 'load complement of 32 bits sign-extended to 64', (c, i) => {
    const v = c.lo[i.r2];
    lcg(c, i.r1, signHi(v), v);
  }),
  def('lpr', '10', 'RR', 'R1,R2', L, 'load positive (absolute value) 32 bits; overflow for -2^31', (c, i) => {
    const v = c.lo[i.r2] | 0;
    const r = v < 0 ? (-v) | 0 : v;
    c.lo[i.r1] = r;
    if (v === -0x80000000) c.overflow();
    else c.cc = r === 0 ? 0 : 2;
  }),
  def('lpgr', 'B900', 'RRE', 'R1,R2', L, 'load positive 64 bits; overflow for -2^63', (c, i) => {
    lpg(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('lpgfr', 'B910', 'RRE', 'R1,R2', L, 'load positive of 32 bits sign-extended to 64', (c, i) => {
    const v = c.lo[i.r2];
    lpg(c, i.r1, signHi(v), v);
  }),
  def('lnr', '11', 'RR', 'R1,R2', L, 'load negative 32 bits: -|r2|; cc 0 zero, 1 negative', (c, i) => {
    const v = c.lo[i.r2] | 0;
    const r = v > 0 ? -v : v;
    c.lo[i.r1] = r;
    c.cc = r === 0 ? 0 : 1;
  }),
  def('lngr', 'B901', 'RRE', 'R1,R2', L, 'load negative 64 bits', (c, i) => {
    lng(c, i.r1, c.hi[i.r2], c.lo[i.r2]);
  }),
  def('lngfr', 'B911', 'RRE', 'R1,R2', L, 'load negative of 32 bits sign-extended to 64', (c, i) => {
    const v = c.lo[i.r2];
    lng(c, i.r1, signHi(v), v);
  }),
  // ---- byte reversal ----
  def('lrvr', 'B91F', 'RRE', 'R1,R2', L, 'load bits 32-63 byte-reversed', (c, i) => {
    c.lo[i.r1] = bswap32(c.lo[i.r2]);
  }),
  def('lrvgr', 'B90F', 'RRE', 'R1,R2', L, 'load 64 bits byte-reversed', (c, i) => {
    const h = c.hi[i.r2], l = c.lo[i.r2];
    set64(c, i.r1, bswap32(l), bswap32(h));
  }),
  def('lrv', 'E31E', 'RXY', 'R1,D2(X2,B2)', L, 'load a word byte-reversed', (c, i) => {
    c.lo[i.r1] = bswap32(c.mem.ld32(eaX2(c, i)));
  }),
  def('lrvh', 'E31F', 'RXY', 'R1,D2(X2,B2)', L, 'load a halfword byte-reversed into bits 48-63', (c, i) => {
    c.lo[i.r1] = (c.lo[i.r1] & 0xffff0000) | bswap16(c.mem.ld16(eaX2(c, i)));
  }),
  def('lrvg', 'E30F', 'RXY', 'R1,D2(X2,B2)', L, 'load a doubleword byte-reversed', (c, i) => {
    c.mem.ld64(eaX2(c, i));
    set64(c, i.r1, bswap32(c.mem.rlo), bswap32(c.mem.rhi));
  }),
  def('strv', 'E33E', 'RXY', 'R1,D2(X2,B2)', L, 'store bits 32-63 byte-reversed', (c, i) => {
    c.mem.st32(eaX2(c, i), bswap32(c.lo[i.r1]));
  }),
  def('strvh', 'E33F', 'RXY', 'R1,D2(X2,B2)', L, 'store bits 48-63 byte-reversed', (c, i) => {
    c.mem.st16(eaX2(c, i), bswap16(c.lo[i.r1]));
  }),
  def('strvg', 'E32F', 'RXY', 'R1,D2(X2,B2)', L, 'store 64 bits byte-reversed', (c, i) => {
    c.mem.st64(eaX2(c, i), bswap32(c.lo[i.r1]), bswap32(c.hi[i.r1]));
  }),
  def('flogr', 'B983', 'RRE', 'P1,R2', L, 'find leftmost one: r1 := its bit number (64 if none), r1+1 := r2 with it cleared', (c, i) => {
    evenPair(i.r1);
    const h = c.hi[i.r2], l = c.lo[i.r2];
    if ((h | l) === 0) {
      set64(c, i.r1, 0, 64);
      set64(c, i.r1 + 1, 0, 0);
      c.cc = 0;
      return;
    }
    if (h !== 0) {
      const n = Math.clz32(h);
      set64(c, i.r1 + 1, (h & ~(0x80000000 >>> n)) >>> 0, l);
      set64(c, i.r1, 0, n);
    } else {
      const n = Math.clz32(l);
      set64(c, i.r1 + 1, 0, (l & ~(0x80000000 >>> n)) >>> 0);
      set64(c, i.r1, 0, 32 + n);
    }
    c.cc = 2;
  }),
];
