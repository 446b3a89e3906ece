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
 *   SS       src/cpu/isa/ss.ts (storage-to-storage byte loops)
 *   SLOW     src/cpu/isa/slow.ts (the memory pieces' slow paths, exceptions caught into `c.fault`)
 * Placeholders:
 *   $r1 $r2 $r3 $x2 $b2 $d2 $i2 $m1 $m3 ...   the decoded operand slots
 *   $EA2      the second-operand address D2(X2,B2) (c.eaXBD)
 *   $EA1      the first-operand address D1(B1)
 *   $T2 $T4   the target of the PC-relative operand in slot i2 / i4
 *   $NEXT     the updated PSW address (the next instruction's; `c.nia` when the
 *             instruction starts): the link address of BRAS, BASR, ...
 *   $AMODE    the addressing mode (24, 31, 64)
 * Interpreter: `$r1` → `i.r1`, `$T2` → `c.relTarget(i.i2)`, `$AMODE` → `c.amode`,
 * `$NEXT` → `c.nia`.
 * Compiled block: `$r1` → the register number, `$T2` / `$NEXT` → addresses,
 * `$EA2` the address generation specialised (see `eaXBDInline`), `$AMODE`
 * the block's mode (a block runs only in the mode it was compiled for).
 * Storage operands go through `S.ld8 ... S.st64`, which inline the MMU's TLB
 * fast path; the names they use (MEM, TLBT, ...) are bound by `memLocals`,
 * and `$SYNC` marks where they may have moved the storage epoch (nothing in
 * the interpreter; a flag a compiled block tests after the instruction).
 * `$STEPS` marks the MMU's slow path, where the hypervisor may act (page in,
 * zero fill, evict) and stamp events with the step count: a compiled block,
 * which counts steps in a local, stores it into `c.steps` there.
 * `$FAULT` ends the instruction with the program exception a slow path
 * (SLOW) caught into `c.fault`: the interpreter loop and a compiled block
 * return it, as their own `catch` would, without a second throw through
 * their (large) code; an exec function throws it.
 */
import * as alu from '../alu.js';
import * as SS from './ss.js';
import * as SLOW from './slow.js';
import { pgm, PIC } from '../exceptions.js';
import type { Exec, Insn } from './types.js';
import { TLB_SIZE } from '../../mm/mmu.js';
import { FRAME_SIZE, KEY_C, KEY_HOST_R, KEY_R } from '../../mm/storage.js';

export const SEM_SCOPE_NAMES = ['alu', 'pgm', 'PIC', 'SS', 'SLOW'];
export const SEM_SCOPE_VALUES: unknown[] = [alu, pgm, PIC, SS, SLOW];

const SOURCE = new WeakMap<Exec, string>();

const SLOT = /\$(r1|r2|r3|x2|b1|b2|d1|d2|i1|i2|i3|i4|i5|m1|m3|m4|l1|l2)\b/g;

/**
 * The interpreter's form of semantics source: operands read from the decoded
 * instruction `i`, addresses from the Cpu's address generation. Used by `sem`
 * and by the plain interpreter loop's dispatch switch (src/cpu/interp.ts).
 *
 * In the loop (`inLoop`), the loop's locals stand for the Cpu's fields, as a
 * compiled block's do: `ia` the instruction's address, `nia` the updated one,
 * `am` the addressing mode, `stop - left` the step count. Where something
 * outside may read the Cpu's (`$STEPS`: the MMU's slow path) they are stored
 * first; an exception ends the instruction with them (`$FAULT`).
 */
export function interpreterSource(src: string, inLoop = false): string {
  const body = dropMemo(src)
    .replace(/\$FAULT\b/g, inLoop ? 'return c.takeFault(ia, nia, i.len, stop - left);' : THROW_FAULT)
    .replace(/\$EA2\b/g, 'c.eaXBD(i.x2, i.b2, i.d2)')
    .replace(/\$EA1\b/g, 'c.eaXBD(0, i.b1, i.d1)')
    .replace(/\$AMODE\b/g, inLoop ? 'am' : 'c.amode')
    .replace(/\$SYNC\b/g, '')
    .replace(/\$STEPS\b/g, inLoop ? LOOP_EXACT : '')
    .replace(/\$T([24])\b/g, inLoop ? 'c.wrap(ia + 2 * i.i$1)' : 'c.relTarget(i.i$1)')
    .replace(/\$NEXT\b/g, 'c.nia')
    .replace(SLOT, 'i.$1');
  // the interpreter loop keeps the updated PSW address in a local, nia (interp.ts)
  return inLoop ? body.replace(/\bc\.nia\b/g, 'nia') : body;
}

/** The plain interpreter loop's step count and instruction address, stored where others read them. */
export const LOOP_EXACT = 'c.steps = stop - left; c.ia = ia;';

/** `$FAULT` in an exec function: the exception thrown on, to its caller */
const THROW_FAULT = 'c.throwFault();';

/** The semantics source an exec function was built from, if it was built by `sem`. */
export function semanticsSource(exec: Exec): string | undefined {
  return SOURCE.get(exec);
}

/** Build an exec function from semantics source (see the file comment). */
export function sem(src: string): Exec {
  const body = interpreterSource(src);
  const make = new Function(...SEM_SCOPE_NAMES,
    `return function exec(c, i) { const H = c.hi, L = c.lo; ${memLocals(body)} ${body} };`) as (...a: unknown[]) => Exec;
  const exec = make(...SEM_SCOPE_VALUES);
  SOURCE.set(exec, src);
  return exec;
}

/**
 * Whether the semantics `exec` was built from reach storage only through
 * the `S` memory pieces, which mark with `$SYNC` every point where the
 * storage epoch may have moved (an MMU call, a store into decoded code) and
 * with `$STEPS` where the hypervisor may act: a compiled block then need not
 * re-read the epoch after the instruction unless one was passed, and
 * neither it nor the plain loop stores the step count before it.
 */
export function storageOnlyThroughS(exec: Exec): boolean {
  const src = SOURCE.get(exec);
  return src !== undefined && !/\bc\.(mem|storage)\b/.test(src);
}

/**
 * The semantics of `i` specialised to its operands, for a compiled block, or
 * null when the instruction's semantics are a plain function.
 * `ia` is the instruction's address; `amode` the addressing mode (for
 * relative targets).
 */
export function inlineSemantics(i: Insn, ia: number, amode: number, sync = '', steps = '', fault = THROW_FAULT, memo = -1): string | null {
  const src = SOURCE.get(i.exec);
  if (src === undefined) return null;
  const slots = i as unknown as Record<string, number>;
  const body = (memo >= 0 ? memoSource(src, memo) : dropMemo(src))
    .replace(/\$EA2\b/g, () => eaXBDInline(i.x2, i.b2, i.d2, amode))
    .replace(/\$EA1\b/g, () => eaXBDInline(0, i.b1, i.d1, amode))
    .replace(/\$AMODE\b/g, String(amode))
    .replace(/\$SYNC\b/g, sync)
    .replace(/\$STEPS\b/g, steps)
    .replace(/\$FAULT\b/g, fault)
    .replace(/\$T([24])\b/g, (_m, s: string) => String(relAddress(ia, s === '2' ? i.i2 : i.i4, amode)))
    .replace(/\$NEXT\b/g, () => String(relAddress(ia, i.len / 2, amode)))
    .replace(SLOT, (_m, s: string) => String(slots[s]));
  return `{ ${body} }`;
}

/**
 * The address of a PC-relative operand of the instruction at `ia`, wrapped to
 * the addressing mode: `Cpu.relTarget` for a block compiled in mode `amode`.
 */
export function relAddress(ia: number, halfwords: number, amode: number): number {
  const t = ia + 2 * halfwords;
  if (amode === 31) return (t & 0x7fffffff) >>> 0;
  if (amode === 24) return t & 0xffffff;
  if (t < 0) return t + 18446744073709551616;
  return t >= 18446744073709551616 ? t - 18446744073709551616 : t;
}

/**
 * D(X,B) specialised for a compiled block (same result as `Cpu.eaXBD`, which
 * stays the one definition of address generation): the displacement is a
 * constant and absent registers drop out. In 24- and 31-bit mode the sum of
 * the low halves wrapped is the address; in 64-bit mode the common case —
 * high halves zero and no carry out of the low half — is the low sum, any
 * other case goes to `c.eaXBD`.
 */
function eaXBDInline(x: number, b: number, d: number, amode: number): string {
  const regs = [x, b].filter((r) => r !== 0);
  const sum = [...regs.map((r) => `L[${r}]`), String(d)].join(' + ');
  if (amode === 31) return `(((${sum}) & 0x7fffffff) >>> 0)`;
  if (amode === 24) return `((${sum}) & 0xffffff)`;
  const call = `c.eaXBD(${x}, ${b}, ${d})`;
  if (regs.length === 0) return d >= 0 ? String(d) : call;
  const highZero = regs.map((r) => `H[${r}] === 0`).join(' && ');
  if (regs.length === 1) {
    // one register: the range of its low half that keeps the sum in 0..2^32-1
    const r = regs[0];
    const range = d >= 0 ? `L[${r}] <= ${0xffffffff - d}` : `L[${r}] >= ${-d}`;
    return `(${highZero} && ${range} ? L[${r}] + ${d} : ${call})`;
  }
  const inRange = d >= 0 ? `${sum} <= 0xffffffff` : `${sum} >= 0 && ${sum} <= 0xffffffff`;
  return `(${highZero} && ${inRange} ? ${sum} : ${call})`;
}

/**
 * The TLB-hit condition of the inlined fast path (see `S.ld32`) for `len`
 * bytes (a number, or a source expression) at `ma`, offset `mo` in its page:
 * on success `mp` is the frame number and `mf` its storage. `ms` is the TLB
 * slot of the page of `ma` (meaningful only below 2^32, which is tested first).
 */
function tlbHit(ma: string, mo: string, len: number | string, write: boolean, ms = 'ms', mf = 'mf', mp = 'mp'): string {
  const inPage = typeof len === 'string' ? ` && ${mo} + ${len} <= ${FRAME_SIZE}` : len > 1 ? ` && ${mo} <= ${FRAME_SIZE - len}` : '';
  return `${ma} <= 0xffffffff${inPage} && FAST && TLBT[${ms}] === (${ma} >>> 12) + 1`
    + (write ? ` && TLBW[${ms}] === 1` : '')
    + ` && (${mf} = FRAMES[${mp} = TLBP[${ms}]]) !== undefined`;
}

/** Big-endian value of `n` (1, 2, 4) bytes of frame `mf` at offset expression `o`. */
function readBE(n: number, o: string): string {
  if (n === 1) return `mf[${o}]`;
  if (n === 2) return `((mf[${o}] << 8) | mf[${o} + 1])`;
  return `(((mf[${o}] << 24) | (mf[${o} + 1] << 16) | (mf[${o} + 2] << 8) | mf[${o} + 3]) >>> 0)`;
}

/** Store the low `n` bytes of `v` big-endian into frame `mf` at offset expression `o`. */
function writeBE(n: number, o: string, v: string): string {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const shift = 8 * (n - 1 - k);
    out.push(`mf[${o}${k === 0 ? '' : ` + ${k}`}] = ${shift === 0 ? v : `${v} >>> ${shift}`};`);
  }
  return out.join(' ');
}

/**
 * The memo of a storage-to-storage instruction in a compiled block (S.ss):
 * text between MEMO and END_MEMO exists only there. Within one call of a
 * block, nothing moves the storage epoch without ending the call (a flagged
 * slow path, a backward jump and every instruction that is not flagged all
 * test it), and what the epoch covers (host frames, storage keys, decoded
 * code, TLB purges) is what the fast path looks up. So a block remembers,
 * per SS instruction, the pages, frames and slab offsets of its operands.
 * The TLB changes only on a purge (the epoch) or a refill, and a refill
 * happens only on a slow path (which raises the flag Y) or in an instruction
 * that is not flagged: after either the block moves its local generation G
 * (jit.ts). So the next time, with both operands in the same pages and G
 * unchanged, the TLB entries the memo was made from are still there and the
 * interpreter would hit them too: the TLB is left exactly as it leaves it.
 * The guest kernel's page check runs MVC, TR and CLC 16 times per page on
 * the same pages. The interpreter's forms drop the memo.
 */
const MEMO = '/*MEMO*/';
const END_MEMO = '/*END*/';
const MEMO_SPAN = /\/\*MEMO\*\/[\s\S]*?\/\*END\*\//g;

/** Semantics source without the memo (interpreter, exec functions). */
function dropMemo(src: string): string {
  return src.replace(MEMO_SPAN, '');
}

/** the memo's variables in semantics source ($MEMO_A, ...), and their names in instruction `k` of a block */
const MEMO_VAR = /\$MEMO_([A-Z]+)\b/g;
const memoName = (v: string, k: number): string => `M${v}${k}`;

/** Semantics source with the memo's variables named for instruction `k` of a block. */
function memoSource(src: string, k: number): string {
  return src.replace(MEMO_VAR, (_m, v: string) => memoName(v, k)).replace(/\/\*(MEMO|END)\*\//g, '');
}

/**
 * The declarations of the memo of instruction `k` of a block (its local
 * variables, set per call of the block), or '' when its semantics have none.
 * All start at -1: no page address, and the rest are set with the pages.
 */
export function memoDeclarations(exec: Exec, k: number): string {
  const names = new Set(Array.from(SOURCE.get(exec)?.matchAll(MEMO_VAR) ?? [], (m) => memoName(m[1], k)));
  return names.size === 0 ? '' : `let ${[...names].map((n) => `${n} = -1`).join(', ')};`;
}

/** After a slow path (SLOW): the exception it caught, if any, ends the instruction. */
const CAUGHT = 'if (c.fault !== null) $FAULT';

/** An `n`-byte load (n = 1, 2, 4) into variable `v` (see `S.ld32`). */
function load(n: number, v: string, ea: string): string {
  return `{ const ma = ${ea}, mo = ma & 0xfff, ms = (ma >>> 12) & ${TLB_SIZE - 1}; let mf, mp;
       if (${tlbHit('ma', 'mo', n, false)}) {
         KEYS[mp] |= ${KEY_R | KEY_HOST_R};
         ${v} = ${readBE(n, 'mo')};
       } else { $STEPS ${v} = SLOW.ld${8 * n}(c, ma); ${CAUGHT} $SYNC } }`;
}

/** An `n`-byte store (n = 1, 2, 4) of the low bytes of `v` (see `S.ld32`). */
function store(n: number, ea: string, v: string): string {
  return `{ const ma = ${ea}, mv = ${v}, mo = ma & 0xfff, ms = (ma >>> 12) & ${TLB_SIZE - 1}; let mf, mp;
       if (${tlbHit('ma', 'mo', n, true)}) {
         KEYS[mp] |= ${KEY_R | KEY_C | KEY_HOST_R};
         if (CODE[mp] !== undefined) { STO.storeHitsCode(mp, mo, ${n}); $SYNC }
         ${writeBE(n, 'mo', 'mv')}
       } else { $STEPS SLOW.st${8 * n}(c, ma, mv); ${CAUGHT} $SYNC } }`;
}

/**
 * Names the memory pieces of `S` use, bound once per exec function or
 * compiled block: the MMU, its TLB arrays, the absolute storage and its
 * frames, keys and code caches (all fixed for the life of a Cpu).
 */
const MEM_LOCALS: [string, string][] = [
  ['MEM', 'c.mem'], ['STO', 'c.storage'], ['FAST', 'MEM.fast'], ['TLBT', 'MEM.tlbTag'], ['TLBP', 'MEM.tlbPfn'],
  ['TLBW', 'MEM.tlbWrite'], ['FRAMES', 'STO.frames'], ['KEYS', 'STO.keys'], ['CODE', 'STO.code'],
];

/** Declarations of the memory names `src` uses (with what they depend on) that `take` accepts (all by default). */
export function memLocals(src: string, take: (name: string) => boolean = () => true): string {
  const used = new Set(MEM_LOCALS.filter(([n]) => new RegExp(`\\b${n}\\b`).test(src)).map(([n]) => n));
  if (used.size === 0) return '';
  used.add('MEM');
  if (['FRAMES', 'KEYS', 'CODE'].some((n) => used.has(n))) used.add('STO');
  const declared = MEM_LOCALS.filter(([n]) => used.has(n) && take(n));
  return declared.length === 0 ? '' : 'const ' + declared.map(([n, v]) => `${n} = ${v}`).join(', ') + ';';
}

/**
 * The memory names fixed for the life of a Cpu (its MMU, its absolute
 * storage and the storage's frames, keys and code caches), which a compiled
 * block binds once, when it is made: V8 then compiles them as constants. The
 * TLB's arrays (they follow the address space) and the fast mode are read
 * per call (binding the arrays of all address spaces and indexing them by
 * the current one measured no faster).
 */
export const MEM_FIXED: ReadonlySet<string> = new Set(['MEM', 'STO', 'FRAMES', 'KEYS', 'CODE']);

/**
 * Small shared pieces of semantics source (operand → operation → cc), so the
 * instructions built from them read like the PoP and stay inlinable. Arguments
 * are source expressions. Each piece is a block declaring its own constants
 * (a, b, v, h, l, ah ... for the arithmetic, m* for the memory pieces), so
 * the expressions passed in must use other names (x, xh, xl ...).
 */
export const S = {
  /** signed 64-bit add into register `r`; overflow → cc 3 and the PM-controlled interruption */
  add64: (r: string, ah: string, al: string, bh: string, bl: string): string =>
    S.sum64(ah, al, bh, bl, `H[${r}] = hi; L[${r}] = lo;`),
  /** signed 64-bit add whose sum `hi`/`lo` the statement `put` stores (the result is stored even on overflow) */
  sum64: (ah: string, al: string, bh: string, bl: string, put: string): string =>
    `{ const ah = ${ah}, al = ${al}, bh = ${bh}, bl = ${bl};
       const lo = (al + bl) >>> 0; const hi = (ah + bh + (lo < al ? 1 : 0)) >>> 0;
       ${put}
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
  /**
   * Loads and stores with the MMU's TLB fast path inlined (mmu.ts
   * `frameFor`, whose checks these repeat exactly): a hit needs
   * the fast mode (PSW key 0, no PER storage-alteration event armed), an
   * address below 2^32 whose operand stays inside its page, a TLB entry for
   * the page (for stores one that allows stores: not DAT-protected, not a
   * low-address-protected page) and a resident frame. A hit records the
   * reference (and change) in the storage key with the host's reference bit
   * and, for a store into a frame holding decoded instructions, drops those
   * it overlaps. Anything else — a miss, a page-crossing operand, an unbacked
   * frame — is the MMU's own slow path, which raises the exceptions.
   * `v`, `h`, `l` are variables (assigned), `ea` and the values expressions.
   */
  ld8: (v: string, ea: string): string => load(1, v, ea),
  ld16: (v: string, ea: string): string => load(2, v, ea),
  ld32: (v: string, ea: string): string => load(4, v, ea),
  ld64: (h: string, l: string, ea: string): string =>
    `{ const ma = ${ea}, mo = ma & 0xfff, ms = (ma >>> 12) & ${TLB_SIZE - 1}; let mf, mp;
       if (${tlbHit('ma', 'mo', 8, false)}) {
         KEYS[mp] |= ${KEY_R | KEY_HOST_R};
         ${h} = ${readBE(4, 'mo')}; ${l} = ${readBE(4, 'mo + 4')};
       } else { $STEPS SLOW.ld64(c, ma); ${CAUGHT} ${h} = MEM.rhi; ${l} = MEM.rlo; $SYNC } }`,
  st8: (ea: string, v: string): string => store(1, ea, v),
  st16: (ea: string, v: string): string => store(2, ea, v),
  st32: (ea: string, v: string): string => store(4, ea, v),
  st64: (ea: string, h: string, l: string): string =>
    `{ const ma = ${ea}, mh = ${h}, ml = ${l}, mo = ma & 0xfff, ms = (ma >>> 12) & ${TLB_SIZE - 1}; let mf, mp;
       if (${tlbHit('ma', 'mo', 8, true)}) {
         KEYS[mp] |= ${KEY_R | KEY_C | KEY_HOST_R};
         if (CODE[mp] !== undefined) { STO.storeHitsCode(mp, mo, 8); $SYNC }
         ${writeBE(4, 'mo', 'mh')} ${writeBE(4, 'mo + 4', 'ml')}
       } else { $STEPS SLOW.st64(c, ma, mh, ml); ${CAUGHT} $SYNC } }`,
  /**
   * Storage-to-storage fast path (MVC, TR, CLC): the first operand at `ea1`
   * (`len1` bytes, stored when `w1`) and the second at `ea2` (`len2` bytes,
   * fetched), lengths as source expressions. When both are TLB hits inside
   * one page each (the conditions of `S.ld32` and `S.st32`) and their frames
   * lie in one slab (mm/slabs.ts), both accesses are recorded in the storage
   * keys (a store over decoded code drops it: $SYNC) and `fast` runs, with
   * `sl` the slab, `ba`/`bb` the operands' offsets in its memory, `mp`/`np`
   * their frames and `mo`/`no` their offsets there. Otherwise `slow` runs
   * ($STEPS before it: the MMU's slow path may call the hypervisor). Both use
   * `ma`/`mb`, the two addresses. No access is recorded before both are
   * known to succeed, so an exception on either leaves the keys alone. In a
   * compiled block the memo (`MEMO` above) is tried first.
   */
  ss: (ea1: string, len1: string, w1: boolean, ea2: string, len2: string, fast: string, slow: string): string =>
    `{ const ma = ${ea1}, mb = ${ea2}, mo = ma & 0xfff, no = mb & 0xfff;
       const ms = (ma >>> 12) & ${TLB_SIZE - 1}, ns = (mb >>> 12) & ${TLB_SIZE - 1}; let mf, mp, nf, np, sl, ba = -1, bb = 0;
       ${MEMO}if (ma - mo === $MEMO_A && mb - no === $MEMO_B && G === $MEMO_G && mo + ${len1} <= ${FRAME_SIZE} && no + ${len2} <= ${FRAME_SIZE}) {
         mp = $MEMO_MP; np = $MEMO_NP; sl = $MEMO_SL; ba = $MEMO_BA + mo; bb = $MEMO_BB + no;
       } else${END_MEMO} if (${tlbHit('ma', 'mo', len1, w1)} && ${tlbHit('mb', 'no', len2, false, 'ns', 'nf', 'np')}
           && (sl = mf.slab) !== undefined && sl === nf.slab) {
         KEYS[mp] |= ${w1 ? KEY_R | KEY_C | KEY_HOST_R : KEY_R | KEY_HOST_R};${w1 ? `
         if (CODE[mp] !== undefined) { STO.storeHitsCode(mp, mo, ${len1}); $SYNC }` : ''}
         KEYS[np] |= ${KEY_R | KEY_HOST_R};
         ba = mf.base + mo; bb = nf.base + no;
         ${MEMO}${w1 ? 'if (CODE[mp] === undefined) ' : ''}{ $MEMO_A = ma - mo; $MEMO_B = mb - no; $MEMO_G = G; $MEMO_MP = mp; $MEMO_NP = np; $MEMO_SL = sl; $MEMO_BA = mf.base; $MEMO_BB = nf.base; }${END_MEMO}
       }
       // ba: the first operand's offset in the slab, -1 when the fast path does not apply
       if (ba >= 0) { ${fast} } else { $STEPS ${slow} ${CAUGHT} $SYNC } }`,
  /** sign extension of a 32-bit value to the high half */
  sx: (v: string): string => `((${v} & 0x80000000) !== 0 ? 0xffffffff : 0)`,
};
