/**
 * Focused differential runs for program interruptions: sequences made of the
 * instructions that raise them, so most sequences end in a signal under QEMU
 * (SIGFPE / SIGILL with si_code), compared with zhint's interruption code,
 * registers, cc and the old PSW address. See src/testing/diff/harness.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { missingTools, Scratch } from '../../src/testing/tools.js';
import { runBatch, signalOf, type BatchResult } from '../../src/testing/diff/harness.js';
import { candidates } from '../../src/testing/diff/gen.js';
import { KNOWN_MISMATCHES } from './known.js';

const skip = missingTools(true);
if (skip) console.warn(`test/diff/exceptions.test.ts: ${skip}`);

const exclude = process.env.ZHINT_DIFF_ALL === '1' ? new Set<string>() : new Set(KNOWN_MISMATCHES.keys());

/** the mnemonics of `names` that the table has (others are still being written) */
function present(names: string[]): Set<string> {
  const have = new Set(candidates({ exclude }).map((d) => d.mnemonic));
  return new Set(names.filter((n) => have.has(n)));
}

function check(res: BatchResult): void {
  for (const m of res.mismatches.slice(0, 8)) console.error(m.report + '\n');
  expect(res.mismatches.map((m) => `${m.mnemonic} (seed ${m.seed} seq ${m.seq})`)).toEqual([]);
}

describe.skipIf(skip !== '')('differential test against QEMU: program interruptions', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.dispose());

  it('maps interruption codes to the signals Linux/QEMU deliver', () => {
    expect(signalOf(0x09)).toEqual({ signo: 8, code: 1 }); // SIGFPE FPE_INTDIV
    expect(signalOf(0x08)).toEqual({ signo: 8, code: 2 }); // SIGFPE FPE_INTOVF
    expect(signalOf(0x06)).toEqual({ signo: 4, code: 2 }); // SIGILL ILL_ILLOPN
    expect(signalOf(0x01)).toEqual({ signo: 4, code: 1 }); // SIGILL ILL_ILLOPC
  });

  const divides = present(['d', 'dr', 'dl', 'dlr', 'dlg', 'dlgr', 'dsg', 'dsgr', 'dsgf', 'dsgfr']);
  it.skipIf(divides.size === 0)('fixed-point divide exceptions (SIGFPE FPE_INTDIV)', () => {
    const res = runBatch({ seed: 101, batch: 0, sequences: 60, perSequence: 6, only: divides, exclude }, scratch);
    check(res);
    expect(res.faults.get('8/1') ?? 0).toBeGreaterThan(10);
  });

  // program mask 8: fixed-point overflow interrupts (the result is stored, cc 3, PSW past the
  // instruction). QEMU 7.2 never raises it, so zhint's state at the interruption is compared
  // with QEMU's after the instruction, run with program mask 0.
  const overflows = present(['a', 'ar', 'ag', 'agr', 'agf', 'agfr', 'ah', 'ahi', 'aghi', 'afi', 'agfi', 'ark', 'agrk', 'ahik',
    'aghik', 'asi', 'agsi', 's', 'sr', 'sg', 'sgr', 'sgf', 'sgfr', 'srk', 'sgrk', 'lcr', 'lcgr', 'lpr', 'lpgr', 'sla', 'slag',
    'slak', 'slda', 'msfi', 'ms', 'msr']);
  it.skipIf(overflows.size === 0)('fixed-point overflow exceptions under program mask 8 (zhint only; QEMU raises none)', () => {
    const res = runBatch({ seed: 102, batch: 0, sequences: 60, perSequence: 8, only: overflows, exclude, zhintProgramMask: 8 }, scratch);
    check(res);
    expect(res.faults.get('zhint:8') ?? 0).toBeGreaterThan(10);
  });

  // alignment: CS/CSG/CDS/CDSG/LPQ/STPQ need aligned operands, odd pair registers where pairs are due
  const aligned = present(['cs', 'csg', 'cds', 'cdsg', 'lpq', 'stpq', 'csy', 'cdsy']);
  it.skipIf(aligned.size === 0)('specification exceptions (SIGILL ILL_ILLOPN)', () => {
    const res = runBatch({ seed: 103, batch: 0, sequences: 60, perSequence: 6, only: aligned, exclude }, scratch);
    check(res);
    expect(res.faults.get('4/2') ?? 0).toBeGreaterThan(5);
  });
});
