/**
 * Operand pieces the family modules share (plain-function semantics; the
 * `sem` source has its own `$EA1` / `$EA2`): address generation of the
 * storage-operand formats and the specification checks the PoP states once
 * for all instructions (even/odd register pairs, operand alignment).
 */
import type { Cpu } from '../cpu.js';
import type { Insn } from './types.js';
import { pgm, PIC } from '../exceptions.js';

/** Second-operand address D2(X2,B2) of RX / RXY. */
export const eaX2 = (c: Cpu, i: Insn): number => c.eaXBD(i.x2, i.b2, i.d2);

/** Second-operand address D2(B2) of RS / RSY / S. */
export const eaB2 = (c: Cpu, i: Insn): number => c.eaXBD(0, i.b2, i.d2);

/** First-operand address D1(B1) of SI / SIY / SIL. */
export const eaB1 = (c: Cpu, i: Insn): number => c.eaXBD(0, i.b1, i.d1);

/** An even/odd register pair operand: R must be even (specification exception). */
export function evenPair(r: number): void {
  if ((r & 1) !== 0) pgm(PIC.SPECIFICATION);
}

/** A storage operand that must be aligned on `n` (a power of two) bytes: specification exception otherwise. */
export function aligned(a: number, n: number): number {
  if (a % n !== 0) pgm(PIC.SPECIFICATION);
  return a;
}

/**
 * The storage operand D2(B2) of an interlocked update (LOAD AND ADD / AND /
 * OR / EXCLUSIVE OR, COMPARE AND SWAP): aligned on its size `n`, and fetched
 * for update, so store access is checked before anything is fetched.
 */
export function interlocked(c: Cpu, i: Insn, n: number): number {
  const a = aligned(eaB2(c, i), n);
  c.mem.checkStore(a, n);
  return a;
}
