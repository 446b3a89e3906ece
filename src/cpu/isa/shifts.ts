/**
 * Shifts and rotates (PoP chapter 7). Family "shifts" of isa.md.
 * The shift amount is the low 6 bits of the second-operand address.
 */
import { def, type InstructionDef } from './types.js';

export const SHIFTS: InstructionDef[] = [
  def('sllg', 'EB0D', 'RSY', 'R1,R3,D2(B2)', 'shifts', 'shift left single logical 64 bits: r1 := r3 << n', (c, i) => {
    const n = c.eaXBD(0, i.b2, i.d2) % 64;
    const h = c.hi[i.r3], l = c.lo[i.r3];
    if (n === 0) { c.hi[i.r1] = h; c.lo[i.r1] = l; }
    else if (n < 32) { c.hi[i.r1] = (h << n) | (l >>> (32 - n)); c.lo[i.r1] = l << n; }
    else { c.hi[i.r1] = l << (n - 32); c.lo[i.r1] = 0; }
  }),
];
