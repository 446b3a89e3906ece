/**
 * Helpers for the hypervisor tests: a Machine with a disabled-wait program
 * new PSW (so a program interruption stops the run and can be read from the
 * lowcore), hand-encoded instructions, lowcore readers.
 */
import { Machine, type MachineOptions } from '../../src/machine.js';
import { LC } from '../../src/cpu/lowcore.js';

export const CODE = 0x2000;
/** address in the program new PSW: the run stops in a disabled wait there after any program interruption */
export const PGM_STOP = 0xdead0;

/** ESSA R1,R2,M3 (B9AB, RRF-c: B9 AB | M3 0 | R1 R2), as `.insn rrf,0xb9ab0000,R1,R2,M3,0` */
export function essa(r1: number, r2: number, m3: number): number[] {
  return [0xb9, 0xab, (m3 & 0xf) << 4, ((r1 & 0xf) << 4) | (r2 & 0xf)];
}

/** LG R1,D2(X2,B2) (E3..04, RXY) with a 12-bit displacement */
export function lg(r1: number, d2: number, x2: number, b2: number): number[] {
  return [0xe3, (r1 << 4) | x2, (b2 << 4) | ((d2 >> 8) & 0xf), d2 & 0xff, 0x00, 0x04];
}

/** STG R1,D2(X2,B2) (E3..24, RXY) */
export function stg(r1: number, d2: number, x2: number, b2: number): number[] {
  return [0xe3, (r1 << 4) | x2, (b2 << 4) | ((d2 >> 8) & 0xf), d2 & 0xff, 0x00, 0x24];
}

/** DIAG R1,R3,D2(B2) (83, RS) */
export function diag(r1: number, r3: number, d2: number, b2 = 0): number[] {
  return [0x83, (r1 << 4) | r3, (b2 << 4) | ((d2 >> 8) & 0xf), d2 & 0xff];
}

/** Write a 16-byte PSW (mask halves, 64-bit address) at absolute `abs`. */
export function putPsw(m: Machine, abs: number, hi: number, lo: number, ia: number): void {
  m.storage.write32(abs, hi);
  m.storage.write32(abs + 4, lo);
  m.storage.write32(abs + 8, Math.floor(ia / 2 ** 32));
  m.storage.write32(abs + 12, ia >>> 0);
}

/** A machine with `code` at CODE and the PSW there; program new PSW = disabled wait at PGM_STOP. */
export function machineWith(code: number[], opts: MachineOptions = {}, prefix = 0): Machine {
  const m = new Machine({ guestMem: 64 * 4096, ...opts });
  m.load(CODE, new Uint8Array(code));
  m.start(CODE);
  if (prefix !== 0) {
    m.cpu.prefix = prefix;
    m.cpu.modeChanged();
  }
  // 64-bit addressing, wait bit: a disabled wait
  putPsw(m, prefix + LC.PROGRAM_NEW_PSW, 0x00020001, 0x80000000, PGM_STOP);
  return m;
}

export interface PgmInfo {
  code: number;
  ilc: number;
  oldHi: number;
  oldLo: number;
  oldIa: number;
  teid: bigint;
}

/** The program-interruption data in the lowcore at `prefix`. */
export function pgmInfo(m: Machine, prefix = 0): PgmInfo {
  const st = m.storage;
  return {
    code: st.read16(prefix + LC.PGM_CODE),
    ilc: st.read16(prefix + LC.PGM_ILC),
    oldHi: st.read32(prefix + LC.PROGRAM_OLD_PSW),
    oldLo: st.read32(prefix + LC.PROGRAM_OLD_PSW + 4),
    oldIa: st.read32(prefix + LC.PROGRAM_OLD_PSW + 8) * 2 ** 32 + st.read32(prefix + LC.PROGRAM_OLD_PSW + 12),
    teid: st.read64(prefix + LC.TEID),
  };
}

/** Set a 64-bit register from a number. */
export function setReg(m: Machine, r: number, v: number): void {
  m.cpu.hi[r] = Math.floor(v / 2 ** 32);
  m.cpu.lo[r] = v >>> 0;
}

export function reg(m: Machine, r: number): bigint {
  return m.cpu.getReg(r);
}
