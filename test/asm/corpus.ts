/**
 * Corpus generator and GNU binutils helpers for the assembler tests. The
 * corpus is generated from the instruction table (INSTRUCTIONS + ALIASES),
 * so instructions added to the table are covered automatically.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTRUCTIONS, ALIASES } from '../../src/cpu/isa/table.js';
import { parseSyntax, type Operand } from '../../src/cpu/isa/operands.js';
import { FORMATS } from '../../src/cpu/isa/formats.js';
import { aliasInfo, MIN_OPERANDS } from '../../src/cpu/isa/extended.js';
import type { InstructionDef } from '../../src/cpu/isa/types.js';

export const AS = 's390x-linux-gnu-as';
export const OBJCOPY = 's390x-linux-gnu-objcopy';
export const OBJDUMP = 's390x-linux-gnu-objdump';

/** Mnemonics GNU as (2.40, -march=z196) does not know, with the .insn form to use instead. */
export const GNU_LACKS: Record<string, (ops: string[]) => string> = {
  // ESSA R1,R2,M3 (RRF-c): ".insn rrf" takes R1,R2,R3,M4 with R3 in bits 16-19 where ESSA has M3
  essa: (ops) => `.insn rrf,0xb9ab0000,${ops[0]},${ops[1]},${ops[2] ?? 0},0`,
};

export interface CorpusLine { text: string; gnu: string; mnemonic: string; variant: string }

function reg(kind: Operand['kind'], n: number): string {
  if (kind === 'cr') return `%c${n}`;
  if (kind === 'ar') return `%a${n}`;
  return `%r${n}`;
}

/** Operand text for variant 0 = typical, 1 = minimum, 2 = maximum, 3 = alternate typical. */
function operandText(d: InstructionDef, o: Operand, idx: number, variant: number): string {
  const fmt = FORMATS[d.format];
  const lay = fmt.slots[o.slot];
  const width = lay?.width ?? 4;
  const info = aliasInfo(d);
  switch (o.kind) {
    case 'gpr': case 'cr': case 'ar':
      return reg(o.kind, [1 + idx * 3, 0, 15, 7 + idx][variant] % 16);
    case 'pair':
      return reg(o.kind, [2 + idx * 4, 0, 14, 6][variant] % 16);
    case 'mask':
      return String([3 + idx, 0, 15, 9][variant]);
    case 'simm': {
      const lo = -(2 ** (width - 1)), hi = 2 ** (width - 1) - 1;
      return String([-5 - idx, lo, hi, 100][variant]);
    }
    case 'uimm': {
      const hi = info?.imm && info.imm.slot === o.slot ? info.imm.operandMax : 2 ** width - 1;
      return String([Math.min(7 + idx, hi), 0, hi, Math.min(42, hi)][variant]);
    }
    case 'rel':
      return ['fwd', 'bwd', '.', '.+8'][variant];
    case 'addr': {
      const long = lay?.hiPos !== undefined;
      if (o.length) {
        const lmax = 2 ** (fmt.slots[o.length]?.width ?? 8);
        return [`8(${3 + idx},%r${3 + idx})`, `0(1,%r0)`, `4095(${lmax},%r15)`, `100(17,%r9)`][variant];
      }
      if (o.index) {
        return [`8(%r${2 + idx},%r${3 + idx})`, long ? `-524288(%r1,%r2)` : `0`, long ? `524287(%r15,%r15)` : `4095(%r15,%r15)`,
          `${long ? -4 : 12}(%r${5 + idx})`][variant];
      }
      return [`8(%r${3 + idx})`, long ? `-524288(%r1)` : `0`, long ? `524287(%r15)` : `4095(%r15)`, `${long ? -16 : 16}`][variant];
    }
  }
}

/** Every mnemonic of the table (base and extended) in several operand forms. */
export function generateCorpus(): CorpusLine[] {
  const out: CorpusLine[] = [];
  const emit = (d: InstructionDef, ops: string[], variant: string) => {
    const text = ops.length ? `\t${d.mnemonic}\t${ops.join(',')}` : `\t${d.mnemonic}`;
    const lack = GNU_LACKS[d.mnemonic];
    out.push({ text, gnu: lack ? `\t${lack(ops)}` : text, mnemonic: d.mnemonic, variant });
  };
  for (const d of [...INSTRUCTIONS, ...ALIASES]) {
    let syn: Operand[];
    try { syn = parseSyntax(d.syntax); } catch { continue; }
    for (let v = 0; v < 4; v++) emit(d, syn.map((o, i) => operandText(d, o, i, v)), ['typical', 'min', 'max', 'alt'][v]);
    // every mask value: the disassembler must pick objdump's extended mnemonic for each
    const mi = syn.findIndex((o) => o.kind === 'mask');
    if (mi >= 0) {
      for (let m = 0; m < 16; m++) emit(d, syn.map((o, i) => (i === mi ? String(m) : operandText(d, o, i, 0))), `mask${m}`);
    }
    const min = MIN_OPERANDS.get(d.mnemonic);
    if (min !== undefined && min < syn.length) emit(d, syn.slice(0, min).map((o, i) => operandText(d, o, i, 0)), 'omitted');
  }
  return out;
}

export interface GnuResult { ok: boolean; errors: Map<number, string>; text: Uint8Array; objdump: Map<number, string> }

/** Assemble with GNU as -march=z196; returns .text bytes (objcopy -O binary) and objdump's text per address. */
export function gnuAssemble(source: string): GnuResult {
  const dir = mkdtempSync(join(tmpdir(), 'zhint-corpus-'));
  try {
    const s = join(dir, 'c.s'), o = join(dir, 'c.o'), bin = join(dir, 'c.bin');
    writeFileSync(s, source);
    const r = spawnSync(AS, ['-march=z196', '-o', o, s], { encoding: 'utf8' });
    const errors = new Map<number, string>();
    for (const m of (r.stderr ?? '').matchAll(/c\.s:(\d+): Error: (.*)/g)) errors.set(Number(m[1]), m[2]);
    if (r.status !== 0) return { ok: false, errors, text: new Uint8Array(0), objdump: new Map() };
    execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', o, bin]);
    const text = new Uint8Array(readFileSync(bin));
    const dump = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-m', 's390:64-bit', bin], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return { ok: true, errors, text, objdump: parseObjdump(dump) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Disassemble raw bytes with objdump: address → "mnemonic\toperands". */
export function objdumpBytes(bytes: Uint8Array): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'zhint-dis-'));
  try {
    const bin = join(dir, 'c.bin');
    writeFileSync(bin, bytes);
    return parseObjdump(execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-m', 's390:64-bit', bin], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseObjdump(dump: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of dump.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} )+\s*\t(.*)$/.exec(line);
    if (m) out.set(parseInt(m[1], 16), m[2].trimEnd());
  }
  return out;
}
