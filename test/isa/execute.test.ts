import { describe, expect, it } from 'vitest';
import { checkFamilyEncodings, haveAs, run } from './helpers2.js';

describe.skipIf(!haveAs)('execute (EX / EXRL)', () => {
  it('ex and exrl decode what GNU as encodes', () => {
    expect(checkFamilyEncodings((d) => d.mnemonic === 'ex' || d.mnemonic === 'exrl')).toEqual([]);
  });

  it('EX of MVC takes the length from r1 bits 56-63; R1 = 0 executes the target unchanged', () => {
    const src = (ex: string) => `
      larl %r2,dst
      larl %r3,src
      larl %r4,m
      ${ex}
      done
    m: mvc 0(1,%r2),0(%r3)
    src: .byte 1,2,3,4,5,6
    dst: .byte 0,0,0,0,0,0`;
    const setup = (c: import('../../src/cpu/cpu.js').Cpu) => { c.setReg(1, 0xffffff03n); c.setReg(0, 0xffn); };
    let r = run(src('ex %r1,0(%r4)'), { setup });
    expect(r.ok).toBe(true);
    expect(r.bytes(r.at('dst'), 6)).toEqual([1, 2, 3, 4, 0, 0]);
    r = run(src('exrl %r1,m'), { setup });
    expect(r.bytes(r.at('dst'), 6)).toEqual([1, 2, 3, 4, 0, 0]);
    r = run(src('ex %r0,0(%r4)'), { setup });
    expect(r.bytes(r.at('dst'), 6)).toEqual([1, 0, 0, 0, 0, 0]);
    // the target in storage is not modified
    expect(r.bytes(r.at('m'), 2)).toEqual([0xd2, 0x00]);
  });

  it('EX of MVI: the OR reaches the immediate byte', () => {
    const r = run('larl %r2,d\n exrl %r1,m\n done\nm: mvi 0(%r2),0\nd: .byte 0', { setup: (c) => c.setReg(1, 0x5an) });
    expect(r.bytes(r.at('d'), 1)).toEqual([0x5a]);
  });

  it('EX of a relative branch: the target is relative to the executed instruction; not taken continues after the EX', () => {
    const src = (target: string) => `
      larl %r4,m
    x: ex %r0,0(%r4)
      lghi %r7,1
      done
    m: ${target}
      lghi %r8,1
      done
    far: lghi %r9,9
      done`;
    let r = run(src('j far'));
    expect([r.lo(7), r.lo(8), r.lo(9)]).toEqual([0, 0, 9]);
    r = run(src('jne far'), { setup: (c) => { c.cc = 0; } });
    expect([r.lo(7), r.lo(8), r.lo(9)]).toEqual([1, 0, 0]);
    // bras under EX: the link is the EX's next instruction
    r = run(src('bras %r14,far'));
    expect(r.lo(9)).toBe(9);
    expect(Number(r.r(14))).toBe(r.at('x') + 4);
    // exrl + brasl
    const s = run(`x: exrl %r0,m\n done\nm: brasl %r14,far\n done\nfar: done`);
    expect(Number(s.r(14))).toBe(s.at('x') + 6);
    expect(s.oldIa).toBe(s.at('far') + 2);
  });

  it('EX of BAL in the 24-bit mode stores the ILC of the EX', () => {
    let r = run('larl %r4,m\n larl %r5,far\nx: ex %r0,0(%r4)\n done\nm: balr %r14,%r5\nfar: done', { amode: 24 });
    expect(r.lo(14) >>> 30).toBe(2);
    expect(r.lo(14) & 0xffffff).toBe(r.at('x') + 4);
    r = run('larl %r5,far\nx: exrl %r0,m\n done\nm: balr %r14,%r5\nfar: done', { amode: 24 });
    expect(r.lo(14) >>> 30).toBe(3);
    expect(r.lo(14) & 0xffffff).toBe(r.at('x') + 6);
  });

  it('execute of EX or EXRL is an execute exception (0x03) with the EX ILC', () => {
    let r = run('larl %r4,m\nx: ex %r0,0(%r4)\n done\nm: ex %r0,0(%r4)');
    expect([r.pic, r.ilc, r.oldIa]).toEqual([3, 4, r.at('x') + 4]);
    r = run('x: exrl %r0,m\n done\nm: exrl %r0,m');
    expect([r.pic, r.ilc, r.oldIa]).toEqual([3, 6, r.at('x') + 6]);
    r = run('x: exrl %r0,m\n done\nm: ex %r0,0');
    expect([r.pic, r.ilc]).toEqual([3, 6]);
  });

  it('an odd target address is a specification exception', () => {
    const r = run('larl %r4,m\nx: ex %r0,1(%r4)\n done\nm: lghi %r1,1');
    expect([r.pic, r.ilc, r.oldIa]).toEqual([6, 4, r.at('x') + 4]);
  });

  it('exceptions in the target report the EX address and ILC', () => {
    // addressing exception (1 MB storage)
    let r = run('larl %r4,m\nx: ex %r0,0(%r4)\n done\nm: l %r1,0(%r2)', { setup: (c) => c.setReg(2, 0x200000n) });
    expect([r.pic, r.ilc, r.oldIa]).toEqual([5, 4, r.at('x') + 4]);
    r = run('x: exrl %r0,m\n done\nm: l %r1,0(%r2)', { setup: (c) => c.setReg(2, 0x200000n) });
    expect([r.pic, r.ilc, r.oldIa]).toEqual([5, 6, r.at('x') + 6]);
    // operation exception of an unknown target
    r = run('x: exrl %r0,m\n done\nm: .short 0');
    expect([r.pic, r.ilc, r.oldIa]).toEqual([1, 6, r.at('x') + 6]);
    // fixed-point overflow under the program mask: completed, result stored
    r = run('x: exrl %r0,m\n done\nm: sla %r1,1', { pm: 8, setup: (c) => c.setReg(1, 0x40000000n) });
    expect([r.pic, r.ilc, r.oldIa, r.lo(1)]).toEqual([8, 6, r.at('x') + 6, 0]);
    // the CPU is back at the EX afterwards: the next instruction runs normally
    r = run('x: exrl %r0,m\n lghi %r3,3\n done\nm: lghi %r2,2');
    expect([r.ok, r.lo(2), r.lo(3), r.cpu.exLen]).toEqual([true, 2, 3, 0]);
  });

  it('EX of MVCL longer than one unit resumes by re-executing the EX', () => {
    const r = run('x: exrl %r0,m\n lghi %r9,1\n done\nm: mvcl %r2,%r4', { setup: (c) => {
      c.setReg(2, 0x20000n); c.setReg(3, 0x3000n); c.setReg(4, 0x40000n); c.setReg(5, 0x3000n);
      c.storage.write8(0x40000 + 0x2fff, 0x42);
    } });
    expect(r.ok).toBe(true);
    expect(r.lo(9)).toBe(1);
    expect(r.lo(3)).toBe(0);
    expect(r.bytes(0x20000 + 0x2fff, 1)).toEqual([0x42]);
    expect(r.cc).toBe(0);
  });
});
