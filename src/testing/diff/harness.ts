/**
 * Differential testing of zhint against QEMU user mode (qemu-s390x-static).
 *
 * One batch = one Linux user-space program holding many generated sequences.
 * For each sequence the program (QEMU side only) loads the 16 GPRs from a
 * data block (LMG) and the condition code and program mask 0 (SPM), then runs
 * the sequence. Before every instruction, and at the end, a *snapshot* block
 * stores all GPRs and the condition code (STGRL/STMG/IPM) into a trace slot
 * and restores the registers it used, so QEMU's state after every single
 * instruction is known. A program interruption in the sequence becomes a
 * signal (SIGILL/SIGFPE/SIGSEGV) whose handler records signal, si_code, the
 * PSW and the GPRs of the signal context and goes on with the next sequence.
 * At the end the program writes records, trace slots and the data areas to
 * stdout (write = svc 4, exit_group = svc 248; Linux s390x passes syscall
 * arguments in r2-r6).
 *
 * zhint loads the very same ELF with src/loader, and runs each sequence from
 * its first snapshot label with the same registers, CC and program mask 0 in
 * problem state; it executes everything between snapshots and, arriving at a
 * snapshot, records its own state and jumps over the block (zhint does not
 * emulate Linux and never runs the prologue, snapshots or handler).
 * The first snapshot where the two disagree names the instruction at fault.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AbsoluteStorage, be32 as u32 } from '../../mm/storage.js';
import { Cpu } from '../../cpu/cpu.js';
import { PIC_NAMES } from '../../cpu/exceptions.js';
import { loadInto, parseElf } from '../../loader/elf.js';
import { assembleAndLink, QEMU, Scratch } from '../tools.js';
import { AREA_SIZE, candidates, genSequence, mixSeed, Rng, type GenOptions, type Sequence } from './gen.js';

const REC_SIZE = 160;
const SLOT_SIZE = 144;
const TEXT_ADDR = 0x400000;

export interface BatchOptions extends GenOptions {
  seed: number;
  /** batch number within the seed (each batch is one ELF) */
  batch: number;
  sequences: number;
  perSequence: number;
  /**
   * Program mask zhint runs with (QEMU always runs with 0). With 8, zhint takes
   * fixed-point-overflow interruptions, which QEMU 7.2 never raises; the
   * comparison then checks that zhint's state at the interruption is QEMU's
   * after the instruction (the instruction completes: result and cc 3) and
   * that the old PSW points past it.
   */
  zhintProgramMask?: number;
}

export interface Batch {
  opts: BatchOptions;
  seqs: Sequence[];
  source: string;
}

// ---------------------------------------------------------------- program text

const lbl = (i: number, k: number): string => `.Ls${i}_${k}`;
const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

/** Generate the sequences of a batch and the program around them. */
export function makeBatch(opts: BatchOptions): Batch {
  const pool = candidates(opts);
  if (pool.length === 0) throw new Error('diff: no instruction of the tested families in the table');
  const seqs: Sequence[] = [];
  for (let i = 0; i < opts.sequences; i++) {
    const r = new Rng(mixSeed(opts.seed, opts.batch, i));
    seqs.push(genSequence(r, pool, opts.perSequence, `zd_area${i}`, (k) => lbl(i, k)));
  }
  return { opts, seqs, source: programSource(seqs, opts) };
}

/** The assembler lines of sequence i's body (what both sides execute), one snapshot per position. */
function bodyLines(seq: Sequence, i: number, withSnapshots: boolean): string[] {
  const out: string[] = [];
  const n = seq.insns.length;
  for (let k = 0; k <= n; k++) {
    out.push(`${lbl(i, k)}:`);
    if (withSnapshots) {
      const t = `zd_trace${i}+${k * SLOT_SIZE}`;
      out.push(
        `  stgrl %r15,${t}+120`, `  larl %r15,${t}`, '  stmg %r0,%r14,0(%r15)', '  ipm %r0', '  st %r0,128(%r15)',
        '  mvi 132(%r15),1',
        // checksum of the data area, so the snapshot after a wrong store shows it
        '  lghi %r0,0', `  larl %r2,zd_area${i}`, `  lghi %r3,${AREA_SIZE}`, `0: cksm %r0,%r2`, '  brc 1,0b', '  st %r0,136(%r15)',
        // CKSM set the cc: put back cc and program mask from the IPM word
        '  l %r0,128(%r15)', '  spm %r0',
        '  lmg %r0,%r3,0(%r15)', '  lg %r15,120(%r15)', `.Le${i}_${k}:`,
      );
    }
    if (k < n) {
      const g = seq.insns[k];
      for (const s of g.setup) out.push(`  ${s}`);
      out.push(`  ${g.text}`);
    }
  }
  return out;
}

function programSource(seqs: Sequence[], opts: BatchOptions): string {
  const L: string[] = [];
  L.push(`# zhint differential test: seed ${opts.seed} batch ${opts.batch}`, '  .text', '  .globl _start', '_start:');
  // alternate signal stack: the sequences leave random values in r15
  L.push('  larl %r2,zd_ss', '  lghi %r3,0', '  svc 186');
  for (const sig of [4, 7, 8, 11]) {
    L.push(`  lghi %r2,${sig}`, '  larl %r3,zd_sa', '  lghi %r4,0', '  lghi %r5,8', '  svc 174');
  }
  L.push('  j zd_s0');
  // signal handler: r2 signal, r3 siginfo, r4 ucontext (uc_mcontext at 40: PSW, then 16 GPRs)
  L.push('zd_handler:', '  lgrl %r5,zd_cur_rec', '  st %r2,0(%r5)', '  mvc 4(4,%r5),8(%r3)', '  mvc 8(8,%r5),16(%r3)',
    '  mvc 16(16,%r5),40(%r4)', '  mvc 32(128,%r5),56(%r4)', '  lgrl %r1,zd_cur_next', '  br %r1');
  seqs.forEach((seq, i) => {
    const next = i + 1 < seqs.length ? `zd_s${i + 1}` : 'zd_done';
    L.push(`zd_s${i}:`, '  sam64', `  larl %r1,zd_rec${i}`, '  stgrl %r1,zd_cur_rec', `  larl %r1,${next}`, '  stgrl %r1,zd_cur_next',
      `  larl %r15,zd_init${i}`, '  l %r1,128(%r15)', '  spm %r1', '  lmg %r0,%r15,0(%r15)');
    L.push(...bodyLines(seq, i, true));
    L.push(`  j ${next}`);
  });
  L.push('zd_done:', '  sam64', '  lghi %r2,1', '  larl %r3,zd_out', '  larl %r4,zd_out_end', '  sgr %r4,%r3', '  svc 4',
    '  lghi %r2,0', '  svc 248');
  L.push('  .data', '  .align 8');
  // struct sigaction (s390x rt_sigaction): handler, flags SA_SIGINFO|SA_ONSTACK|SA_NODEFER, restorer, mask
  L.push('zd_sa: .quad zd_handler,0x48000004,0,0');
  L.push('zd_ss: .quad zd_stack', '  .long 0,0', '  .quad 65536');
  L.push('zd_cur_rec: .quad 0', 'zd_cur_next: .quad 0');
  seqs.forEach((seq, i) => {
    const q: string[] = [];
    for (let r = 0; r < 16; r++) q.push(`${hex(seq.hi[r])}${hex(seq.lo[r]).slice(2)}`);
    L.push(`zd_init${i}: .quad ${q.join(',')}`, `  .long ${hex(((seq.cc << 28) | (seq.pm << 24)) >>> 0)},0`);
  });
  L.push('  .globl zd_dir', 'zd_dir:');
  seqs.forEach((seq, i) => {
    for (let k = 0; k <= seq.insns.length; k++) L.push(`  .quad ${lbl(i, k)},.Le${i}_${k}`);
  });
  L.push('  .align 256', '  .globl zd_out', 'zd_out:');
  seqs.forEach((_, i) => L.push(`zd_rec${i}: .space ${REC_SIZE}`));
  seqs.forEach((seq, i) => L.push(`zd_trace${i}: .space ${(seq.insns.length + 1) * SLOT_SIZE}`));
  seqs.forEach((_, i) => {
    L.push('  .align 256', `  .globl zd_area${i}`, `zd_area${i}:`);
    const r = new Rng(mixSeed(opts.seed, opts.batch, i, 0xa7ea));
    for (let o = 0; o < AREA_SIZE; o += 16) L.push(`  .long ${hex(r.u32())},${hex(r.u32())},${hex(r.u32())},${hex(r.u32())}`);
  });
  L.push('zd_out_end:', '  .bss', '  .align 8', 'zd_stack: .space 65536', '');
  return L.join('\n');
}

// ---------------------------------------------------------------- states

export interface State {
  hi: Uint32Array;
  lo: Uint32Array;
  cc: number;
  /** CKSM of the sequence's data area (snapshots only) */
  sum?: number;
}

/** CHECKSUM (PoP): 32-bit words added with end-around carry. */
export function checksum(b: Uint8Array): number {
  let s = 0;
  for (let o = 0; o + 4 <= b.length; o += 4) {
    s += u32(b, o);
    if (s > 0xffffffff) s -= 0xffffffff; // end-around carry
  }
  return s;
}

export interface Fault {
  /** QEMU: signal number and si_code; zhint: the interruption code mapped the same way */
  signo: number;
  code: number;
  /** PSW address after the fault (old PSW / signal context) */
  addr: number;
  state: State;
  /** zhint only: program-interruption code */
  pic?: number;
}

export interface SideResult {
  /** state at each snapshot position, null where not reached */
  snaps: (State | null)[][];
  faults: (Fault | null)[];
  /** zhint only: why a sequence stopped without reaching its end */
  stops?: (string | null)[];
  /** zhint only: address of each snapshot position */
  addrs?: number[][];
  areas: Uint8Array[];
}

function stateAt(b: Uint8Array, o: number, ccWordOff: number | null, cc = 0): State {
  const hi = new Uint32Array(16), lo = new Uint32Array(16);
  for (let r = 0; r < 16; r++) { hi[r] = u32(b, o + r * 8); lo[r] = u32(b, o + r * 8 + 4); }
  return { hi, lo, cc: ccWordOff === null ? cc : (u32(b, ccWordOff) >>> 28) & 3 };
}

// ---------------------------------------------------------------- QEMU side

export interface Built { exe: string; elf: Uint8Array }

export function build(batch: Batch, scratch: Scratch): Built {
  const exe = assembleAndLink(scratch, batch.source, `diff-${batch.opts.seed}-${batch.opts.batch}`, { text: TEXT_ADDR });
  return { exe, elf: new Uint8Array(readFileSync(exe)) };
}

export function runQemu(batch: Batch, built: Built): SideResult {
  const out = execFileSync(QEMU, [built.exe], { maxBuffer: 256 << 20, timeout: 60_000 });
  const seqs = batch.seqs;
  const slots = seqs.reduce((a, s) => a + s.insns.length + 1, 0);
  const want = seqs.length * REC_SIZE + slots * SLOT_SIZE;
  if (out.length < want + seqs.length * AREA_SIZE) {
    throw new Error(`diff: QEMU wrote ${out.length} bytes, expected at least ${want + seqs.length * AREA_SIZE}`);
  }
  const b = new Uint8Array(out.buffer, out.byteOffset, out.length);
  const faults: (Fault | null)[] = [];
  const snaps: (State | null)[][] = [];
  const areas: Uint8Array[] = [];
  let t = seqs.length * REC_SIZE;
  seqs.forEach((seq, i) => {
    const r = i * REC_SIZE;
    const signo = u32(b, r);
    faults.push(signo === 0 ? null : {
      signo, code: u32(b, r + 4) | 0,
      addr: u32(b, r + 24) * 4294967296 + u32(b, r + 28),
      // condition code: PSW bits 18-19
      state: stateAt(b, r + 32, null, (u32(b, r + 16) >>> 12) & 3),
    });
    const row: (State | null)[] = [];
    for (let k = 0; k <= seq.insns.length; k++, t += SLOT_SIZE) {
      row.push(b[t + 132] === 1 ? { ...stateAt(b, t, t + 128), sum: u32(b, t + 136) } : null);
    }
    snaps.push(row);
  });
  // areas are 256-aligned after the trace slots: find them via the ELF symbols
  const img = parseElf(built.elf, built.exe);
  const base = img.symbols.get('zd_out')!;
  seqs.forEach((_, i) => {
    const a = img.symbols.get(`zd_area${i}`)! - base;
    areas.push(b.slice(a, a + AREA_SIZE));
  });
  return { snaps, faults, areas };
}

// ---------------------------------------------------------------- zhint side

/** Linux's mapping of program-interruption codes to signals (arch/s390/kernel/traps.c, as QEMU user mode does it). */
export function signalOf(pic: number): { signo: number; code: number } | null {
  switch (pic) {
    case 0x01: case 0x02: return { signo: 4, code: 1 }; // SIGILL ILL_ILLOPC (QEMU: also for privileged-operation)
    case 0x03: case 0x06: case 0x13: case 0x15: return { signo: 4, code: 2 }; // SIGILL ILL_ILLOPN
    case 0x04: return { signo: 11, code: 2 }; // SIGSEGV SEGV_ACCERR
    case 0x05: return { signo: 11, code: 1 }; // SIGSEGV SEGV_MAPERR
    case 0x07: return { signo: 8, code: 0 }; // SIGFPE, si_code 0: data exception (compare and trap, DXC FF)
    case 0x08: return { signo: 8, code: 2 }; // SIGFPE FPE_INTOVF
    case 0x09: return { signo: 8, code: 1 }; // SIGFPE FPE_INTDIV
    default: return null;
  }
}

const PGM_OLD_PSW = 0x150;
const PGM_NEW_PSW = 0x1d0;

export function runZhint(batch: Batch, built: Built): SideResult {
  const img = parseElf(built.elf, built.exe);
  const st = new AbsoluteStorage(16 << 20);
  loadInto(st, img, built.exe);
  // program new PSW: disabled wait, so an interruption ends the sequence
  st.write32(PGM_NEW_PSW, 0x00020001); st.write32(PGM_NEW_PSW + 4, 0x80000000);
  st.write32(PGM_NEW_PSW + 8, 0); st.write32(PGM_NEW_PSW + 12, 0xdead0);
  const cpu = new Cpu(st);
  let pic = -1;
  cpu.hooks.onInterrupt = (kind, code) => { if (kind === 'program') pic = code; };
  const dir = img.symbols.get('zd_dir')!;
  let d = 0;
  const snaps: (State | null)[][] = [];
  const faults: (Fault | null)[] = [];
  const stops: (string | null)[] = [];
  const addrs: number[][] = [];
  for (const seq of batch.seqs) {
    const n = seq.insns.length;
    const start = new Map<number, number>();
    const ends: number[] = [];
    for (let k = 0; k <= n; k++, d++) {
      start.set(Number(st.read64(dir + d * 16)), k);
      ends.push(Number(st.read64(dir + d * 16 + 8)));
    }
    const row: (State | null)[] = new Array(n + 1).fill(null);
    let fault: Fault | null = null;
    let stop: string | null = null;
    cpu.hi.set(seq.hi); cpu.lo.set(seq.lo);
    const first = [...start.keys()][0];
    addrs.push([...start.keys()]);
    const area = img.symbols.get(`zd_area${snaps.length}`)!;
    cpu.loadPswFields({ ...cpu.psw, problem: true, wait: false, cc: seq.cc, pm: batch.opts.zhintProgramMask ?? seq.pm, amode: 64 }, first);
    pic = -1;
    const budget = 8 * n + 100;
    for (let steps = 0; ; steps++) {
      const k = start.get(cpu.ia);
      if (k !== undefined) {
        row[k] = { hi: cpu.hi.slice(), lo: cpu.lo.slice(), cc: cpu.cc, sum: checksum(st.peek(area, AREA_SIZE)) };
        if (k === n) break;
        cpu.ia = cpu.nia = ends[k];
        continue;
      }
      if (steps > budget) { stop = `still running after ${budget} steps at 0x${cpu.ia.toString(16)}`; break; }
      cpu.run(1);
      if (pic >= 0) {
        const hiW = st.read32(PGM_OLD_PSW);
        const addr = st.read32(PGM_OLD_PSW + 8) * 4294967296 + st.read32(PGM_OLD_PSW + 12);
        const sig = signalOf(pic) ?? { signo: -1, code: -1 };
        fault = { ...sig, addr, pic, state: { hi: cpu.hi.slice(), lo: cpu.lo.slice(), cc: (hiW >>> 12) & 3 } };
        break;
      }
      if (cpu.stopReason !== null) { stop = `stopped: ${cpu.stopReason} ${cpu.stopMessage}`; break; }
    }
    snaps.push(row); faults.push(fault); stops.push(stop);
  }
  const areas = batch.seqs.map((_, i) => st.peek(img.symbols.get(`zd_area${i}`)!, AREA_SIZE));
  return { snaps, faults, stops, areas, addrs };
}

// ---------------------------------------------------------------- comparison

export interface Mismatch {
  seed: number;
  batch: number;
  seq: number;
  /** the instruction at fault (index into the sequence), -1 if unknown */
  insn: number;
  mnemonic: string;
  /** full report, several lines */
  report: string;
}

const h64 = (s: State, r: number): string => `${s.hi[r].toString(16).padStart(8, '0')}${s.lo[r].toString(16).padStart(8, '0')}`;

function regsLine(s: State): string {
  const parts: string[] = [];
  for (let r = 0; r < 16; r++) parts.push(`r${r}=${h64(s, r)}`);
  return `${parts.slice(0, 8).join(' ')}\n      ${parts.slice(8).join(' ')} cc=${s.cc}`;
}

function stateDiff(q: State, z: State): string[] {
  const out: string[] = [];
  for (let r = 0; r < 16; r++) {
    if (q.hi[r] !== z.hi[r] || q.lo[r] !== z.lo[r]) out.push(`r${r}: qemu ${h64(q, r)} zhint ${h64(z, r)}`);
  }
  if (q.cc !== z.cc) out.push(`cc: qemu ${q.cc} zhint ${z.cc}`);
  if (q.sum !== z.sum) out.push(`data area checksum: qemu ${q.sum?.toString(16)} zhint ${z.sum?.toString(16)} (a store differs)`);
  return out;
}

function initState(seq: Sequence): State {
  return { hi: Uint32Array.from(seq.hi), lo: Uint32Array.from(seq.lo), cc: seq.cc };
}

function faultText(f: Fault | null): string {
  if (f === null) return 'no interruption';
  const pic = f.pic !== undefined ? ` (program interruption 0x${f.pic.toString(16).padStart(2, '0')} ${PIC_NAMES[f.pic] ?? ''})` : '';
  return `signal ${f.signo} si_code ${f.code}${pic}, PSW address 0x${f.addr.toString(16)}`;
}

/** Compare both sides; one mismatch (the first) per sequence. */
export function compare(batch: Batch, q: SideResult, z: SideResult): Mismatch[] {
  const out: Mismatch[] = [];
  batch.seqs.forEach((seq, i) => {
    const n = seq.insns.length;
    let prev = -1; // last snapshot both reached with equal state
    let problem: string | null = null;
    let at = -1;
    for (let k = 0; k <= n && problem === null; k++) {
      const qs = q.snaps[i][k], zs = z.snaps[i][k];
      if (qs === null && zs === null) continue;
      if (zs === null && z.faults[i]?.pic === 0x08 && ((batch.opts.zhintProgramMask ?? 0) & 8) !== 0) break; // judged below
      if (qs === null || zs === null) {
        problem = `control flow differs: snapshot before ${k === n ? 'the end' : `instruction ${k}`} reached by ${qs ? 'QEMU' : 'zhint'} only` +
          `\n    qemu:  ${faultText(q.faults[i])}\n    zhint: ${z.stops?.[i] ?? faultText(z.faults[i])}`;
        at = prev;
        break;
      }
      const diff = stateDiff(qs, zs);
      if (diff.length > 0) {
        problem = `state differs after instruction ${prev}:\n    ${diff.join('\n    ')}`;
        at = prev;
        break;
      }
      prev = k;
    }
    const qf = q.faults[i], zf = z.faults[i];
    if (problem === null && z.stops?.[i]) { problem = `zhint ${z.stops[i]}`; at = prev + 1; }
    const overflowOnly = qf === null && zf?.pic === 0x08 && ((batch.opts.zhintProgramMask ?? 0) & 8) !== 0;
    if (problem === null && overflowOnly) {
      // overflow interruption only zhint takes: compare with QEMU's state after the instruction
      at = prev;
      const after = prev + 1 <= n ? q.snaps[i][prev + 1] : null;
      if (after === null) {
        problem = 'zhint: fixed-point overflow, but QEMU did not continue with the next instruction';
      } else {
        const diff = stateDiff(after, zf.state).filter((l) => !l.startsWith('data area'));
        const next = z.addrs![i][prev + 1];
        if (zf.addr !== next) diff.push(`old PSW address: zhint 0x${zf.addr.toString(16)}, expected 0x${next.toString(16)} (past the instruction)`);
        if (after.cc !== 3) diff.push(`QEMU cc ${after.cc}: no overflow there`);
        if (diff.length) problem = `fixed-point overflow interruption: state differs from QEMU's after the instruction:\n    ${diff.join('\n    ')}`;
      }
    } else if (problem === null && (qf !== null || zf !== null)) {
      at = prev >= 0 && prev < n ? prev : -1;
      if (qf === null || zf === null || qf.signo !== zf.signo || qf.code !== zf.code) {
        problem = `interruption differs:\n    qemu:  ${faultText(qf)}\n    zhint: ${faultText(zf)}`;
      } else {
        const diff = stateDiff(qf.state, zf.state);
        if (qf.signo !== 11 && qf.addr !== zf.addr) diff.push(`PSW address: qemu 0x${qf.addr.toString(16)} zhint 0x${zf.addr.toString(16)}`);
        if (diff.length) problem = `state at the interruption differs (${faultText(zf)}):\n    ${diff.join('\n    ')}`;
      }
    }
    // (after an overflow interruption only zhint took, QEMU went on storing: no final comparison)
    if (problem === null && !overflowOnly) {
      const qa = q.areas[i], za = z.areas[i];
      const bad: number[] = [];
      for (let o = 0; o < AREA_SIZE; o++) if (qa[o] !== za[o]) bad.push(o);
      if (bad.length) {
        const show = bad.slice(0, 8).map((o) => `+${o}: qemu ${qa[o].toString(16).padStart(2, '0')} zhint ${za[o].toString(16).padStart(2, '0')}`);
        problem = `data area differs at ${bad.length} byte(s) (a store; registers all agree):\n    ${show.join('\n    ')}`;
        at = -1;
      }
    }
    if (problem === null) return;
    const before = at >= 0 ? (at === 0 ? initState(seq) : q.snaps[i][at]) : null;
    const g = at >= 0 && at < n ? seq.insns[at] : null;
    const lines = [
      `seed ${batch.opts.seed} batch ${batch.opts.batch} sequence ${i}: ${problem}`,
    ];
    if (g) {
      lines.push(`  instruction ${at}: ${g.text}${g.setup.length ? `   (after setup: ${g.setup.join('; ')})` : ''}`);
      if (before) lines.push(`  registers before it (QEMU snapshot):\n      ${regsLine(before)}`);
    }
    lines.push(`  initial registers:\n      ${regsLine(initState(seq))}`);
    lines.push('  sequence source:');
    for (const l of bodyLines(seq, i, false)) lines.push(`    ${l}`);
    out.push({ seed: batch.opts.seed, batch: batch.opts.batch, seq: i, insn: g ? at : -1, mnemonic: g?.mnemonic ?? '?', report: lines.join('\n') });
  });
  return out;
}

/** Generate, build, run on both sides and compare one batch. */
export interface BatchResult {
  batch: Batch;
  mismatches: Mismatch[];
  instructions: number;
  /** signals QEMU raised, by "signo/si_code", and zhint's interruptions by "zhint:code" */
  faults: Map<string, number>;
}

export function runBatch(opts: BatchOptions, scratch: Scratch): BatchResult {
  const batch = makeBatch(opts);
  const built = build(batch, scratch);
  const q = runQemu(batch, built);
  const z = runZhint(batch, built);
  const faults = new Map<string, number>();
  for (const f of q.faults) if (f) faults.set(`${f.signo}/${f.code}`, (faults.get(`${f.signo}/${f.code}`) ?? 0) + 1);
  for (const f of z.faults) if (f) faults.set(`zhint:${f.pic}`, (faults.get(`zhint:${f.pic}`) ?? 0) + 1);
  return { batch, mismatches: compare(batch, q, z), instructions: batch.seqs.reduce((a, s) => a + s.insns.length, 0), faults };
}
