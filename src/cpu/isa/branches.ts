/**
 * Branches (PoP chapter 7): BRANCH ON CONDITION, BRANCH AND SAVE, BRANCH ON
 * COUNT, BRANCH ON INDEX, and the addressing-mode branches. Family
 * "branches" of isa.md. A branch sets `cpu.nia`.
 */
import { def, type InstructionDef } from './types.js';

export const BRANCHES: InstructionDef[] = [
  def('bcr', '07', 'RR', 'M1,R2', 'branches', 'branch to the address in r2 if the cc is in mask m1', (c, i) => {
    // PoP: with R2 = 0 no branch; M1=15,R2=0 / M1=14,R2=0 are serialization (no-op here)
    if (i.r2 !== 0 && ((8 >>> c.cc) & i.m1) !== 0) c.nia = c.regAddr(i.r2);
  }, { branch: true }),
  def('brc', 'A74', 'RI', 'M1,J2', 'branches', 'branch relative if the cc is in mask m1', (c, i) => {
    if (((8 >>> c.cc) & i.m1) !== 0) c.nia = c.relTarget(i.i2);
  }, { branch: true }),
  def('brcl', 'C04', 'RIL', 'M1,J2', 'branches', 'branch relative long if the cc is in mask m1', (c, i) => {
    if (((8 >>> c.cc) & i.m1) !== 0) c.nia = c.relTarget(i.i2);
  }, { branch: true }),
  def('brctg', 'A77', 'RI', 'R1,J2', 'branches', 'decrement r1 (64 bits); branch relative if not zero', (c, i) => {
    const r = i.r1;
    const lo = (c.lo[r] - 1) >>> 0;
    const hi = lo === 0xffffffff ? (c.hi[r] - 1) >>> 0 : c.hi[r];
    c.lo[r] = lo; c.hi[r] = hi;
    if ((hi | lo) !== 0) c.nia = c.relTarget(i.i2);
  }, { branch: true }),
];
