/**
 * The second tier (src/cpu/jit.ts) must be invisible: random instruction
 * sequences of every family the tier compiles (the QEMU differential test's
 * generator), run once by the interpreter alone and once with every block
 * compiled at first sight, end in the same registers, condition code, PSW,
 * storage, instruction count and program interruption. The interpreter itself
 * is checked against QEMU by test/diff.
 *
 *   ZHINT_JIT_SEQUENCES=N   sequences per seed (default 300)
 */
import { describe, expect, it } from 'vitest';
import { assemble, formatError } from '../../src/asm/index.js';
import { Machine } from '../../src/machine.js';
import { AREA_SIZE, candidates, genSequence, mixSeed, Rng, type Sequence } from '../../src/testing/diff/gen.js';
import { jitStats } from '../../src/cpu/jit.js';

const SEQUENCES = Number(process.env.ZHINT_JIT_SEQUENCES ?? 300);
const PER_SEQUENCE = 30;

function program(seq: Sequence, area: string, lbl: (k: number) => string): string {
  const L: string[] = ['  .text', '  .org 0x1d0', '  .quad 0x0002000180000000,0xdead0', '  .org 0x200', '_start:'];
  seq.insns.forEach((g, k) => {
    L.push(`${lbl(k)}:`);
    for (const s of g.setup) {
      // larl reaches halfwords only: an odd area offset is larl + la 1
      const odd = /^larl (%r\d+),(\w+)\+(\d+)$/.exec(s.trim());
      if (odd && Number(odd[3]) % 2 === 1) L.push(`  larl ${odd[1]},${odd[2]}+${Number(odd[3]) - 1}`, `  la ${odd[1]},1(${odd[1]})`);
      else L.push(`  ${s}`);
    }
    L.push(`  ${g.text}`);
  });
  L.push(`${lbl(seq.insns.length)}:`, '  lpswe done', '  .align 8', 'done: .quad 0x0002000180000000,0xfff');
  L.push('  .align 256', `${area}:`);
  const r = new Rng(mixSeed(seq.lo[1], seq.hi[2]));
  for (let o = 0; o < AREA_SIZE; o += 4) L.push(`  .long ${r.u32()}`);
  return L.join('\n') + '\n';
}

interface Outcome { hi: number[]; lo: number[]; cc: number; ia: number; steps: number; pgm: number[]; area: number[]; mask: number }

function run(image: Uint8Array, origin: number, seq: Sequence, area: number, jit: boolean): Outcome {
  const m = new Machine({ guestMem: 1 << 20 });
  m.cpu.jit = jit;
  m.cpu.jitThreshold = jit ? 1 : Number.MAX_SAFE_INTEGER;
  m.load(origin, image);
  m.start(0x200);
  m.cpu.hi.set(seq.hi);
  m.cpu.lo.set(seq.lo);
  m.cpu.cc = seq.cc;
  m.cpu.pm = seq.pm;
  const pgm: number[] = [];
  m.cpu.hooks.onInterrupt = (kind, code, oldIa) => { pgm.push(code, oldIa); };
  m.run(10_000);
  return {
    hi: [...m.cpu.hi], lo: [...m.cpu.lo], cc: m.cpu.cc, ia: m.cpu.ia, steps: m.cpu.steps, pgm,
    area: [...m.storage.peek(area, AREA_SIZE)], mask: m.cpu.pswMaskHi(),
  };
}

describe('second tier (compiled blocks) against the interpreter', () => {
  it(`${SEQUENCES} random sequences of ${PER_SEQUENCE} instructions give identical machines`, () => {
    const pool = candidates({});
    const r = new Rng(20261127);
    const before = jitStats.compiled;
    let checked = 0;
    for (let s = 0; s < SEQUENCES; s++) {
      const lbl = (k: number) => `s${k}`;
      const seq = genSequence(r, pool, PER_SEQUENCE, 'area', lbl);
      // every other sequence with fixed-point-overflow interruptions enabled
      seq.pm = s % 2 === 0 ? 0 : 8;
      const src = program(seq, 'area', lbl);
      const a = assemble(src, { file: `seq${s}.s`, origin: 0 });
      if (!a.ok) throw new Error(a.errors.map(formatError).join('\n'));
      const area = a.symbols.get('area')!.value;
      const interp = run(a.image, a.origin, seq, area, false);
      const jit = run(a.image, a.origin, seq, area, true);
      if (JSON.stringify(interp) !== JSON.stringify(jit)) {
        console.error(`sequence ${s} differs:\n${src}`);
        expect(jit).toEqual(interp);
      }
      checked++;
    }
    expect(checked).toBe(SEQUENCES);
    expect(jitStats.compiled - before).toBeGreaterThan(SEQUENCES);
  });
});

/**
 * Run a zhint-assembled bare-metal program with the tier off and on (blocks
 * compiled at an instruction's `threshold`-th execution; 1: at first sight).
 */
function both(src: string, steps = 1_000_000, threshold = 1): [Outcome, Outcome] {
  const a = assemble(src, { file: 'prog.s', origin: 0 });
  if (!a.ok) throw new Error(a.errors.map(formatError).join('\n'));
  const seq: Sequence = { hi: new Array(16).fill(0), lo: new Array(16).fill(0), cc: 0, pm: 0, insns: [] };
  const go = (jit: boolean): Outcome => {
    const m = new Machine({ guestMem: 1 << 20 });
    m.cpu.jit = jit;
    m.cpu.jitThreshold = jit ? threshold : Number.MAX_SAFE_INTEGER;
    m.load(a.origin, a.image);
    m.start(0x200);
    const pgm: number[] = [];
    m.cpu.hooks.onInterrupt = (kind, code, oldIa) => { pgm.push(code, oldIa); };
    m.run(steps);
    return { hi: [...m.cpu.hi], lo: [...m.cpu.lo], cc: m.cpu.cc, ia: m.cpu.ia, steps: m.cpu.steps, pgm, area: [], mask: m.cpu.pswMaskHi() };
  };
  void seq;
  return [go(false), go(true)];
}

const HEAD = '  .text\n  .org 0x1d0\n  .quad 0x0002000180000000,0xdead0\n  .org 0x200\n_start:\n';
const TAIL = '  lpswe done\n  .align 8\ndone: .quad 0x0002000180000000,0xfff\n';

describe('second tier: exactness at the edges', () => {
  it('a store into a later instruction of the running block is seen (self-modifying code)', () => {
    // each pass patches the immediate of the ahi two instructions ahead
    const src = HEAD + `  lghi %r1,5
  lghi %r2,0
  larl %r5,patch
0: mvi 3(%r5),7
patch: ahi %r2,1
  brctg %r1,0b
` + TAIL;
    const [i, j] = both(src);
    expect(j).toEqual(i);
    expect(i.lo[2]).toBe(35);
  });

  it('a block that loops on itself stops exactly at the step budget', () => {
    const src = HEAD + '  lghi %r1,1000\n0: aghi %r2,3\n  brctg %r1,0b\n' + TAIL;
    for (const budget of [1, 2, 3, 77, 500, 1999]) {
      const [i, j] = both(src, budget);
      expect(j).toEqual(i);
      expect(j.steps).toBe(budget);
    }
  });

  it('a trace through jumps, calls and returns (predicted or not) runs as the interpreter does, at every budget', () => {
    // the block starting at 0: follows j, brasl into f and back (the return
    // predicted), into g whose return is elsewhere (r14 + 4), and f's
    // bcr 15,0, which does not branch though the trace went on after it
    const src = HEAD + `  lghi %r1,6
  lghi %r2,0
0: aghi %r2,1
  j 1f
  aghi %r2,1000
1: brasl %r14,f
  aghi %r2,2
  brasl %r14,g
  aghi %r2,2000
  aghi %r2,4
  brctg %r1,0b
  j 9f
f: aghi %r2,8
  bcr 15,0
  aghi %r2,16
  br %r14
g: la %r14,4(%r14)
  br %r14
9:
` + TAIL;
    const [i, j] = both(src);
    expect(j).toEqual(i);
    expect(i.lo[2]).toBe(6 * (1 + 8 + 16 + 2 + 4));
    for (let budget = 1; budget <= 90; budget++) {
      const [bi, bj] = both(src, budget);
      expect([budget, bj]).toEqual([budget, bi]);
    }
  });

  it('a branch into the middle of a compiled block enters it there, at every budget', () => {
    // the first loop compiles the block at 0 (its tenth pass) with 1 inside
    // it, never run there (jne skips it); the second part jumps to 1 from
    // outside: the block is entered at its fourth instruction until 1 is hot
    // enough for a block of its own (its tenth entry). The first loop's 5000
    // steps (1000 passes of 5) cross a slice end of the interpreter loop (SLICE_MAX)
    const src = HEAD + `  lghi %r1,1000
  lghi %r7,30
0: aghi %r2,1
  cghi %r1,30000
  jne 3f
1: aghi %r3,2
3: aghi %r4,3
  brctg %r1,0b
  brctg %r7,2f
  j 9f
2: lghi %r1,1
  j 1b
9:
` + TAIL;
    const [i, j] = both(src, 1_000_000, 10);
    expect(j).toEqual(i);
    expect([i.lo[2], i.lo[3], i.lo[4]]).toEqual([1000, 2 * 29, 3 * (1000 + 29)]);
    for (let budget = 4990; budget <= 5190; budget++) {
      const [bi, bj] = both(src, budget, 10);
      expect([budget, bj]).toEqual([budget, bi]);
    }
  });

  it('an exception in the middle of a block reports the faulting instruction', () => {
    const src = HEAD + `  lghi %r1,3
  lghi %r3,0
  lghi %r4,1
0: agr %r2,%r4
  lgr %r5,%r1
  aghi %r5,-1
  jnz 1f
  dsgr %r2,%r3
1: brctg %r1,0b
` + TAIL;
    const [i, j] = both(src);
    expect(j).toEqual(i);
    expect(i.pgm[0]).toBe(0x09);
  });
});
