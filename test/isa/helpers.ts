/**
 * Test helpers for the arithmetic / logical / compare families: a tiny
 * encoder over the shared format layouts (so semantic tests need no external
 * assembler), and a Cpu with code at CODE and a disabled-wait program new PSW
 * so a program interruption stops the run and can be read from the lowcore.
 */
import { Cpu } from '../../src/cpu/cpu.js';
import { AbsoluteStorage } from '../../src/mm/storage.js';
import { BY_MNEMONIC } from '../../src/cpu/isa/table.js';
import { FORMATS, type Slot } from '../../src/cpu/isa/formats.js';
import { LC } from '../../src/cpu/lowcore.js';
import { INSTRUCTIONS } from '../../src/cpu/isa/table.js';
import { lookup, decodeInto } from '../../src/cpu/isa/decode.js';
import { parseSyntax } from '../../src/cpu/isa/operands.js';
import { Insn, type Family } from '../../src/cpu/isa/types.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE = 0x1000;

/** Encode `mn` with operand fields by slot name (negative values are two's complement in their field). */
export function enc(mn: string, fields: Partial<Record<Slot, number>> = {}): number[] {
  const d = BY_MNEMONIC.get(mn);
  if (!d) throw new Error(`no instruction ${mn}`);
  const fmt = FORMATS[d.format];
  let all = BigInt(parseInt(d.op.slice(0, 2), 16)) << 40n;
  const put = (pos: number, width: number, v: number) => {
    const m = (1n << BigInt(width)) - 1n;
    const sh = BigInt(48 - pos - width);
    all = (all & ~(m << sh)) | ((BigInt(v) & m) << sh);
  };
  if (fmt.extWidth > 0) put(fmt.extPos, fmt.extWidth, parseInt(d.op.slice(2), 16));
  const f = { ...fields, ...(d.fixed ?? {}) };
  for (const [s, v] of Object.entries(f)) {
    const lay = fmt.slots[s as Slot];
    if (!lay) throw new Error(`${mn}: no slot ${s}`);
    if (lay.hiPos !== undefined) {
      put(lay.pos, 12, v & 0xfff);
      put(lay.hiPos, 8, (v >> 12) & 0xff);
    } else {
      put(lay.pos, lay.width, v);
    }
  }
  const out: number[] = [];
  for (let k = 0; k < fmt.length; k++) out.push(Number((all >> BigInt(40 - 8 * k)) & 0xffn));
  return out;
}

export interface Machine {
  cpu: Cpu;
  /** run `steps` instructions (or until a stop) */
  run(steps?: number): void;
  /** program interruption code stored at 0x8E (0 = none taken) */
  pic(): number;
  /** instruction-address half of the program old PSW (0x158) */
  oldPswAddr(): number;
  /** set a 64-bit register from a BigInt */
  set(r: number, v: bigint): void;
  get(r: number): bigint;
}

/**
 * A machine with `code` at CODE (64-bit addressing mode, key 0, DAT off)
 * whose program new PSW is a disabled wait at address 0.
 */
export function machine(code: number[] | number[][]): Machine {
  const st = new AbsoluteStorage(1 << 20);
  const bytes = (Array.isArray(code[0]) ? (code as number[][]).flat() : code) as number[];
  st.load(CODE, new Uint8Array(bytes));
  // program new PSW: disabled wait, 64-bit mode, address 0
  st.write32(LC.PROGRAM_NEW_PSW, 0x00020001);
  st.write32(LC.PROGRAM_NEW_PSW + 4, 0x80000000);
  st.write32(LC.PROGRAM_NEW_PSW + 8, 0);
  st.write32(LC.PROGRAM_NEW_PSW + 12, 0);
  const cpu = new Cpu(st);
  cpu.ia = CODE;
  cpu.nia = CODE;
  return {
    cpu,
    run(steps = 1) { cpu.run(steps); },
    pic: () => st.read16(LC.PGM_CODE),
    oldPswAddr: () => st.read32(LC.PROGRAM_OLD_PSW + 12),
    set(r, v) { cpu.setReg(r, v); },
    get: (r) => cpu.getReg(r),
  };
}

/** Run one instruction with registers preset; returns the machine. */
export function one(bytes: number[], regs: Record<number, bigint> = {}, setup?: (m: Machine) => void): Machine {
  const m = machine(bytes);
  for (const [r, v] of Object.entries(regs)) m.set(Number(r), v);
  setup?.(m);
  m.run(1);
  return m;
}

export const MASK64 = (1n << 64n) - 1n;
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Whether GNU as for s390x (Debian package binutils-s390x-linux-gnu) is installed. */
export function haveGnuAs(): boolean {
  try {
    execFileSync('s390x-linux-gnu-as', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Assemble one sample of every base instruction of `family` with GNU as
 * (-march=z196) and decode the bytes with zhint's decoder: returns a list of
 * mismatches (opcode, format or operand order), empty when all agree.
 */
export function crossCheckWithGnuAs(family: Family): string[] {
  const defs = INSTRUCTIONS.filter((d) => d.family === family);
  const lines: string[] = [];
  const want: Record<string, number>[] = [];
  for (const d of defs) {
    const fmt = FORMATS[d.format];
    const exp: Record<string, number> = {};
    const ops: string[] = [];
    let reg = 2;
    for (const o of parseSyntax(d.syntax)) {
      const width = fmt.slots[o.slot]?.width ?? 0;
      switch (o.kind) {
        case 'gpr': case 'cr': case 'ar': exp[o.slot] = reg; ops.push(`%r${reg}`); reg += 3; break;
        case 'pair': exp[o.slot] = reg % 2 === 0 ? reg + 2 : reg + 1; ops.push(`%r${exp[o.slot]}`); reg += 4; break;
        case 'mask': exp[o.slot] = 5; ops.push('5'); break;
        case 'simm': exp[o.slot] = -3; ops.push('-3'); break;
        case 'uimm': exp[o.slot] = width >= 16 ? 0xfedc : 0x9a; ops.push(String(exp[o.slot])); break;
        case 'rel': exp[o.slot] = -2; ops.push('.-4'); break;
        case 'addr': {
          const lay = fmt.slots[o.slot]!;
          const disp = lay.hiPos !== undefined ? -0x1234 : 0x123;
          exp[o.slot] = disp;
          exp[o.base!] = 9;
          if (o.index) { exp[o.index] = 7; ops.push(`${disp}(%r7,%r9)`); } else ops.push(`${disp}(%r9)`);
          break;
        }
      }
    }
    lines.push(`\t${d.mnemonic}\t${ops.join(',')}`);
    want.push(exp);
  }
  const dir = mkdtempSync(join(tmpdir(), 'zhint-as-'));
  try {
    writeFileSync(join(dir, 't.s'), lines.join('\n') + '\n');
    execFileSync('s390x-linux-gnu-as', ['-march=z196', '-o', join(dir, 't.o'), join(dir, 't.s')]);
    execFileSync('s390x-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 't.o'), join(dir, 't.bin')]);
    const bin = readFileSync(join(dir, 't.bin'));
    const bad: string[] = [];
    let off = 0;
    for (let k = 0; k < defs.length; k++) {
      const h0 = (bin[off] << 8) | bin[off + 1];
      const len = (h0 >>> 14) === 0 ? 2 : (h0 >>> 14) === 3 ? 6 : 4;
      const h1 = len > 2 ? (bin[off + 2] << 8) | bin[off + 3] : 0;
      const h2 = len > 4 ? (bin[off + 4] << 8) | bin[off + 5] : 0;
      off += len;
      const got = lookup(h0, h1, h2);
      if (got !== defs[k]) { bad.push(`${lines[k].trim()}: decodes as ${got?.mnemonic ?? 'nothing'}`); continue; }
      const ins = decodeInto(new Insn(), h0, h1, h2);
      for (const [slot, v] of Object.entries(want[k])) {
        const g = (ins as unknown as Record<string, number>)[slot];
        if (g !== v) bad.push(`${lines[k].trim()}: ${slot} = ${g}, GNU as put ${v}`);
      }
      const mine = enc(defs[k].mnemonic, want[k] as Partial<Record<Slot, number>>);
      const theirs = [...bin.subarray(off - len, off)];
      if (mine.join() !== theirs.join()) bad.push(`${lines[k].trim()}: test encoder ${mine} vs GNU as ${theirs}`);
    }
    if (off !== bin.length) bad.push(`GNU as produced ${bin.length} bytes, decoded ${off}`);
    return bad;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where tests put storage operands (base register 9 usually holds it). */
export const DATA = 0x3000;

/** cc held in the program old PSW (bits 18-19) after an interruption. */
export function oldPswCc(m: Machine): number {
  return (m.cpu.storage.read32(LC.PROGRAM_OLD_PSW) >>> 12) & 3;
}

/** A small deterministic PRNG (xorshift) for property tests against BigInt. */
export function rng(seed = 0x2545f491): () => bigint {
  let s = seed >>> 0;
  const next32 = (): number => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  // bias toward the interesting edges: 0, ±1, the sign boundaries
  const edges = [0n, 1n, MASK64, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n,
    0xffffffff80000000n, 0x100000000n];
  return () => {
    const k = next32() % 16;
    if (k < edges.length) return edges[k];
    return (BigInt(next32()) << 32n) | BigInt(next32());
  };
}
