/**
 * `npm run bench` takes zhint and Hercules by turns (src/bench/turns.ts):
 * rounds of one run of each, each figure its best round, every round
 * reported. Measurements are stand-ins here: no test asserts a timing.
 */
import { describe, expect, it } from 'vitest';
import { benchRounds, byTurns, type Measured } from '../../src/bench/turns.js';

/** stand-in measurements, in order, recording how each was asked for */
function sequence(label: string, mips: number[], log: string[]): (runs: number | undefined) => Measured {
  let k = 0;
  return (runs) => { log.push(`${label}${runs ?? '-'}`); return { mips: mips[k++], steps: 1000 }; };
}

describe('zhint and Hercules by turns', () => {
  it('alternate one run of each zhint measurement and one Hercules run per round, and keep each one\'s best round', () => {
    const log: string[] = [];
    const herc = [44, 39, 45];
    let h = 0;
    const t = byTurns('kernel-peer', 3, [sequence('z', [40, 48, 35], log), sequence('i', [25, 22, 27], log)],
      () => { log.push('h'); return herc[h++]; });
    expect(log).toEqual(['z1', 'i1', 'h', 'z1', 'i1', 'h', 'z1', 'i1', 'h']);
    expect(t.z.map((m) => m.mips)).toEqual([48, 27]);
    expect(t.herc).toBe(45);
    expect(t.line).toBe('  kernel-peer  40.0/25.0/44.0 (0.91, 0.57)  48.0/22.0/39.0 (1.23, 0.56)  35.0/27.0/45.0 (0.78, 0.60)');
  });

  it('without Hercules, one round: each workload\'s own runs in one process', () => {
    const log: string[] = [];
    const t = byTurns('kernel', 3, [sequence('z', [12.5], log), sequence('i', [18], log)], undefined);
    expect(log).toEqual(['z-', 'i-']);
    expect({ mips: t.z.map((m) => m.mips), herc: t.herc, line: t.line }).toEqual({ mips: [12.5, 18], herc: undefined, line: '  kernel       12.5/18.0' });
  });

  it('take ZHINT_BENCH_ROUNDS as a positive integer (3 when unset) and refuse anything else in one line', () => {
    expect(benchRounds(undefined)).toBe(3);
    expect(benchRounds('5')).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'x', '']) {
      expect(() => benchRounds(bad)).toThrow(`ZHINT_BENCH_ROUNDS must be a positive integer, not '${bad}'`);
    }
  });
});
