/**
 * Rounds in which zhint and Hercules are measured by turns (`npm run bench`,
 * ZHINT_BENCH_ROUNDS, default 3); each figure is its best round. On this
 * shared machine either one's speed moves by a third or more within a
 * minute, so a ratio of figures taken minutes apart says more about the
 * machine than about the two emulators; taken in turns, all see the same
 * slow and fast spells.
 */

/** one zhint measurement: guest MIPS and the instructions it ran */
export type Measured = { mips: number; steps: number };

/** ZHINT_BENCH_ROUNDS: a positive integer, 3 when unset. */
export function benchRounds(text: string | undefined): number {
  const n = Number(text ?? '3');
  if (!Number.isInteger(n) || n < 1) throw new Error(`ZHINT_BENCH_ROUNDS must be a positive integer, not '${text}'`);
  return n;
}

export interface Turns {
  /** each zhint measurement's best round, in the order given */
  z: Measured[];
  /** Hercules' best round (MIPS), when it ran */
  herc: number | undefined;
  /** every round's figures, one line for under the table */
  line: string;
}

/**
 * `rounds` rounds, each of one run of every zhint measurement (`zhint[k](1)`:
 * one run, in a fresh process) and one Hercules measurement (MIPS). Without
 * Hercules there is nothing to take turns with: one round, `zhint[k](undefined)`
 * (the workload's own number of runs in one process).
 */
export function byTurns(name: string, rounds: number, zhint: ((runs: number | undefined) => Measured)[],
  hercules: (() => number) | undefined): Turns {
  const z: (Measured | undefined)[] = zhint.map(() => undefined);
  let herc: number | undefined;
  const figures: string[] = [];
  for (let r = 0; r < (hercules === undefined ? 1 : rounds); r++) {
    const zr = zhint.map((measure) => measure(hercules === undefined ? undefined : 1));
    zr.forEach((m, k) => { if (z[k] === undefined || m.mips > z[k]!.mips) z[k] = m; });
    const hr = hercules?.();
    if (hr !== undefined && (herc === undefined || hr > herc)) herc = hr;
    const mips = zr.map((m) => m.mips.toFixed(1)).join('/');
    figures.push(hr === undefined ? mips : `${mips}/${hr.toFixed(1)} (${zr.map((m) => (m.mips / hr).toFixed(2)).join(', ')})`);
  }
  return { z: z as Measured[], herc, line: `  ${name.padEnd(12)} ${figures.join('  ')}` };
}
