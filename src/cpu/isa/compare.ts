/**
 * COMPARE, COMPARE LOGICAL, compare-and-branch, COMPARE AND SWAP, COMPARE
 * LOGICAL STRING / CHARACTERS UNDER MASK and CHECKSUM (PoP chapter 7).
 * Family "compare" of isa.md.
 * cc 0 equal, 1 first operand low, 2 first operand high.
 */
import { def, type Exec, type InstructionDef, type Insn } from './types.js';
import { sem, S } from './sem.js';
import { aligned, eaB1, eaB2, eaX2, evenPair, interlocked } from './common.js';
import type { Cpu } from '../cpu.js';
import { pgm, PIC } from '../exceptions.js';
import { LC } from '../lowcore.js';
import {
  cmpSigned32, cmpSigned64, cmpLogical32, cmpLogical64, signHi, setRegAddress, h16,
} from '../alu.js';

const C = 'compare' as const;

/**
 * Second operand of the RELATIVE LONG compares: PoP requires it aligned on
 * an integral boundary of its size (word or doubleword; halfwords always
 * are, the target being instruction address + 2 * I2), else specification.
 */
function relAligned(c: Cpu, i: Insn, size: number): number {
  return aligned(c.relTarget(i.i2), size);
}

/** Branch to D4(B4) when the compare's cc is in mask M3 (RRS / RIS; the cc is unchanged). */
function branchToIf(c: Cpu, i: Insn, cc: number): void {
  if (((8 >>> cc) & i.m3) !== 0) c.nia = c.eaXBD(0, i.b4, i.d4);
}

/**
 * COMPARE AND TRAP: when the cc the comparison would give is in mask M3, a
 * data exception with data-exception code FF hex (PoP "Compare and Trap");
 * the DXC goes to real location 147 with bytes 144-146 zero.
 */
function trapIf(c: Cpu, i: Insn, cc: number): void {
  if (((8 >>> cc) & i.m3) === 0) return;
  c.storage.write32(c.lowcore(LC.DATA_EXC_CODE), 0xff);
  pgm(PIC.DATA);
}

/**
 * Bytes COMPARE LOGICAL STRING and CHECKSUM process per execution before
 * ending with cc 3 (a CPU-determined amount, PoP); 8 KB as QEMU does, so that
 * differential runs agree on partial completion.
 */
const CPU_AMOUNT = 0x2000;

/** COMPARE LOGICAL STRING (PoP): R0 bits 56-63 end character, cc 0/1/2/3. */
function clst(c: Cpu, i: Insn): void {
  // bits 32-55 of general register 0 must be zero
  if ((c.lo[0] & 0xffffff00) !== 0) pgm(PIC.SPECIFICATION);
  const end = c.lo[0] & 0xff;
  const a1 = c.regAddr(i.r1), a2 = c.regAddr(i.r2);
  const m = c.mem;
  for (let n = 0; n < CPU_AMOUNT; n++) {
    const p1 = c.wrap(a1 + n), p2 = c.wrap(a2 + n);
    const b1 = m.ld8(p1), b2 = m.ld8(p2);
    if (b1 === b2) {
      // both ending characters: equal, registers unchanged
      if (b1 === end) { c.cc = 0; return; }
      continue;
    }
    // unequal: an operand holding the ending character is the shorter, i.e. low
    c.cc = b1 === end ? 1 : b2 === end ? 2 : b1 < b2 ? 1 : 2;
    setRegAddress(c, i.r1, p1);
    setRegAddress(c, i.r2, p2);
    return;
  }
  c.cc = 3;
  setRegAddress(c, i.r1, c.wrap(a1 + CPU_AMOUNT));
  setRegAddress(c, i.r2, c.wrap(a2 + CPU_AMOUNT));
}

/**
 * CHECKSUM (PoP): words of the second operand (address R2, length R2+1;
 * zero-padded on the right at the end) are added to R1 bits 32-63 as
 * unsigned 32-bit values with end-around carry. cc 0 all done, 3 partial.
 */
function cksm(c: Cpu, i: Insn): void {
  const r2 = i.r2;
  if ((r2 & 1) !== 0) pgm(PIC.SPECIFICATION);
  const am = c.amode;
  const lenHi = am === 64 ? c.hi[r2 + 1] : 0;
  const lenLo = c.lo[r2 + 1];
  // at most CPU_AMOUNT bytes this time
  const n = lenHi !== 0 || lenLo > CPU_AMOUNT ? CPU_AMOUNT : lenLo;
  const a = c.regAddr(r2);
  const m = c.mem;
  let sum = c.lo[i.r1];
  for (let k = 0; k < n; k += 4) {
    let w = 0;
    for (let j = 0; j < 4; j++) w = w * 256 + (k + j < n ? m.ld8(c.wrap(a + k + j)) : 0);
    sum += w;
    if (sum > 0xffffffff) sum -= 0xffffffff; // end-around carry
  }
  setRegAddress(c, r2, c.wrap(a + n));
  // length: bits 32-63 in the 24/31-bit modes, all 64 bits in the 64-bit mode
  const newLo = lenLo - n;
  c.lo[r2 + 1] = newLo;
  if (am === 64 && newLo < 0) c.hi[r2 + 1] = c.hi[r2 + 1] - 1;
  // the checksum is written last, so an R1 that overlaps the R2 pair ends
  // up holding it (the order QEMU uses; keeps differential runs in step)
  c.lo[i.r1] = sum;
  c.cc = lenHi === 0 && lenLo === n ? 0 : 3;
}

/** COMPARE LOGICAL CHARACTERS UNDER MASK: bytes of `reg` picked by m3 against successive storage bytes. */
function clm(c: Cpu, reg: number, mask: number, a: number): void {
  let cc = 0;
  let k = 0;
  for (let b = 0; b < 4; b++) {
    if ((mask & (8 >>> b)) === 0) continue;
    const rb = (reg >>> (24 - 8 * b)) & 0xff;
    const sb = c.mem.ld8(c.wrap(a + k));
    k++;
    if (cc === 0 && rb !== sb) cc = rb < sb ? 1 : 2;
  }
  c.cc = cc;
}

/** The cc a comparison gives, read from the instruction's operands. */
type Comparison = (c: Cpu, i: Insn) => number;

/**
 * The comparisons COMPARE AND BRANCH (RRS / RIS) and COMPARE AND TRAP share:
 * R1 with R2 or with the immediate I2, signed or logical, 32 or 64 bits.
 */
const CMP: Record<'r' | 'gr' | 'lr' | 'lgr' | 'i' | 'gi' | 'li' | 'lgi', Comparison> = {
  r: (c, i) => cmpSigned32(c.lo[i.r1], c.lo[i.r2]),
  gr: (c, i) => cmpSigned64(c.hi[i.r1], c.lo[i.r1], c.hi[i.r2], c.lo[i.r2]),
  lr: (c, i) => cmpLogical32(c.lo[i.r1], c.lo[i.r2]),
  lgr: (c, i) => cmpLogical64(c.hi[i.r1], c.lo[i.r1], c.hi[i.r2], c.lo[i.r2]),
  i: (c, i) => cmpSigned32(c.lo[i.r1], i.i2),
  gi: (c, i) => cmpSigned64(c.hi[i.r1], c.lo[i.r1], signHi(i.i2), i.i2 >>> 0),
  li: (c, i) => cmpLogical32(c.lo[i.r1], i.i2),
  lgi: (c, i) => cmpLogical64(c.hi[i.r1], c.lo[i.r1], 0, i.i2),
};

/** COMPARE AND BRANCH to D4(B4) on `cmp`. */
const branchTo = (cmp: Comparison): Exec => (c, i) => { branchToIf(c, i, cmp(c, i)); };
/** COMPARE AND TRAP on `cmp`. */
const trapOn = (cmp: Comparison): Exec => (c, i) => { trapIf(c, i, cmp(c, i)); };

export const COMPARE: InstructionDef[] = [
  // ================= COMPARE (signed) =================
  def('cr', '19', 'RR', 'R1,R2', C, 'compare 32 bits signed', sem(S.cmpS32('L[$r1]', 'L[$r2]'))),
  def('cgr', 'B920', 'RRE', 'R1,R2', C, 'compare 64 bits signed', sem(S.cmpS64('H[$r1]', 'L[$r1]', 'H[$r2]', 'L[$r2]'))),
  def('cgfr', 'B930', 'RRE', 'R1,R2', C, 'compare 64-bit r1 with sign-extended 32-bit r2', (c, i) => {
    const v = c.lo[i.r2];
    c.cc = cmpSigned64(c.hi[i.r1], c.lo[i.r1], signHi(v), v);
  }),
  def('c', '59', 'RX', 'R1,D2(X2,B2)', C, 'compare 32 bits signed with a word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.cmpS32('L[$r1]', 'x'))),
  def('cy', 'E359', 'RXY', 'R1,D2(X2,B2)', C, 'compare 32 bits signed with a word (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.cmpS32('L[$r1]', 'x'))),
  def('cg', 'E320', 'RXY', 'R1,D2(X2,B2)', C, 'compare 64 bits signed with a doubleword from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.cmpS64('H[$r1]', 'L[$r1]', 'xh', 'xl'))),
  def('cgf', 'E330', 'RXY', 'R1,D2(X2,B2)', C, 'compare 64 bits with a sign-extended word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.cmpS64('H[$r1]', 'L[$r1]', S.sx('x'), 'x'))),
  def('ch', '49', 'RX', 'R1,D2(X2,B2)', C, 'compare 32 bits with a sign-extended halfword from storage', sem(
    'let x; ' + S.ld16('x', '$EA2') + ' x = (x << 16) >> 16; ' + S.cmpS32('L[$r1]', 'x'))),
  def('chy', 'E379', 'RXY', 'R1,D2(X2,B2)', C, 'compare with a halfword from storage (long displacement)', sem(
    'let x; ' + S.ld16('x', '$EA2') + ' x = (x << 16) >> 16; ' + S.cmpS32('L[$r1]', 'x'))),
  def('cgh', 'E334', 'RXY', 'R1,D2(X2,B2)', C, 'compare 64 bits with a sign-extended halfword from storage', (c, i) => {
    const v = h16(c.mem.ld16(eaX2(c, i)));
    c.cc = cmpSigned64(c.hi[i.r1], c.lo[i.r1], signHi(v), v >>> 0);
  }),
  def('chi', 'A7E', 'RI', 'R1,I2', C, 'compare 32 bits with a halfword immediate', sem(S.cmpS32('L[$r1]', '$i2'))),
  def('cghi', 'A7F', 'RI', 'R1,I2', C, 'compare 64 bits with a halfword immediate', sem(S.cmpS64('H[$r1]', 'L[$r1]', '($i2 < 0 ? -1 : 0)', '$i2'))),
  def('cfi', 'C2D', 'RIL', 'R1,I2', C, 'compare 32 bits with a 32-bit immediate', sem(S.cmpS32('L[$r1]', '$i2'))),
  def('cgfi', 'C2C', 'RIL', 'R1,I2', C, 'compare 64 bits with a sign-extended 32-bit immediate', sem(S.cmpS64('H[$r1]', 'L[$r1]', '($i2 < 0 ? 0xffffffff : 0)', '($i2 >>> 0)'))),
  def('chhsi', 'E554', 'SIL', 'D1(B1),I2', C, 'compare a halfword in storage with a halfword immediate', (c, i) => {
    c.cc = cmpSigned32(h16(c.mem.ld16(eaB1(c, i))), i.i2);
  }),
  def('chsi', 'E55C', 'SIL', 'D1(B1),I2', C, 'compare a word in storage with a halfword immediate', (c, i) => {
    c.cc = cmpSigned32(c.mem.ld32(eaB1(c, i)), i.i2);
  }),
  def('cghsi', 'E558', 'SIL', 'D1(B1),I2', C, 'compare a doubleword in storage with a halfword immediate', (c, i) => {
    const m = c.mem;
    m.ld64(eaB1(c, i));
    c.cc = cmpSigned64(m.rhi, m.rlo, signHi(i.i2), i.i2 >>> 0);
  }),
  def('crl', 'C6D', 'RIL', 'R1,J2', C, 'compare 32 bits with a PC-relative word', (c, i) => {
    c.cc = cmpSigned32(c.lo[i.r1], c.mem.ld32(relAligned(c, i, 4)));
  }),
  def('cgrl', 'C68', 'RIL', 'R1,J2', C, 'compare 64 bits with a PC-relative doubleword', (c, i) => {
    const m = c.mem;
    m.ld64(relAligned(c, i, 8));
    c.cc = cmpSigned64(c.hi[i.r1], c.lo[i.r1], m.rhi, m.rlo);
  }),
  def('cgfrl', 'C6C', 'RIL', 'R1,J2', C, 'compare 64 bits with a sign-extended PC-relative word', (c, i) => {
    const v = c.mem.ld32(relAligned(c, i, 4));
    c.cc = cmpSigned64(c.hi[i.r1], c.lo[i.r1], signHi(v), v);
  }),
  def('chrl', 'C65', 'RIL', 'R1,J2', C, 'compare 32 bits with a sign-extended PC-relative halfword', (c, i) => {
    c.cc = cmpSigned32(c.lo[i.r1], h16(c.mem.ld16(c.relTarget(i.i2))));
  }),
  def('cghrl', 'C64', 'RIL', 'R1,J2', C, 'compare 64 bits with a sign-extended PC-relative halfword', (c, i) => {
    const v = h16(c.mem.ld16(c.relTarget(i.i2)));
    c.cc = cmpSigned64(c.hi[i.r1], c.lo[i.r1], signHi(v), v >>> 0);
  }),

  // high-word facility: bits 0-31 of R1 against a high or low word
  def('chhr', 'B9CD', 'RRE', 'R1,R2', C, 'compare high: r1.hi with r2.hi (signed)', (c, i) => {
    c.cc = cmpSigned32(c.hi[i.r1], c.hi[i.r2]);
  }),
  def('chlr', 'B9DD', 'RRE', 'R1,R2', C, 'compare high: r1.hi with r2.lo (signed)', (c, i) => {
    c.cc = cmpSigned32(c.hi[i.r1], c.lo[i.r2]);
  }),
  def('chf', 'E3CD', 'RXY', 'R1,D2(X2,B2)', C, 'compare high: r1.hi with a word from storage (signed)', (c, i) => {
    c.cc = cmpSigned32(c.hi[i.r1], c.mem.ld32(eaX2(c, i)));
  }),
  def('cih', 'CCD', 'RIL', 'R1,I2', C, 'compare high: r1.hi with a 32-bit immediate (signed)', (c, i) => {
    c.cc = cmpSigned32(c.hi[i.r1], i.i2);
  }),
  def('clhhr', 'B9CF', 'RRE', 'R1,R2', C, 'compare logical high: r1.hi with r2.hi', (c, i) => {
    c.cc = cmpLogical32(c.hi[i.r1], c.hi[i.r2]);
  }),
  def('clhlr', 'B9DF', 'RRE', 'R1,R2', C, 'compare logical high: r1.hi with r2.lo', (c, i) => {
    c.cc = cmpLogical32(c.hi[i.r1], c.lo[i.r2]);
  }),
  def('clhf', 'E3CF', 'RXY', 'R1,D2(X2,B2)', C, 'compare logical high: r1.hi with a word from storage', (c, i) => {
    c.cc = cmpLogical32(c.hi[i.r1], c.mem.ld32(eaX2(c, i)));
  }),
  def('clih', 'CCF', 'RIL', 'R1,U2', C, 'compare logical high: r1.hi with a 32-bit immediate', (c, i) => {
    c.cc = cmpLogical32(c.hi[i.r1], i.i2);
  }),

  // ================= COMPARE LOGICAL =================
  def('clr', '15', 'RR', 'R1,R2', C, 'compare logical 32 bits', sem(S.cmpL32('L[$r1]', 'L[$r2]'))),
  def('clgr', 'B921', 'RRE', 'R1,R2', C, 'compare logical 64 bits', sem(S.cmpL64('H[$r1]', 'L[$r1]', 'H[$r2]', 'L[$r2]'))),
  def('clgfr', 'B931', 'RRE', 'R1,R2', C, 'compare logical 64-bit r1 with zero-extended 32-bit r2', (c, i) => {
    c.cc = cmpLogical64(c.hi[i.r1], c.lo[i.r1], 0, c.lo[i.r2]);
  }),
  def('cl', '55', 'RX', 'R1,D2(X2,B2)', C, 'compare logical 32 bits with a word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.cmpL32('L[$r1]', 'x'))),
  def('cly', 'E355', 'RXY', 'R1,D2(X2,B2)', C, 'compare logical 32 bits with a word (long displacement)', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.cmpL32('L[$r1]', 'x'))),
  def('clg', 'E321', 'RXY', 'R1,D2(X2,B2)', C, 'compare logical 64 bits with a doubleword from storage', sem(
    'let xh, xl; ' + S.ld64('xh', 'xl', '$EA2') + S.cmpL64('H[$r1]', 'L[$r1]', 'xh', 'xl'))),
  def('clgf', 'E331', 'RXY', 'R1,D2(X2,B2)', C, 'compare logical 64 bits with a zero-extended word from storage', sem(
    'let x; ' + S.ld32('x', '$EA2') + S.cmpL64('H[$r1]', 'L[$r1]', '0', 'x'))),
  def('clfi', 'C2F', 'RIL', 'R1,U2', C, 'compare logical 32 bits with a 32-bit immediate', sem(S.cmpL32('L[$r1]', '$i2'))),
  def('clgfi', 'C2E', 'RIL', 'R1,U2', C, 'compare logical 64 bits with a zero-extended 32-bit immediate', sem(S.cmpL64('H[$r1]', 'L[$r1]', '0', '$i2'))),
  def('clhhsi', 'E555', 'SIL', 'D1(B1),U2', C, 'compare logical a halfword in storage with a 16-bit immediate', (c, i) => {
    c.cc = cmpLogical32(c.mem.ld16(eaB1(c, i)), i.i2);
  }),
  def('clfhsi', 'E55D', 'SIL', 'D1(B1),U2', C, 'compare logical a word in storage with a zero-extended 16-bit immediate', (c, i) => {
    c.cc = cmpLogical32(c.mem.ld32(eaB1(c, i)), i.i2);
  }),
  def('clghsi', 'E559', 'SIL', 'D1(B1),U2', C, 'compare logical a doubleword in storage with a zero-extended 16-bit immediate', (c, i) => {
    const m = c.mem;
    m.ld64(eaB1(c, i));
    c.cc = cmpLogical64(m.rhi, m.rlo, 0, i.i2);
  }),
  def('clrl', 'C6F', 'RIL', 'R1,J2', C, 'compare logical 32 bits with a PC-relative word', (c, i) => {
    c.cc = cmpLogical32(c.lo[i.r1], c.mem.ld32(relAligned(c, i, 4)));
  }),
  def('clgrl', 'C6A', 'RIL', 'R1,J2', C, 'compare logical 64 bits with a PC-relative doubleword', (c, i) => {
    const m = c.mem;
    m.ld64(relAligned(c, i, 8));
    c.cc = cmpLogical64(c.hi[i.r1], c.lo[i.r1], m.rhi, m.rlo);
  }),
  def('clgfrl', 'C6E', 'RIL', 'R1,J2', C, 'compare logical 64 bits with a zero-extended PC-relative word', (c, i) => {
    c.cc = cmpLogical64(c.hi[i.r1], c.lo[i.r1], 0, c.mem.ld32(relAligned(c, i, 4)));
  }),
  def('clhrl', 'C67', 'RIL', 'R1,J2', C, 'compare logical 32 bits with a zero-extended PC-relative halfword', (c, i) => {
    c.cc = cmpLogical32(c.lo[i.r1], c.mem.ld16(c.relTarget(i.i2)));
  }),
  def('clghrl', 'C66', 'RIL', 'R1,J2', C, 'compare logical 64 bits with a zero-extended PC-relative halfword', (c, i) => {
    c.cc = cmpLogical64(c.hi[i.r1], c.lo[i.r1], 0, c.mem.ld16(c.relTarget(i.i2)));
  }),
  def('clm', 'BD', 'RS', 'R1,M3,D2(B2)', C, 'compare logical bytes of r1[32:63] selected by mask m3 with storage', (c, i) => {
    clm(c, c.lo[i.r1], i.m3, eaB2(c, i));
  }),
  def('clmy', 'EB21', 'RSY', 'R1,M3,D2(B2)', C, 'compare logical characters under mask (long displacement)', (c, i) => {
    clm(c, c.lo[i.r1], i.m3, eaB2(c, i));
  }),
  def('clmh', 'EB20', 'RSY', 'R1,M3,D2(B2)', C, 'compare logical bytes of r1[0:31] selected by mask m3 with storage', (c, i) => {
    clm(c, c.hi[i.r1], i.m3, eaB2(c, i));
  }),
  def('clst', 'B25D', 'RRE', 'R1,R2', C, 'compare logical strings at r1 and r2 ended by the character in r0[56:63]', clst, { registerAddressed: true }),
  def('cksm', 'B241', 'RRE', 'R1,R2', C, 'checksum: add the words at r2 (length r2+1) into r1[32:63] with end-around carry', cksm, { registerAddressed: true }),

  // ================= COMPARE AND BRANCH (cc unchanged) =================
  def('crj', 'EC76', 'RIE', 'R1,R2,M3,J4', C, 'compare 32 bits signed and branch relative if the cc is in mask m3', sem(S.branchOn(S.cmpS32('L[$r1]', 'L[$r2]'))), { branch: true }),
  def('cgrj', 'EC64', 'RIE', 'R1,R2,M3,J4', C, 'compare 64 bits signed and branch relative', sem(S.branchOn(S.cmpS64('H[$r1]', 'L[$r1]', 'H[$r2]', 'L[$r2]'))), { branch: true }),
  def('clrj', 'EC77', 'RIE', 'R1,R2,M3,J4', C, 'compare logical 32 bits and branch relative', sem(S.branchOn(S.cmpL32('L[$r1]', 'L[$r2]'))), { branch: true }),
  def('clgrj', 'EC65', 'RIE', 'R1,R2,M3,J4', C, 'compare logical 64 bits and branch relative', sem(S.branchOn(S.cmpL64('H[$r1]', 'L[$r1]', 'H[$r2]', 'L[$r2]'))), { branch: true }),
  def('cij', 'EC7E', 'RIE_C', 'R1,I2,M3,J4', C, 'compare 32 bits with a signed 8-bit immediate and branch relative', sem(S.branchOn(S.cmpS32('L[$r1]', '$i2'))), { branch: true }),
  def('cgij', 'EC7C', 'RIE_C', 'R1,I2,M3,J4', C, 'compare 64 bits with a signed 8-bit immediate and branch relative', sem(S.branchOn(S.cmpS64('H[$r1]', 'L[$r1]', '($i2 < 0 ? -1 : 0)', '$i2'))), { branch: true }),
  def('clij', 'EC7F', 'RIE_C', 'R1,U2,M3,J4', C, 'compare logical 32 bits with an 8-bit immediate and branch relative', sem(S.branchOn(S.cmpL32('L[$r1]', '$i2'))), { branch: true }),
  def('clgij', 'EC7D', 'RIE_C', 'R1,U2,M3,J4', C, 'compare logical 64 bits with an 8-bit immediate and branch relative', sem(S.branchOn(S.cmpL64('H[$r1]', 'L[$r1]', '0', '$i2'))), { branch: true }),

  // compare and branch to D4(B4) (RRS / RIS); GCC uses e.g. `cgrbe ...,0(%r14)` as a conditional return
  def('crb', 'ECF6', 'RRS', 'R1,R2,M3,D4(B4)', C, 'compare 32 bits signed and branch to D4(B4) if the cc is in mask m3', branchTo(CMP.r), { branch: true }),
  def('cgrb', 'ECE4', 'RRS', 'R1,R2,M3,D4(B4)', C, 'compare 64 bits signed and branch to D4(B4)', branchTo(CMP.gr), { branch: true }),
  def('clrb', 'ECF7', 'RRS', 'R1,R2,M3,D4(B4)', C, 'compare logical 32 bits and branch to D4(B4)', branchTo(CMP.lr), { branch: true }),
  def('clgrb', 'ECE5', 'RRS', 'R1,R2,M3,D4(B4)', C, 'compare logical 64 bits and branch to D4(B4)', branchTo(CMP.lgr), { branch: true }),
  def('cib', 'ECFE', 'RIS', 'R1,I2,M3,D4(B4)', C, 'compare 32 bits with a signed 8-bit immediate and branch to D4(B4)', branchTo(CMP.i), { branch: true }),
  def('cgib', 'ECFC', 'RIS', 'R1,I2,M3,D4(B4)', C, 'compare 64 bits with a signed 8-bit immediate and branch to D4(B4)', branchTo(CMP.gi), { branch: true }),
  def('clib', 'ECFF', 'RIS', 'R1,U2,M3,D4(B4)', C, 'compare logical 32 bits with an 8-bit immediate and branch to D4(B4)', branchTo(CMP.li), { branch: true }),
  def('clgib', 'ECFD', 'RIS', 'R1,U2,M3,D4(B4)', C, 'compare logical 64 bits with an 8-bit immediate and branch to D4(B4)', branchTo(CMP.lgi), { branch: true }),

  // ================= COMPARE AND TRAP (cc unchanged) =================
  def('crt', 'B972', 'RRF', 'R1,R2,M3', C, 'compare 32 bits signed and trap (data exception) if the cc is in mask m3', trapOn(CMP.r)),
  def('cgrt', 'B960', 'RRF', 'R1,R2,M3', C, 'compare 64 bits signed and trap', trapOn(CMP.gr)),
  def('clrt', 'B973', 'RRF', 'R1,R2,M3', C, 'compare logical 32 bits and trap', trapOn(CMP.lr)),
  def('clgrt', 'B961', 'RRF', 'R1,R2,M3', C, 'compare logical 64 bits and trap', trapOn(CMP.lgr)),
  def('cit', 'EC72', 'RIE', 'R1,I2,M3', C, 'compare 32 bits with a halfword immediate and trap', trapOn(CMP.i)),
  def('cgit', 'EC70', 'RIE', 'R1,I2,M3', C, 'compare 64 bits with a halfword immediate and trap', trapOn(CMP.gi)),
  def('clfit', 'EC73', 'RIE', 'R1,U2,M3', C, 'compare logical 32 bits with a 16-bit immediate and trap', trapOn(CMP.li)),
  def('clgit', 'EC71', 'RIE', 'R1,U2,M3', C, 'compare logical 64 bits with a 16-bit immediate and trap', trapOn(CMP.lgi)),

  // ================= COMPARE AND SWAP =================
  // Storage operand aligned on its size (specification otherwise); it is
  // fetched for update, so store access is checked whatever the outcome.
  // cc 0: equal, R3 stored; cc 1: unequal, the operand is loaded into R1.
  def('cs', 'BA', 'RS', 'R1,R3,D2(B2)', C, 'compare and swap 32 bits', cs32),
  def('csy', 'EB14', 'RSY', 'R1,R3,D2(B2)', C, 'compare and swap 32 bits (long displacement)', cs32),
  def('csg', 'EB30', 'RSY', 'R1,R3,D2(B2)', C, 'compare and swap 64 bits', (c, i) => {
    const a = interlocked(c, i, 8);
    const m = c.mem;
    m.ld64(a);
    if (m.rhi === c.hi[i.r1] && m.rlo === c.lo[i.r1]) {
      m.st64(a, c.hi[i.r3], c.lo[i.r3]);
      c.cc = 0;
    } else {
      c.hi[i.r1] = m.rhi; c.lo[i.r1] = m.rlo;
      c.cc = 1;
    }
  }),
  def('cds', 'BB', 'RS', 'P1,P3,D2(B2)', C, 'compare double and swap: pairs r1 and r3 (32-bit halves) with 8 bytes', cds),
  def('cdsy', 'EB31', 'RSY', 'P1,P3,D2(B2)', C, 'compare double and swap (long displacement)', cds),
  def('cdsg', 'EB3E', 'RSY', 'P1,P3,D2(B2)', C, 'compare double and swap 128 bits: pairs r1 and r3 with 16 bytes', (c, i) => {
    evenPair(i.r1); evenPair(i.r3);
    const a = interlocked(c, i, 16);
    const m = c.mem;
    m.ld64(a);
    const h0 = m.rhi, l0 = m.rlo;
    m.ld64(c.wrap(a + 8));
    const h1 = m.rhi, l1 = m.rlo;
    const r1 = i.r1, r3 = i.r3;
    if (h0 === c.hi[r1] && l0 === c.lo[r1] && h1 === c.hi[r1 + 1] && l1 === c.lo[r1 + 1]) {
      m.st64(a, c.hi[r3], c.lo[r3]);
      m.st64(c.wrap(a + 8), c.hi[r3 + 1], c.lo[r3 + 1]);
      c.cc = 0;
    } else {
      c.hi[r1] = h0; c.lo[r1] = l0; c.hi[r1 + 1] = h1; c.lo[r1 + 1] = l1;
      c.cc = 1;
    }
  }),
];

function cs32(c: Cpu, i: Insn): void {
  const a = interlocked(c, i, 4);
  const m = c.mem;
  const v = m.ld32(a);
  if (v === c.lo[i.r1]) {
    m.st32(a, c.lo[i.r3]);
    c.cc = 0;
  } else {
    c.lo[i.r1] = v;
    c.cc = 1;
  }
}

/** COMPARE DOUBLE AND SWAP (32-bit halves of even/odd pairs). */
function cds(c: Cpu, i: Insn): void {
  evenPair(i.r1); evenPair(i.r3);
  const a = interlocked(c, i, 8);
  const m = c.mem;
  m.ld64(a);
  const r1 = i.r1, r3 = i.r3;
  if (m.rhi === c.lo[r1] && m.rlo === c.lo[r1 + 1]) {
    m.st64(a, c.lo[r3], c.lo[r3 + 1]);
    c.cc = 0;
  } else {
    c.lo[r1] = m.rhi; c.lo[r1 + 1] = m.rlo;
    c.cc = 1;
  }
}
