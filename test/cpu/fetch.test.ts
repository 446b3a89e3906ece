/**
 * Instruction fetch and the decoded-instruction cache (cpu.ts `fetch`): an
 * instruction that crosses a page boundary is decoded without the cache; the
 * fetch after it must not reuse the code page cached before it. Such an
 * instruction's decoding is kept by its bits: a store that changes its part
 * in the second page must be seen.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { assemble, formatError } from '../../src/asm/index.js';

function run(source: string, jit: boolean): Machine {
  const r = assemble(source, { file: 'fetch.s', origin: 0 });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  const m = new Machine({ guestMem: 1 << 20, jit });
  m.load(r.origin, r.image);
  m.start(0x200);
  const res = m.run(10_000);
  expect(res.exitCode).toBe(0);
  return m;
}

describe('instruction fetch', () => {
  // Page 1 holds `lghi %r5,99` at 0x120a and, at 0x1ffe, a 4-byte BRANCH
  // (47f0e000) that crosses into page 2 and returns to 0x20a in page 0, where
  // `lghi %r5,1` is. Offset 0x20a of page 1 was decoded: a fetch that trusted
  // the code page of page 1 would run its instruction instead.
  const source = `
        .text
        .org 0x1d0
        .quad 0x0002000180000000, 0xdead
        .org 0x200
_start: larl %r14,back          # 0x200 (6 bytes)
        j   sub                 # 0x206 (4 bytes)
back:   lghi %r5,1              # 0x20a
        lpswe done
        .align 8
done:   .quad 0x0002000180000000, 0xfff
        .org 0x120a
sub:    lghi %r5,99             # 0x120a: same page offset as back
        j   cross
        .org 0x1ffe
cross:  b   0(%r14)             # 0x1ffe-0x2001: crosses into page 2
        .org 0x2100
        .long 0
`;
  for (const jit of [false, true]) {
    it(`after a page-crossing branch the target comes from its own page (second tier ${jit ? 'on' : 'off'})`, () => {
      const m = run(source, jit);
      expect(m.cpu.lo[5]).toBe(1);
    });
  }

  // The interpreter remembers the instruction that followed another in
  // sequence (Insn.next). A store that changes the second must make the
  // first forget it: pass 1 runs A then B (now linked) and rewrites B's
  // immediate; passes 2 and 3 must run the new B.
  // three passes (%r1), the sum in %r5; a program interruption stops at 0xdead
  const PASSES = `
        .text
        .org 0x1d0
        .quad 0x0002000180000000, 0xdead
        .org 0x200
_start: lghi  %r1,3
        lghi  %r5,0
`;
  const rewrite = `${PASSES}
loop:   ahi   %r5,1             # A
b:      ahi   %r5,0x10          # B: its immediate becomes 0x20 after pass 1
        mvi   b+3,0x20
        brct  %r1,loop
        lpswe done
        .align 8
done:   .quad 0x0002000180000000, 0xfff
`;
  for (const jit of [false, true]) {
    it(`a store into the instruction after another drops the link to it (second tier ${jit ? 'on' : 'off'})`, () => {
      const m = run(rewrite, jit);
      expect(m.cpu.lo[5]).toBe(1 + 0x10 + 2 * (1 + 0x20));
    });
  }

  // AHI at 0x1ffe: opcode and register in page 1, the immediate (0x2000-
  // 0x2001) in page 2. Pass 1 adds 0x10 and rewrites the immediate; passes
  // 2 and 3 must add 0x20.
  const crossRewrite = `${PASSES}
        llilf %r2,0x2000
        j     loop
exit:   lpswe done
        .align 8
done:   .quad 0x0002000180000000, 0xfff
        .org 0x1ffe
loop:   ahi   %r5,0x10          # crosses into page 2
        mvi   1(%r2),0x20       # its immediate's low byte
        brct  %r1,loop
        j     exit
`;
  for (const jit of [false, true]) {
    it(`a store into the second page of a page-crossing instruction is seen (second tier ${jit ? 'on' : 'off'})`, () => {
      const m = run(crossRewrite, jit);
      expect(m.cpu.lo[5]).toBe(0x10 + 2 * 0x20);
    });
  }
});
