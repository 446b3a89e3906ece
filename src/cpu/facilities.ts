/**
 * The facility list STFL/STFLE report (PoP "Facility Indications"): only what
 * zhint really implements. One place, one justification per bit. The CPU's
 * `facilities` bitmap starts from this list; the machine may change it (the
 * hypervisor decides facility 147, ESSA no-DAT).
 */
export interface Facility { bit: number; name: string; why: string }

export const DEFAULT_FACILITIES: readonly Facility[] = [
  { bit: 1, name: 'z/Architecture installed', why: 'zhint is a z/Architecture CPU' },
  { bit: 2, name: 'z/Architecture active', why: 'zhint always runs in z/Architecture mode' },
  { bit: 7, name: 'STFLE', why: 'STORE FACILITY LIST EXTENDED is implemented (misc.ts)' },
  { bit: 8, name: 'EDAT-1', why: 'PFMF and 1 MB segment frames (STE FC bit under CR0 bit 40) in dat.ts' },
  { bit: 18, name: 'long displacement', why: 'RXY/RSY/SIY instructions take 20-bit signed displacements' },
  { bit: 21, name: 'extended immediate', why: 'AFI, LGFI, IIHF, NILF, FLOGR, ... are in the instruction table (isa.md)' },
  { bit: 25, name: 'store clock fast', why: 'STCKF is implemented' },
  { bit: 34, name: 'general-instructions extension', why: 'CRJ/CIJ, MVHI, CGHSI, LRL/STRL, MSFI, ... are in isa.md' },
  { bit: 35, name: 'execute extensions', why: 'EXRL is implemented' },
  { bit: 75, name: 'access-exception fetch/store indication', why: 'the TEID carries bits 52-53 (store 01, fetch 10)' },
];

/** Facility 147: ESSA no-DAT (ORC 7). Off by default; set by the hypervisor configuration. */
export const FACILITY_ESSA_NODAT = 147;
