/**
 * `npm run bench`: guest MIPS of zhint beside Hercules 3.13 and QEMU user
 * mode on the same guest loops. Figures are printed, never asserted.
 *
 *   ZHINT_BENCH_SCALE=0.2 npm run bench    # shorter runs
 *   npm run bench -- --only alu            # one loop
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../machine.js';
import { LOOPS, bareMetal, linuxUser, type BenchLoop } from './loops.js';
import {
  HAVE_HERCULES, HAVE_QEMU, gnuBinary, gnuBuild, herculesSeconds, qemuSeconds,
} from './peers.js';
import { benchExtras, bestOf, collectGarbage, PEER_KERNEL, peerKernelImage, type BenchExtra } from './extras.js';
import { kernelDir } from '../demo/kernel.js';

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
function inChild(args: string[]): { mips: number; steps: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--worker', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`worker ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { mips: number; steps: number };
}

/** In a worker process: one measurement, printed as JSON. */
async function worker(args: string[]): Promise<void> {
  const [name, mode, countText] = args;
  const jit = mode === 'jit';
  const extra = benchExtras().find((e) => e.name === name);
  if (extra !== undefined) {
    console.log(JSON.stringify(await extra.measure(jit, countText === undefined ? undefined : Number(countText))));
    return;
  }
  const loop = LOOPS.find((l) => l.name === name);
  if (loop === undefined) throw new Error(`no loop ${name}`);
  const img = await zhintImage(bareMetal(loop, Number(countText)), loop.name);
  console.log(JSON.stringify(bestOf(2, () => zhintMips(img, jit))));
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
      await runLoop(loop, dir);
    }
    for (const extra of benchExtras()) {
      if (only && extra.name !== only) continue;
      if (extra.name === 'kernel-peer') {
        runPeerKernel(extra, dir);
        continue;
      }
      const j = inChild([extra.name, 'jit']);
      const i = inChild([extra.name, 'interp']);
      console.log(`${extra.name.padEnd(13)} ${String(j.steps).padStart(12)}     ${fmt(j.mips)}      ${fmt(i.mips)}        ${fmt(undefined)}    ${fmt(undefined)}  (${extra.what})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runLoop(loop: BenchLoop, dir: string): Promise<void> {
  // the peers and the second tier run a loop 2.5x longer than the interpreter
  // alone (which runs for about 1.5 s: V8's warm-up stays a small part of it)
  const count = Math.max(4, Math.round((160_000_000 * scale) / loop.perIter / 4) * 4);
  const peerCount = Math.round(count * 2.5 / 4) * 4;
  const z = inChild([loop.name, 'jit', String(peerCount)]);
  const zi = inChild([loop.name, 'interp', String(count)]);
  let herc: number | undefined;
  let qemu: number | undefined;
  const instr = peerCount * loop.perIter;
  if (HAVE_HERCULES) {
    const big = gnuBinary(dir, gnuBuild(dir, `${loop.name}-h`, bareMetal(loop, peerCount), 0));
    const small = gnuBinary(dir, gnuBuild(dir, `${loop.name}-h0`, bareMetal(loop, 4), 0));
    const t = herculesSeconds(big) - herculesSeconds(small);
    herc = instr / Math.max(t, 1e-3) / 1e6;
  }
  if (HAVE_QEMU) {
    const big = gnuBuild(dir, `${loop.name}-q`, linuxUser(loop, peerCount));
    const small = gnuBuild(dir, `${loop.name}-q0`, linuxUser(loop, 4));
    const t = qemuSeconds(big) - qemuSeconds(small);
    qemu = instr / Math.max(t, 1e-3) / 1e6;
  }
  const ratio = (x: number): string => (herc !== undefined ? (x / herc).toFixed(2) : '-').padStart(6);
  console.log(`${loop.name.padEnd(13)} ${String(z.steps).padStart(12)}     ${fmt(z.mips)}      ${fmt(zi.mips)}        ${fmt(herc)}    ${fmt(qemu)}          ${ratio(z.mips)}           ${ratio(zi.mips)}   (${loop.what})`);
}

/**
 * The kernel's peer build on zhint and Hercules. The instruction count is
 * zhint's (the same image and parameters run the same instructions on both:
 * no timer interruption comes); Hercules' start-up is measured with the ALU
 * loop's shortest program and subtracted.
 */
function runPeerKernel(extra: BenchExtra, dir: string): void {
  const passes = Math.max(6, Math.round(600 * scale));
  const interpPasses = Math.max(6, Math.round(240 * scale));
  const z = inChild([extra.name, 'jit', String(passes)]);
  const zi = inChild([extra.name, 'interp', String(interpPasses)]);
  let herc: number | undefined;
  if (HAVE_HERCULES) {
    const bin = join(dir, 'kernel-peer.bin');
    writeFileSync(bin, gnuKernelPeer(dir, peerKernelImage(passes)));
    const small = gnuBinary(dir, gnuBuild(dir, 'kernel-h0', bareMetal(LOOPS[0], 4), 0));
    const t = herculesSeconds(bin, { mainsizeMiB: PEER_KERNEL.storageMiB, entry: PEER_KERNEL.entry }) - herculesSeconds(small);
    herc = z.steps / Math.max(t, 1e-3) / 1e6;
  }
  const ratio = (x: number): string => (herc !== undefined ? (x / herc).toFixed(2) : '-').padStart(6);
  console.log(`${extra.name.padEnd(13)} ${String(z.steps).padStart(12)}     ${fmt(z.mips)}      ${fmt(zi.mips)}        ${fmt(herc)}    ${fmt(undefined)}          ${ratio(z.mips)}           ${ratio(zi.mips)}   (${extra.what})`);
}

/**
 * The peer kernel built by GNU as and ld from the same source (PEER defined
 * with --defsym), its parameter block taken from zhint's image; it must be
 * byte-identical to zhint's, or the two would not run the same program.
 */
function gnuKernelPeer(dir: string, zhintImage: Uint8Array): Uint8Array {
  const o = join(dir, 'kernel-peer.o');
  const elf = join(dir, 'kernel-peer.elf');
  const kdir = kernelDir();
  execFileSync('s390x-linux-gnu-as', ['-march=z196', '--defsym', 'PEER=1', '-I', kdir, '-o', o, join(kdir, 'kernel.s')]);
  execFileSync('s390x-linux-gnu-ld', ['-Ttext=0', '-e', '_start', '-o', elf, o]);
  const gnu = new Uint8Array(readFileSync(gnuBinary(dir, elf)));
  gnu.set(zhintImage.subarray(0x2000, 0x2050), 0x2000);
  if (Buffer.compare(gnu, zhintImage) !== 0) throw new Error('the peer kernel built by GNU as differs from zhint\'s');
  return gnu;
}

(process.argv[2] === '--worker' ? worker(process.argv.slice(3)) : main()).catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
