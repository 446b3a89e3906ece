/**
 * Differential test: random instruction sequences of the families loads,
 * arithmetic, compare, logical, shifts and branches, run by QEMU user mode
 * and by zhint on the same ELF; all 16 GPRs and the CC are compared after
 * every instruction, the data areas at the end, and program interruptions
 * (as the signal QEMU raises) where they happen. See src/testing/diff/.
 *
 *   ZHINT_DIFF_COUNT=N   instructions per seed (default 5000)
 *   ZHINT_DIFF_SEED=S    run only seed S (reproduce a failure)
 *   ZHINT_DIFF_ALL=1     also generate the KNOWN_MISMATCHES instructions
 *   ZHINT_DIFF_ONLY=a,b  generate only these mnemonics (focused runs)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { missingTools, Scratch } from '../../src/testing/tools.js';
import { runBatch, type Mismatch } from '../../src/testing/diff/harness.js';
import { candidates } from '../../src/testing/diff/gen.js';
import { KNOWN_MISMATCHES } from './known.js';

const SEQUENCES = 100;
const PER_SEQUENCE = 50;
const PER_BATCH = SEQUENCES * PER_SEQUENCE;

const count = Number(process.env.ZHINT_DIFF_COUNT ?? PER_BATCH);
const fixedSeed = 1;
const today = new Date();
/** rotates daily: yyyymmdd */
const rotatingSeed = today.getUTCFullYear() * 10000 + (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
const seeds = process.env.ZHINT_DIFF_SEED !== undefined ? [Number(process.env.ZHINT_DIFF_SEED)] : [fixedSeed, rotatingSeed];
const exclude = process.env.ZHINT_DIFF_ALL === '1' ? new Set<string>() : new Set(KNOWN_MISMATCHES.keys());

const only = process.env.ZHINT_DIFF_ONLY ? new Set(process.env.ZHINT_DIFF_ONLY.split(',')) : undefined;
if (only) for (const m of only) exclude.delete(m);

const skip = missingTools(true);
if (skip) console.warn(`test/diff/qemu-diff.test.ts: ${skip}`);

function summary(ms: Mismatch[]): string {
  const by = new Map<string, number>();
  for (const m of ms) by.set(m.mnemonic, (by.get(m.mnemonic) ?? 0) + 1);
  return [...by].map(([k, v]) => `${k}×${v}`).join(' ');
}

describe.skipIf(skip !== '')('differential test against QEMU (loads, arithmetic, compare, logical, shifts, branches)', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.dispose());

  it('the generator has instructions to test', () => {
    const pool = candidates({ exclude, only });
    expect(pool.length).toBeGreaterThan(0);
    console.log(`diff: ${pool.length} instructions in the pool; known mismatches excluded: ${[...exclude].join(' ') || 'none'}`);
  });

  for (const seed of seeds) {
    it(`seed ${seed}: ${count} instructions`, () => {
      const all: Mismatch[] = [];
      let done = 0;
      for (let batch = 0; done < count; batch++) {
        const perSeq = Math.min(PER_SEQUENCE, count - done);
        const seqs = Math.min(SEQUENCES, Math.ceil((count - done) / perSeq));
        const res = runBatch({ seed, batch, sequences: seqs, perSequence: perSeq, exclude, only }, scratch);
        done += res.instructions;
        all.push(...res.mismatches);
      }
      if (all.length > 0) {
        for (const m of all.slice(0, 12)) console.error(m.report + '\n');
        console.error(`diff seed ${seed}: ${all.length} mismatching sequence(s): ${summary(all)}` +
          `\n  reproduce: ZHINT_DIFF_SEED=${seed} ZHINT_DIFF_COUNT=${count} npx vitest run test/diff`);
      }
      expect(all.map((m) => `${m.mnemonic} (batch ${m.batch} seq ${m.seq})`)).toEqual([]);
      expect(done).toBeGreaterThanOrEqual(count);
    });
  }
});
