/**
 * The disassembler, derived from the instruction table through the decoder
 * (`decodeInto`) and the extended mnemonics (extended.ts). Its text
 * matches `s390x-linux-gnu-objdump -d` (binutils 2.40) for the mnemonic and
 * operand fields:
 *  - registers `%rN`, `%cN`, `%aN`; immediates and masks in decimal;
 *  - `D(X,B)` prints `D` when X=B=0, `D(%rB)` when X=0, else `D(%rX,%rB)`;
 *    `D(B)` prints `D` when B=0; `D(L,B)` always prints `D(L,%rB)`;
 *  - relative targets as absolute addresses: `0x1a` without symbols,
 *    `1a <label+0x4>` with them;
 *  - trailing optional operands (MIN_OPERANDS) are left out when zero;
 *  - bytes zhint does not know print as objdump prints unknown bytes:
 *    `.long 0x...` over four bytes (`.short`/`.byte` at the very end).
 * Known difference: objdump does not know ESSA (prints `.long`); zhint
 * prints `essa`.
 */
import { Insn, type InstructionDef } from '../cpu/isa/types.js';
import { decodeInto } from '../cpu/isa/decode.js';
import { ALIASES } from '../cpu/isa/table.js';
import { parseSyntax } from '../cpu/isa/operands.js';
import { halfwords } from '../cpu/isa/encode.js';
import { FORMATS, lengthFromFirstByte, type Slot } from '../cpu/isa/formats.js';
import { aliasInfo, MIN_OPERANDS } from '../cpu/isa/extended.js';

export interface DisasmLine {
  addr: number;
  len: number;
  bytes: Uint8Array;
  mnemonic: string;
  /** operands exactly as objdump prints them (may be empty) */
  operands: string;
  /** base instruction definition (null for unknown bytes) */
  def: InstructionDef | null;
  /** the mnemonic's definition (an alias such as `je`, or the base) */
  shown: InstructionDef | null;
  /** absolute target of a relative operand, if any */
  target?: number;
}

/** Symbol lookup for `<label+0x4>` annotations: name and address of the closest symbol at or below `addr`. */
export type SymbolLookup = (addr: number) => { name: string; addr: number } | undefined;

export interface DisasmOptions {
  symbols?: SymbolLookup | Map<string, number>;
}

let printable: Map<string, InstructionDef[]> | null = null;
function printableAliases(base: string): InstructionDef[] {
  if (printable === null) {
    printable = new Map();
    for (const a of ALIASES) {
      const info = aliasInfo(a);
      if (!info || !info.printable) continue;
      const l = printable.get(info.base) ?? [];
      l.push(a);
      printable.set(info.base, l);
    }
  }
  return printable.get(base) ?? [];
}

/** Build a SymbolLookup from name → address (closest symbol at or below). */
export function symbolLookup(symbols: Map<string, number>): SymbolLookup {
  const sorted = [...symbols].filter(([, a]) => Number.isFinite(a)).sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return (addr) => {
    let lo = 0, hi = sorted.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid][1] <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    // objdump prefers the first-defined of several symbols at one address; take the lowest index at that address
    while (best > 0 && sorted[best - 1][1] === sorted[best][1]) best--;
    return { name: sorted[best][0], addr: sorted[best][1] };
  };
}

const hex = (n: number) => n.toString(16);

function relText(target: number, sym?: SymbolLookup): string {
  if (!sym) return `0x${hex(target)}`;
  const s = sym(target);
  if (!s) return hex(target);
  return s.addr === target ? `${hex(target)} <${s.name}>` : `${hex(target)} <${s.name}+0x${hex(target - s.addr)}>`;
}

const scratch = new Insn();

/** Disassemble one instruction at `off` of `bytes`, whose address is `addr`. */
export function disassembleOne(bytes: Uint8Array, off: number, addr: number, opts: DisasmOptions = {}): DisasmLine {
  const sym = opts.symbols instanceof Map ? symbolLookup(opts.symbols) : opts.symbols;
  const left = bytes.length - off;
  const [h0, h1, h2] = halfwords(bytes, off);
  const ins = left > 0 && lengthFromFirstByte(bytes[off]) <= left ? decodeInto(scratch, h0, h1, h2) : null;
  const d = ins?.def;
  if (!ins || !d) return unknown(bytes, off, addr);
  const f = ins as unknown as Record<Slot, number>;
  let shown = d;
  let imm: { slot: Slot; operandMax: number } | undefined;
  for (const a of printableAliases(d.mnemonic)) {
    const info = aliasInfo(a)!;
    let ok = true;
    if (a.fixed) for (const k of Object.keys(a.fixed) as Slot[]) if (f[k] !== a.fixed[k]) { ok = false; break; }
    if (ok && info.imm && (f[info.imm.slot] & info.imm.mask) !== info.imm.value) ok = false;
    if (ok) { shown = a; imm = info.imm; break; }
  }
  const fmt = FORMATS[d.format];
  const syn = parseSyntax(shown.syntax);
  const parts: string[] = [];
  const zero: boolean[] = [];
  let target: number | undefined;
  for (const o of syn) {
    let v = f[o.slot];
    let s: string;
    switch (o.kind) {
      case 'gpr': case 'pair': s = `%r${v}`; break;
      case 'cr': s = `%c${v}`; break;
      case 'ar': s = `%a${v}`; break;
      case 'mask': case 'uimm':
        if (imm && imm.slot === o.slot) v &= imm.operandMax;
        s = String(v);
        break;
      case 'simm': s = String(v); break;
      case 'rel':
        target = addr + 2 * v;
        s = relText(target, sym);
        break;
      case 'addr': {
        const disp = String(v);
        if (o.length) {
          s = `${disp}(${f[o.length] + 1},%r${f[o.base!]})`;
        } else if (o.index) {
          const x = f[o.index], bb = f[o.base!];
          s = x === 0 && bb === 0 ? disp : x === 0 ? `${disp}(%r${bb})` : `${disp}(%r${x},%r${bb})`;
        } else {
          const bb = f[o.base!];
          s = bb === 0 ? disp : `${disp}(%r${bb})`;
        }
        break;
      }
    }
    parts.push(s);
    zero.push(o.kind !== 'addr' && v === 0);
  }
  const min = MIN_OPERANDS.get(shown.mnemonic);
  if (min !== undefined) while (parts.length > min && zero[parts.length - 1]) parts.pop();
  return {
    addr, len: fmt.length, bytes: bytes.slice(off, off + fmt.length), mnemonic: shown.mnemonic,
    operands: parts.join(','), def: d, shown, target,
  };
}

function unknown(bytes: Uint8Array, off: number, addr: number): DisasmLine {
  const left = bytes.length - off;
  const n = left >= 4 ? 4 : left >= 2 ? 2 : 1;
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + bytes[off + i];
  const mnemonic = n === 4 ? '.long' : n === 2 ? '.short' : '.byte';
  return { addr, len: n, bytes: bytes.slice(off, off + n), mnemonic, operands: `0x${hex(v).padStart(n * 2, '0')}`, def: null, shown: null };
}

/** Disassemble `bytes` loaded at `origin`, instruction after instruction. */
export function disassemble(bytes: Uint8Array, origin = 0, opts: DisasmOptions = {}): DisasmLine[] {
  const sym = opts.symbols instanceof Map ? symbolLookup(opts.symbols) : opts.symbols;
  const out: DisasmLine[] = [];
  for (let off = 0; off < bytes.length;) {
    const l = disassembleOne(bytes, off, origin + off, { symbols: sym });
    out.push(l);
    off += l.len;
  }
  return out;
}

/** `mnemonic\toperands` as objdump's last two columns. */
export function insnText(l: DisasmLine): string {
  return l.operands === '' ? l.mnemonic : `${l.mnemonic}\t${l.operands}`;
}

/** One line in objdump's layout: `   1c:\ta7 f4 00 04       \tj\t0x24`. */
export function formatObjdumpLine(l: DisasmLine, addrWidth = 4): string {
  const bytes = Array.from(l.bytes, (x) => x.toString(16).padStart(2, '0') + ' ').join('').padEnd(18, ' ');
  return `${hex(l.addr).padStart(addrWidth, ' ')}:\t${bytes}\t${insnText(l)}`;
}

/** Whole listing in objdump's layout (without its file header). */
export function formatObjdump(lines: DisasmLine[]): string {
  const maxAddr = lines.length ? lines[lines.length - 1].addr : 0;
  const w = Math.max(4, hex(maxAddr).length);
  return lines.map((l) => formatObjdumpLine(l, w)).join('\n');
}
