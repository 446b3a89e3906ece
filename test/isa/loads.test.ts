import { describe, expect, it } from 'vitest';
import { checkFamilyEncodings, haveAs, ORG, run } from './helpers2.js';
import { KEY_C } from '../../src/mm/storage.js';

const hex = (v: bigint) => '0x' + v.toString(16);

describe.skipIf(!haveAs)('loads family', () => {
  it('every loads instruction decodes what GNU as encodes (opcode, length, fields)', () => {
    expect(checkFamilyEncodings('loads')).toEqual([]);
  });

  it('loads of every width and extension', () => {
    const r = run(`
      larl %r1,d
      lghi %r2,-1
      lghi %r3,-1
      lghi %r4,-1
      l %r2,0(%r1)
      lgf %r3,0(%r1)
      llgf %r4,0(%r1)
      lg %r5,0(%r1)
      lgh %r6,0(%r1)
      lghi %r7,-1
      lh %r7,8(%r1)
      llgh %r8,0(%r1)
      lb %r9,1(%r1)
      lgb %r10,0(%r1)
      llgc %r11,0(%r1)
      lghi %r12,-1
      llc %r12,0(%r1)
      llgt %r13,0(%r1)
      lghi %r14,-1
      llh %r14,0(%r1)
      done
      .balign 8
    d: .quad 0x8182838485868788
      .short 0x7ffe
    `);
    expect(r.ok).toBe(true);
    expect(hex(r.r(2))).toBe('0xffffffff81828384');
    expect(hex(r.r(3))).toBe('0xffffffff81828384');
    expect(hex(r.r(4))).toBe('0x81828384');
    expect(hex(r.r(5))).toBe('0x8182838485868788');
    expect(hex(r.r(6))).toBe('0xffffffffffff8182');
    expect(hex(r.r(7))).toBe('0xffffffff00007ffe');
    expect(hex(r.r(8))).toBe('0x8182');
    expect(r.lo(9)).toBe(0xffffff82);
    expect(hex(r.r(10))).toBe('0xffffffffffffff81');
    expect(hex(r.r(11))).toBe('0x81');
    expect(hex(r.r(12))).toBe('0xffffffff00000081');
    expect(hex(r.r(13))).toBe('0x1828384');
    expect(hex(r.r(14))).toBe('0xffffffff00008182');
  });

  it('register loads: lr keeps bits 0-31, sign/zero extensions', () => {
    const r = run(`
      llihf %r1,0x11111111
      iilf %r1,0x80008081
      lgr %r2,%r1
      lghi %r3,-1
      lr %r3,%r1
      lgfr %r4,%r1
      llgfr %r5,%r1
      lhr %r6,%r1
      lghr %r7,%r1
      llhr %r8,%r1
      llghr %r9,%r1
      lbr %r10,%r1
      lgbr %r11,%r1
      llcr %r12,%r1
      llgcr %r13,%r1
      llgtr %r14,%r1
      done
    `, { setup: (c) => { c.setReg(6, -1n); c.setReg(8, -1n); c.setReg(10, -1n); c.setReg(12, -1n); } });
    expect(r.ok).toBe(true);
    expect(hex(r.r(1))).toBe('0x1111111180008081');
    expect(hex(r.r(2))).toBe('0x1111111180008081');
    expect(hex(r.r(3))).toBe('0xffffffff80008081');
    expect(hex(r.r(4))).toBe('0xffffffff80008081');
    expect(hex(r.r(5))).toBe('0x80008081');
    expect(hex(r.r(6))).toBe('0xffffffffffff8081');
    expect(hex(r.r(7))).toBe('0xffffffffffff8081');
    expect(hex(r.r(8))).toBe('0xffffffff00008081');
    expect(hex(r.r(9))).toBe('0x8081');
    expect(hex(r.r(10))).toBe('0xffffffffffffff81');
    expect(hex(r.r(11))).toBe('0xffffffffffffff81');
    expect(hex(r.r(12))).toBe('0xffffffff00000081');
    expect(hex(r.r(13))).toBe('0x81');
    expect(hex(r.r(14))).toBe('0x8081');
  });

  it('load and test sets cc 0/1/2', () => {
    const cases: [string, number][] = [
      ['lghi %r2,0\n ltgr %r1,%r2', 0], ['lghi %r2,-5\n ltgr %r1,%r2', 1], ['lghi %r2,5\n ltgr %r1,%r2', 2],
      ['llihf %r2,1\n ltr %r1,%r2', 0], ['iilf %r2,0x80000000\n ltr %r1,%r2', 1],
      ['llihf %r2,0x80000000\n ltgfr %r1,%r2', 0], ['lghi %r2,-1\n ltgfr %r1,%r2', 1],
      ['larl %r3,d\n lt %r1,0(%r3)', 1], ['larl %r3,d\n ltg %r1,8(%r3)', 2], ['larl %r3,d\n ltgf %r1,12(%r3)', 2],
      ['larl %r3,d\n ltg %r1,16(%r3)', 0],
    ];
    for (const [code, cc] of cases) {
      const r = run(`${code}\n done\n .balign 8\nd: .quad 0xfffffffe00000000, 0x0000000100000007, 0`);
      expect(r.ok, code).toBe(true);
      expect(r.cc, code).toBe(cc);
    }
  });

  it('la / lay / larl follow the addressing mode', () => {
    const src = 'la %r1,1(%r2)\n lay %r3,-1(%r2)\n larl %r4,x\n done\nx: done';
    const setup = (c: import('../../src/cpu/cpu.js').Cpu) => {
      c.setReg(1, 0xaaaaaaaa_bbbbbbbbn); c.setReg(3, 0xaaaaaaaa_bbbbbbbbn); c.setReg(4, 0xaaaaaaaa_bbbbbbbbn);
      c.setReg(2, 0xaaaaaaaa_ff123456n);
    };
    const r64 = run(src, { setup });
    expect(hex(r64.r(1))).toBe('0xaaaaaaaaff123457');
    expect(hex(r64.r(3))).toBe('0xaaaaaaaaff123455');
    expect(r64.r(4)).toBe(BigInt(r64.at('x')));
    const r31 = run(src, { setup, amode: 31 });
    expect(hex(r31.r(1))).toBe('0xaaaaaaaa7f123457');
    expect(hex(r31.r(3))).toBe('0xaaaaaaaa7f123455');
    expect(hex(r31.r(4))).toBe(hex(0xaaaaaaaa_00000000n + BigInt(r31.at('x'))));
    const r24 = run(src, { setup, amode: 24 });
    expect(hex(r24.r(1))).toBe('0xaaaaaaaa00123457');
    expect(hex(r24.r(3))).toBe('0xaaaaaaaa00123455');
  });

  it('la / lay in the 64-bit mode carry into and borrow from bits 0-31, in compiled blocks too', () => {
    // the 64-bit sums: 0x1_ffffffff + 0xffffffff + 0xfff, 0x5_00000004 - 8,
    // 2^64 - 1 + 1 (wraps to 0)
    const src = 'lghi %r9,3\n0: la %r1,0xfff(%r2,%r3)\n lay %r4,-8(%r5)\n la %r6,1(%r7)\n brct %r9,0b\n done';
    for (const threshold of [Number.MAX_SAFE_INTEGER, 1]) {
      const r = run(src, {
        setup: (c) => {
          c.jitThreshold = threshold;
          c.setReg(2, 0x1_ffffffffn); c.setReg(3, 0xffffffffn); c.setReg(5, 0x5_00000004n); c.setReg(7, 0xffffffff_ffffffffn);
        },
      });
      expect(r.ok).toBe(true);
      expect(hex(r.r(1)), `threshold ${threshold}`).toBe('0x300000ffd');
      expect(hex(r.r(4))).toBe('0x4fffffffc');
      expect(r.r(6)).toBe(0n);
    }
  });

  it('relative-long loads and stores, alignment checked', () => {
    const r = run(`
      lrl %r1,w
      lgrl %r2,q
      lgfrl %r3,w
      llgfrl %r4,w
      lhrl %r5,h
      lghrl %r6,h
      llhrl %r7,h
      llghrl %r8,h
      strl %r2,w2
      stgrl %r1,q2
      sthrl %r1,h2
      done
      .balign 8
    q: .quad 0x0102030405060708
    w: .long 0x89abcdef
    h: .short 0x8001
    h2: .short 0
    w2: .long 0
      .balign 8
    q2: .quad -1
    `, { setup: (c) => { c.setReg(1, 0x11111111_00000000n); c.setReg(5, -1n); c.setReg(7, -1n); } });
    expect(r.ok).toBe(true);
    expect(hex(r.r(1))).toBe('0x1111111189abcdef');
    expect(hex(r.r(2))).toBe('0x102030405060708');
    expect(hex(r.r(3))).toBe('0xffffffff89abcdef');
    expect(hex(r.r(4))).toBe('0x89abcdef');
    expect(hex(r.r(5))).toBe('0xffffffffffff8001');
    expect(hex(r.r(6))).toBe('0xffffffffffff8001');
    expect(hex(r.r(7))).toBe('0xffffffff00008001');
    expect(hex(r.r(8))).toBe('0x8001');
    expect(r.bytes(r.at('w2'), 4)).toEqual([5, 6, 7, 8]);
    expect(r.bytes(r.at('q2'), 8)).toEqual([0x11, 0x11, 0x11, 0x11, 0x89, 0xab, 0xcd, 0xef]);
    expect(r.bytes(r.at('h2'), 2)).toEqual([0xcd, 0xef]);
    // lgrl of a word-aligned but not doubleword-aligned operand: specification, ILC 6
    const bad = run('x: lgrl %r1,w\n done\n .balign 8\n .long 0\nw: .quad 0');
    expect(bad.pic).toBe(6);
    expect(bad.ilc).toBe(6);
    expect(bad.oldIa).toBe(bad.at('x') + 6);
    expect(run('strl %r1,w\n done\n .balign 4\n .short 0\nw: .long 0').pic).toBe(6);
  });

  it('immediate loads and inserts into parts of a register', () => {
    const r = run(`
      lgfi %r1,-2
      llill %r2,0x8001
      llilh %r3,0x8001
      llihl %r4,0x8001
      llihh %r5,0x8001
      llilf %r6,0xfedcba98
      llihf %r7,0xfedcba98
      iill %r8,0x1234
      iilh %r9,0x1234
      iihl %r10,0x1234
      iihh %r11,0x1234
      iilf %r12,0x12345678
      iihf %r13,0x12345678
      done
    `, { setup: (c) => { for (let k = 2; k <= 13; k++) c.setReg(k, -1n); } });
    expect(r.ok).toBe(true);
    expect(hex(r.r(1))).toBe('0xfffffffffffffffe');
    expect(hex(r.r(2))).toBe('0x8001');
    expect(hex(r.r(3))).toBe('0x80010000');
    expect(hex(r.r(4))).toBe('0x800100000000');
    expect(hex(r.r(5))).toBe('0x8001000000000000');
    expect(hex(r.r(6))).toBe('0xfedcba98');
    expect(hex(r.r(7))).toBe('0xfedcba9800000000');
    expect(hex(r.r(8))).toBe('0xffffffffffff1234');
    expect(hex(r.r(9))).toBe('0xffffffff1234ffff');
    expect(hex(r.r(10))).toBe('0xffff1234ffffffff');
    expect(hex(r.r(11))).toBe('0x1234ffffffffffff');
    expect(hex(r.r(12))).toBe('0xffffffff12345678');
    expect(hex(r.r(13))).toBe('0x12345678ffffffff');
  });

  it('stores of every width, reversed loads and stores', () => {
    const r = run(`
      larl %r1,d
      st %r2,0(%r1)
      sty %r2,4(%r1)
      stg %r2,8(%r1)
      sth %r2,16(%r1)
      sthy %r2,18(%r1)
      stc %r2,20(%r1)
      stcy %r2,21(%r1)
      strv %r2,24(%r1)
      strvh %r2,28(%r1)
      strvg %r2,32(%r1)
      lrv %r3,0(%r1)
      lrvg %r4,8(%r1)
      lghi %r5,-1
      lrvh %r5,16(%r1)
      lrvr %r6,%r2
      lrvgr %r7,%r2
      done
      .balign 8
    d: .fill 40,1,0
    `, { setup: (c) => { c.setReg(2, 0x01020304_05060708n); } });
    expect(r.ok).toBe(true);
    const d = r.at('d');
    expect(r.bytes(d, 40)).toEqual([
      5, 6, 7, 8, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 7, 8, 7, 8, 8, 8, 0, 0,
      8, 7, 6, 5, 8, 7, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(hex(r.r(3))).toBe('0x8070605');
    expect(hex(r.r(4))).toBe('0x807060504030201');
    expect(hex(r.r(5))).toBe('0xffffffffffff0807');
    expect(hex(r.r(6))).toBe('0x8070605');
    expect(hex(r.r(7))).toBe('0x807060504030201');
  });

  it('stmg / lmg / stmy / lmy across a page boundary give what they give inside a page', () => {
    // inside one page the operand is checked once and moved directly; across
    // two pages register by register: the bytes must be the same
    const r = run(`
      larl %r1,pg
      stmg %r2,%r5,-16(%r1)
      lmg %r6,%r9,-16(%r1)
      stmy %r2,%r5,-8(%r1)
      lmy %r10,%r13,-8(%r1)
      done
      .balign 4096
    pg0: .fill 4096,1,0
    pg: .fill 64,1,0
    `, { setup: (c) => {
      c.setReg(2, 0x0102030405060708n); c.setReg(3, 0x1112131415161718n); c.setReg(4, 0x2122232425262728n); c.setReg(5, 0xf1f2f3f4f5f6f7f8n);
    } });
    expect(r.ok).toBe(true);
    expect(hex(r.r(6))).toBe('0x102030405060708');
    expect(hex(r.r(9))).toBe('0xf1f2f3f4f5f6f7f8');
    expect(r.lo(10)).toBe(0x05060708);
    expect(r.lo(13)).toBe(0xf5f6f7f8);
    expect(r.bytes(r.at('pg') - 8, 16)).toEqual([5, 6, 7, 8, 0x15, 0x16, 0x17, 0x18, 0x25, 0x26, 0x27, 0x28, 0xf5, 0xf6, 0xf7, 0xf8]);
  });

  it('stmg over the instructions that follow: they run as stored', () => {
    // the new bytes at tgt: lghi %r5,2 ; nopr ; nopr
    const r = run(`
      larl %r1,tgt
      llihf %r2,0xa7590002
      iilf %r2,0x07000700
      stmg %r2,%r2,0(%r1)
    tgt: lghi %r5,1
      nopr
      nopr
      done
    `);
    expect(r.ok).toBe(true);
    expect(r.lo(5)).toBe(2);
  });

  it('stm / lm / stmg / lmg wrap from register 15 to 0', () => {
    const r = run(`
      larl %r1,d
      stm %r14,%r1,0(%r1)
      lmg %r14,%r0,16(%r1)
      lm %r3,%r4,8(%r1)
      stmg %r15,%r15,40(%r1)
      lmy %r5,%r5,4(%r1)
      stmy %r5,%r5,64(%r1)
      done
      .balign 8
    d: .fill 16,1,0
      .quad 0x1111, 0x2222, 0x3333
      .fill 24,1,0
    `, { setup: (c) => {
      c.setReg(14, 0xe0000000en); c.setReg(15, 0xf0000000fn); c.setReg(0, 0x100000000n); c.setReg(2, 0x200000002n);
    } });
    expect(r.ok).toBe(true);
    const d = r.at('d');
    // stm 14..1: the low words of r14, r15, r0 and r1 (r1 = the address of d)
    expect(r.bytes(d, 12)).toEqual([0, 0, 0, 0xe, 0, 0, 0, 0xf, 0, 0, 0, 0]);
    expect(hex(r.r(14))).toBe('0x1111');
    expect(hex(r.r(15))).toBe('0x2222');
    expect(hex(r.r(0))).toBe('0x3333');
    expect(r.lo(3)).toBe(0);
    expect(r.lo(4)).toBe(d); // low word of r1 stored by stm at d+12
    expect(r.bytes(d + 40, 8)).toEqual([0, 0, 0, 0, 0, 0, 0x22, 0x22]);
    expect(r.lo(5)).toBe(0xf);
    expect(r.bytes(d + 64, 4)).toEqual([0, 0, 0, 0xf]);
  });

  it('icm / icmy / icmh set cc by the inserted bits; stcm / stcmy / stcmh store under mask', () => {
    const cases: [number, number[], number, number][] = [
      // mask, bytes, expected low word (from 0xaabbccdd), cc
      [0b1010, [0x80, 0x00], 0x80bb00dd, 1],
      [0b1010, [0x00, 0x00], 0x00bb00dd, 0],
      [0b1010, [0x00, 0x01], 0x00bb01dd, 2],
      [0b0001, [0x7f], 0xaabbcc7f, 2],
      [0b0000, [0xff], 0xaabbccdd, 0],
      [0b1111, [1, 2, 3, 4], 0x01020304, 2],
    ];
    for (const [m, bytes, want, cc] of cases) {
      const r = run(`larl %r2,d\n icm %r1,${m},0(%r2)\n done\nd: .byte ${[...bytes, 0, 0, 0, 0].join(',')}`,
        { setup: (c) => c.setReg(1, 0x99999999_aabbccddn) });
      expect(r.lo(1), `icm mask ${m}`).toBe(want >>> 0);
      expect(r.hi(1)).toBe(0x99999999);
      expect(r.cc, `icm mask ${m}`).toBe(cc);
    }
    const h = run('larl %r2,d\n icmh %r1,0b0110,0(%r2)\n done\nd: .byte 0xf0,0x0f', { setup: (c) => c.setReg(1, 0x99999999_aabbccddn) });
    expect(hex(h.r(1))).toBe('0x99f00f99aabbccdd');
    expect(h.cc).toBe(1);
    const s = run(`larl %r2,d\n stcm %r1,0b1001,0(%r2)\n stcmy %r1,0b0110,2(%r2)\n stcmh %r1,0b1000,4(%r2)\n
      stcm %r1,0,5(%r2)\n done\nd: .fill 6,1,0`, { setup: (c) => c.setReg(1, 0x11223344_aabbccddn) });
    expect(s.bytes(s.at('d'), 6)).toEqual([0xaa, 0xdd, 0xbb, 0xcc, 0x11, 0]);
  });

  it('immediate stores: mvi mviy mvhhi mvhi mvghi', () => {
    const r = run(`larl %r1,d\n mvi 0(%r1),0xab\n mviy 1(%r1),0xcd\n mvhhi 2(%r1),-2\n mvhi 4(%r1),-3\n
      mvghi 8(%r1),0x1234\n done\n .balign 8\nd: .fill 16,1,0`);
    expect(r.bytes(r.at('d'), 16)).toEqual([0xab, 0xcd, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd, 0, 0, 0, 0, 0, 0, 0x12, 0x34]);
  });

  it('mvc of every short length and overlap equals a byte-by-byte move', () => {
    // moves of up to 32 bytes go byte by byte, longer ones natively; the
    // PoP's left-to-right result either way, overlapping or not
    const data = Array.from({ length: 80 }, (_, k) => (k * 29 + 3) & 0xff);
    for (const [to, from, len] of [[0, 40, 8], [40, 0, 32], [0, 1, 8], [1, 0, 8], [2, 0, 31], [0, 2, 33], [5, 5, 16], [10, 20, 40], [20, 10, 40]]) {
      const r = run(`larl %r1,d\n mvc ${to}(${len},%r1),${from}(%r1)\n done\n .balign 8\nd: .byte ${data.join(',')}`);
      const want = data.slice();
      for (let k = 0; k < len; k++) want[to + k] = want[from + k];
      expect(r.bytes(r.at('d'), 80), `mvc ${to}(${len}),${from}`).toEqual(want);
    }
  });

  it('mvc, nc, oc, xc, mvn and mvz across a page boundary equal the byte-by-byte result', () => {
    // the operands cross the boundary 100 bytes into d, at different
    // points, overlapping both ways (the move then runs in pieces, ss.ts)
    const data = Array.from({ length: 400 }, (_, k) => (k * 37 + 11) & 0xff);
    const ops: Record<string, (a: number, b: number) => number> = {
      mvc: (_a, b) => b, nc: (a, b) => a & b, oc: (a, b) => a | b, xc: (a, b) => a ^ b,
      mvn: (a, b) => (a & 0xf0) | (b & 0x0f), mvz: (a, b) => (a & 0x0f) | (b & 0xf0),
    };
    for (const [mn, f] of Object.entries(ops)) {
      for (const [to, from, len] of [[0, 150, 200], [150, 0, 120], [60, 40, 200], [40, 60, 200], [61, 60, 100], [99, 30, 17], [30, 99, 256]]) {
        const r = run(`larl %r1,d\n ${mn} ${to}(${len},%r1),${from}(%r1)\n done\n .balign 4096\n .fill 3996,1,0\nd: .byte ${data.join(',')}`);
        const want = data.slice();
        for (let k = 0; k < len; k++) want[to + k] = f(want[to + k], want[from + k]);
        expect((r.at('d') + 100) % 4096, 'the page boundary 100 bytes into d').toBe(0);
        expect(r.bytes(r.at('d'), 400), `${mn} ${to}(${len}),${from}`).toEqual(want);
      }
    }
  });

  it('mvc moves left to right: a one-byte overlap propagates (PoP example)', () => {
    const r = run(`larl %r1,d\n mvc 1(8,%r1),0(%r1)\n larl %r2,e\n mvc 0(3,%r2),0(%r1)\n done
      d: .byte 0x00,0xf1,0xf2,0xf3,0xf4,0xf5,0xf6,0xf7,0xf8,0xc9
      e: .byte 1,2,3,4`);
    expect(r.ok).toBe(true);
    expect(r.bytes(r.at('d'), 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc9]);
    expect(r.bytes(r.at('e'), 4)).toEqual([0, 0, 0, 4]);
    // mvc with 256 bytes (length code 255)
    const big = run(`larl %r1,s\n larl %r2,t\n mvc 0(256,%r2),0(%r1)\n done\ns: .fill 256,1,0x5a\nt: .fill 257,1,0`);
    expect(big.bytes(big.at('t'), 257)).toEqual([...Array(256).fill(0x5a), 0]);
  });

  it('mvn / mvz move half bytes', () => {
    const r = run(`larl %r1,d\n mvn 0(2,%r1),2(%r1)\n mvz 4(2,%r1),2(%r1)\n done\nd: .byte 0x12,0x34,0xab,0xcd,0x56,0x78`);
    expect(r.bytes(r.at('d'), 6)).toEqual([0x1b, 0x3d, 0xab, 0xcd, 0xa6, 0xc8]);
  });

  it('xc / nc / oc: results and cc 0 zero / 1 not zero; xc of a field with itself clears it', () => {
    const r = run(`larl %r1,d\n xc 0(4,%r1),0(%r1)\n done\nd: .long 0xdeadbeef`, { setup: (c) => { c.cc = 2; } });
    expect(r.bytes(r.at('d'), 4)).toEqual([0, 0, 0, 0]);
    expect(r.cc).toBe(0);
    const x = run(`larl %r1,d\n xc 0(2,%r1),2(%r1)\n done\nd: .byte 0x0f,0xf0,0xff,0x00`);
    expect(x.bytes(x.at('d'), 2)).toEqual([0xf0, 0xf0]);
    expect(x.cc).toBe(1);
    const n = run(`larl %r1,d\n nc 0(2,%r1),2(%r1)\n done\nd: .byte 0x0f,0xf0,0xf0,0x0f`);
    expect(n.bytes(n.at('d'), 2)).toEqual([0, 0]);
    expect(n.cc).toBe(0);
    const o = run(`larl %r1,d\n oc 0(2,%r1),2(%r1)\n done\nd: .byte 0x0f,0x00,0xf0,0x01`);
    expect(o.bytes(o.at('d'), 2)).toEqual([0xff, 0x01]);
    expect(o.cc).toBe(1);
  });

  it('clc compares unsigned left to right', () => {
    const cc = (a: string, b: string) => run(`larl %r1,a\n larl %r2,b\n clc 0(3,%r1),0(%r2)\n done\na: .byte ${a}\n .balign 2\nb: .byte ${b}`).cc;
    expect(cc('1,2,3', '1,2,3')).toBe(0);
    expect(cc('1,2,3', '1,0x82,0')).toBe(1);
    expect(cc('0xff,0,0', '1,0xff,0xff')).toBe(2);
  });

  it('clc of 256 bytes: the first difference decides, wherever it is', () => {
    // long operands are compared natively (memcmp): the cc must still be
    // that of the leftmost differing byte, unsigned
    const cc = (k: number, a: number, b: number, later = '') => run(`larl %r1,a\n larl %r2,b\n clc 0(256,%r1),0(%r2)\n done
a: .fill ${k},1,0x55\n .byte ${a}\n .fill ${255 - k},1,0x55
 .balign 2\nb: .fill ${k},1,0x55\n .byte ${b}\n ${later || `.fill ${255 - k},1,0x55`}`).cc;
    expect(cc(0, 0x55, 0x55)).toBe(0);
    for (const k of [0, 47, 48, 200, 255]) {
      expect(cc(k, 0x01, 0x80)).toBe(1);
      expect(cc(k, 0x80, 0x01)).toBe(2);
    }
    // a later difference the other way does not count
    expect(cc(10, 0x01, 0x02, '.fill 100,1,0x55\n .byte 0\n .fill 144,1,0x55')).toBe(1);
  });

  it('tr translates through a table', () => {
    const r = run(`larl %r1,d\n larl %r2,t\n tr 0(4,%r1),0(%r2)\n done\nd: .byte 0,1,2,255\nt: .byte 10,11,12\n .fill 252,1,0\n .byte 99`);
    expect(r.bytes(r.at('d'), 4)).toEqual([10, 11, 12, 99]);
  });

  it('tr of up to 256 bytes at every alignment equals byte-by-byte translation', () => {
    // TR works four bytes at a time where operand and table do not overlap:
    // the result must still be the PoP's, byte for byte, whatever the
    // operand's alignment and length
    const data = Array.from({ length: 300 }, (_, k) => (k * 37 + 11) & 0xff);
    const table = Array.from({ length: 256 }, (_, k) => (k * 5 + 3) & 0xff);
    for (const [skew, len] of [[0, 256], [1, 256], [2, 255], [3, 17], [1, 16], [2, 5], [3, 200]]) {
      const r = run(`larl %r1,d\n larl %r2,t\n tr ${skew}(${len},%r1),0(%r2)\n done
 .balign 8\nd: .byte ${data.join(',')}\n .balign 8\nt: .byte ${table.join(',')}`);
      const want = data.map((b, k) => (k >= skew && k < skew + len ? table[b] : b));
      expect(r.bytes(r.at('d'), 300), `skew ${skew} length ${len}`).toEqual(want);
    }
  });

  it('tr with the table overlapping the operand translates strictly left to right', () => {
    // operand = the table's first 8 bytes: each result byte is stored before
    // the next byte is translated, so a later byte may use an earlier result
    const r = run(`larl %r1,t\n tr 0(8,%r1),0(%r1)\n done\n .balign 8\nt: .byte 1,0,3,2,5,4,7,6\n .fill 248,1,9`);
    const t = [1, 0, 3, 2, 5, 4, 7, 6, ...Array(248).fill(9)];
    for (let k = 0; k < 8; k++) t[k] = t[t[k]];
    expect(r.bytes(r.at('t'), 8)).toEqual(t.slice(0, 8));
  });

  it('cli / cliy / tm / tmy condition codes', () => {
    const cc = (code: string) => run(`larl %r1,d\n ${code}\n done\nd: .byte 0x5a`).cc;
    expect(cc('cli 0(%r1),0x5a')).toBe(0);
    expect(cc('cli 0(%r1),0x5b')).toBe(1);
    expect(cc('cliy 0(%r1),0x80')).toBe(1);
    expect(cc('cliy 0(%r1),0x01')).toBe(2);
    expect(cc('tm 0(%r1),0x0a')).toBe(3); // 0x5a & 0x0a = 0x0a
    expect(cc('tm 0(%r1),0x05')).toBe(0);
    expect(cc('tm 0(%r1),0x0f')).toBe(1);
    expect(cc('tmy 0(%r1),0')).toBe(0);
  });

  it('tmll / tmlh / tmhl / tmhh: mixed results tell the leftmost selected bit', () => {
    const cc = (code: string) => run(`${code}\n done`, { setup: (c) => c.setReg(1, 0x8001_0f00_00ff_1234n) }).cc;
    expect(cc('tmll %r1,0x1234')).toBe(3);
    expect(cc('tmll %r1,0x0003')).toBe(0);
    expect(cc('tmll %r1,0x1003')).toBe(2); // leftmost selected bit (0x1000) is one
    expect(cc('tmll %r1,0x0600')).toBe(1); // 0x0400 zero, 0x0200 one: leftmost selected bit zero
    expect(cc('tmlh %r1,0x01ff')).toBe(1);
    expect(cc('tmhl %r1,0x0c30')).toBe(2);
    expect(cc('tmhl %r1,0xf000')).toBe(0);
    expect(cc('tmhh %r1,0x8001')).toBe(3);
    expect(cc('tmhh %r1,0')).toBe(0);
  });

  it('lcr / lpr / lnr and 64-bit forms: cc and overflow of the maximum negative number', () => {
    const one = (code: string, setup: bigint, pm = 0) =>
      run(`${code}\n done`, { pm, setup: (c) => { c.setReg(2, setup); c.setReg(1, 0x77777777_77777777n); } });
    let r = one('lcr %r1,%r2', 5n);
    expect(hex(r.r(1))).toBe('0x77777777fffffffb');
    expect(r.cc).toBe(1);
    r = one('lcr %r1,%r2', 0x80000000n);
    expect(r.lo(1)).toBe(0x80000000);
    expect(r.cc).toBe(3);
    expect(r.ok).toBe(true);
    r = one('x: lcr %r1,%r2', 0x80000000n, 8);
    expect(r.pic).toBe(8);
    expect(r.oldIa).toBe(r.at('x') + 2);
    r = one('lpr %r1,%r2', 0xfffffff9n);
    expect(r.lo(1)).toBe(7);
    expect(r.cc).toBe(2);
    r = one('lpr %r1,%r2', 0x80000000n);
    expect(r.cc).toBe(3);
    r = one('lnr %r1,%r2', 7n);
    expect(r.lo(1)).toBe(0xfffffff9);
    expect(r.cc).toBe(1);
    r = one('lnr %r1,%r2', 0n);
    expect(r.cc).toBe(0);
    r = one('lcgr %r1,%r2', 1n);
    expect(hex(r.r(1))).toBe('0xffffffffffffffff');
    expect(r.cc).toBe(1);
    r = one('lcgr %r1,%r2', 0x80000000_00000000n);
    expect(r.cc).toBe(3);
    r = one('lcgr %r1,%r2', 0x1_00000000n);
    expect(hex(r.r(1))).toBe('0xffffffff00000000');
    r = one('lcgfr %r1,%r2', 0x80000000n);
    expect(hex(r.r(1))).toBe('0x80000000');
    expect(r.cc).toBe(2);
    r = one('lpgr %r1,%r2', -2n);
    expect(hex(r.r(1))).toBe('0x2');
    r = one('lpgfr %r1,%r2', 0xfffffffen);
    expect(hex(r.r(1))).toBe('0x2');
    r = one('lngr %r1,%r2', 2n);
    expect(hex(r.r(1))).toBe('0xfffffffffffffffe');
    r = one('lngfr %r1,%r2', 0xfffffffen);
    expect(hex(r.r(1))).toBe('0xfffffffffffffffe');
    expect(r.cc).toBe(1);
  });

  it('flogr finds the leftmost one; odd R1 is a specification exception', () => {
    const f = (v: bigint) => run('flogr %r2,%r4\n done', { setup: (c) => c.setReg(4, v) });
    let r = f(0n);
    expect([r.r(2), r.r(3), r.cc]).toEqual([64n, 0n, 0]);
    r = f(0x00f0_0000_0000_0001n);
    expect([r.r(2), hex(r.r(3)), r.cc]).toEqual([8n, '0x70000000000001', 2]);
    r = f(0x8000_0000n);
    expect([r.r(2), r.r(3), r.cc]).toEqual([32n, 0n, 2]);
    r = f(1n);
    expect([r.r(2), r.r(3)]).toEqual([63n, 0n]);
    const bad = run('.insn rre,0xb9830000,%r3,%r4\n done');
    expect(bad.pic).toBe(6);
    expect(bad.ilc).toBe(4);
  });

  it('lpq / stpq move an aligned quadword pair; misaligned → specification', () => {
    const r = run(`larl %r1,q\n lpq %r2,0(%r1)\n stpq %r2,16(%r1)\n done\n .balign 16\nq: .quad 1,2,0,0`);
    expect(r.ok).toBe(true);
    expect([r.r(2), r.r(3)]).toEqual([1n, 2n]);
    expect(r.bytes(r.at('q') + 16, 16)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(run(`larl %r1,q\n lpq %r2,8(%r1)\n done\n .balign 16\nq: .quad 1,2,3`).pic).toBe(6);
  });

  it('tr with its table past the end of storage: addressing, the operand neither changed nor marked changed', () => {
    // cli makes the operand's page a TLB hit (stores allowed); the table's
    // is not. The storage-to-storage fast path must not record the store in
    // the operand's key before the table has failed.
    const r = run(`cli 0(%r1),0\nx: tr 0(8,%r1),0(%r2)\n done`, {
      setup: (c) => { c.setReg(1, 0x3000n); c.setReg(2, 0x100000n); c.storage.write8(0x3000, 0x77); c.storage.keys[3] = 0; },
    });
    expect(r.pic).toBe(5);
    expect(r.oldIa).toBe(r.at('x') + 6);
    expect(r.bytes(0x3000, 1)).toEqual([0x77]);
    expect(r.st.keys[3] & KEY_C).toBe(0);
  });

  it('mvc with an inaccessible destination page changes nothing (addressing exception)', () => {
    // 1 MB of storage: the destination runs past its end
    const r = run(`x: mvc 0(32,%r1),0(%r2)\n done`, { setup: (c) => { c.setReg(1, 0xffff0n); c.setReg(2, 0x3000n); c.storage.write8(0x3000, 0x77); } });
    expect(r.pic).toBe(5);
    expect(r.oldIa).toBe(r.at('x') + 6);
    expect(r.st.peek(0xffff0, 1)[0]).toBe(0);
  });
});

describe.skipIf(!haveAs)('loads family: MOVE LONG and MOVE LONG EXTENDED', () => {
  const mvclRegs = (d: number, l1: number, s: number, l2: number, pad = 0) => (c: import('../../src/cpu/cpu.js').Cpu) => {
    c.setReg(2, BigInt(d)); c.setReg(3, BigInt(l1)); c.setReg(4, BigInt(s)); c.setReg(5, BigInt(((pad << 24) | l2) >>> 0));
  };

  it('mvcl pads, sets cc by lengths and updates the registers', () => {
    const r = run('mvcl %r2,%r4\n done', { setup: (c) => { mvclRegs(0x8000, 6, 0x9000, 3, 0x40)(c); c.storage.load(0x9000, new Uint8Array([1, 2, 3, 4])); c.hi[3] = 0x1234; } });
    expect(r.ok).toBe(true);
    expect(r.bytes(0x8000, 7)).toEqual([1, 2, 3, 0x40, 0x40, 0x40, 0]);
    expect(r.cc).toBe(2);
    expect(hex(r.r(2))).toBe('0x8006');
    expect(hex(r.r(3))).toBe('0x123400000000'); // bits 0-31 unchanged, length 0
    expect(hex(r.r(4))).toBe('0x9003');
    expect(hex(r.r(5))).toBe('0x40000000'); // pad byte kept, length 0
    const t = run('mvcl %r2,%r4\n done', { setup: mvclRegs(0x8000, 2, 0x9000, 5) });
    expect(t.cc).toBe(1);
    expect(hex(t.r(4))).toBe('0x9002');
    expect(t.lo(5)).toBe(3);
    expect(run('mvcl %r2,%r4\n done', { setup: mvclRegs(0x8000, 5, 0x9000, 5) }).cc).toBe(0);
  });

  it('mvcl destructive overlap: cc 3 and nothing moved', () => {
    const r = run('mvcl %r2,%r4\n done', { setup: (c) => { mvclRegs(0x9001, 4, 0x9000, 4)(c); c.storage.load(0x9000, new Uint8Array([1, 2, 3, 4, 5])); } });
    expect(r.cc).toBe(3);
    expect(r.bytes(0x9000, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(r.lo(3)).toBe(4);
    // destination left of the source, or one length away: not destructive
    const ok = run('mvcl %r2,%r4\n done', { setup: (c) => { mvclRegs(0x9000, 4, 0x9001, 4)(c); c.storage.load(0x9000, new Uint8Array([1, 2, 3, 4, 5])); } });
    expect(ok.cc).toBe(0);
    expect(ok.bytes(0x9000, 5)).toEqual([2, 3, 4, 5, 5]);
  });

  it('mvcl of more than one unit resumes by re-execution until done, and odd registers are a specification exception', () => {
    const r = run('mvcl %r2,%r4\n done', { setup: (c) => { mvclRegs(0x20000, 0x9000, 0x40000, 0x8000, 0xee)(c); c.storage.write8(0x40000 + 0x7fff, 0x42); } });
    expect(r.ok).toBe(true);
    expect(r.cc).toBe(2);
    expect(hex(r.r(2))).toBe('0x29000');
    expect(r.lo(3)).toBe(0);
    expect(r.bytes(0x20000 + 0x7ffe, 4)).toEqual([0, 0x42, 0xee, 0xee]);
    expect(r.bytes(0x29000, 1)).toEqual([0]);
    expect(r.cpu.steps).toBeGreaterThan(3); // executed in several units
    expect(run('.insn rr,0x0e00,%r3,%r4\n done').pic).toBe(6);
  });

  it('mvcl in the 24-bit mode uses 24-bit addresses and clears bits 32-39', () => {
    const r = run('mvcl %r2,%r4\n done', { amode: 24, setup: (c) => { mvclRegs(0x8000, 2, 0x9000, 2)(c); c.lo[2] |= 0xff000000; c.lo[4] |= 0x7f000000; c.storage.load(0x9000, new Uint8Array([7, 8])); } });
    expect(r.bytes(0x8000, 2)).toEqual([7, 8]);
    expect(r.lo(2)).toBe(0x8002);
    expect(r.lo(4)).toBe(0x9002);
  });

  it('mvcle: cc 3 until done when longer than a unit, pad from the address', () => {
    const r = run(`
      lgfi %r3,10000
      lgfi %r5,5000
    l: mvcle %r2,%r4,0x61
      jo l
      done`, { setup: (c) => { c.setReg(2, 0x20000n); c.setReg(4, 0x40000n); c.storage.write8(0x40000 + 4999, 0x42); } });
    expect(r.ok).toBe(true);
    expect(r.cc).toBe(2);
    expect(r.bytes(0x20000 + 4998, 4)).toEqual([0, 0x42, 0x61, 0x61]);
    expect(r.bytes(0x20000 + 9999, 2)).toEqual([0x61, 0]);
    expect([r.r(2), r.r(3), r.r(4), r.r(5)]).toEqual([0x20000n + 10000n, 0n, 0x40000n + 5000n, 0n]);
    const s = run('mvcle %r2,%r4,0\n done', { setup: (c) => { c.setReg(2, 0x20000n); c.setReg(3, 4n); c.setReg(4, 0x40000n); c.setReg(5, 8n); } });
    expect(s.cc).toBe(1);
    expect(s.r(5)).toBe(4n);
    expect(run('.insn rs,0xa8000000,%r3,%r4,0\n done').pic).toBe(6);
  });
});

// keep ORG referenced for readers of failing tests
void ORG;
