/**
 * Test helpers for the loads / shifts / branches / execute families: programs
 * are assembled by GNU as (the encoding oracle), loaded at ORG and run on a
 * Cpu whose program new PSW is a disabled wait, so every run ends in a program
 * interruption that the test reads back from the lowcore. `done` (a macro
 * for the invalid halfword 0000) ends a program normally: operation
 * exception 0x01 just past it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cpu } from '../../src/cpu/cpu.js';
import { AbsoluteStorage } from '../../src/mm/storage.js';
import { LC } from '../../src/cpu/lowcore.js';
import { INSTRUCTIONS } from '../../src/cpu/isa/table.js';
import { decodeInto, lookup } from '../../src/cpu/isa/decode.js';
import { parseSyntax } from '../../src/cpu/isa/operands.js';
import { Insn, type Family, type InstructionDef } from '../../src/cpu/isa/types.js';
import { haveBinutils } from '../../src/testing/tools.js';
import { chooseLoop } from './helpers.js';

export const AS = 's390x-linux-gnu-as';
export const NEED_AS = 'needs s390x-linux-gnu-as and objcopy (Debian package binutils-s390x-linux-gnu)';

export const haveAs: boolean = haveBinutils();
if (!haveAs) console.warn(`skipping GNU-as based ISA tests: ${NEED_AS}`);

/** Where programs are loaded. */
export const ORG = 0x2000;

export interface Assembled {
  bytes: Uint8Array;
  /** label → offset from the start of .text */
  syms: Map<string, number>;
}

const cache = new Map<string, Assembled>();

/** Assemble with GNU as (-march=z196): the .text bytes and the labels. */
export function assemble(src: string): Assembled {
  const hit = cache.get(src);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'zhint-isa-'));
  try {
    const s = join(dir, 'p.s'), o = join(dir, 'p.o'), b = join(dir, 'p.bin');
    writeFileSync(s, `.macro done\n.short 0\n.endm\n.text\n${src}\n`);
    execFileSync(AS, ['-march=z196', '-m64', s, '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('s390x-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', o, b]);
    const nm = execFileSync('s390x-linux-gnu-nm', [o]).toString();
    const syms = new Map<string, number>();
    for (const line of nm.split('\n')) {
      const m = /^([0-9a-f]+)\s+\w\s+(\S+)$/.exec(line.trim());
      if (m) syms.set(m[2], parseInt(m[1], 16));
    }
    const out = { bytes: new Uint8Array(readFileSync(b)), syms };
    cache.set(src, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Result {
  cpu: Cpu;
  st: AbsoluteStorage;
  /** program-interruption code (0x8E) */
  pic: number;
  /** instruction length stored with it (0x8D) */
  ilc: number;
  /** address in the program old PSW (0x158) */
  oldIa: number;
  /** the run ended at a `done` */
  ok: boolean;
  /** absolute address of a label */
  at(label: string): number;
  /** 64-bit register as an unsigned BigInt */
  r(n: number): bigint;
  /** bits 32-63 of a register, unsigned */
  lo(n: number): number;
  hi(n: number): number;
  /** bytes of storage */
  bytes(addr: number, len: number): number[];
  cc: number;
}

export interface Opts {
  /** set registers etc. before running */
  setup?(cpu: Cpu): void;
  /** addressing mode to start in (default 64) */
  amode?: 24 | 31 | 64;
  /** storage size (default 1 MB) */
  size?: number;
  steps?: number;
  /** initial program mask (8 = fixed-point overflow enabled) */
  pm?: number;
  /** load address (default ORG) */
  org?: number;
}

/** Assemble `src`, load it at ORG and run it until it stops. */
export function run(src: string, o: Opts = {}): Result {
  const a = assemble(src);
  const org = o.org ?? ORG;
  const st = new AbsoluteStorage(o.size ?? 1 << 20);
  st.load(org, a.bytes);
  // program new PSW: disabled wait, 64-bit mode, address 0
  st.write32(LC.PROGRAM_NEW_PSW, 0x00020001);
  st.write32(LC.PROGRAM_NEW_PSW + 4, 0x80000000);
  st.write32(LC.PROGRAM_NEW_PSW + 8, 0);
  st.write32(LC.PROGRAM_NEW_PSW + 12, 0);
  const cpu = new Cpu(st);
  chooseLoop(cpu);
  if (o.amode !== undefined && o.amode !== 64) {
    cpu.amode = o.amode;
    cpu.modeChanged();
  }
  cpu.pm = o.pm ?? 0;
  cpu.ia = org;
  cpu.nia = org;
  o.setup?.(cpu);
  cpu.run(o.steps ?? 100_000);
  const pic = st.read16(LC.PGM_CODE);
  const ilc = st.read16(LC.PGM_ILC);
  const oldIa = st.read32(LC.PROGRAM_OLD_PSW + 8) * 4294967296 + st.read32(LC.PROGRAM_OLD_PSW + 12);
  const ok = pic === 1 && oldIa >= org + 2 && st.read16(oldIa - 2) === 0 && ilc === 2;
  const oldCc = (st.read32(LC.PROGRAM_OLD_PSW) >>> 12) & 3;
  return {
    cpu, st, pic, ilc, oldIa, ok, cc: oldCc,
    at(label: string) {
      const v = a.syms.get(label);
      if (v === undefined) throw new Error(`no label ${label}`);
      return org + v;
    },
    r: (n) => cpu.getReg(n),
    lo: (n) => cpu.lo[n],
    hi: (n) => cpu.hi[n],
    bytes: (addr, len) => Array.from(st.peek(addr, len)),
  };
}

// ------------------------------------------------------------------ table vs GNU as

/** A sample operand list for a syntax string (distinct values per slot). */
export function sampleOperands(d: InstructionDef): { text: string; expect: Record<string, number> } {
  const ops = parseSyntax(d.syntax);
  const expect: Record<string, number> = {};
  const parts: string[] = [];
  const regs: Record<string, number> = { r1: 6, r2: 8, r3: 4, x2: 7, b1: 9, b2: 11 };
  for (const op of ops) {
    switch (op.kind) {
      case 'gpr': case 'pair': case 'cr': case 'ar': {
        const v = regs[op.slot] ?? 2;
        expect[op.slot] = v;
        parts.push(op.kind === 'cr' ? `%c${v}` : op.kind === 'ar' ? `%a${v}` : `%r${v}`);
        break;
      }
      case 'mask': expect[op.slot] = 5; parts.push('5'); break;
      case 'uimm': {
        // 8-bit fields in SI/SIY/RIE_F, 16 or 32 bits elsewhere
        const v = op.slot === 'i3' || op.slot === 'i4' || op.slot === 'i5' ? 0x21 + Number(op.slot[1])
          : d.format === 'SI' || d.format === 'SIY' ? 0xa5 : 0xbeef;
        expect[op.slot] = v; parts.push(String(v)); break;
      }
      case 'simm': expect[op.slot] = -3; parts.push('-3'); break;
      case 'rel': expect[op.slot] = 0; parts.push('.'); break;
      case 'addr': {
        const long = d.format === 'RXY' || d.format === 'RSY' || d.format === 'SIY';
        const disp = long ? -0x1234 : 0x123;
        expect[op.slot] = disp;
        let s = `${disp}(`;
        if (op.length) { expect[op.length] = 0x3f; s += '64,'; }
        if (op.index) { expect[op.index] = regs[op.index]; s += `%r${regs[op.index]},`; }
        expect[op.base!] = regs[op.base!];
        s += `%r${regs[op.base!]})`;
        parts.push(s);
        break;
      }
    }
  }
  return { text: `${d.mnemonic}\t${parts.join(',')}`, expect };
}

/**
 * For every base instruction of a family: assemble a sample with GNU as and
 * check that the table decodes it to the same instruction with the same
 * operand fields. Returns a list of mismatches (empty = all agree).
 */
export function checkFamilyEncodings(family: Family | ((d: InstructionDef) => boolean)): string[] {
  const defs = INSTRUCTIONS.filter((d) => typeof family === 'function' ? family(d) : d.family === family);
  const samples = defs.map(sampleOperands);
  const src = samples.map((s, k) => `s${k}: ${s.text}`).join('\n') + '\nsend:';
  const a = assemble(src);
  const bad: string[] = [];
  const ins = new Insn();
  defs.forEach((d, k) => {
    const off = a.syms.get(`s${k}`)!;
    const b = a.bytes;
    const h = (o: number) => (o + 1 < b.length ? (b[off + o] << 8) | b[off + o + 1] : 0);
    const h0 = h(0), h1 = h(2), h2 = h(4);
    const got = lookup(h0, h1, h2);
    if (got !== d) { bad.push(`${samples[k].text}: decodes as ${got?.mnemonic ?? 'nothing'}`); return; }
    const len = (h0 >>> 14) === 0 ? 2 : (h0 >>> 14) === 3 ? 6 : 4;
    const next = k + 1 < defs.length ? a.syms.get(`s${k + 1}`)! : a.syms.get('send')!;
    if (next - off !== len) bad.push(`${samples[k].text}: GNU length ${next - off}, table ${len}`);
    decodeInto(ins, h0, len > 2 ? h1 : 0, len > 4 ? h2 : 0);
    for (const [slot, v] of Object.entries(samples[k].expect)) {
      const g = (ins as unknown as Record<string, number>)[slot];
      if (g !== v) bad.push(`${samples[k].text}: ${slot} = ${g}, GNU as put ${v}`);
    }
  });
  return bad;
}
