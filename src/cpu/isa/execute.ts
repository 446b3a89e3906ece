/**
 * EXECUTE and EXECUTE RELATIVE LONG (PoP "EXECUTE"): run the single
 * instruction at the second-operand address, with bits 8-15 of it OR-ed with
 * bits 56-63 of R1 when R1 is not zero (the storage copy is not changed).
 *
 * The target runs "as if it were at the target address" only for relative
 * addressing: its relative targets are computed from the target's own
 * address. Its next sequential instruction address and its instruction
 * length (ILC, also in link information and interruption codes) are those of
 * the execute instruction. zhint does this by setting `cpu.ia` to the target
 * and `cpu.exLen` to the EX length while the target runs, and restoring both
 * in a `finally`, so a program interruption raised by the target reports the
 * EX's address and ILC.
 */
import { def, Insn, type InstructionDef } from './types.js';
import type { Cpu } from '../cpu.js';
import { pgm, PIC } from '../exceptions.js';
import { lengthFromFirstByte } from './formats.js';
// decode.js is imported as a namespace and used only at run time: table.ts
// imports this module, and decode.ts imports table.ts.
import * as decode from './decode.js';

/** State of the execute instruction in progress (module-level: EX allocates nothing). */
const ex = {
  /** the decoded target, reused */
  ins: new Insn(),
  /** an EX/EXRL is executing its target */
  active: false,
  /** address of that EX/EXRL */
  ia: 0,
};

/**
 * For interruptible instructions (MVCL): make the PSW point back at the
 * instruction so it re-executes and resumes. Under EX that is the EX itself
 * (PoP: an interrupted target resumes by re-executing the EXECUTE).
 */
export function reexecute(c: Cpu): void {
  c.nia = ex.active ? ex.ia : c.ia;
}

function execute(c: Cpu, r1: number, target: number, exLen: number): void {
  if ((target & 1) !== 0) pgm(PIC.SPECIFICATION);
  const mem = c.mem;
  let h0 = mem.ld16(target);
  if (r1 !== 0) h0 |= c.lo[r1] & 0xff;
  const len = lengthFromFirstByte(h0 >>> 8);
  const h1 = len > 2 ? mem.ld16(c.wrap(target + 2)) : 0;
  const h2 = len > 4 ? mem.ld16(c.wrap(target + 4)) : 0;
  // the target may not itself be EXECUTE (44) or EXECUTE RELATIVE LONG (C60),
  // judged after the OR (which can turn C6x0 into C600)
  const op = h0 >>> 8;
  if (op === 0x44 || (op === 0xc6 && (h0 & 0xf) === 0)) pgm(PIC.EXECUTE);
  const ins = decode.decodeInto(ex.ins, h0, h1, h2);
  const savedIa = c.ia;
  ex.active = true;
  ex.ia = savedIa;
  c.ia = target;
  c.exLen = exLen;
  try {
    ins.exec(c, ins);
  } finally {
    c.ia = savedIa;
    c.exLen = 0;
    ex.active = false;
  }
}

const exTarget = (c: Cpu, i: Insn): number => c.eaXBD(i.x2, i.b2, i.d2);
const exrlTarget = (c: Cpu, i: Insn): number => c.relTarget(i.i2);

export const EXECUTE: InstructionDef[] = [
  def('ex', '44', 'RX', 'R1,D2(X2,B2)', 'misc', 'execute the instruction at D2(X2,B2), its bits 8-15 OR-ed with bits 56-63 of r1', (c, i) => {
    execute(c, i.r1, exTarget(c, i), 4);
  }, { executeTarget: exTarget }),
  def('exrl', 'C60', 'RIL', 'R1,J2', 'misc', 'execute the instruction at a PC-relative label, bits 8-15 OR-ed with r1 bits 56-63', (c, i) => {
    execute(c, i.r1, exrlTarget(c, i), 6);
  }, { executeTarget: exrlTarget }),
];
