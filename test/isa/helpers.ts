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
import { Scratch, assembleAndLink, haveBinutils, missingTools } from '../../src/testing/tools.js';
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
 * The interpreter loop the instruction tests and the supervisor programs run
 * in. `npm test` runs them twice (vitest.config.ts): with the Cpu's default
 * loop (the second tier's, which calls each instruction's exec function)
 * and, with ZHINT_TEST_LOOP=plain, the `--no-jit` loop, where the
 * instructions are inlined cases of its switch (src/cpu/interp.ts).
 */
export function chooseLoop(cpu: Cpu): void {
  if (process.env.ZHINT_TEST_LOOP === 'plain') cpu.jit = false;
}

/**
 * A machine with `code` at CODE (64-bit addressing mode, key 0, DAT off)
 * whose program new PSW is a disabled wait at address 0.
 */
export function machine(code: number[] | number[][], size = 1 << 20): Machine {
  const st = new AbsoluteStorage(size);
  const bytes = (Array.isArray(code[0]) ? (code as number[][]).flat() : code) as number[];
  st.load(CODE, new Uint8Array(bytes));
  // program new PSW: disabled wait, 64-bit mode, address 0
  st.write32(LC.PROGRAM_NEW_PSW, 0x00020001);
  st.write32(LC.PROGRAM_NEW_PSW + 4, 0x80000000);
  st.write32(LC.PROGRAM_NEW_PSW + 8, 0);
  st.write32(LC.PROGRAM_NEW_PSW + 12, 0);
  const cpu = new Cpu(st);
  chooseLoop(cpu);
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

/** Run the instruction at CODE of `m` again, with new register values and condition code `cc`. */
export function again(m: Machine, regs: Record<number, bigint>, cc = 3): void {
  for (const [r, v] of Object.entries(regs)) m.set(Number(r), v);
  m.cpu.cc = cc;
  m.cpu.ia = CODE;
  m.run(1);
}

export const MASK64 = (1n << 64n) - 1n;
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Whether GNU as for s390x (Debian package binutils-s390x-linux-gnu) is installed. */
export const haveGnuAs = haveBinutils;

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
    // GNU as pads the section to its alignment with 0x07 bytes (nopr %r7)
    if (off > bin.length || [...bin.subarray(off)].some((b) => b !== 0x07)) {
      bad.push(`GNU as produced ${bin.length} bytes, decoded ${off}`);
    }
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

// ---------------------------------------------------------------------------
// QEMU cross-check: random operands for every non-branch, non-relative
// instruction of a family, run under qemu-s390x (user mode) and in zhint.
// ---------------------------------------------------------------------------

/** Why the QEMU cross-check cannot run here ('' when it can). */
export const qemuMissing = (): string => missingTools(true);

const QDATA = 0x2000000;
const SLOT = 128; // per case: r0-r12 (104 bytes), cc word at 104, 16 bytes of storage at 112

interface QCase { mn: string; bytes: number[]; regs: bigint[]; cc: number; mem: number[] }

/**
 * Build `perInsn` random cases for each instruction of `family` that neither
 * branches nor addresses PC-relative data, keep those that end without a
 * program interruption in zhint (QEMU user mode would turn one into a signal),
 * run them all in one static program under QEMU and return the differences.
 */
export function qemuCrossCheck(family: Family, perInsn = 12, seed = 7): string[] {
  const defs = INSTRUCTIONS.filter((d) => d.family === family && !d.branch && !d.syntax.includes('J'));
  const next = rng(seed);
  let s = seed >>> 0;
  const r32 = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const cases: QCase[] = [];
  const results: { regs: bigint[]; cc: number; mem: number[] }[] = [];
  for (const d of defs) {
    const fmt = FORMATS[d.format];
    for (let t = 0; t < perInsn * 3 && cases.filter((c) => c.mn === d.mnemonic).length < perInsn; t++) {
      const k = cases.length;
      const base = QDATA + k * SLOT;
      const fields: Record<string, number> = {};
      for (const o of parseSyntax(d.syntax)) {
        const width = fmt.slots[o.slot]?.width ?? 0;
        switch (o.kind) {
          case 'gpr': fields[o.slot] = 1 + (r32() % 9); break;
          case 'pair': fields[o.slot] = 2 + 2 * (r32() % 4); break;
          case 'mask': fields[o.slot] = r32() % 16; break;
          case 'simm': { const v = r32() % 2 ** width; fields[o.slot] = v >= 2 ** (width - 1) ? v - 2 ** width : v; break; }
          case 'uimm': fields[o.slot] = r32() % 2 ** width; break;
          case 'addr':
            fields[o.slot] = 112; fields[o.base!] = 13;
            if (o.index) fields[o.index] = 0;
            break;
          default: break;
        }
      }
      const regs: bigint[] = [];
      for (let r = 0; r < 13; r++) regs.push(next());
      const mem: number[] = [];
      for (let b = 0; b < 16; b++) mem.push(r32() & 0xff);
      if (t % 3 === 0) {
        // make the storage operand equal to the first operand (CS & co take the "equal" path)
        const r1 = fields.r1 ?? 1;
        const be = (v: bigint, at: number, n: number) => {
          for (let b = 0; b < n; b++) mem[at + b] = Number((v >> BigInt(8 * (n - 1 - b))) & 0xffn);
        };
        if (d.mnemonic === 'cdsg') { be(regs[r1], 0, 8); be(regs[r1 + 1], 8, 8); }
        else if (d.mnemonic === 'cds' || d.mnemonic === 'cdsy') { be(regs[r1], 0, 4); be(regs[r1 + 1], 4, 4); }
        else if (d.mnemonic === 'csg') be(regs[r1], 0, 8);
        else be(regs[r1], 0, 4);
      }
      if (d.mnemonic === 'clst') {
        fields.r1 = 4; fields.r2 = 6;
        regs[4] = BigInt(base + 112); regs[6] = BigInt(base + 120);
        for (let b = 0; b < 8; b++) mem[8 + b] = r32() % 3 === 0 ? (r32() & 0xff) : mem[b];
        regs[0] = BigInt(mem[r32() % 8]) | (next() & 0xffffffff00000000n);
        mem[7] = mem[15] = Number(regs[0] & 0xffn); // both strings end within the slot
      }
      if (d.mnemonic === 'cksm') {
        fields.r2 = 4;
        regs[4] = BigInt(base + 112); regs[5] = BigInt(r32() % 17);
      }
      const bytes = enc(d.mnemonic, fields as Partial<Record<Slot, number>>);
      // run in zhint first
      const m = machine(bytes, QDATA * 2);
      for (let r = 0; r < 13; r++) m.set(r, regs[r]);
      m.set(13, BigInt(base));
      m.cpu.storage.load(base + 112, new Uint8Array(mem));
      const cc = r32() % 4;
      m.cpu.cc = cc;
      m.run(1);
      if (m.pic() !== 0 || m.cpu.ia !== CODE + bytes.length) continue;
      const out: bigint[] = [];
      for (let r = 0; r < 13; r++) out.push(m.get(r));
      const omem = [...m.cpu.storage.peek(base + 112, 16)];
      cases.push({ mn: d.mnemonic, bytes, regs, cc, mem });
      results.push({ regs: out, cc: m.cpu.cc, mem: omem });
    }
  }
  // the program: per case load r0-r12 and the cc, run, store r0-r12 and the cc back
  const text: string[] = ['\t.text', '\t.globl _start', '_start:'];
  const data: string[] = ['\t.data', '\t.balign 16', 'cases:'];
  cases.forEach((c, k) => {
    text.push(`\tlarl %r13,case${k}`, '\tlmg %r0,%r12,0(%r13)', '\tl %r14,104(%r13)', '\tspm %r14');
    text.push(`\t.byte ${c.bytes.join(',')}`);
    text.push('\tipm %r14', '\tstmg %r0,%r12,0(%r13)', '\tst %r14,104(%r13)');
    data.push(`case${k}:`, ...c.regs.map((v) => `\t.quad 0x${v.toString(16)}`), `\t.long 0x${(c.cc << 28).toString(16)},0`,
      `\t.byte ${c.mem.join(',')}`);
  });
  text.push('\tlghi %r2,1', '\tlarl %r3,cases', `\tlgfi %r4,${cases.length * SLOT}`, '\tsvc 4', '\tlghi %r2,0', '\tsvc 1');
  const sc = new Scratch();
  try {
    const exe = assembleAndLink(sc, [...text, ...data].join('\n') + '\n', 'qx', { ldArgs: [`-Tdata=0x${QDATA.toString(16)}`] });
    const outp = execFileSync('qemu-s390x-static', [exe], { maxBuffer: 64 << 20 });
    const bad: string[] = [];
    if (outp.length !== cases.length * SLOT) return [`QEMU wrote ${outp.length} bytes, expected ${cases.length * SLOT}`];
    cases.forEach((c, k) => {
      const o = k * SLOT;
      const want = results[k];
      const diffs: string[] = [];
      for (let r = 0; r < 13; r++) {
        const q = outp.readBigUInt64BE(o + 8 * r);
        if (q !== want.regs[r]) diffs.push(`r${r} qemu ${q.toString(16)} zhint ${want.regs[r].toString(16)}`);
      }
      const qcc = (outp.readUInt32BE(o + 104) >>> 28) & 3;
      if (qcc !== want.cc) diffs.push(`cc qemu ${qcc} zhint ${want.cc}`);
      const qm = [...outp.subarray(o + 112, o + 128)];
      if (qm.join() !== want.mem.join()) diffs.push(`storage qemu ${qm} zhint ${want.mem}`);
      if (diffs.length > 0) {
        bad.push(`${c.mn} [${c.bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}] cc${c.cc} ` +
          `regs ${c.regs.map((v) => v.toString(16)).join(' ')} mem ${c.mem}: ${diffs.join('; ')}`);
      }
    });
    return bad;
  } finally {
    sc.dispose();
  }
}
