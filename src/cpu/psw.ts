/**
 * The z/Architecture PSW (PoP "Program-Status Word", 16-byte form).
 * Bit 0 is the most significant bit of the first doubleword (the mask).
 *
 *   bit 1 PER, 5 DAT, 6 I/O, 7 external, 8-11 key, 12 must be 0 (1 in the
 *   8-byte ESA/390 form loaded by LPSW), 13 machine check, 14 wait, 15 problem
 *   state, 16-17 address-space control, 18-19 condition code, 20-23 program
 *   mask, 31 EA, 32 BA; bits 0, 2-4, 24-30 and 33-63 must be 0.
 *
 * The CPU keeps the mask decoded in fields; these pure functions convert.
 */
export interface PswFields {
  per: boolean;
  dat: boolean;
  io: boolean;
  ext: boolean;
  key: number;
  mcheck: boolean;
  wait: boolean;
  problem: boolean;
  asc: number;
  cc: number;
  pm: number;
  amode: 24 | 31 | 64;
}

/** Upper 32 bits of the mask (bits 0-31). */
export function maskHi(p: PswFields): number {
  return (
    ((p.per ? 1 : 0) << 30) |
    ((p.dat ? 1 : 0) << 26) |
    ((p.io ? 1 : 0) << 25) |
    ((p.ext ? 1 : 0) << 24) |
    (p.key << 20) |
    ((p.mcheck ? 1 : 0) << 18) |
    ((p.wait ? 1 : 0) << 17) |
    ((p.problem ? 1 : 0) << 16) |
    (p.asc << 14) |
    (p.cc << 12) |
    (p.pm << 8) |
    (p.amode === 64 ? 1 : 0)
  ) >>> 0;
}

/** Lower 32 bits of the mask (bits 32-63): only BA. */
export function maskLo(p: PswFields): number {
  return p.amode === 24 ? 0 : 0x80000000;
}

/**
 * Decode a 16-byte-form mask. Returns null when the PSW is invalid
 * (an early specification exception when it is loaded): bits 0, 2-4, 12,
 * 24-30, 33-63 not zero, or EA=1 with BA=0.
 * `ia` is checked too: in 24/31-bit mode the address must fit.
 */
export function decodeMask(hi: number, lo: number, ia: number): PswFields | null {
  if ((hi & 0xb80800fe) !== 0) return null; // bits 0,2,3,4,12,24-30
  if ((lo & 0x7fffffff) !== 0) return null; // bits 33-63
  const ea = hi & 1;
  const ba = lo >>> 31;
  if (ea === 1 && ba === 0) return null;
  const amode: 24 | 31 | 64 = ea ? 64 : ba ? 31 : 24;
  if (amode === 24 && ia > 0xffffff) return null;
  if (amode === 31 && ia > 0x7fffffff) return null;
  return {
    per: ((hi >>> 30) & 1) === 1,
    dat: ((hi >>> 26) & 1) === 1,
    io: ((hi >>> 25) & 1) === 1,
    ext: ((hi >>> 24) & 1) === 1,
    key: (hi >>> 20) & 0xf,
    mcheck: ((hi >>> 18) & 1) === 1,
    wait: ((hi >>> 17) & 1) === 1,
    problem: ((hi >>> 16) & 1) === 1,
    asc: (hi >>> 14) & 3,
    cc: (hi >>> 12) & 3,
    pm: (hi >>> 8) & 0xf,
    amode,
  };
}

/**
 * Convert the 8-byte ESA/390-form PSW loaded by LPSW (PoP "LOAD PSW"): bits
 * 0-32 of the operand become PSW bits 0-32 except bit 12, which must be one in
 * the short form and is zero in the 16-byte form; bits 33-63 become the
 * instruction address; everything else is zero. EA (bit 31) is copied, so
 * EA=1/BA=1 selects 64-bit mode with a 31-bit address. `bit12` tells whether
 * the operand had bit 12 one: when it has not, the CPU recognizes an early
 * specification exception (ILC 0) with this converted PSW as the old PSW —
 * which is what Hercules 3.13 stores (mask without bit 12, address of the
 * operand); see test/supervisor/programs/psw.s check 5.
 */
export function expandShortPsw(w0: number, w1: number): { hi: number; lo: number; ia: number; bit12: boolean } {
  const ba = w1 >>> 31;
  return { hi: (w0 & ~0x00080000) >>> 0, lo: ba ? 0x80000000 : 0, ia: w1 & 0x7fffffff, bit12: (w0 & 0x00080000) !== 0 };
}
