/**
 * `npm run bench` takes zhint and Hercules by turns (src/bench/turns.ts):
 * rounds of one run each, each side's best round, every round reported.
 * Measurements are stand-ins here: no test asserts a timing.
 */
import { describe, expect, it } from 'vitest';
import { benchRounds, byTurns, type Measured } from '../../src/bench/turns.js';

/** stand-in measurements, in order, recording how each was asked for */
function sequence(mips: number[], asked: (number | undefined)[]): (runs: number | undefined) => Measured {
  let k = 0;
  return (runs) => { asked.push(runs); return { mips: mips[k++], steps: 1000 }; };
}

describe('zhint and Hercules by turns', () => {
  it('alternate one zhint run and one Hercules run per round, and keep each side\'s best round', () => {
    const order: string[] = [];
    const asked: (number | undefined)[] = [];
    const zhint = sequence([40, 48, 35], asked);
    const herc = [44, 39, 45];
    let h = 0;
    const t = byTurns('kernel-peer', 3, (runs) => { order.push('z'); return zhint(runs); }, () => { order.push('h'); return herc[h++]; });
    expect(order).toEqual(['z', 'h', 'z', 'h', 'z', 'h']);
    expect(asked).toEqual([1, 1, 1]);
    expect(t.z.mips).toBe(48);
    expect(t.herc).toBe(45);
    expect(t.line).toBe('  kernel-peer  40.0/44.0 (0.91)  48.0/39.0 (1.23)  35.0/45.0 (0.78)');
  });

  it('without Hercules, one round: the workload\'s own runs in one process', () => {
    const asked: (number | undefined)[] = [];
    const t = byTurns('kernel', 3, sequence([12.5], asked), undefined);
    expect(asked).toEqual([undefined]);
    expect({ mips: t.z.mips, herc: t.herc, line: t.line }).toEqual({ mips: 12.5, herc: undefined, line: '  kernel       12.5' });
  });

  it('take ZHINT_BENCH_ROUNDS as a positive integer (3 when unset) and refuse anything else in one line', () => {
    expect(benchRounds(undefined)).toBe(3);
    expect(benchRounds('5')).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'x', '']) {
      expect(() => benchRounds(bad)).toThrow(`ZHINT_BENCH_ROUNDS must be a positive integer, not '${bad}'`);
    }
  });
});
