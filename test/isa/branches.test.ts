import { describe, expect, it } from 'vitest';
import { checkFamilyEncodings, haveAs, run, type Result } from './helpers2.js';
import { LC } from '../../src/cpu/lowcore.js';

const hex = (v: bigint) => '0x' + v.toString(16);
/** addressing mode recorded in the program old PSW (EA bit 31, BA bit 32) */
const oldMode = (r: Result) => {
  const ea = r.st.read32(LC.PROGRAM_OLD_PSW) & 1;
  const ba = r.st.read32(LC.PROGRAM_OLD_PSW + 4) >>> 31;
  return ea ? 64 : ba ? 31 : 24;
};

describe.skipIf(!haveAs)('branches family', () => {
  it('every branches instruction decodes what GNU as encodes', () => {
    expect(checkFamilyEncodings('branches')).toEqual([]);
  });

  it('bc / bcr / brc / brcl branch when the cc is in the mask; bcr with R2 = 0 never branches', () => {
    const prog = (br: string, cc: number) => run(`
      larl %r5,t
      ${br}
      lghi %r1,1
      done
    t: lghi %r1,2
      done`, { setup: (c) => { c.cc = cc; } }).lo(1);
    expect(prog('bc 2,0(%r5)', 2)).toBe(2);
    expect(prog('bc 2,0(%r5)', 0)).toBe(1);
    expect(prog('bc 15,0(%r5)', 3)).toBe(2);
    expect(prog('bcr 1,%r5', 3)).toBe(2);
    expect(prog('bcr 14,%r5', 3)).toBe(1);
    expect(prog('bcr 15,%r0', 0)).toBe(1);
    expect(prog('brc 8,t', 0)).toBe(2);
    expect(prog('brc 7,t', 0)).toBe(1);
    expect(prog('brcl 4,t', 1)).toBe(2);
    expect(prog('brcl 0,t', 1)).toBe(1);
  });

  it('bas / basr / bras / brasl save the return address per addressing mode', () => {
    for (const amode of [64, 31, 24] as const) {
      const one = (call: string) => run(`
        larl %r5,t
      x: ${call}
      y: done
      t: done`, { amode, setup: (c) => c.setReg(14, 0xaaaaaaaa_bbbbbbbbn) });
      for (const call of ['bras %r14,t', 'basr %r14,%r5', 'bas %r14,0(%r5)', 'brasl %r14,t']) {
        const r = one(call);
        expect(r.oldIa, `${call} ${amode}`).toBe(r.at('t') + 2); // it branched
        const y = BigInt(r.at('y'));
        const want = amode === 64 ? y : amode === 31 ? 0xaaaaaaaa_80000000n | y : 0xaaaaaaaa_00000000n | y;
        expect(hex(r.r(14)), `${call} ${amode}`).toBe(hex(want));
      }
      const z = one('basr %r14,%r0');
      expect(z.oldIa).toBe(z.at('y') + 2); // no branch
      expect(z.lo(14) & 0x7fffffff).toBe(z.at('y'));
    }
  });

  it('bal / balr in the 24-bit mode put ILC, cc and program mask in bits 32-39', () => {
    const r = run(`
      larl %r5,t
    x: bal %r14,0(%r5)
    y: done
    t: balr %r13,%r0
    z: done`, { amode: 24, pm: 0xc, setup: (c) => { c.cc = 2; c.setReg(14, 0x12345678_00000000n); } });
    expect(r.ok).toBe(true);
    expect(r.oldIa).toBe(r.at('z') + 2);
    expect(hex(r.r(14))).toBe(hex(0x12345678_00000000n | BigInt((0b10 << 30 | 2 << 28 | 0xc << 24 | r.at('y')) >>> 0)));
    expect(r.lo(13)).toBe((0b01 << 30 | 2 << 28 | 0xc << 24 | r.at('z')) >>> 0);
    // 31-bit mode: like BAS
    const s = run('larl %r5,t\n bal %r14,0(%r5)\ny: done\nt: done', { amode: 31, setup: (c) => { c.cc = 3; } });
    expect(s.lo(14)).toBe((0x80000000 | s.at('y')) >>> 0);
  });

  it('bct / bctr / brct count 32 bits; bctg / bctgr / brctg count 64 bits; R2 = 0 decrements without branching', () => {
    let r = run(`lhi %r1,5\n lghi %r2,0\n larl %r5,l\nl: aghi %r2,1\n bct %r1,0(%r5)\n done`, { setup: (c) => c.setReg(1, 0x77777777_00000000n) });
    expect([r.lo(2), r.lo(1), r.hi(1)]).toEqual([5, 0, 0x77777777]);
    r = run(`lhi %r1,3\n lghi %r2,0\nl: aghi %r2,1\n brct %r1,l\n done`);
    expect(r.lo(2)).toBe(3);
    // the 64-bit count borrows from bits 0-31
    r = run('brctg %r1,t\n lghi %r7,1\n done\nt: lghi %r7,2\n done', { setup: (c) => c.setReg(1, 0x1_00000000n) });
    expect([hex(r.r(1)), r.lo(7)]).toEqual(['0xffffffff', 2]);
    r = run('brctg %r1,t\n lghi %r7,1\n done\nt: lghi %r7,2\n done', { setup: (c) => c.setReg(1, 1n) });
    expect([r.r(1), r.lo(7)]).toEqual([0n, 1]);
    r = run('brct %r1,t\n lghi %r7,1\n done\nt: lghi %r7,2\n done', { setup: (c) => c.setReg(1, 0x5_00000001n) });
    expect([hex(r.r(1)), r.lo(7)]).toEqual(['0x500000000', 1]);
  });

  it('bctr / bctgr: branch to r2, or decrement only when R2 = 0', () => {
    let r = run('larl %r5,t\n bctr %r1,%r5\n lghi %r7,1\n done\nt: lghi %r7,2\n done', { setup: (c) => c.setReg(1, 2n) });
    expect([r.lo(1), r.lo(7)]).toEqual([1, 2]);
    r = run('bctr %r1,%r0\n done', { setup: (c) => c.setReg(1, 0n) });
    expect(r.lo(1)).toBe(0xffffffff);
    expect(r.ok).toBe(true);
    r = run('larl %r5,t\n bctgr %r1,%r5\n lghi %r7,1\n done\nt: lghi %r7,2\n done', { setup: (c) => c.setReg(1, 0x1_00000000n) });
    expect([hex(r.r(1)), r.lo(7)]).toEqual(['0xffffffff', 2]);
    r = run('larl %r5,t\n bctg %r1,0(%r5)\n lghi %r7,1\n done\nt: lghi %r7,2\n done', { setup: (c) => c.setReg(1, 1n) });
    expect([r.r(1), r.lo(7)]).toEqual([0n, 1]);
  });

  it('brxle / brxh / bxle / bxh: the comparand is the odd register of the R3 pair', () => {
    // R3 even: increment r4, compare r5
    let r = run(`lghi %r1,0\n lghi %r4,2\n lghi %r5,10\n lghi %r6,0\nl: aghi %r6,1\n brxle %r1,%r4,l\n done`);
    expect([r.lo(6), r.lo(1)]).toEqual([6, 12]);
    // R3 odd: r5 is both increment and comparand
    r = run(`lghi %r1,10\n lghi %r5,-1\n lghi %r6,0\nl: aghi %r6,1\n brxh %r1,%r5,l\n done`);
    expect([r.lo(6), r.lo(1)]).toEqual([11, 0xffffffff]);
    r = run(`larl %r9,l\n lghi %r1,0\n lghi %r4,3\n lghi %r5,9\n lghi %r6,0\nl: aghi %r6,1\n bxle %r1,%r4,0(%r9)\n done`);
    expect([r.lo(6), r.lo(1)]).toEqual([4, 12]);
    r = run(`larl %r9,l\n lghi %r1,10\n lghi %r3,-2\n lghi %r6,0\nl: aghi %r6,1\n bxh %r1,%r3,0(%r9)\n done`);
    expect([r.lo(6), r.lo(1) | 0]).toEqual([6, -2]);
    // R1 is the comparand register: compared with its value before the addition
    r = run(`lghi %r4,1\n lghi %r5,5\n brxle %r5,%r4,t\n lghi %r7,1\n done\nt: lghi %r7,2\n done`);
    expect([r.lo(5), r.lo(7)]).toEqual([6, 1]);
  });

  it('bxhg / bxleg / brxhg / brxlg use 64-bit signed values', () => {
    let r = run(`larl %r9,t\n bxhg %r2,%r4,0(%r9)\n lghi %r7,1\n done\nt: lghi %r7,2\n done`, { setup: (c) => {
      c.setReg(2, 0xffffffffn); c.setReg(4, 1n); c.setReg(5, 0xffffffffn);
    } });
    expect([hex(r.r(2)), r.lo(7)]).toEqual(['0x100000000', 2]);
    r = run(`larl %r9,t\n bxleg %r2,%r4,0(%r9)\n lghi %r7,1\n done\nt: lghi %r7,2\n done`, { setup: (c) => {
      c.setReg(2, -2n); c.setReg(4, 1n); c.setReg(5, -1n);
    } });
    expect([r.r(2), r.lo(7)]).toEqual([0xffffffff_ffffffffn, 2]);
    // R3 odd: r3 is increment and comparand; 0x100000000 + -1 > -1: taken
    r = run(`brxhg %r2,%r3,t\n lghi %r7,1\n done\nt: lghi %r7,2\n done`, { setup: (c) => { c.setReg(2, 0x1_00000000n); c.setReg(3, -1n); } });
    expect([hex(r.r(2)), r.lo(7)]).toEqual(['0xffffffff', 2]);
    r = run(`lghi %r6,0\nl: aghi %r6,1\n brxlg %r2,%r4,l\n done`, { setup: (c) => { c.setReg(2, 0n); c.setReg(4, 1n); c.setReg(5, 3n); } });
    expect([r.lo(6), r.r(2)]).toEqual([4, 4n]);
  });

  it('bassm / bsm switch addressing modes and return', () => {
    const r = run(`
      larl %r2,t
      oilf %r2,0x80000000
    x: bassm %r14,%r2
    y: lghi %r7,7
      done
    t: lghi %r8,8
      bsm %r0,%r14`);
    expect(r.ok).toBe(true);
    expect([r.lo(7), r.lo(8)]).toEqual([7, 8]);
    expect(r.r(14)).toBe(BigInt(r.at('y')) | 1n);
    expect(oldMode(r)).toBe(64);
    // into 24-bit mode and stop there
    const s = run('larl %r2,t\n bsm %r0,%r2\n done\nt: done');
    expect(s.oldIa).toBe(s.at('t') + 2);
    expect(oldMode(s)).toBe(24);
    // bsm with R2 = 0: only the mode bit goes into R1
    const b = run('bsm %r1,%r0\n done', { amode: 31, setup: (c) => c.setReg(1, 0x11111111_00000010n) });
    expect(hex(b.r(1))).toBe('0x1111111180000010');
    expect(oldMode(b)).toBe(31);
    const g = run('bsm %r1,%r0\n done', { setup: (c) => c.setReg(1, 0x10n) });
    expect(g.r(1)).toBe(0x11n);
    // bassm link in 31-bit mode: bit 32 one
    const l = run('larl %r2,t\nx: bassm %r14,%r2\ny: done\nt: done', { amode: 31 });
    expect(l.lo(14)).toBe((0x80000000 | l.at('y')) >>> 0);
    expect(oldMode(l)).toBe(24);
  });

  it('sam24 / sam31 / sam64 set the mode; the next address must fit', () => {
    expect(oldMode(run('sam31\n done'))).toBe(31);
    expect(oldMode(run('sam24\n done'))).toBe(24);
    expect(oldMode(run('sam64\n done', { amode: 24 }))).toBe(64);
    const bad = run('x: sam24\n done', { org: 0xfffffe, size: 32 << 20 });
    expect(bad.pic).toBe(6);
    expect(bad.ilc).toBe(2);
    expect(bad.oldIa).toBe(0x1000000);
    expect(oldMode(bad)).toBe(64);
    const ok31 = run('sam31\n done', { org: 0xfffffe, size: 32 << 20 });
    expect(oldMode(ok31)).toBe(31);
    expect(ok31.ok).toBe(true);
  });
});
