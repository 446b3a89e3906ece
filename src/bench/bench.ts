/**
 * `npm run bench`: guest MIPS of zhint beside Hercules 3.13 and QEMU user
 * mode on the same guest loops. Figures are printed, never asserted.
 *
 *   ZHINT_BENCH_SCALE=0.2 npm run bench    # shorter runs
 *   ZHINT_BENCH_ROUNDS=5 npm run bench     # more rounds of zhint and Hercules by turns (default 3)
 *   npm run bench -- --only alu            # one loop
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../machine.js';
import { LOOPS, bareMetal, linuxUser, type BenchLoop } from './loops.js';
import {
  HAVE_HERCULES, HAVE_QEMU, gnuBinary, gnuBuild, herculesSeconds, qemuSeconds,
} from './peers.js';
import { benchExtras, bestOf, collectGarbage, type BenchExtra } from './extras.js';
import { benchRounds, byTurns, type Measured } from './turns.js';

const scale = Number(process.env.ZHINT_BENCH_SCALE ?? '1');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/** Assemble bench source for zhint with zhint's own assembler. */
async function zhintImage(source: string, name: string): Promise<{ bytes: Uint8Array; origin: number }> {
  const asm = await import('../asm/index.js');
  const r = asm.assemble(source, { file: `${name}.S` });
  if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return { bytes: r.image, origin: r.origin };
}

/**
 * Each zhint measurement runs in a process of its own, as `zhint run` and
 * `zhint run --no-jit` would: V8's type feedback and field representations
 * from one configuration must not colour the next (a process that ran
 * compiled blocks first interprets ~10% slower).
 */
function inChild(args: string[], runs?: number): Measured {
  if (runs !== undefined) args = [...args, String(runs)];
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--worker', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`worker ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
}

/** In a worker process: one measurement, printed as JSON. */
async function worker(args: string[]): Promise<void> {
  const [name, mode, countText, runsText] = args;
  const jit = mode === 'jit';
  const count = countText === undefined || countText === '-' ? undefined : Number(countText);
  const runs = runsText === undefined ? undefined : Number(runsText);
  const extra = benchExtras().find((e) => e.name === name);
  if (extra !== undefined) {
    console.log(JSON.stringify(await extra.measure(jit, count, runs)));
    return;
  }
  const loop = LOOPS.find((l) => l.name === name);
  if (loop === undefined) throw new Error(`no loop ${name}`);
  const img = await zhintImage(bareMetal(loop, Number(countText)), loop.name);
  console.log(JSON.stringify(bestOf(runs ?? 2, () => zhintMips(img, jit))));
}

function zhintMips(img: { bytes: Uint8Array; origin: number }, jit: boolean): { mips: number; steps: number } {
  const m = new Machine({ guestMem: 16 * 1024 * 1024, cmma: true, jit });
  m.load(img.origin, img.bytes);
  m.start(0x200);
  collectGarbage();
  const t = process.hrtime.bigint();
  const r = m.run(Number.MAX_SAFE_INTEGER);
  const dt = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.exitCode !== 0) throw new Error(`zhint: ${r.message}`);
  return { mips: r.steps / dt / 1e6, steps: r.steps };
}

function fmt(x: number | undefined): string {
  return x === undefined ? '      -' : x.toFixed(1).padStart(7);
}

async function main(): Promise<void> {
  const rounds = benchRounds(process.env.ZHINT_BENCH_ROUNDS);
  // each row's rounds, printed under the table
  const roundLog: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'zhint-bench-'));
  console.log(`zhint benchmark (node ${process.version}); scale ${scale}`);
  if (!HAVE_HERCULES) console.log('  (Hercules column empty: install the Debian packages hercules and binutils-s390x-linux-gnu)');
  if (!HAVE_QEMU) console.log('  (QEMU column empty: install the Debian packages qemu-user-static and binutils-s390x-linux-gnu)');
  console.log('');
  console.log('zhint: with the second tier (default); interp: --no-jit, the interpreter alone.');
  console.log('');
  console.log('loop          instructions  zhint MIPS  interp MIPS  Hercules MIPS  QEMU MIPS  zhint/Hercules  interp/Hercules');
  try {
    for (const loop of LOOPS) {
      if (only && loop.name !== only) continue;
      roundLog.push(await runLoop(loop, dir, rounds));
    }
    for (const extra of benchExtras()) {
      if (only && extra.name !== only) continue;
      roundLog.push(runExtra(extra, dir, rounds));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (roundLog.length > 0) {
    console.log('');
    console.log('Rounds, measured by turns (zhint MIPS / interp MIPS / Hercules MIPS (zhint/Hercules, interp/Hercules)):');
    for (const line of roundLog) console.log(line);
  }
}

async function runLoop(loop: BenchLoop, dir: string, rounds: number): Promise<string> {
  // the peers and the second tier run a loop 2.5x longer than the interpreter
  // alone (which runs for about 1.5 s: V8's warm-up stays a small part of it)
  const count = Math.max(4, Math.round((160_000_000 * scale) / loop.perIter / 4) * 4);
  const peerCount = Math.round(count * 2.5 / 4) * 4;
  const instr = peerCount * loop.perIter;
  const big = HAVE_HERCULES ? gnuBinary(dir, gnuBuild(dir, `${loop.name}-h`, bareMetal(loop, peerCount), 0)) : undefined;
  const { z: [z, zi], herc, line } = byTurns(loop.name, rounds, [
    (runs) => inChild([loop.name, 'jit', String(peerCount)], runs),
    (runs) => inChild([loop.name, 'interp', String(count)], runs),
  ], big === undefined ? undefined : () => instr / Math.max(herculesSeconds(big) - herculesStartup(dir), 1e-3) / 1e6);
  let qemu: number | undefined;
  if (HAVE_QEMU) {
    const big = gnuBuild(dir, `${loop.name}-q`, linuxUser(loop, peerCount));
    const small = gnuBuild(dir, `${loop.name}-q0`, linuxUser(loop, 4));
    const t = qemuSeconds(big) - qemuSeconds(small);
    qemu = instr / Math.max(t, 1e-3) / 1e6;
  }
  printRow(loop.name, z, zi, herc, qemu, loop.what);
  return line;
}

/** One line of the table: zhint with and without the tier, the peers, the ratios to Hercules. */
function printRow(name: string, z: Measured, zi: Measured, herc: number | undefined, qemu: number | undefined, what: string): void {
  const ratio = (x: number): string => (herc !== undefined ? (x / herc).toFixed(2) : '-').padStart(6);
  console.log(`${name.padEnd(13)} ${String(z.steps).padStart(12)}     ${fmt(z.mips)}      ${fmt(zi.mips)}        ${fmt(herc)}    ${fmt(qemu)}          ${ratio(z.mips)}           ${ratio(zi.mips)}   (${what})`);
}

/** Hercules' start-up and shut-down, in seconds (the shortest ALU loop program), measured once. */
let herculesOverhead: number | undefined;
function herculesStartup(dir: string): number {
  return herculesOverhead ??= herculesSeconds(gnuBinary(dir, gnuBuild(dir, 'startup', bareMetal(LOOPS[0], 4), 0)));
}

/**
 * A workload beyond the loops (extras.ts). When Hercules can run it too, the
 * instruction count is zhint's (the same image runs the same instructions on
 * both) and Hercules' start-up is subtracted.
 */
function runExtra(extra: BenchExtra, dir: string, rounds: number): string {
  const h = extra.hercules;
  const passes = h === undefined ? undefined : Math.max(6, Math.round(h.passes * scale));
  const passesArg = passes === undefined ? '-' : String(passes);
  // zhint's instruction count (the same image runs the same instructions on both)
  let steps = 0;
  let hercules: (() => number) | undefined;
  if (h !== undefined && passes !== undefined && HAVE_HERCULES) {
    const bin = join(dir, `${extra.name}.bin`);
    writeFileSync(bin, h.image(dir, passes));
    hercules = () => steps / Math.max(herculesSeconds(bin, h.how) - herculesStartup(dir), 1e-3) / 1e6;
  }
  const interpPasses = passes === undefined ? '-' : String(Math.max(6, Math.round(passes * 0.4)));
  const { z: [z, zi], herc, line } = byTurns(extra.name, rounds, [
    (runs) => {
      const r = inChild([extra.name, 'jit', passesArg], runs);
      steps = r.steps;
      return r;
    },
    (runs) => inChild([extra.name, 'interp', interpPasses], runs),
  ], hercules);
  printRow(extra.name, z, zi, herc, undefined, extra.what);
  return line;
}

(process.argv[2] === '--worker' ? worker(process.argv.slice(3)) : main()).catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
