/**
 * The instruction-length code of a program interruption (PoP "Program
 * Interruption": lowcore 0x8C holds the ILC of the instruction that caused
 * it, in bytes here: 2, 4 or 6). The interpreter records the length only
 * when an instruction ends in an exception or is one that reads it while it
 * runs (SVC), so the ILC must never be that of an earlier instruction.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { assemble, formatError } from '../../src/asm/index.js';
import { LC } from '../../src/cpu/lowcore.js';

function run(body: string, jit: boolean): Machine {
  const source = `
        .text
        .org 0x1c0
        .quad 0x0000000180000000, svcret    # SVC new PSW: 64-bit, disabled
        .quad 0x0002000180000000, 0x1dead   # program new PSW: disabled wait
        .org 0x200
_start: lghi  %r2,-1                # far beyond storage: addressing
        llihh %r2,0x7000
${body}
        lpswe done
svcret: lpswe 0x140                 # back behind the SVC
        .align 8
done:   .quad 0x0002000180000000, 0xfff
`;
  const r = assemble(source, { file: 'ilc.s', origin: 0 });
  if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
  const m = new Machine({ guestMem: 1 << 20, jit });
  m.load(r.origin, r.image);
  m.start(0x200);
  m.run(10_000);
  return m;
}

describe('instruction-length code of a program interruption', () => {
  for (const jit of [false, true]) {
    const tier = `second tier ${jit ? 'on' : 'off'}`;
    it(`is the faulting LG's (6) right after an SVC (2) and an LPSWE (4), ${tier}`, () => {
      const m = run('        svc 1\n        lg %r1,0(%r2)', jit);
      expect(m.storage.read16(LC.PGM_CODE)).toBe(0x05);
      expect(m.storage.read16(LC.PGM_ILC)).toBe(6);
    });
    it(`is the faulting L's (4) after a 6-byte instruction, ${tier}`, () => {
      const m = run('        lg %r1,0\n        l %r1,0(%r2)', jit);
      expect(m.storage.read16(LC.PGM_CODE)).toBe(0x05);
      expect(m.storage.read16(LC.PGM_ILC)).toBe(4);
    });
    it(`is AGR's (4) on fixed-point overflow after 6-byte AGFIs and a 2-byte LR, ${tier}`, () => {
      // r3 = 1 then AGR doubles it to 2^63: fixed-point overflow (mask on) at
      // AGR (4 bytes) after many AGFI (6 bytes) and a 2-byte LR before
      const m = run(`        lghi %r3,1
        lpswe fpo
fpo_back:
        lhi %r5,200
1:      agfi %r6,1
        brct %r5,1b
        lr  %r7,%r6
        sllg %r3,%r3,62
        agr %r3,%r3
        .align 8
fpo:    .quad 0x0000080180000000, fpo_back  # 64-bit, program mask: fixed-point overflow`, jit);
      expect(m.storage.read16(LC.PGM_CODE)).toBe(0x08);
      expect(m.storage.read16(LC.PGM_ILC)).toBe(4);
    });
  }
});
