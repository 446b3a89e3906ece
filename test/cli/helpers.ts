/**
 * Helpers for the CLI tests: the CLI in-process (fast, most tests), a build of
 * the real executable for the child-process tests, and GNU binutils for the
 * ELF oracle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../../src/cli/cli.js';
import { BufferIo } from '../../src/cli/io.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HELLO = join(ROOT, 'programs/hello.s');
export const GREETING = 'Hello from zhint, an s390 guest!\n';

export interface Result { code: number; stdout: string; stderr: string }

/** Run the CLI in-process. */
export async function zhint(...argv: string[]): Promise<Result> {
  const io = new BufferIo();
  const code = await cli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'zhint-cli-'));
}

export const BINUTILS_SKIP = 'needs s390x-linux-gnu-as/ld (Debian package binutils-s390x-linux-gnu)';

/** Assemble and link `src` with GNU binutils at 0x10000; returns the ELF path. */
export function gnuElf(src: string, dir = tmp(), name = basename(src).replace(/\.[sS]$/, '')): string {
  const o = join(dir, `${name}.o`);
  const elf = join(dir, `${name}.elf`);
  execFileSync('s390x-linux-gnu-as', ['-march=z196', '-o', o, src]);
  execFileSync('s390x-linux-gnu-ld', ['-Ttext=0x10000', '-o', elf, o]);
  return elf;
}

/** Flat binary of an ELF (objcopy -O binary): its first byte is the lowest loaded address. */
export function gnuBin(elf: string): string {
  const bin = elf.replace(/\.elf$/, '.bin');
  execFileSync('s390x-linux-gnu-objcopy', ['-O', 'binary', elf, bin]);
  return bin;
}

export function writeTmp(name: string, text: string | Uint8Array, dir = tmp()): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/**
 * Build the real executable once (tsc into a private directory, so the tests
 * never race with `npm run build` or other engineers' dist/). tsc emits even
 * when some other module has type errors; the tests then show what runs.
 */
export const BUILD_DIR = join(ROOT, 'node_modules/.cache/zhint-cli-test');
export function buildCli(): string {
  mkdirSync(BUILD_DIR, { recursive: true });
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD_DIR], {
    cwd: ROOT, encoding: 'utf8',
  });
  // inside node_modules the nearest package.json scope ends: declare ESM for the build
  writeFileSync(join(BUILD_DIR, 'package.json'), '{"type":"module"}\n');
  const main = join(BUILD_DIR, 'cli/main.js');
  if (!existsSync(main)) throw new Error(`build failed: ${main} missing`);
  return main;
}

/** Run the built executable as a child process. */
export function zhintProcess(main: string, ...argv: string[]): Result {
  const r = spawnSync(process.execPath, [main, ...argv], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
