/**
 * Runs the bare-metal supervisor test programs (programs/*.s) two ways:
 * assembled by zhint's assembler (src/asm) and by GNU as + ld (an ELF loaded
 * by src/loader/elf.ts). Each program reports success by a disabled wait at
 * address 0xfff; on failure r13 holds the number of the failing check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine, type RunResult } from '../../src/machine.js';
import { assemble, formatError } from '../../src/asm/index.js';
import { loadInto, parseElf } from '../../src/loader/elf.js';
import { haveBinutils } from '../../src/testing/tools.js';
import { chooseLoop } from '../isa/helpers.js';

export const PROGRAMS = join(dirname(fileURLToPath(import.meta.url)), 'programs');

/** GNU binutils for s390x (Debian package binutils-s390x-linux-gnu) present? */
export { haveBinutils };

/** Assemble and link with GNU as/ld; returns the ELF bytes. */
export function gnuElf(name: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'zhint-sv-'));
  try {
    const src = join(PROGRAMS, name);
    execFileSync('s390x-linux-gnu-as', ['-march=z196', '-I', PROGRAMS, '-o', join(dir, 'p.o'), src]);
    execFileSync('s390x-linux-gnu-ld', ['-Ttext=0', '-e', '_start', '-o', join(dir, 'p.elf'), join(dir, 'p.o')]);
    return new Uint8Array(readFileSync(join(dir, 'p.elf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Flavor = 'zhint-asm' | 'gnu-as';

export interface Run { m: Machine; result: RunResult; failedCheck: number }

/** Load a program (either way) into a fresh machine and set the initial PSW at its entry. */
export function boot(name: string, flavor: Flavor, guestMem = 4 * 1024 * 1024): Machine {
  const m = new Machine({ guestMem });
  chooseLoop(m.cpu);
  if (flavor === 'gnu-as') {
    const img = parseElf(gnuElf(name), name);
    loadInto(m.storage, img, name);
    m.start(img.entry);
  } else {
    const text = readFileSync(join(PROGRAMS, name), 'utf8');
    const r = assemble(text, {
      file: name, origin: 0,
      resolve: (inc: string, from: string) => {
        const p = resolve(dirname(join(PROGRAMS, from)), inc);
        return existsSync(p) ? { file: inc, text: readFileSync(p, 'utf8') } : undefined;
      },
    });
    if (!r.ok) throw new Error(r.errors.map(formatError).join('\n'));
    m.load(r.origin, r.image);
    m.start(r.entry);
  }
  return m;
}

export function runProgram(name: string, flavor: Flavor, maxSteps = 1_000_000): Run {
  const m = boot(name, flavor);
  const result = m.run(maxSteps);
  return { m, result, failedCheck: m.cpu.lo[13] };
}

/** A readable failure description for expect messages. */
export function describeRun(r: Run): string {
  const c = r.m.cpu;
  const st = r.m.storage;
  return `${r.result.reason}: ${r.result.message}; check r13=${c.lo[13]} r12=0x${c.lo[12].toString(16)} ` +
    `r1=0x${c.hi[1].toString(16)}:${c.lo[1].toString(16)} r2=0x${c.hi[2].toString(16)}:${c.lo[2].toString(16)} ` +
    `last pgm code 0x${st.read16(c.prefix + 0x8e).toString(16)} ilc ${st.read8(c.prefix + 0x8d)} ` +
    `old pgm PSW addr 0x${st.read32(c.prefix + 0x15c).toString(16)}`;
}
