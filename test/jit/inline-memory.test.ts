/**
 * Loads and stores that compiled blocks inline (isa/sem.ts `S.ld32/ld64/
 * st32/st64`: the MMU's TLB fast path repeated in the block, with the
 * effective address specialised to the addressing mode) must behave exactly
 * like the interpreter at every edge the MMU's fast path guards: operands
 * crossing a page, stores into the running block, low-address protection,
 * key-controlled protection, storage-key reference and change bits, frames
 * the host evicts, addresses that wrap or leave storage.
 */
import { describe, expect, it } from 'vitest';
import { assemble, formatError } from '../../src/asm/index.js';
import { Machine } from '../../src/machine.js';

interface Outcome { hi: number[]; lo: number[]; cc: number; ia: number; steps: number; pgm: number[]; keys: number[]; data: number[]; tlb: number[] }

const HEAD = '  .text\n  .org 0x1d0\n  .quad 0x0002000180000000,0xdead0\n  .org 0x200\n_start:\n';
const TAIL = '  lpswe done\n  .align 8\ndone: .quad 0x0002000180000000,0xfff\n  .align 4096\ndata: .fill 8192,1,0x5a\n';

/** Run a bare-metal program with the tier off and with every block compiled at first sight. */
function both(body: string, opts: { hostMem?: number; steps?: number; guestMem?: number } = {}): [Outcome, Outcome] {
  const a = assemble(HEAD + body + TAIL, { file: 'prog.s', origin: 0 });
  if (!a.ok) throw new Error(a.errors.map(formatError).join('\n'));
  const data = a.symbols.get('data')!.value;
  const go = (jit: boolean): Outcome => {
    const m = new Machine({ guestMem: opts.guestMem ?? 1 << 20, hostMem: opts.hostMem });
    m.cpu.jit = jit;
    m.cpu.jitThreshold = jit ? 1 : Number.MAX_SAFE_INTEGER;
    m.load(a.origin, a.image);
    m.start(0x200);
    const pgm: number[] = [];
    m.cpu.hooks.onInterrupt = (_kind, code, oldIa) => { pgm.push(code, oldIa); };
    m.run(opts.steps ?? 1_000_000);
    return {
      hi: [...m.cpu.hi], lo: [...m.cpu.lo], cc: m.cpu.cc, ia: m.cpu.ia, steps: m.cpu.steps, pgm,
      keys: [...m.storage.keys], data: [...m.storage.peek(data, 8192)], tlb: [...m.cpu.mem.tlbTagAll, ...m.cpu.mem.tlbPfnAll],
    };
  };
  return [go(false), go(true)];
}

/**
 * One step of a walk over 24 pages from the address in `base`, one page per
 * pass (by the count in r1), read and written through r7: with room for 8
 * host frames (hostMem 32K), the host evicts and brings back frames all along.
 */
const WALK = (base: string): string => `lgr %r7,%r1
  nill %r7,0x17
  sllg %r7,%r7,12
  agr %r7,${base}
  lg %r2,0(%r7)
  aghi %r2,1
  stg %r2,0(%r7)`;

describe('second tier: inlined loads and stores', () => {
  it('operands at every offset across a page boundary', () => {
    // r6 walks over the end of the first data page one byte at a time
    const [i, j] = both(`  larl %r6,data+4084
  lghi %r1,16
0: lg %r3,0(%r6)
  aghi %r3,1
  stg %r3,0(%r6)
  l %r4,1(%r6)
  st %r4,2(%r6)
  lgf %r5,4(%r6)
  agr %r9,%r5
  llgf %r8,3(%r6)
  ly %r7,-1(%r6)
  sty %r7,5(%r6)
  agr %r9,%r8
  aghi %r6,1
  brctg %r1,0b
`);
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
    // the same loop on a model of the two data pages (big-endian)
    const v = new DataView(new Uint8Array(8192).fill(0x5a).buffer);
    let r3 = 0n, r4 = 0, r5 = 0n, r7 = 0, r8 = 0n, r9 = 0n;
    const M64 = (1n << 64n) - 1n;
    for (let a = 4084; a < 4100; a++) {
      r3 = (v.getBigUint64(a) + 1n) & M64; v.setBigUint64(a, r3);
      r4 = v.getUint32(a + 1); v.setUint32(a + 2, r4);
      r5 = BigInt.asUintN(64, BigInt(v.getInt32(a + 4))); r9 = (r9 + r5) & M64;
      r8 = BigInt(v.getUint32(a + 3));
      r7 = v.getUint32(a - 1); v.setUint32(a + 5, r7);
      r9 = (r9 + r8) & M64;
    }
    const reg = (r: number) => (BigInt(i.hi[r]) << 32n) | BigInt(i.lo[r]);
    expect([reg(3), i.lo[4], reg(5), i.lo[7], reg(8), reg(9)]).toEqual([r3, r4, r5, r7, r8, r9]);
    expect(i.data).toEqual([...new Uint8Array(v.buffer)]);
  });

  it('halfwords and bytes across a page boundary', () => {
    const [i, j] = both(`  larl %r6,data+4090
  lghi %r1,10
0: lh %r3,0(%r6)
  ahi %r3,0x1234
  sth %r3,1(%r6)
  llgh %r4,2(%r6)
  agr %r9,%r4
  llgc %r5,3(%r6)
  ic %r5,1(%r6)
  stc %r5,4(%r6)
  mvi 5(%r6),0xa5
  cli 6(%r6),0x5a
  ipm %r8
  agr %r9,%r8
  tm 2(%r6),0xf0
  ipm %r8
  agr %r9,%r8
  aghi %r6,1
  brctg %r1,0b
`);
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
    const b = new Uint8Array(8192).fill(0x5a);
    const v = new DataView(b.buffer);
    let r3 = 0, r5 = 0, r9 = 0n, cc = 0;
    const ipm = () => BigInt((cc << 28) >>> 0);
    for (let a = 4090; a < 4100; a++) {
      r3 = (v.getInt16(a) + 0x1234) >>> 0;
      cc = (r3 | 0) === 0 ? 0 : (r3 | 0) < 0 ? 1 : 2;
      v.setUint16(a + 1, r3 & 0xffff);
      r9 += BigInt(v.getUint16(a + 2));
      r5 = b[a + 3];
      r5 = (r5 & 0xffffff00) | b[a + 1];
      b[a + 4] = r5 & 0xff;
      b[a + 5] = 0xa5;
      cc = b[a + 6] === 0x5a ? 0 : b[a + 6] < 0x5a ? 1 : 2;
      r9 += ipm();
      const t = b[a + 2] & 0xf0;
      cc = t === 0 ? 0 : t === 0xf0 ? 3 : 1;
      r9 += ipm();
    }
    const reg = (r: number) => (BigInt(i.hi[r]) << 32n) | BigInt(i.lo[r]);
    expect([i.lo[3], i.lo[5], reg(9)]).toEqual([r3, r5, r9]);
    expect(i.data).toEqual([...b]);
  });

  // (MVC: its memo, below, must not remember a frame that holds decoded code)
  for (const [how, store] of [['ST', '0: l %r3,0(%r6)\n  st %r3,0(%r5)'], ['MVC', '0: mvc 0(4,%r5),0(%r6)']]) {
    it(`a store into a later instruction of the running block is seen (${how}), pass after pass`, () => {
      const [i, j] = both(`  lghi %r1,5
  lghi %r2,0
  larl %r5,patch
  larl %r6,tmpl
${store}
patch: ahi %r2,1
  brctg %r1,0b
  j 1f
tmpl: ahi %r2,7
1:
`);
      expect(j).toEqual(i);
      expect(i.lo[2]).toBe(35);
    });
  }

  it('a 64-bit store over the running block drops it', () => {
    const [i, j] = both(`  lghi %r1,4
  lghi %r2,0
  larl %r5,patch
  larl %r6,tmpl
0: lg %r3,0(%r6)
  stg %r3,0(%r5)
patch: ahi %r2,1
  ahi %r2,2
  brctg %r1,0b
  j 1f
tmpl: ahi %r2,100
  ahi %r2,1000
1:
`);
    expect(j).toEqual(i);
    expect(i.lo[2]).toBe(4400);
  });

  it('low-address protection stops a store even after a load filled the TLB', () => {
    const [i, j] = both(`  larl %r6,cr0
  lctlg %c0,%c0,0(%r6)
  lghi %r1,3
  lghi %r7,0x100
0: lg %r2,0(%r7)
  aghi %r2,1
  stg %r2,8(%r7)
  brctg %r1,0b
  j 1f
  .align 8
cr0: .quad 0x10000000
1:
`);
    expect(j).toEqual(i);
    expect(i.pgm[0]).toBe(0x04);
  });

  it('key-controlled protection once the PSW key changes between runs of a block', () => {
    // the loop runs (and is compiled) under key 0, then again under key 2
    const [i, j] = both(`  larl %r6,data
  lghi %r2,0x30
  sske %r2,%r6
  lghi %r9,0
again: lghi %r1,3
0: lg %r4,0(%r6)
  aghi %r4,1
  stg %r4,0(%r6)
  brctg %r1,0b
  ltgr %r9,%r9
  jnz 1f
  lghi %r9,1
  larl %r3,key2
  lpswe 0(%r3)
  .align 8
key2: .quad 0x0020000180000000,again
1:
`);
    expect(j).toEqual(i);
    expect(i.lo[9]).toBe(1);
    expect(i.pgm[0]).toBe(0x04);
    expect(i.data.slice(0, 8)).toEqual([0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5d]);
  });

  it('reference and change bits of the storage keys', () => {
    const [i, j] = both(`  larl %r6,data
  lghi %r2,0
  sske %r2,%r6
  la %r7,4095(%r6)
  la %r7,1(%r7)
  sske %r2,%r7
  lghi %r1,10
0: lg %r4,0(%r6)
  st %r4,8(%r7)
  brctg %r1,0b
  # once more with the keys reset: the TLB now maps both pages, so
  # the bits must come from the fast path
  ahi %r3,1
  chi %r3,2
  jnl 1f
  sske %r2,%r6
  sske %r2,%r7
  lghi %r1,10
  j 0b
1: iske %r8,%r6
  iske %r9,%r7
`);
    expect(j).toEqual(i);
    // loads set R, stores R and C (and the host's reference bit with them)
    expect(i.lo[8] & 0x06).toBe(0x04);
    expect(i.lo[9] & 0x06).toBe(0x06);
    expect(i.keys[i.lo[6] >>> 12] & 0x07).toBe(0x05);
    expect(i.keys[i.lo[7] >>> 12] & 0x07).toBe(0x07);
  });

  it('frames the host evicts and brings back', () => {
    const [i, j] = both(`  lghi %r1,200
  llilf %r6,0x40000
0: ${WALK('%r6')}
  st %r2,16(%r7)
  brctg %r1,0b
`, { hostMem: 32 * 1024 });
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
  });

  it('addresses that wrap or leave storage', () => {
    // a negative displacement below address 0 in 64-bit mode, a base with
    // high bits, and the same in 31-bit mode (where both wrap into storage)
    for (const mode of ['', '  sam31\n']) {
      for (const setup of ['  lghi %r6,4\n', '  llihf %r6,1\n  oilf %r6,0x2000\n']) {
        const [i, j] = both(mode + setup + `  lghi %r1,3
0: ly %r2,-8(%r6)
  aghi %r2,1
  sty %r2,-8(%r6)
  brctg %r1,0b
`);
        expect(j).toEqual(i);
      }
    }
  });

  it('an access exception in a slow path ends the instruction as the interpreter does, the cc unchanged', () => {
    // an operand beyond storage (1 MiB): an addressing exception raised by
    // the MMU's slow path (isa/slow.ts) and handed on by $FAULT, in the
    // interpreter loop and in a compiled block alike; cc 1 from the CR before
    for (const insn of ['clc 0(8,%r6),0(%r7)', 'clc 0(8,%r7),0(%r6)', 'mvc 0(8,%r6),0(%r7)', 'tr 0(8,%r6),0(%r7)',
      'mvc 0(8,%r7),0(%r6)', 'l %r2,0(%r7)', 'st %r2,0(%r7)', 'lg %r2,0(%r7)', 'stg %r2,0(%r7)', 'cli 0(%r7),1']) {
      const a = assemble(HEAD + `  larl %r6,data
  llilh %r7,0x20
  lghi %r0,1
  lghi %r1,2
  cr %r0,%r1
0:
fault: ${insn}
  j 0b
` + TAIL, { file: 'prog.s', origin: 0 });
      if (!a.ok) throw new Error(a.errors.map(formatError).join('\n'));
      const at = a.symbols.get('fault')!.value;
      const len = a.image[at] >= 0xc0 || a.image[at] === 0xe3 ? 6 : 4;
      for (const jit of [false, true]) {
        const m = new Machine({ guestMem: 1 << 20 });
        m.cpu.jit = jit;
        m.cpu.jitThreshold = jit ? 1 : Number.MAX_SAFE_INTEGER;
        m.load(a.origin, a.image);
        m.start(0x200);
        m.cpu.stopAfterProgramInterrupt = true;
        m.run(1000);
        const old = m.storage.peek(0x150, 16); // program old PSW
        const ilc = m.storage.peek(0x8c, 4); // 0x8d ILC, 0x8e the interruption code
        expect([insn, jit, (ilc[2] << 8) | ilc[3]]).toEqual([insn, jit, 5]);
        expect([insn, jit, (old[2] >>> 4) & 3]).toEqual([insn, jit, 1]); // cc 1
        // an addressing exception suppresses: the old PSW points past the instruction
        expect([insn, jit, (old[12] << 24 | old[13] << 16 | old[14] << 8 | old[15]) >>> 0]).toEqual([insn, jit, at + len]);
        expect([insn, jit, (ilc[1] >>> 1) & 3]).toEqual([insn, jit, len / 2]);
      }
    }
  });
});

/**
 * A block remembers, per MVC, TR and CLC, where its operands were (their
 * pages, frames and slab offsets) for the rest of that call of the block
 * (isa/sem.ts S.ss, the memo): every way the remembered answer could go
 * stale must lead back to the full lookup, as in the interpreter.
 */
describe('second tier: the memo of MVC, TR and CLC', () => {
  // the second data page: bytes 1, 2, ..., 255, 0 (a wrong offset or frame shows)
  const PATTERN = `  larl %r6,data+4096
  lghi %r3,256
9: stcy %r3,-1(%r3,%r6)
  brctg %r3,9b
`;
  // 20 passes; r5 the first data page, r6 the second, r7 a page whose TLB
  // entry is data's (the TLB has 1024 entries indexed by page number)
  const SETUP = `${PATTERN}  lghi %r1,20
  larl %r5,data
  larl %r6,data+4096
  larl %r7,data
  agfi %r7,0x400000
`;
  const LOOP = (between: string): string => `${SETUP}0: mvc 0(256,%r5),0(%r6)
${between}
  tr 0(200,%r5),0(%r6)
  clc 0(256,%r5),0(%r6)
  la %r5,8(%r5)
  brctg %r1,0b
`;

  it('the same pages call after call, nothing between', () => {
    const [i, j] = both(LOOP(''), { guestMem: 8 << 20 });
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
  });

  it('a load from a page 4 MiB away takes the operand page\'s TLB entry every pass', () => {
    const [i, j] = both(LOOP('  lg %r2,0(%r7)\n  stg %r2,8(%r7)'), { guestMem: 8 << 20 });
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
  });

  it('a TLB entry evicted after the MVC remembered it: the next MVC refills it, as in the interpreter', () => {
    // even passes: the CLI refills data's entry, so the MVC finds it (and
    // remembers it); the LG of the next pass evicts it again, and the odd
    // pass's MVC misses in the TLB. The last pass is odd: the TLB left
    // behind shows whether that MVC refilled the entry.
    const [i, j] = both(`${SETUP}0: lg %r2,0(%r7)
  tmll %r1,1
  jnz 1f
  cli 0(%r5),0
1: mvc 0(256,%r5),0(%r6)
  brctg %r1,0b
`, { guestMem: 8 << 20 });
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
  });

  it('the host evicts the operands\' frames between passes', () => {
    // 24 pages touched in turn with room for 8 host frames
    const [i, j] = both(`${PATTERN}  lghi %r1,100
  larl %r5,data
  larl %r6,data+4096
  llilf %r8,0x40000
0: mvc 0(256,%r5),0(%r6)
  ${WALK('%r8')}
  tr 0(100,%r5),0(%r6)
  la %r5,16(%r5)
  brctg %r1,0b
`, { hostMem: 32 * 1024 });
    expect(j).toEqual(i);
    expect(i.pgm).toEqual([]);
  });

});
