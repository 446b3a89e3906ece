/**
 * Drive the reference emulators for `npm run bench`, when installed:
 * Hercules 3.13 (a C interpreter, Debian package `hercules`) headless, and
 * QEMU user mode (`qemu-s390x-static`, a JIT). Both run GNU-as-assembled
 * images, so binutils-s390x-linux-gnu is needed too.
 *
 * Each peer's time includes its start-up; we subtract the time of the same
 * program with a tiny loop count, so the figure is the loop's own speed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelDir } from '../demo/kernel.js';

export function haveTool(cmd: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0;
}

export const HAVE_BINUTILS = haveTool('s390x-linux-gnu-as') && haveTool('s390x-linux-gnu-ld');
export const HAVE_HERCULES = HAVE_BINUTILS && haveTool('hercules');
export const HAVE_QEMU = HAVE_BINUTILS && haveTool('qemu-s390x-static');

/** Assemble and link GNU-as source; returns the ELF path (in `dir`). */
export function gnuBuild(dir: string, name: string, source: string, textAddr?: number): string {
  const s = join(dir, `${name}.S`);
  const o = join(dir, `${name}.o`);
  const elf = join(dir, `${name}.elf`);
  writeFileSync(s, source);
  execFileSync('s390x-linux-gnu-as', ['-march=z196', '-o', o, s]);
  const ldArgs = ['-static', '-e', '_start', '-o', elf, o];
  if (textAddr !== undefined) ldArgs.unshift(`-Ttext=0x${textAddr.toString(16)}`);
  execFileSync('s390x-linux-gnu-ld', ldArgs);
  return elf;
}

/**
 * programs/kernel/kernel.s built by GNU as and ld, linked at 0 (`peer`: with
 * --defsym PEER=1, the peer build); returns the ELF path (in `dir`). Throws
 * when binutils are missing.
 */
export function gnuKernel(dir: string, peer: boolean): string {
  const kdir = kernelDir();
  const o = join(dir, 'kernel.o');
  const elf = join(dir, 'kernel.elf');
  execFileSync('s390x-linux-gnu-as', ['-march=z196', ...(peer ? ['--defsym', 'PEER=1'] : []), '-I', kdir, '-o', o, join(kdir, 'kernel.s')]);
  execFileSync('s390x-linux-gnu-ld', ['-Ttext=0', '-e', '_start', '-o', elf, o]);
  return elf;
}

/** Raw image of a bare-metal ELF linked at 0. */
export function gnuBinary(dir: string, elf: string): string {
  const bin = elf.replace(/\.elf$/, '.bin');
  execFileSync('s390x-linux-gnu-objcopy', ['-O', 'binary', elf, bin]);
  return bin;
}

function seconds(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** How Hercules runs an image: storage size, and where the restart PSW points. */
export interface HerculesRun {
  /** main storage in MiB (default 16) */
  mainsizeMiB?: number;
  /** entry address (default 0x200, the bench loops' `_start`) */
  entry?: number;
}

/**
 * Run a bare-metal image under Hercules until the disabled wait; wall
 * seconds. Hercules' console output is occasionally cut short when the
 * automatic operator quits, so a run without the success PSW is retried.
 */
export function herculesSeconds(bin: string, how: HerculesRun = {}): number {
  for (let attempt = 1; ; attempt++) {
    try {
      return herculesOnce(bin, how);
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

function herculesOnce(bin: string, how: HerculesRun): number {
  const dir = mkdtempSync(join(tmpdir(), 'zhint-herc-'));
  try {
    const cnf = join(dir, 'herc.cnf');
    writeFileSync(cnf, `ARCHMODE z/Arch\nMAINSIZE ${how.mainsizeMiB ?? 16}\nNUMCPU 1\nCPUSERIAL 000001\nCPUMODEL 2064\n` +
      `000E 1403 ${join(dir, 'prt.txt')}\n`);
    const rc = join(dir, 'run.rc');
    const entry = (how.entry ?? 0x200).toString(16).padStart(16, '0');
    // The automatic operator quits as soon as the CPU enters the disabled wait (HHCCP011I).
    writeFileSync(rc, `hao tgt HHCCP011I\nhao cmd quit\nloadcore ${bin} 0\n` +
      `r 1a0=0000000180000000${entry}\nrestart\n`);
    let out = '';
    let timedOut = false;
    const t = seconds(() => {
      const r = spawnSync('hercules', ['-d', '-f', cnf], {
        env: { ...process.env, HERCULES_RC: rc }, encoding: 'utf8', timeout: 120_000,
      });
      out = (r.stdout ?? '') + (r.stderr ?? '');
      timedOut = r.error !== undefined || r.signal !== null;
    });
    // the automatic operator occasionally misses the wait message: Hercules
    // then sits in the wait until killed, and its time means nothing
    if (timedOut) throw new Error('Hercules did not quit by itself');
    // the success PSW: a disabled wait at 0xfff (any addressing mode)
    if (!/PSW=0002000[01] [08]0000000 0000000000000FFF/.test(out)) {
      throw new Error('Hercules did not reach the success PSW');
    }
    return t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run a Linux user-space ELF under qemu-s390x-static; wall seconds. */
export function qemuSeconds(elf: string): number {
  return seconds(() => {
    const r = spawnSync('qemu-s390x-static', [elf], { timeout: 300_000 });
    if (r.status !== 0) throw new Error(`qemu-s390x-static exited with ${r.status}`);
  });
}
