/**
 * Control and miscellaneous instructions: SVC, DIAGNOSE, PSW handling,
 * control registers, prefixing, timers, DAT and storage keys. Family "misc"
 * of isa.md (the supervisor-state machine). Semantics from the Principles of
 * Operation (SA22-7832), chapters 7 and 10.
 *
 * Exception priority used throughout (PoP "Priority of Program
 * Interruption Conditions"): privileged operation, then specification of
 * operand alignment, then access exceptions of the operands.
 */
import { def, type InstructionDef, type Insn } from './types.js';
import { aligned, eaB1, eaB2, eaX2 } from './common.js';
import { pgm, PIC, ProgramException } from '../exceptions.js';
import type { Cpu } from '../cpu.js';
import { expandShortPsw, decodeMask } from '../psw.js';
import { LC } from '../lowcore.js';
import { join64, TWO32 } from '../alu.js';
import { Access } from '../../mm/mmu.js';
import { be32, FRAME_SIZE, KEY_C, KEY_R } from '../../mm/storage.js';

/** zhint's fixed CPU identification (STIDP): version 00, CPU id 000001, machine type 2064, format 0. */
export const CPU_ID_HI = 0x00000001;
export const CPU_ID_LO = 0x20640000;


/** Store the TOD-shaped hi/lo pair the CPU left in todHi/todLo. */
function storeTod(c: Cpu, a: number): void {
  c.mem.st64(a, c.todHi, c.todLo);
}

/** STORE CLOCK and STORE CLOCK FAST: TOD clock bits 0-63 to D2(B2), cc 0. */
function storeClock(c: Cpu, i: Insn): void {
  c.readTod();
  storeTod(c, eaB2(c, i));
  c.cc = 0;
}

/** Load control registers r1..r3 (wrapping 15 → 0), 4 or 8 bytes each (LCTL/LCTLG). */
function loadCrs(c: Cpu, i: Insn, wide: boolean): void {
  c.privileged();
  const a = eaB2(c, i);
  const size = wide ? 8 : 4;
  aligned(a, size);
  const n = ((i.r3 - i.r1) & 15) + 1;
  c.mem.checkFetch(a, n * size);
  const hi: number[] = [];
  const lo: number[] = [];
  for (let k = 0; k < n; k++) {
    const ad = c.wrap(a + k * size);
    if (wide) {
      c.mem.ld64(ad);
      hi.push(c.mem.rhi); lo.push(c.mem.rlo);
    } else {
      lo.push(c.mem.ld32(ad));
    }
  }
  let purge = false;
  for (let k = 0; k < n; k++) {
    const r = (i.r1 + k) & 15;
    const h = wide ? hi[k] : c.crh[r];
    if (r === 0 || r === 1 || r === 7 || r === 13) {
      if (c.crh[r] !== h || c.crl[r] !== lo[k]) purge = true;
    }
    c.crh[r] = h;
    c.crl[r] = lo[k];
  }
  // CR0 (EDAT, overrides), CR1/CR7/CR13 (ASCEs) change translations: purge the TLB
  if (purge) c.mem.purgeTlb();
  c.modeChanged();
  c.pendingCheck = true; // CR0 subclass masks may enable a pending external interruption
}

function storeCrs(c: Cpu, i: Insn, wide: boolean): void {
  c.privileged();
  const a = eaB2(c, i);
  const size = wide ? 8 : 4;
  aligned(a, size);
  const n = ((i.r3 - i.r1) & 15) + 1;
  c.mem.checkStore(a, n * size);
  for (let k = 0; k < n; k++) {
    const r = (i.r1 + k) & 15;
    const ad = c.wrap(a + k * size);
    if (wide) c.mem.st64(ad, c.crh[r], c.crl[r]);
    else c.mem.st32(ad, c.crl[r]);
  }
}

/**
 * Replace PSW bits 0-7 (SSM, STOSM, STNSM). Bits 0 and 2-4 must be zero: the
 * new system mask is installed and an early specification exception is
 * recognized, with the instruction completed (ILC of the instruction) and
 * the old PSW showing the invalid mask.
 */
function setSystemMask(c: Cpu, byte: number): void {
  const hi = ((c.pswMaskHi() & 0x00ffffff) | (byte << 24)) >>> 0;
  const lo = c.pswMaskLo();
  const p = decodeMask(hi, lo, c.nia);
  if (p === null) {
    c.badPsw = { hi, lo, ia: c.nia, ilc: c.exLen !== 0 ? c.exLen : c.curLen !== 0 ? c.curLen : 4 };
    throw new ProgramException(PIC.SPECIFICATION, -1, true);
  }
  const nia = c.nia;
  c.loadPswFields(p, c.ia);
  c.nia = nia;
}

/** Absolute address of the 4K block whose real address is in r (24/31/64-bit per mode), checked. */
function realBlock(c: Cpu, r: number): number {
  const real = c.regAddr(r);
  const blk = real - (real % FRAME_SIZE);
  const abs = c.mem.realToAbsolute(blk);
  if (abs >= c.storage.size) pgm(PIC.ADDRESSING);
  return abs;
}

/** Result of LRA/LRAG: the real address, or cc 1/2 (invalid entry address) / cc 3 (exception code). */
function loadRealAddress(c: Cpu, i: Insn, wide: boolean): void {
  c.privileged();
  const va = eaX2(c, i);
  const d = c.datw;
  const asc = d.spaceFor(Access.READ);
  const cr = asc === 3 ? 13 : asc === 2 ? 7 : 1;
  const real = d.walk(c.crh[cr], c.crl[cr], va);
  const r = i.r1;
  let v: number;
  if (real >= 0) {
    c.cc = 0;
    v = real;
  } else if (d.failInvalid) {
    // PoP LOAD REAL ADDRESS: cc 1 region- or segment-table entry invalid, cc 2 page-table entry invalid;
    // the entry's address is placed in R1
    c.cc = d.failIsPage ? 2 : 1;
    v = d.failEntry;
  } else {
    c.cc = 3;
    c.lo[r] = (0x80000000 | d.failCode) >>> 0;
    return;
  }
  if (wide || c.amode === 64) {
    c.hi[r] = Math.floor(v / TWO32) >>> 0;
    c.lo[r] = v >>> 0;
  } else {
    // 24/31-bit LRA: bits 32-63 only; a real address above 2G is a special-operation exception
    if (v > 0x7fffffff) pgm(PIC.SPECIAL_OPERATION);
    c.lo[r] = v >>> 0;
  }
}

/** SAC/SACF (PoP "SET ADDRESS SPACE CONTROL"): the ASC from bits 52-55 of the second-operand address. */
function setAsc(c: Cpu, i: Insn): void {
  const m = (eaB2(c, i) >>> 8) & 0xf;
  if (m > 3) pgm(PIC.SPECIFICATION);
  if (!c.dat) pgm(PIC.SPECIAL_OPERATION);
  if (m === 3 && c.problem) pgm(PIC.PRIVILEGED_OPERATION);
  // secondary and AR modes need the secondary-space control, CR0 bit 37
  if ((m === 1 || m === 2) && (c.crl[0] & 0x04000000) === 0) pgm(PIC.SPECIAL_OPERATION);
  // PSW ASC encoding: 00 primary, 01 AR, 10 secondary, 11 home; the operand uses 0 P, 1 S, 2 AR, 3 H
  c.asc = m === 1 ? 2 : m === 2 ? 1 : m;
  c.modeChanged();
}

/** Store a 64-bit register value given as hi/lo into r. */
function setR(c: Cpu, r: number, hi: number, lo: number): void {
  c.hi[r] = hi >>> 0;
  c.lo[r] = lo >>> 0;
}

export const MISC: InstructionDef[] = [
  def('diag', '83', 'RS', 'R1,R3,D2(B2)', 'misc', 'DIAGNOSE: call a hypervisor service (zhint: see docs/hypervisor-services.md)', (c, i) => {
    c.privileged();
    if (c.hooks.diagnose === undefined) pgm(PIC.SPECIFICATION);
    c.hooks.diagnose(c, i);
  }, { privileged: true }),

  def('svc', '0A', 'I', 'U1', 'misc', 'SUPERVISOR CALL: SVC interruption with code i1 (old PSW at 0x140, code at 0x8A)', (c, i) => {
    c.supervisorCall(i.i1);
  }),

  // ---------------- PSW ----------------
  def('lpsw', '82', 'RS', 'D2(B2)', 'misc', 'LOAD PSW from an 8-byte ESA/390-form PSW (bit 12 must be 1)', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.ld64(a);
    const p = expandShortPsw(c.mem.rhi, c.mem.rlo);
    if (!p.bit12) {
      c.badPsw = { hi: p.hi, lo: p.lo, ia: p.ia };
      throw new ProgramException(PIC.SPECIFICATION, -1, true);
    }
    c.loadPsw(p.hi, p.lo, p.ia);
  }, { privileged: true, branch: true }),
  def('lpswe', 'B2B2', 'S', 'D2(B2)', 'misc', 'LOAD PSW EXTENDED from a 16-byte PSW', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.checkFetch(a, 16);
    c.mem.ld64(a);
    const hi = c.mem.rhi, lo = c.mem.rlo;
    c.mem.ld64(c.wrap(a + 8));
    c.loadPsw(hi, lo, join64(c.mem.rhi, c.mem.rlo));
  }, { privileged: true, branch: true }),
  def('ssm', '80', 'RS', 'D2(B2)', 'misc', 'SET SYSTEM MASK: PSW bits 0-7 from the byte at D2(B2)', (c, i) => {
    c.privileged();
    // CR0 bit 33: SSM suppression
    if ((c.crl[0] & 0x40000000) !== 0) pgm(PIC.SPECIAL_OPERATION);
    setSystemMask(c, c.mem.ld8(eaB2(c, i)));
  }, { privileged: true }),
  def('stosm', 'AD', 'SI', 'D1(B1),U2', 'misc', 'STORE THEN OR SYSTEM MASK: store PSW bits 0-7, then OR i2 into them', (c, i) => {
    c.privileged();
    const old = c.pswMaskHi() >>> 24;
    c.mem.st8(eaB1(c, i), old);
    setSystemMask(c, old | i.i2);
  }, { privileged: true }),
  def('stnsm', 'AC', 'SI', 'D1(B1),U2', 'misc', 'STORE THEN AND SYSTEM MASK: store PSW bits 0-7, then AND i2 into them', (c, i) => {
    c.privileged();
    const old = c.pswMaskHi() >>> 24;
    c.mem.st8(eaB1(c, i), old);
    setSystemMask(c, old & i.i2);
  }, { privileged: true }),
  def('epsw', 'B98D', 'RRE', 'R1,R2', 'misc', 'EXTRACT PSW: PSW bits 0-31 → r1[32:63], bits 32-63 → r2[32:63] (if r2 ≠ 0)', (c, i) => {
    c.lo[i.r1] = c.pswMaskHi();
    if (i.r2 !== 0) c.lo[i.r2] = c.pswMaskLo();
  }),
  def('ipm', 'B222', 'RRE', 'R1', 'misc', 'INSERT PROGRAM MASK: cc and program mask → r1 bits 34-39 (bits 32-33 zero)', (c, i) => {
    c.lo[i.r1] = ((c.lo[i.r1] & 0x00ffffff) | (c.cc << 28) | (c.pm << 24)) >>> 0;
  }),
  def('spm', '04', 'RR', 'R1', 'misc', 'SET PROGRAM MASK: cc and program mask from r1 bits 34-39', (c, i) => {
    const v = c.lo[i.r1];
    c.cc = (v >>> 28) & 3;
    c.pm = (v >>> 24) & 0xf;
  }),

  // ---------------- control registers, prefix, CPU identity ----------------
  def('lctl', 'B7', 'RS', 'C1,C3,D2(B2)', 'misc', 'LOAD CONTROL: c1..c3 bits 32-63 from consecutive words', (c, i) => loadCrs(c, i, false), { privileged: true }),
  def('lctlg', 'EB2F', 'RSY', 'C1,C3,D2(B2)', 'misc', 'LOAD CONTROL (64): c1..c3 from consecutive doublewords', (c, i) => loadCrs(c, i, true), { privileged: true }),
  def('stctl', 'B6', 'RS', 'C1,C3,D2(B2)', 'misc', 'STORE CONTROL: c1..c3 bits 32-63 to consecutive words', (c, i) => storeCrs(c, i, false), { privileged: true }),
  def('stctg', 'EB25', 'RSY', 'C1,C3,D2(B2)', 'misc', 'STORE CONTROL (64): c1..c3 to consecutive doublewords', (c, i) => storeCrs(c, i, true), { privileged: true }),
  def('spx', 'B210', 'S', 'D2(B2)', 'misc', 'SET PREFIX: prefix := word bits 1-18 (8 KB aligned)', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 4);
    const p = c.mem.ld32(a) & 0x7fffe000;
    // PoP: the new prefix area must be in the configuration, else addressing (suppressing)
    if (p + 0x2000 > c.storage.size) pgm(PIC.ADDRESSING);
    c.prefix = p;
    c.modeChanged(); // the MMU purges its TLB when the prefix changes
  }, { privileged: true }),
  def('stpx', 'B211', 'S', 'D2(B2)', 'misc', 'STORE PREFIX', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 4);
    c.mem.st32(a, c.prefix);
  }, { privileged: true }),
  def('stap', 'B212', 'S', 'D2(B2)', 'misc', 'STORE CPU ADDRESS (zhint: 0)', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 2);
    c.mem.st16(a, 0);
  }, { privileged: true }),
  def('stidp', 'B202', 'S', 'D2(B2)', 'misc', 'STORE CPU ID (zhint: 0000000120640000: CPU id 000001, type 2064)', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.st64(a, CPU_ID_HI, CPU_ID_LO);
  }, { privileged: true }),
  def('stfl', 'B2B1', 'S', 'D2(B2)', 'misc', 'STORE FACILITY LIST: facility bits 0-31 to lowcore 0xC8', (c) => {
    c.privileged();
    const f = c.facilities;
    c.storage.write32(c.prefix + LC.STFL_FAC_LIST, be32(f, 0));
  }, { privileged: true }),
  def('stfle', 'B2B0', 'S', 'D2(B2)', 'misc', 'STORE FACILITY LIST EXTENDED: r0 bits 56-63 + 1 doublewords; cc 3 if too few', (c, i) => {
    const a = eaB2(c, i);
    aligned(a, 8);
    const f = c.facilities;
    const have = 3; // doublewords zhint reports: facility bits 0-191 (147 is the highest it may set)
    const want = (c.lo[0] & 0xff) + 1;
    const n = Math.min(want, have);
    c.mem.checkStore(a, n * 8);
    for (let k = 0; k < n; k++) {
      const o = k * 8;
      c.mem.st64(c.wrap(a + o), be32(f, o), be32(f, o + 4));
    }
    c.lo[0] = ((c.lo[0] & 0xffffff00) | (have - 1)) >>> 0;
    c.cc = want >= have ? 0 : 3;
  }),

  // ---------------- timing ----------------
  def('stck', 'B205', 'S', 'D2(B2)', 'misc', 'STORE CLOCK: TOD clock bits 0-63; cc 0', storeClock),
  def('stckf', 'B27C', 'S', 'D2(B2)', 'misc', 'STORE CLOCK FAST: TOD clock bits 0-63; cc 0', storeClock),
  def('stcke', 'B278', 'S', 'D2(B2)', 'misc', 'STORE CLOCK EXTENDED: epoch index 0, TOD bits 0-63, zeros, programmable field 0; cc 0', (c, i) => {
    const a = eaB2(c, i);
    c.mem.checkStore(a, 16);
    c.readTod();
    c.mem.st8(a, 0);
    c.mem.st32(c.wrap(a + 1), c.todHi);
    c.mem.st32(c.wrap(a + 5), c.todLo);
    for (let k = 9; k < 16; k++) c.mem.st8(c.wrap(a + k), 0);
    c.cc = 0;
  }),
  def('sckc', 'B206', 'S', 'D2(B2)', 'misc', 'SET CLOCK COMPARATOR from a doubleword', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.ld64(a);
    c.setClockComparator(c.mem.rhi, c.mem.rlo);
  }, { privileged: true }),
  def('stckc', 'B207', 'S', 'D2(B2)', 'misc', 'STORE CLOCK COMPARATOR', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.st64(a, c.ckcHi, c.ckcLo);
  }, { privileged: true }),
  def('spt', 'B208', 'S', 'D2(B2)', 'misc', 'SET CPU TIMER from a doubleword', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.ld64(a);
    c.setCpuTimer(c.mem.rhi, c.mem.rlo);
  }, { privileged: true }),
  def('stpt', 'B209', 'S', 'D2(B2)', 'misc', 'STORE CPU TIMER', (c, i) => {
    c.privileged();
    const a = eaB2(c, i);
    aligned(a, 8);
    c.mem.checkStore(a, 8);
    c.readCpuTimer();
    storeTod(c, a);
  }, { privileged: true }),

  // ---------------- DAT ----------------
  def('ptlb', 'B20D', 'S', '', 'misc', 'PURGE TLB', (c) => {
    c.privileged();
    c.mem.purgeTlb();
  }, { privileged: true }),
  def('ipte', 'B221', 'RRF', 'R1,R2', 'misc', 'INVALIDATE PAGE TABLE ENTRY: set the I bit of entry r2[44:51] of the page table at r1, purge TLBs', (c, i) => {
    c.privileged();
    // page-table origin: r1 bits 0-52 (absolute); page index: r2 bits 44-51
    const pto = c.hi[i.r1] * TWO32 + ((c.lo[i.r1] & 0xfffff800) >>> 0);
    const px = (c.lo[i.r2] >>> 12) & 0xff;
    const a = pto + px * 8;
    if (a + 8 > c.storage.size) pgm(PIC.ADDRESSING);
    c.storage.write32(a + 4, (c.storage.read32(a + 4) | 0x400) >>> 0);
    // purge the TLB entries formed from this entry
    c.mem.purgeTlbPte(a, px);
  }, { privileged: true }),
  def('lra', 'B1', 'RX', 'R1,D2(X2,B2)', 'misc', 'LOAD REAL ADDRESS: translate D2(X2,B2); cc 0 real address, 1/2 invalid entry, 3 exception code', (c, i) => loadRealAddress(c, i, false), { privileged: true }),
  def('lrag', 'E303', 'RXY', 'R1,D2(X2,B2)', 'misc', 'LOAD REAL ADDRESS (64)', (c, i) => loadRealAddress(c, i, true), { privileged: true }),
  def('lura', 'B24B', 'RRE', 'R1,R2', 'misc', 'LOAD USING REAL ADDRESS: r1[32:63] := word at real address r2', (c, i) => {
    c.privileged();
    const real = c.regAddr(i.r2);
    aligned(real, 4);
    const abs = c.mem.translateReal(real, Access.READ);
    c.lo[i.r1] = c.storage.read32(abs);
  }, { privileged: true }),
  def('lurag', 'B905', 'RRE', 'R1,R2', 'misc', 'LOAD USING REAL ADDRESS (64)', (c, i) => {
    c.privileged();
    const real = c.regAddr(i.r2);
    aligned(real, 8);
    const abs = c.mem.translateReal(real, Access.READ);
    setR(c, i.r1, c.storage.read32(abs), c.storage.read32(abs + 4));
  }, { privileged: true }),
  def('stura', 'B246', 'RRE', 'R1,R2', 'misc', 'STORE USING REAL ADDRESS: word r1[32:63] at real address r2', (c, i) => {
    c.privileged();
    const real = c.regAddr(i.r2);
    aligned(real, 4);
    const abs = c.mem.translateReal(real, Access.WRITE);
    c.storage.write32(abs, c.lo[i.r1]);
    c.mem.onStore?.(real, 4);
  }, { privileged: true, storesReal: true }),
  def('sturg', 'B925', 'RRE', 'R1,R2', 'misc', 'STORE USING REAL ADDRESS (64)', (c, i) => {
    c.privileged();
    const real = c.regAddr(i.r2);
    aligned(real, 8);
    const abs = c.mem.translateReal(real, Access.WRITE);
    c.storage.write32(abs, c.hi[i.r1]);
    c.storage.write32(abs + 4, c.lo[i.r1]);
    c.mem.onStore?.(real, 8);
  }, { privileged: true, storesReal: true }),
  def('tprot', 'E501', 'SSE', 'D1(B1),D2(B2)', 'misc', 'TEST PROTECTION of D1(B1) with the key in D2(B2) bits 56-59: cc 0 fetch+store, 1 fetch only, 2 none, 3 not translatable', (c, i) => {
    c.privileged();
    const va = eaB1(c, i);
    const key = (eaB2(c, i) >>> 4) & 0xf;
    let real = va;
    let prot = false;
    if (c.dat) {
      const d = c.datw;
      const asc = d.spaceFor(Access.READ);
      const cr = asc === 3 ? 13 : asc === 2 ? 7 : 1;
      real = d.walk(c.crh[cr], c.crl[cr], va);
      if (real < 0) {
        // PoP: translation exceptions other than the entry-invalid kind are program interruptions
        if (d.failCode === PIC.TRANSLATION_SPECIFICATION || d.failCode === PIC.ASCE_TYPE) {
          throw new ProgramException(d.failCode, va - (va % FRAME_SIZE) + 0x800 + asc);
        }
        c.cc = 3;
        return;
      }
      prot = d.lastProtected;
    }
    const abs = c.mem.realToAbsolute(real);
    if (abs >= c.storage.size) pgm(PIC.ADDRESSING);
    const k = c.storage.keys[Math.floor(abs / FRAME_SIZE)];
    const store = c.mem.keyAllows(key, k, true, va) && !prot;
    const fetch = c.mem.keyAllows(key, k, false, va);
    c.cc = store ? 0 : fetch ? 1 : 2;
  }, { privileged: true }),
  def('sac', 'B219', 'S', 'D2(B2)', 'misc', 'SET ADDRESS SPACE CONTROL from bits 52-55 of D2(B2): 0 primary, 1 secondary, 2 AR, 3 home', (c, i) => setAsc(c, i)),
  def('sacf', 'B279', 'S', 'D2(B2)', 'misc', 'SET ADDRESS SPACE CONTROL FAST', (c, i) => setAsc(c, i)),
  def('iac', 'B224', 'RRE', 'R1', 'misc', 'INSERT ADDRESS SPACE CONTROL: PSW bits 16-17 → r1 bits 54-55 and the cc', (c, i) => {
    if (!c.dat) pgm(PIC.SPECIAL_OPERATION);
    // PSW bits 16-17 → r1 bits 54-55 (bits 48-53 zero); the cc mirrors the same two bits
    c.lo[i.r1] = ((c.lo[i.r1] & 0xffff00ff) | (c.asc << 8)) >>> 0;
    c.cc = c.asc;
  }),
  def('sar', 'B24E', 'RRE', 'A1,R2', 'misc', 'SET ACCESS: a1 := r2[32:63]', (c, i) => {
    c.ar[i.r1] = c.lo[i.r2];
  }),
  def('ear', 'B24F', 'RRE', 'R1,A2', 'misc', 'EXTRACT ACCESS: r1[32:63] := a2', (c, i) => {
    c.lo[i.r1] = c.ar[i.r2];
  }),

  // ---------------- storage keys ----------------
  def('sske', 'B22B', 'RRF', 'R1,R2', 'misc', 'SET STORAGE KEY EXTENDED: key of the 4K frame at real r2 := r1 bits 56-62', (c, i) => {
    c.privileged();
    // M3 is ignored: zhint has no conditional-SSKE facility (10)
    const pfn = realBlock(c, i.r2) / FRAME_SIZE;
    const st = c.storage;
    st.keys[pfn] = (c.lo[i.r1] & 0xfe) | (st.keys[pfn] & 1);
    st.newEpoch(); // key changes re-validate cached translations
  }, { privileged: true }),
  def('iske', 'B229', 'RRE', 'R1,R2', 'misc', 'INSERT STORAGE KEY EXTENDED: r1 bits 56-62 := key of the frame at real r2, bit 63 := 0', (c, i) => {
    c.privileged();
    const pfn = realBlock(c, i.r2) / FRAME_SIZE;
    c.lo[i.r1] = ((c.lo[i.r1] & 0xffffff00) | (c.storage.keys[pfn] & 0xfe)) >>> 0;
  }, { privileged: true }),
  def('rrbe', 'B22A', 'RRE', 'R1,R2', 'misc', 'RESET REFERENCE BIT EXTENDED of the frame at real r2; cc = R,C before', (c, i) => {
    c.privileged();
    const pfn = realBlock(c, i.r2) / FRAME_SIZE;
    const k = c.storage.keys[pfn];
    c.cc = ((k & KEY_R) !== 0 ? 2 : 0) | ((k & KEY_C) !== 0 ? 1 : 0);
    c.storage.keys[pfn] = k & ~KEY_R;
  }, { privileged: true }),
  def('pfmf', 'B9AF', 'RRE', 'R1,R2', 'misc', 'PERFORM FRAME MANAGEMENT FUNCTION: clear frame and/or set key of 4K or 1M frames (r1 controls, r2 address)', (c, i) => {
    c.privileged();
    const ctl = c.lo[i.r1];
    // r1 bits 32-63: reserved 0xfffc0101, SK 0x20000, CF 0x10000, UI 0x8000, FSC 0x7000, NQ 0x800, MR 0x400, MC 0x200, key 0xfe
    if (c.hi[i.r1] !== 0 || (ctl & 0xfffc0101) !== 0) pgm(PIC.SPECIFICATION);
    const fsc = (ctl >>> 12) & 7;
    if (fsc > 1) pgm(PIC.SPECIFICATION); // zhint: 4K and 1M frames (no EDAT-2 2G frames)
    const sk = (ctl & 0x20000) !== 0;
    const cf = (ctl & 0x10000) !== 0;
    const mr = (ctl & 0x400) !== 0;
    const mc = (ctl & 0x200) !== 0;
    const st = c.storage;
    const addr = c.regAddr(i.r2);
    let start: number;
    let end: number;
    if (fsc === 0) {
      // 4K: real address (prefixing applies)
      start = c.mem.realToAbsolute(addr - (addr % FRAME_SIZE));
      end = start + FRAME_SIZE;
    } else {
      // 1M: absolute address; r2 is updated to the next 1M boundary (PoP: interruptible, zhint does one frame)
      start = addr - (addr % 1048576);
      end = start + 1048576;
    }
    if (start >= st.size) pgm(PIC.ADDRESSING);
    if (cf && c.mem.lowAddressProtection && start < 8192 && fsc === 0 && (addr < 512 || (addr >= 4096 && addr < 4608))) {
      pgm(PIC.PROTECTION);
    }
    for (let a = start; a < end && a < st.size; a += FRAME_SIZE) {
      const pfn = a / FRAME_SIZE;
      // clear first, then set the key: the key (with R and C from r1 unless MR/MC) is the final one
      if (cf) {
        const fr = st.frame(pfn, true);
        fr.fill(0);
        st.touch(pfn, true);
      }
      if (sk) {
        let k = (ctl & 0xf8) | (st.keys[pfn] & 1);
        k |= mr ? st.keys[pfn] & KEY_R : ctl & KEY_R;
        k |= mc ? st.keys[pfn] & KEY_C : ctl & KEY_C;
        st.keys[pfn] = k;
      }
    }
    if (sk) st.newEpoch();
    if (fsc === 1) {
      const nxt = c.wrap(end);
      if (c.amode === 64) setR(c, i.r2, Math.floor(nxt / TWO32), nxt >>> 0);
      else c.lo[i.r2] = nxt;
    }
  }, { privileged: true }),
  def('tb', 'B22C', 'RRE', 'R1,R2', 'misc', 'TEST BLOCK: clear the 4K block at real r2; cc 0 usable', (c, i) => {
    c.privileged();
    const real = c.regAddr(i.r2);
    const blk = real - (real % FRAME_SIZE);
    // low-address protection applies to the real block (PoP TEST BLOCK)
    const abs = c.mem.translateReal(blk, Access.WRITE);
    const pfn = abs / FRAME_SIZE;
    c.storage.frame(pfn, true).fill(0);
    c.storage.touch(pfn, true);
    c.cc = 0;
  }, { privileged: true }),
  def('ts', '93', 'RS', 'D2(B2)', 'misc', 'TEST AND SET: cc := leftmost bit of the byte, byte := 0xFF', (c, i) => {
    const a = eaB2(c, i);
    c.mem.checkStore(a, 1);
    const v = c.mem.ld8(a);
    c.mem.st8(a, 0xff);
    c.cc = v >>> 7;
  }),

  // ---------------- multiprocessing, monitoring ----------------
  def('sigp', 'AE', 'RS', 'R1,R3,D2(B2)', 'misc', 'SIGNAL PROCESSOR: order in D2(B2) bits 56-63 to the CPU in r3; one-CPU machine', (c, i) => {
    c.privileged();
    const order = eaB2(c, i) & 0xff;
    const cpuAddr = c.lo[i.r3] & 0xffff;
    if (cpuAddr !== 0) {
      c.cc = 3; // not operational: zhint has one CPU, address 0
      return;
    }
    if (order === 0x01) {
      c.cc = 0; // SENSE: CPU 0 is operating, status all zero
      return;
    }
    // zhint implements no other order: status "invalid order" (bit 62 of r1) with cc 1
    c.lo[i.r1] = 0x00000002;
    c.cc = 1;
  }, { privileged: true }),
  def('mc', 'AF', 'SI', 'D1(B1),U2', 'misc', 'MONITOR CALL: monitor-event program interruption if CR8 enables class i2', (c, i) => {
    if ((i.i2 & 0xf0) !== 0) pgm(PIC.SPECIFICATION);
    const cls = i.i2 & 0xf;
    // CR8 bits 48-63: monitor masks for classes 0-15
    if ((c.crl[8] & (0x8000 >>> cls)) === 0) return;
    const code = eaB1(c, i);
    const lc = c.prefix;
    c.storage.write16(lc + LC.MON_CLASS_NUM, cls);
    c.storage.write32(lc + LC.MONITOR_CODE, Math.floor(code / TWO32));
    c.storage.write32(lc + LC.MONITOR_CODE + 4, code >>> 0);
    pgm(PIC.MONITOR_EVENT);
  }),
];

