/**
 * Branches (PoP chapter 7): BRANCH ON CONDITION, BRANCH AND LINK / SAVE,
 * BRANCH ON COUNT, BRANCH ON INDEX, and the addressing-mode instructions
 * (BSM, BASSM, SAM24/31/64). Family "branches" of isa.md.
 *
 * A branch sets `cpu.nia`; on entry `cpu.nia` holds the updated (next
 * sequential) instruction address, which is also the link address (under
 * EXECUTE it is the EX's next address, as the PoP requires). The branch
 * address is always formed before any register is changed, since R1 may also
 * be the base, index or R2.
 */
import { def, type InstructionDef, type Insn } from './types.js';
import { sem } from './sem.js';
import type { Cpu } from '../cpu.js';
import { cmpSigned64, join64, setLinkAddress, TWO32 } from '../alu.js';
import { pgm, PIC } from '../exceptions.js';

type C = Cpu;

const taken = (c: C, m: number): boolean => ((8 >>> c.cc) & m) !== 0;

/** BRAS, BRASL, BASR (and BAS): r1 := the updated PSW address, formatted by the addressing mode (alu.setLinkAddress). */
const SAVE_LINK = 'alu.setLinkAddress(c, $r1, $NEXT);';

/**
 * BRANCH AND LINK in the 24-bit mode: bits 32-33 the instruction-length code
 * (of the EX when executed), 34-35 the condition code, 36-39 the program
 * mask, 40-63 the updated address. Other modes: as BRANCH AND SAVE.
 */
function linkBal(c: C, i: Insn, r: number, a: number): void {
  if (c.amode !== 24) { setLinkAddress(c, r, a); return; }
  const ilc = (c.exLen !== 0 ? c.exLen : i.len) >>> 1;
  c.lo[r] = ((ilc << 30) | (c.cc << 28) | (c.pm << 24) | a) >>> 0;
}

/**
 * Link information of BRANCH AND SAVE AND SET MODE: 64-bit mode the address
 * with bit 63 one; otherwise bit 32 the basic-addressing-mode bit and the
 * address in bits 33-63 (bits 0-31 unchanged).
 */
function linkMode(c: C, r: number, a: number): void {
  if (c.amode === 64) {
    c.hi[r] = Math.floor(a / TWO32);
    c.lo[r] = (a >>> 0) | 1;
  } else {
    c.lo[r] = ((c.amode === 31 ? 0x80000000 : 0) | a) >>> 0;
  }
}

/** Switch the addressing mode (PSW bits 31-32) and tell the MMU and fetch cache. */
function setMode(c: C, m: 24 | 31 | 64): void {
  if (c.amode !== m) {
    c.amode = m;
    c.modeChanged();
  }
}

/**
 * Branch address and new mode from a BSM/BASSM second operand (held in
 * h:l, read before the link is stored): bit 63 one → 64-bit mode, address
 * bits 0-62 with bit 63 zero; else bit 32 one → 31-bit mode, address bits
 * 33-63; else 24-bit mode, address bits 40-63.
 */
function branchSetMode(c: C, h: number, l: number): void {
  if ((l & 1) !== 0) {
    setMode(c, 64);
    c.nia = join64(h, (l & ~1) >>> 0);
  } else if ((l & 0x80000000) !== 0) {
    setMode(c, 31);
    c.nia = l & 0x7fffffff;
  } else {
    setMode(c, 24);
    c.nia = l & 0xffffff;
  }
}

/** BRANCH ON INDEX (32 bits): r1 += r3; compare with the odd register of the R3 pair. */
function bx32(c: C, r1: number, r3: number): number {
  const cmp = c.lo[r3 | 1] | 0; // the comparand is taken before r1 changes
  const sum = (c.lo[r1] + c.lo[r3]) | 0;
  c.lo[r1] = sum;
  return sum > cmp ? 1 : sum === cmp ? 0 : -1;
}

/** BRANCH ON INDEX (64 bits): returns the sign of (r1 + r3) - comparand. */
function bx64(c: C, r1: number, r3: number): number {
  const ch = c.hi[r3 | 1], cl = c.lo[r3 | 1];
  const al = c.lo[r1], bl = c.lo[r3];
  const lo = (al + bl) >>> 0;
  const hi = (c.hi[r1] + c.hi[r3] + (lo < al ? 1 : 0)) >>> 0;
  c.hi[r1] = hi; c.lo[r1] = lo;
  const k = cmpSigned64(hi, lo, ch, cl);
  return k === 2 ? 1 : k === 0 ? 0 : -1;
}

/** 64-bit decrement; returns true when the result is not zero. */
function dec64(c: C, r: number): boolean {
  const lo = (c.lo[r] - 1) >>> 0;
  const hi = lo === 0xffffffff ? (c.hi[r] - 1) >>> 0 : c.hi[r];
  c.lo[r] = lo; c.hi[r] = hi;
  return (hi | lo) !== 0;
}

const B = 'branches' as const;
const BR = { branch: true };
/** BRANCH ON COUNT: the width of the count it decrements */
const COUNT32 = { branch: true, onCount: 32 as const };
const COUNT64 = { branch: true, onCount: 64 as const };
/** BRANCH ON CONDITION forms: taken when the cc is selected by mask M1 */
const ON_CC = { branch: true, onCondition: true };
const CALL = { branch: true, call: true };

export const BRANCHES: InstructionDef[] = [
  // ---- on condition ----
  // PoP: with R2 = 0 no branch; M1=15,R2=0 / M1=14,R2=0 are serialization (no-op here)
  def('bcr', '07', 'RR', 'M1,R2', B, 'branch to the address in r2 if the cc is in mask m1', sem(`
    if ($r2 !== 0 && ((8 >>> c.cc) & $m1) !== 0) c.nia = c.regAddr($r2);`), ON_CC),
  def('bc', '47', 'RX', 'M1,D2(X2,B2)', B, 'branch to D2(X2,B2) if the cc is in mask m1', (c, i) => {
    if (taken(c, i.m1)) c.nia = c.eaXBD(i.x2, i.b2, i.d2);
  }, ON_CC),
  def('brc', 'A74', 'RI', 'M1,J2', B, 'branch relative if the cc is in mask m1', sem(`
    if (((8 >>> c.cc) & $m1) !== 0) c.nia = $T2;`), ON_CC),
  def('brcl', 'C04', 'RIL', 'M1,J2', B, 'branch relative long if the cc is in mask m1', sem(`
    if (((8 >>> c.cc) & $m1) !== 0) c.nia = $T2;`), ON_CC),
  // ---- and link / save ----
  def('bal', '45', 'RX', 'R1,D2(X2,B2)', B, 'branch and link: r1 := return address (24-bit mode: with ILC, cc, program mask)', (c, i) => {
    const t = c.eaXBD(i.x2, i.b2, i.d2);
    linkBal(c, i, i.r1, c.nia);
    c.nia = t;
  }, CALL),
  def('balr', '05', 'RR', 'R1,R2', B, 'branch and link to the address in r2 (r2 = 0: link only)', (c, i) => {
    const t = c.regAddr(i.r2);
    linkBal(c, i, i.r1, c.nia);
    if (i.r2 !== 0) c.nia = t;
  }, CALL),
  def('bas', '4D', 'RX', 'R1,D2(X2,B2)', B, 'branch and save: r1 := return address, branch to D2(X2,B2)', sem(`
    const t = $EA2; ${SAVE_LINK} c.nia = t;`), CALL),
  def('basr', '0D', 'RR', 'R1,R2', B, 'branch and save to the address in r2 (r2 = 0: save only)', sem(`
    const t = c.regAddr($r2); ${SAVE_LINK}
    if ($r2 !== 0) c.nia = t;`), CALL),
  def('bras', 'A75', 'RI', 'R1,J2', B, 'branch relative and save: r1 := return address', sem(`
    ${SAVE_LINK} c.nia = $T2;`), CALL),
  def('brasl', 'C05', 'RIL', 'R1,J2', B, 'branch relative long and save: r1 := return address', sem(`
    ${SAVE_LINK} c.nia = $T2;`), CALL),
  // ---- on count ----
  def('bct', '46', 'RX', 'R1,D2(X2,B2)', B, 'decrement r1 (32 bits); branch to D2(X2,B2) if not zero', (c, i) => {
    const t = c.eaXBD(i.x2, i.b2, i.d2);
    const v = (c.lo[i.r1] - 1) >>> 0;
    c.lo[i.r1] = v;
    if (v !== 0) c.nia = t;
  }, COUNT32),
  def('bctr', '06', 'RR', 'R1,R2', B, 'decrement r1 (32 bits); branch to the address in r2 if not zero (r2 = 0: no branch)', (c, i) => {
    const t = c.regAddr(i.r2);
    const v = (c.lo[i.r1] - 1) >>> 0;
    c.lo[i.r1] = v;
    if (v !== 0 && i.r2 !== 0) c.nia = t;
  }, COUNT32),
  def('bctg', 'E346', 'RXY', 'R1,D2(X2,B2)', B, 'decrement r1 (64 bits); branch to D2(X2,B2) if not zero', (c, i) => {
    const t = c.eaXBD(i.x2, i.b2, i.d2);
    if (dec64(c, i.r1)) c.nia = t;
  }, COUNT64),
  def('bctgr', 'B946', 'RRE', 'R1,R2', B, 'decrement r1 (64 bits); branch to the address in r2 if not zero (r2 = 0: no branch)', (c, i) => {
    const t = c.regAddr(i.r2);
    if (dec64(c, i.r1) && i.r2 !== 0) c.nia = t;
  }, COUNT64),
  def('brct', 'A76', 'RI', 'R1,J2', B, 'decrement r1 (32 bits); branch relative if not zero', sem(`
    const v = (L[$r1] - 1) >>> 0;
    L[$r1] = v;
    if (v !== 0) c.nia = $T2;`), COUNT32),
  def('brctg', 'A77', 'RI', 'R1,J2', B, 'decrement r1 (64 bits); branch relative if not zero', sem(`
    const lo = (L[$r1] - 1) >>> 0;
    const hi = lo === 0xffffffff ? (H[$r1] - 1) >>> 0 : H[$r1];
    L[$r1] = lo; H[$r1] = hi;
    if ((hi | lo) !== 0) c.nia = $T2;`), COUNT64),
  // ---- on index: r1 += r3, compared with r3|1 ----
  def('bxh', '86', 'RS', 'R1,R3,D2(B2)', B, 'r1 += r3; branch if r1 > r3|1 (32 bits signed)', (c, i) => {
    const t = c.eaXBD(0, i.b2, i.d2);
    if (bx32(c, i.r1, i.r3) > 0) c.nia = t;
  }, BR),
  def('bxle', '87', 'RS', 'R1,R3,D2(B2)', B, 'r1 += r3; branch if r1 <= r3|1 (32 bits signed)', (c, i) => {
    const t = c.eaXBD(0, i.b2, i.d2);
    if (bx32(c, i.r1, i.r3) <= 0) c.nia = t;
  }, BR),
  def('brxh', '84', 'RSI', 'R1,R3,J2', B, 'r1 += r3; branch relative if r1 > r3|1 (32 bits signed)', (c, i) => {
    if (bx32(c, i.r1, i.r3) > 0) c.nia = c.relTarget(i.i2);
  }, BR),
  def('brxle', '85', 'RSI', 'R1,R3,J2', B, 'r1 += r3; branch relative if r1 <= r3|1 (32 bits signed)', (c, i) => {
    if (bx32(c, i.r1, i.r3) <= 0) c.nia = c.relTarget(i.i2);
  }, BR),
  def('bxhg', 'EB44', 'RSY', 'R1,R3,D2(B2)', B, 'r1 += r3; branch if r1 > r3|1 (64 bits signed)', (c, i) => {
    const t = c.eaXBD(0, i.b2, i.d2);
    if (bx64(c, i.r1, i.r3) > 0) c.nia = t;
  }, BR),
  def('bxleg', 'EB45', 'RSY', 'R1,R3,D2(B2)', B, 'r1 += r3; branch if r1 <= r3|1 (64 bits signed)', (c, i) => {
    const t = c.eaXBD(0, i.b2, i.d2);
    if (bx64(c, i.r1, i.r3) <= 0) c.nia = t;
  }, BR),
  def('brxhg', 'EC44', 'RIE', 'R1,R3,J2', B, 'r1 += r3; branch relative if r1 > r3|1 (64 bits signed)', (c, i) => {
    if (bx64(c, i.r1, i.r3) > 0) c.nia = c.relTarget(i.i2);
  }, BR),
  def('brxlg', 'EC45', 'RIE', 'R1,R3,J2', B, 'r1 += r3; branch relative if r1 <= r3|1 (64 bits signed)', (c, i) => {
    if (bx64(c, i.r1, i.r3) <= 0) c.nia = c.relTarget(i.i2);
  }, BR),
  // ---- addressing mode ----
  def('bsm', '0B', 'RR', 'R1,R2', B, 'branch and set mode from r2 (bit 63: 64-bit, else bit 32: 31/24-bit); r1 gets the current mode bit', (c, i) => {
    const h = c.hi[i.r2], l = c.lo[i.r2];
    if (i.r1 !== 0) {
      // 64-bit mode: bit 63 of r1 set to one; else bit 32 := the BA bit
      if (c.amode === 64) c.lo[i.r1] |= 1;
      else c.lo[i.r1] = (c.lo[i.r1] & 0x7fffffff) | (c.amode === 31 ? 0x80000000 : 0);
    }
    if (i.r2 !== 0) branchSetMode(c, h, l);
  }, { ...BR, interpretOnly: true }),
  def('bassm', '0C', 'RR', 'R1,R2', B, 'branch and save (with the mode in the link) and set mode from r2 (r2 = 0: save only)', (c, i) => {
    const h = c.hi[i.r2], l = c.lo[i.r2];
    linkMode(c, i.r1, c.nia);
    if (i.r2 !== 0) branchSetMode(c, h, l);
  }, { ...CALL, interpretOnly: true }),
  def('sam24', '010C', 'E', '', B, 'set the 24-bit addressing mode (the next instruction address must fit)', (c) => {
    if (c.nia > 0xffffff) pgm(PIC.SPECIFICATION);
    setMode(c, 24);
  }, { interpretOnly: true }),
  def('sam31', '010D', 'E', '', B, 'set the 31-bit addressing mode (the next instruction address must fit)', (c) => {
    if (c.nia > 0x7fffffff) pgm(PIC.SPECIFICATION);
    setMode(c, 31);
  }, { interpretOnly: true }),
  def('sam64', '010E', 'E', '', B, 'set the 64-bit addressing mode', (c) => {
    setMode(c, 64);
  }, { interpretOnly: true }),
];
