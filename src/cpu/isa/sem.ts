/**
 * Semantics written once, as source, for the instructions that matter most
 * to speed. `sem(src)` turns the source into the interpreter's exec function;
 * the second tier (src/cpu/jit.ts) inlines the very same source into compiled
 * blocks with the operands as constants. One definition, two uses — like
 * QEMU's instruction table feeding both its translator and helpers.
 *
 * The source is a JavaScript statement list. In scope:
 *   c        the Cpu;  H, L  its GPR halves (`c.hi`, `c.lo`)
 *   alu      src/cpu/alu.ts;  pgm, PIC  program exceptions
 * Placeholders:
 *   $r1 $r2 $r3 $x2 $b2 $d2 $i2 $m1 $m3 ...   the decoded operand slots
 *   $EA2      the second-operand address D2(X2,B2) (c.eaXBD)
 *   $T2 $T4   the target of the PC-relative operand in slot i2 / i4
 * Interpreter: `$r1` → `i.r1`, `$T2` → `c.relTarget(i.i2)`.
 * Compiled block: `$r1` → the register number, `$T2` → the target address.
 */
import * as alu from '../alu.js';
import { pgm, PIC } from '../exceptions.js';
import type { Exec, Insn } from './types.js';

export const SEM_SCOPE_NAMES = ['alu', 'pgm', 'PIC'];
export const SEM_SCOPE_VALUES: unknown[] = [alu, pgm, PIC];

const SOURCE = new WeakMap<Exec, string>();

const SLOT = /\$(r1|r2|r3|x2|b1|b2|d1|d2|i1|i2|i3|i4|i5|m1|m3|m4|l1|l2)\b/g;

/** Build an exec function from semantics source (see the file comment). */
export function sem(src: string): Exec {
  const body = src
    .replace(/\$EA2\b/g, 'c.eaXBD(i.x2, i.b2, i.d2)')
    .replace(/\$T([24])\b/g, 'c.relTarget(i.i$1)')
    .replace(SLOT, 'i.$1');
  const make = new Function(...SEM_SCOPE_NAMES,
    `return function exec(c, i) { const H = c.hi, L = c.lo; ${body} };`) as (...a: unknown[]) => Exec;
  const exec = make(...SEM_SCOPE_VALUES);
  SOURCE.set(exec, src);
  return exec;
}

/** The source behind an exec function, if it was built by `sem`. */
export function semSource(exec: Exec): string | undefined {
  return SOURCE.get(exec);
}

/**
 * The semantics of `i` specialised to its operands, for a compiled block, or
 * null when the instruction's semantics are a plain function.
 * `ia` is the instruction's address; `amode` the addressing mode (for
 * relative targets).
 */
export function inlineSemantics(i: Insn, ia: number, amode: number): string | null {
  const src = SOURCE.get(i.exec);
  if (src === undefined) return null;
  const target = (halfwords: number): string => {
    let t = ia + 2 * halfwords;
    if (amode === 31) t = (t & 0x7fffffff) >>> 0;
    else if (amode === 24) t &= 0xffffff;
    else if (t < 0) t += 18446744073709551616;
    else if (t >= 18446744073709551616) t -= 18446744073709551616;
    return String(t);
  };
  const slots = i as unknown as Record<string, number>;
  const body = src
    .replace(/\$EA2\b/g, `c.eaXBD(${i.x2}, ${i.b2}, ${i.d2})`)
    .replace(/\$T([24])\b/g, (_m, s: string) => target(s === '2' ? i.i2 : i.i4))
    .replace(SLOT, (_m, s: string) => String(slots[s]));
  return `{ ${body} }`;
}

/**
 * Small shared pieces of semantics source (operand → operation → cc), so the
 * instructions built from them read like the PoP and stay inlinable. Arguments
 * are source expressions.
 */
export const S = {
  /** signed 64-bit add into register `r`; overflow → cc 3 and the PM-controlled interruption */
  add64: (r: string, ah: string, al: string, bh: string, bl: string): string =>
    `{ const ah = ${ah}, al = ${al}, bh = ${bh}, bl = ${bl};
       const lo = (al + bl) >>> 0; const hi = (ah + bh + (lo < al ? 1 : 0)) >>> 0;
       H[${r}] = hi; L[${r}] = lo;
       if ((((ah ^ hi) & (bh ^ hi)) & 0x80000000) !== 0) c.overflow();
       else c.cc = (hi | lo) === 0 ? 0 : (hi & 0x80000000) !== 0 ? 1 : 2; }`,
  /** signed 64-bit subtract */
  sub64: (r: string, ah: string, al: string, bh: string, bl: string): string =>
    `{ const ah = ${ah}, al = ${al}, bh = ${bh}, bl = ${bl};
       const lo = (al - bl) >>> 0; const hi = (ah - bh - (al < bl ? 1 : 0)) >>> 0;
       H[${r}] = hi; L[${r}] = lo;
       if ((((ah ^ bh) & (ah ^ hi)) & 0x80000000) !== 0) c.overflow();
       else c.cc = (hi | lo) === 0 ? 0 : (hi & 0x80000000) !== 0 ? 1 : 2; }`,
  /** signed 32-bit add into bits 32-63 of register `r` */
  add32: (r: string, a: string, b: string): string =>
    `{ const a = ${a}, b = ${b}; const v = (a + b) | 0; L[${r}] = v;
       if ((((a ^ v) & (b ^ v)) & 0x80000000) !== 0) c.overflow();
       else c.cc = v === 0 ? 0 : v < 0 ? 1 : 2; }`,
  /** signed 32-bit subtract */
  sub32: (r: string, a: string, b: string): string =>
    `{ const a = ${a}, b = ${b}; const v = (a - b) | 0; L[${r}] = v;
       if ((((a ^ b) & (a ^ v)) & 0x80000000) !== 0) c.overflow();
       else c.cc = v === 0 ? 0 : v < 0 ? 1 : 2; }`,
  /** 64-bit bitwise operation `op` (&, |, ^) into register `r`: cc 0 zero, 1 not zero */
  bit64: (op: string, r: string, bh: string, bl: string): string =>
    `{ const h = H[${r}] ${op} ${bh}, l = L[${r}] ${op} ${bl}; H[${r}] = h; L[${r}] = l; c.cc = (h | l) !== 0 ? 1 : 0; }`,
  /** 32-bit bitwise operation into bits 32-63 */
  bit32: (op: string, r: string, b: string): string =>
    `{ const v = L[${r}] ${op} ${b}; L[${r}] = v; c.cc = v !== 0 ? 1 : 0; }`,
  /** cc of a signed 64-bit comparison: 0 equal, 1 low, 2 high */
  cmpS64: (ah: string, al: string, bh: string, bl: string): string =>
    `{ const ah = ${ah} | 0, bh = ${bh} | 0, al = ${al} >>> 0, bl = ${bl} >>> 0;
       c.cc = ah !== bh ? (ah < bh ? 1 : 2) : al !== bl ? (al < bl ? 1 : 2) : 0; }`,
  /** cc of an unsigned 64-bit comparison */
  cmpL64: (ah: string, al: string, bh: string, bl: string): string =>
    `{ const ah = ${ah} >>> 0, bh = ${bh} >>> 0, al = ${al} >>> 0, bl = ${bl} >>> 0;
       c.cc = ah !== bh ? (ah < bh ? 1 : 2) : al !== bl ? (al < bl ? 1 : 2) : 0; }`,
  /** cc of a signed 32-bit comparison */
  cmpS32: (a: string, b: string): string =>
    `{ const a = ${a} | 0, b = ${b} | 0; c.cc = a === b ? 0 : a < b ? 1 : 2; }`,
  /** cc of an unsigned 32-bit comparison */
  cmpL32: (a: string, b: string): string =>
    `{ const a = ${a} >>> 0, b = ${b} >>> 0; c.cc = a === b ? 0 : a < b ? 1 : 2; }`,
  /** compare-and-branch: the comparison's cc (left unchanged in the PSW) selects the branch by mask M3 */
  branchOn: (compare: string): string =>
    `{ let cc = 0; ${compare.replace('c.cc =', 'cc =')} if (((8 >>> cc) & $m3) !== 0) c.nia = $T4; }`,
  /** sign extension of a 32-bit value to the high half */
  sx: (v: string): string => `((${v} & 0x80000000) !== 0 ? 0xffffffff : 0)`,
};
