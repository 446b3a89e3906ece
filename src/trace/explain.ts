/**
 * `zhint run --trace --explain`: one plain-language line per traced
 * instruction and per interruption, for people learning the architecture.
 *
 * Nothing here lists instructions: the words come from the instruction
 * table's `desc` (src/cpu/isa), the operands from its parsed syntax
 * (operands.ts), and the values from the registers before and after the
 * instruction. A small helper per family adds the arithmetic ("r2 := r2 + r3
 * = 0x5 + 0x3 = 0x8"), a compare's verdict or whether a branch was taken.
 *
 * Interruptions are explained from the lowcore (PoP "Assigned Storage
 * Locations"): which old PSW and interruption fields the CPU stored there, and
 * which new PSW it loaded.
 *
 * Only the trace calls this (it single-steps anyway), so clarity wins over
 * speed: BigInt is fine here.
 */
import type { Machine } from '../machine.js';
import type { MachineEvent } from '../events.js';
import type { Insn, InstructionDef } from '../cpu/isa/types.js';
import { decodeBytes } from '../cpu/isa/decode.js';
import { parseSyntax, type Operand } from '../cpu/isa/operands.js';
import type { Slot } from '../cpu/isa/formats.js';
import { LC } from '../cpu/lowcore.js';
import { decodeMask } from '../cpu/psw.js';
import { picName, isNullifying } from '../cpu/exceptions.js';
import { Access } from '../mm/mmu.js';

/** The registers and cc as they were before the instruction (the tracer's snapshot). */
export interface Before {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly crh: Uint32Array;
  readonly crl: Uint32Array;
  readonly cc: number;
}

export interface ExplainContext {
  /** the instruction did not complete (a program interruption ended it) */
  interrupted: boolean;
  /** the PSW after the instruction is still the instruction's (false when an SVC already loaded a new PSW) */
  pswIsOwn: boolean;
}

const M64 = (1n << 64n) - 1n;
const M32 = 0xffffffffn;

/** Unpadded hex with 0x; a 64-bit value as BigInt or number. */
export function hx(v: bigint | number): string {
  const b = typeof v === 'bigint' ? v : BigInt(v);
  return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
}

function reg(hi: Uint32Array, lo: Uint32Array, r: number): bigint {
  return (BigInt(hi[r]) << 32n) | BigInt(lo[r]);
}

function signed(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}


function slot(i: Insn, s: Slot): number {
  return (i as unknown as Record<Slot, number>)[s];
}

/** Effective address D(X,B) with the registers before the instruction (register 0 as base/index means none). */
function effAddr(m: Machine, i: Insn, o: Operand, b: Before): number {
  let a = BigInt(slot(i, o.slot));
  if (o.index !== undefined && slot(i, o.index) !== 0) a += reg(b.hi, b.lo, slot(i, o.index));
  if (o.base !== undefined && slot(i, o.base) !== 0) a += reg(b.hi, b.lo, slot(i, o.base));
  a &= M64;
  const amode = m.cpu.amode;
  if (amode === 31) a &= 0x7fffffffn;
  else if (amode === 24) a &= 0xffffffn;
  return Number(a);
}

/** Read `len` bytes at logical address `ea` without side effects beyond the TLB; null when not accessible. */
function peekLogical(m: Machine, ea: number, len: number): bigint | null {
  const c = m.cpu;
  try {
    const abs = c.dat ? c.mem.translate(ea, Access.READ) : c.mem.realToAbsolute(ea);
    if ((abs % 4096) + len > 4096 || abs + len > m.storage.size) return null;
    let v = 0n;
    for (const byte of m.storage.peek(abs, len)) v = (v << 8n) | BigInt(byte);
    return v;
  } catch {
    return null;
  }
}

/**
 * The desc with the operand slots named by their values: "r1" becomes the
 * register the instruction names, "m3" its mask, "i2" its immediate, and
 * "D2(X2,B2)" the effective address.
 */
function substitute(d: InstructionDef, i: Insn, ops: Operand[], m: Machine, b: Before, ia: number): string {
  const names = new Map<string, string>();
  for (const o of ops) {
    const v = slot(i, o.slot);
    switch (o.kind) {
      case 'gpr': case 'pair': names.set(o.slot, `r${v}`); break;
      case 'cr': names.set(o.slot, `c${v}`); break;
      case 'ar': names.set(o.slot, `a${v}`); break;
      case 'mask': names.set(o.slot, String(v)); break;
      case 'simm': case 'uimm': names.set(o.slot, String(v)); break;
      case 'rel': names.set(o.slot, hx(m.cpu.wrap(ia + 2 * v))); break;
      case 'addr': {
        const text = `D${o.slot[1]}(${o.index ? `X${o.slot[1]},` : o.length ? `L${o.slot[1]},` : ''}B${o.base![1]})`;
        names.set(text, hx(effAddr(m, i, o, b)));
        if (o.length !== undefined) names.set('L', String(slot(i, o.length) + 1));
        break;
      }
    }
  }
  let s = d.desc;
  const len = names.get('L');
  if (len !== undefined) s = s.replace(/\bL bytes\b/g, `${len} bytes`);
  // storage operands first (their text contains slot-like letters in upper case only)
  for (const [k, v] of names) if (k.startsWith('D')) s = s.split(k).join(v);
  return s.replace(/\b([rmic])([1-5])\b/g, (all, letter: string, n: string) => {
    const key = `${letter === 'c' ? 'r' : letter}${n}`;
    const v = names.get(key);
    if (v === undefined) return all;
    // "c1" in a desc names a control-register operand; "r1" a GPR; "m3"/"i2" values
    if (letter === 'c' && !v.startsWith('c')) return all;
    return v;
  });
}

// ---- per-family phrasing ----

const OPS: [RegExp, string][] = [
  [/^add (?!logical with carry)/, '+'],
  [/^subtract (?!logical with borrow)/, '-'],
  [/^multiply single/, '*'],
  [/^AND /, '&'],
  [/^OR /, '|'],
  [/^exclusive OR /, '^'],
];

function apply(op: string, a: bigint, c: bigint): bigint {
  switch (op) {
    case '+': return a + c;
    case '-': return a - c;
    case '*': return a * c;
    case '&': return a & c;
    case '|': return a | c;
    default: return a ^ c;
  }
}

/**
 * "r1 := r1 + r2 = 0x5 + 0x3 = 0x8" for the arithmetic and logical
 * instructions whose second operand is a register, an immediate or a storage
 * word/doubleword, and whose result is the whole register (not a field).
 */
function equation(d: InstructionDef, i: Insn, ops: Operand[], m: Machine, b: Before): string | null {
  if (d.family !== 'arithmetic' && d.family !== 'logical') return null;
  const hit = OPS.find(([re]) => re.test(d.desc));
  if (hit === undefined || ops.length < 2 || ops[0].kind !== 'gpr') return null;
  if (/bits \d+-\d+/.test(d.desc)) return null; // immediate into a field (nihh, oilf, ...)
  const op = hit[1];
  const mn = d.mnemonic;
  const w = /g/.test(mn) ? 64 : 32;
  const mask = w === 64 ? M64 : M32;
  const logical = /logical/.test(d.desc);
  const r1 = i.r1;
  const valueOf = (o: Operand): { name: string; v: bigint } | null => {
    const raw = slot(i, o.slot);
    if (o.kind === 'gpr') {
      let v = reg(b.hi, b.lo, raw);
      // a 32-bit second operand extended to 64 (agfr, algfr, sgfr, ...)
      if (w === 64 && /gf/.test(mn)) v = logical ? v & M32 : signed(v & M32, 32) & M64;
      return { name: `r${raw}`, v: v & mask };
    }
    if (o.kind === 'simm' || o.kind === 'uimm') return { name: String(raw), v: BigInt(raw) & mask };
    if (o.kind === 'addr' && o.length === undefined) {
      const ea = effAddr(m, i, o, b);
      const len = /halfword/.test(d.desc) ? 2 : w === 64 && !/gf/.test(mn) ? 8 : 4;
      const raw2 = peekLogical(m, ea, len);
      if (raw2 === null) return null;
      const v = len === 8 ? raw2 : logical ? raw2 : signed(raw2, len * 8) & M64;
      return { name: `storage[${hx(ea)}]`, v: v & mask };
    }
    return null;
  };
  let left: { name: string; v: bigint } | null;
  let right: { name: string; v: bigint } | null;
  if (ops.length === 2) {
    left = { name: `r${r1}`, v: reg(b.hi, b.lo, r1) & mask };
    right = valueOf(ops[1]);
  } else if (ops.length === 3 && ops[2].kind !== 'addr') {
    left = valueOf(ops[1]);
    right = valueOf(ops[2]);
    if (left !== null && ops[1].kind === 'gpr') left = { name: left.name, v: reg(b.hi, b.lo, slot(i, ops[1].slot)) & mask };
  } else {
    return null;
  }
  if (left === null || right === null) return null;
  const result = reg(m.cpu.hi, m.cpu.lo, r1) & mask;
  const expect = apply(op, left.v, right.v) & mask;
  if (expect !== result) return null; // an instruction this helper does not model exactly: say nothing wrong
  const show = (v: bigint): string => (op === '+' || op === '-' || op === '*') && !logical ? hx(signed(v, w)) : hx(v);
  return `r${r1}${w === 32 ? '[32:63]' : ''} := ${left.name} ${op} ${right.name} = ${show(left.v)} ${op} ${show(right.v)} = ${show(result)}`;
}

const CC_COMPARE = ['equal', 'first operand low', 'first operand high', '-'];
const CC_RESULT = ['result zero', 'result negative', 'result positive', 'overflow'];
const CC_LOGICAL_ADD = ['zero, no carry', 'not zero, no carry', 'zero, carry', 'not zero, carry'];
const CC_LOGICAL_SUB = ['-', 'not zero, borrow', 'zero, no borrow', 'not zero, no borrow'];
const CC_TEST = ['zero', 'negative', 'positive', '-'];

/** What a condition code means for this instruction, when its family says it plainly. */
function ccMeaning(d: InstructionDef, cc: number): string {
  const desc = d.desc;
  if (/and branch|and trap/.test(desc)) return ''; // these compare without setting the cc
  if (d.family === 'compare' && !/and swap|checksum|strings/.test(desc)) return CC_COMPARE[cc];
  if (/^compare logical|^compare a storage|^compare L bytes/.test(desc)) return CC_COMPARE[cc];
  if (/^add logical/.test(desc)) return CC_LOGICAL_ADD[cc];
  if (/^subtract logical/.test(desc)) return CC_LOGICAL_SUB[cc];
  if (/^(add|subtract)/.test(desc) || /^shift (left|right) arithmetic|^load (complement|positive|negative)/.test(desc)) return CC_RESULT[cc];
  if (/^load and test/.test(desc)) return CC_TEST[cc];
  if (d.family === 'logical' && !/^load and/.test(desc)) return cc === 0 ? 'result zero' : 'result not zero';
  return '';
}

/** Registers whose value the instruction changed, "r2 := 0x10028". */
function changed(m: Machine, b: Before): string[] {
  const c = m.cpu;
  const out: string[] = [];
  for (let r = 0; r < 16; r++) {
    if (c.hi[r] !== b.hi[r] || c.lo[r] !== b.lo[r]) out.push(`r${r} := ${hx(reg(c.hi, c.lo, r))}`);
  }
  for (let r = 0; r < 16; r++) {
    if (c.crh[r] !== b.crh[r] || c.crl[r] !== b.crl[r]) out.push(`c${r} := ${hx(reg(c.crh, c.crl, r))}`);
  }
  return out;
}

/** The registers the instruction names (operands, bases, indexes) and did not change, with their values. */
function inputs(i: Insn, ops: Operand[], b: Before, m: Machine, named: Set<Slot>): string[] {
  const c = m.cpu;
  const result = new Set<number>();
  for (let r = 0; r < 16; r++) if (c.hi[r] !== b.hi[r] || c.lo[r] !== b.lo[r]) result.add(r);
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (r: number, why: string): void => {
    const k = `r${r}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(`${why}r${r}=${hx(reg(b.hi, b.lo, r))}`);
  };
  for (const o of ops) {
    const v = slot(i, o.slot);
    if ((o.kind === 'gpr' || o.kind === 'pair') && !result.has(v) && !named.has(o.slot)) add(v, '');
    if (o.kind === 'addr') {
      if (!named.has(o.slot)) out.push(`operand ${o.slot[1]} address ${hx(effAddr(m, i, o, b))}`);
      if (o.index !== undefined && slot(i, o.index) !== 0 && !result.has(slot(i, o.index))) add(slot(i, o.index), '');
      if (o.base !== undefined && slot(i, o.base) !== 0 && !result.has(slot(i, o.base))) add(slot(i, o.base), '');
    }
  }
  return out;
}

/**
 * One line explaining an instruction that just ran: "agr %r2,%r3: add 64
 * bits: r2 := r2 + r3 = 0x5 + 0x3 = 0x8, cc 2 (result positive)".
 */
export function explainInstruction(m: Machine, bytes: Uint8Array, ia: number, text: string, b: Before, ctx: ExplainContext): string {
  const head = text.replace(/\s+/g, ' ');
  const i = decodeBytes(bytes);
  if (i === null) return `${head}: not an instruction zhint knows (operation exception)`;
  const d = i.def!;
  const ops = parseSyntax(d.syntax);
  const parts: string[] = [];
  const eq = ctx.interrupted ? null : equation(d, i, ops, m, b);
  const what = substitute(d, i, ops, m, b, ia);
  if (eq !== null) {
    // the desc up to its first formula, then the real one
    parts.push(`${what.split(/:|;|,/)[0]}: ${eq}`);
  } else {
    parts.push(what);
    const named = new Set<Slot>();
    for (const o of ops) if (o.kind === 'addr' && d.desc.includes(`D${o.slot[1]}(`)) named.add(o.slot);
    // the first register of a load or an operation is its result, even when the value did not change
    const target = ops.length > 0 && ops[0].kind === 'gpr' && d.family !== 'compare' && d.family !== 'branches'
      && /^(load|insert|add|subtract|multiply|AND|OR|exclusive|shift|rotate|find)/.test(d.desc) ? slot(i, ops[0].slot) : -1;
    if (target >= 0) named.add(ops[0].slot);
    const inp = inputs(i, ops, b, m, named);
    if (inp.length > 0 && !ctx.interrupted) parts.push(`with ${inp.join(', ')}`);
    if (!ctx.interrupted) {
      const ch = changed(m, b);
      if (target >= 0 && !ch.some((t) => t.startsWith(`r${target} `))) ch.unshift(`r${target} := ${hx(reg(m.cpu.hi, m.cpu.lo, target))} (unchanged)`);
      if (ch.length > 0) parts.push(ch.join(', '));
    }
  }
  if (ctx.interrupted) {
    parts.push('interrupted: the instruction did not complete (see the interruption below)');
    return `${head}: ${parts.join('; ')}`;
  }
  if (ctx.pswIsOwn) {
    const c = m.cpu;
    const meaning = ccMeaning(d, c.cc);
    if (c.cc !== b.cc || meaning !== '' || /\bcc\b/.test(d.desc)) {
      parts.push(`cc ${c.cc}${meaning && meaning !== '-' ? ` (${meaning})` : ''}`);
    }
    if (/^LOAD PSW/.test(d.desc)) {
      // the PSW-loading instructions are marked as branches; what they load matters more than where to
      parts.push(`new PSW: ${describePsw(c.pswMaskHi(), c.pswMaskLo(), c.ia)}, address ${hx(c.ia)}`);
    } else if (d.branch) {
      const next = c.wrap(ia + bytes.length);
      parts.push(c.ia === next ? 'branch not taken: next instruction' : `branch taken to ${hx(c.ia)}`);
    }
  }
  return `${head}: ${parts.join('; ')}`;
}

// ---- interruptions ----

type InterruptEvent = Extract<MachineEvent, { kind: 'interrupt' }>;

const CLASS_LC: Record<InterruptEvent['class'], { old: number; neu: number; fields: [string, number, number][] }> = {
  svc: { old: LC.SVC_OLD_PSW, neu: LC.SVC_NEW_PSW, fields: [['ILC', LC.SVC_ILC, 2], ['SVC code', LC.SVC_CODE, 2]] },
  program: { old: LC.PROGRAM_OLD_PSW, neu: LC.PROGRAM_NEW_PSW, fields: [['ILC', LC.PGM_ILC, 2], ['program-interruption code', LC.PGM_CODE, 2]] },
  external: { old: LC.EXTERNAL_OLD_PSW, neu: LC.EXTERNAL_NEW_PSW, fields: [['CPU address', LC.CPU_ADDRESS, 2], ['external-interruption code', LC.EXT_INT_CODE, 2]] },
  restart: { old: LC.RESTART_OLD_PSW, neu: LC.RESTART_NEW_PSW, fields: [] },
};

/** The meaning of a 16-byte PSW's mask in words: "DAT off, I/O and external disabled, key 0, supervisor, 64-bit". */
export function describePsw(hi: number, lo: number, ia: number): string {
  const p = decodeMask(hi >>> 0, lo >>> 0, ia);
  if (p === null) return 'invalid PSW';
  const on: string[] = [];
  if (p.io) on.push('I/O');
  if (p.ext) on.push('external');
  if (p.mcheck) on.push('machine check');
  const parts = [
    `DAT ${p.dat ? 'on' : 'off'}`,
    on.length > 0 ? `${on.join(', ')} enabled` : 'interruptions disabled',
    `key ${p.key}`,
    p.problem ? 'problem state' : 'supervisor state',
    `${p.amode}-bit`,
  ];
  if (p.wait) parts.push('wait');
  if (p.per) parts.push('PER');
  return parts.join(', ');
}

function article(word: string): string {
  return /^[aeiouAEIOU]/.test(word) ? 'an' : 'a';
}

function readLc(m: Machine, off: number, len: number): bigint {
  let v = 0n;
  for (const byte of m.storage.peek(m.cpu.prefix + off, len)) v = (v << 8n) | BigInt(byte);
  return v;
}

function lcHex(off: number): string {
  return `0x${off.toString(16)}`;
}

function pswAt(m: Machine, off: number): { text: string; hi: number; lo: number; ia: bigint } {
  const mask = readLc(m, off, 8);
  const ia = readLc(m, off + 8, 8);
  const hi = Number(mask >> 32n);
  const lo = Number(mask & M32);
  return { text: `${mask.toString(16).padStart(16, '0')} ${ia.toString(16).padStart(16, '0')}`, hi, lo, ia };
}

/**
 * Lines explaining an interruption from the lowcore: what was stored where,
 * and which new PSW was loaded.
 */
export function explainInterrupt(m: Machine, e: InterruptEvent): string[] {
  const lc = CLASS_LC[e.class];
  const old = pswAt(m, lc.old);
  const neu = pswAt(m, lc.neu);
  const fields = lc.fields.map(([name, off, len]) => {
    const v = readLc(m, off, len);
    return `${name} ${name === 'ILC' ? String(v) : `0x${v.toString(16).padStart(4, '0')}`} at ${lcHex(off)}`;
  });
  const cls = e.class === 'svc' ? 'SVC' : e.class;
  if (e.class === 'program' && e.teid !== undefined) fields.push(`translation-exception identification ${hx(readLc(m, LC.TEID, 8))} at ${lcHex(LC.TEID)}`);
  const out: string[] = [];
  let why = '';
  if (e.class === 'svc') why = ' (points after the SVC: it completed)';
  else if (e.class === 'program') {
    const name = picName(e.code);
    const what = /fault/.test(name) ? name : `${name} exception`;
    why = isNullifying(e.code)
      ? ` (points at the instruction: ${article(what)} ${what} nullifies it, so returning re-executes it)`
      : ` (points past the instruction: ${article(what)} ${what} suppresses or terminates it)`;
  } else if (e.class === 'external') why = ' (the next instruction to run)';
  out.push(`${cls} interruption: the CPU stored the ${cls} old PSW at ${lcHex(lc.old)}: ${old.text} = ${describePsw(old.hi, old.lo, Number(old.ia))}, address ${hx(old.ia)}${why}`);
  if (fields.length > 0) out.push(`  and ${fields.join(', ')} (real addresses in the lowcore, prefix ${hx(m.cpu.prefix)})`);
  out.push(`  then loaded the ${cls} new PSW from ${lcHex(lc.neu)}: ${neu.text} = ${describePsw(neu.hi, neu.lo, Number(neu.ia))}: execution continues at ${hx(neu.ia)}`);
  return out;
}
