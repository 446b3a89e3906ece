/**
 * Rounds in which zhint and Hercules are measured by turns (`npm run bench`,
 * ZHINT_BENCH_ROUNDS, default 3); each side's figure is its best round. On
 * this shared machine either one's speed moves by a third or more within a
 * minute, so a ratio of figures taken minutes apart says more about the
 * machine than about the two emulators; taken in turns, both see the same
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
  /** zhint's best round */
  z: Measured;
  /** Hercules' best round (MIPS), when it ran */
  herc: number | undefined;
  /** every round's figures, one line for under the table */
  line: string;
}

/**
 * `rounds` rounds of one zhint measurement (`zhint(1)`: one run, in a fresh
 * process) and one Hercules measurement (MIPS). Without Hercules there is
 * nothing to take turns with: one round, `zhint(undefined)` (the workload's
 * own number of runs in one process).
 */
export function byTurns(name: string, rounds: number, zhint: (runs: number | undefined) => Measured,
  hercules: (() => number) | undefined): Turns {
  let z: Measured | undefined;
  let herc: number | undefined;
  const figures: string[] = [];
  for (let r = 0; r < (hercules === undefined ? 1 : rounds); r++) {
    const zr = zhint(hercules === undefined ? undefined : 1);
    if (z === undefined || zr.mips > z.mips) z = zr;
    const hr = hercules?.();
    if (hr !== undefined && (herc === undefined || hr > herc)) herc = hr;
    figures.push(hr === undefined ? zr.mips.toFixed(1) : `${zr.mips.toFixed(1)}/${hr.toFixed(1)} (${(zr.mips / hr).toFixed(2)})`);
  }
  return { z: z!, herc, line: `  ${name.padEnd(12)} ${figures.join('  ')}` };
}
