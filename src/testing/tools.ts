/**
 * The external oracles tests use: GNU binutils for s390x (Debian package
 * binutils-s390x-linux-gnu) and QEMU user mode (qemu-user-static). Tests skip
 * with a message naming the package when a tool is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AS = 's390x-linux-gnu-as';
export const LD = 's390x-linux-gnu-ld';
export const QEMU = 'qemu-s390x-static';

function have(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

let binutilsCache: boolean | undefined;
let qemuCache: boolean | undefined;

export function haveBinutils(): boolean {
  return (binutilsCache ??= have(AS) && have(LD));
}

export function haveQemu(): boolean {
  return (qemuCache ??= have(QEMU));
}

/** Why a test that needs the oracles is skipped ('' when they are all there). */
export function missingTools(needQemu: boolean): string {
  const miss: string[] = [];
  if (!haveBinutils()) miss.push(`${AS}/${LD} (Debian package binutils-s390x-linux-gnu)`);
  if (needQemu && !haveQemu()) miss.push(`${QEMU} (Debian package qemu-user-static)`);
  return miss.length === 0 ? '' : `skipped: missing ${miss.join(' and ')}`;
}

export interface LinkOptions {
  /** address of .text (GNU ld -Ttext); default 0x400000 */
  text?: number;
  /** extra ld arguments */
  ldArgs?: string[];
  /** -march for as; default z196 (the level isa.md names) */
  march?: string;
}

/** A scratch directory removed by `dispose()`. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'zhint-'));
  path(name: string): string { return join(this.dir, name); }
  dispose(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

/**
 * Assemble `source` with GNU as and link it statically with GNU ld into an
 * ELF executable; returns its path (inside `scratch`). Assembler errors are
 * thrown with the assembler's message.
 */
export function assembleAndLink(scratch: Scratch, source: string, base = 'prog', opts: LinkOptions = {}): string {
  const src = scratch.path(`${base}.s`);
  const obj = scratch.path(`${base}.o`);
  const exe = scratch.path(base);
  writeFileSync(src, source);
  run(AS, [`-march=${opts.march ?? 'z196'}`, '-o', obj, src]);
  run(LD, ['-static', `-Ttext=0x${(opts.text ?? 0x400000).toString(16)}`, ...(opts.ldArgs ?? []), '-o', exe, obj]);
  return exe;
}

/** Assemble and link, returning the executable's bytes. */
export function buildElf(source: string, opts: LinkOptions = {}): Uint8Array {
  const s = new Scratch();
  try {
    return new Uint8Array(readFileSync(assembleAndLink(s, source, 'prog', opts)));
  } finally {
    s.dispose();
  }
}

function run(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const msg = err.stderr?.toString().trim() || err.message;
    throw new Error(`${cmd} failed:\n${msg.split('\n').slice(0, 20).join('\n')}`);
  }
}

/**
 * shared/tools/hercules-run (Hercules 3.13, Debian package `hercules`): beside
 * the checkout as CI lays it out, else the workplace copy; null when it or
 * Hercules itself is missing.
 */
export function herculesRunner(): string | null {
  const here = new URL('.', import.meta.url).pathname;
  const script = [join(here, '../../../shared/tools/hercules-run'), '/work/shared/tools/hercules-run'].find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (script === undefined) return null;
  return spawnSync('sh', ['-c', 'command -v hercules'], { stdio: 'ignore' }).status === 0 ? script : null;
}

/**
 * Run a bare-metal ELF under Hercules with hercules-run and return what it
 * printed. hercules-run gives Hercules a fixed pause, which a loaded machine
 * can outlast: a run that did not reach a disabled wait is tried again.
 */
export function runHercules(runner: string, elf: string, tries = 6): string {
  let out = '';
  for (let k = 0; k < tries; k++) {
    out = execFileSync(runner, [elf], { encoding: 'utf8', timeout: 90_000 });
    if (!out.includes('no disabled wait')) break;
  }
  return out;
}
