/**
 * `zhint asm FILE -o OUT`: assemble a source file into a raw image (the bytes
 * from the lowest to the highest assembled address, gaps zero-filled), with
 * an optional listing on stdout.
 */
import { writeFileSync } from 'node:fs';
import { CliError, formatOptions, parseArgs, UsageError, type OptionSpec } from './options.js';
import type { Io } from './io.js';
import { DEFSYM_OPTION, isSource, readProgram, sourceOptions, type Program } from './program.js';
import { DEFAULT_ORIGIN } from './assemble.js';

const ASM_OPTIONS: OptionSpec[] = [
  { name: 'output', short: 'o', kind: 'string', arg: 'OUT', help: 'write the raw image to OUT' },
  { name: 'load', kind: 'addr', arg: 'ADDR', help: `address of .text, the image's first byte (default 0x${DEFAULT_ORIGIN.toString(16)})` },
  { name: 'listing', kind: 'flag', help: 'print a listing (address, bytes, source line) on stdout' },
  DEFSYM_OPTION,
  { name: 'help', kind: 'flag', short: 'h', help: 'show this help' },
];

export const ASM_HELP = `usage: zhint asm FILE -o OUT [--listing]

Assemble FILE (GNU as s390 syntax) into a raw image: the bytes from the lowest
to the highest assembled address, gaps filled with zeros. Run it with
\`zhint run OUT --load ADDR\` where ADDR is the image's first address (printed).
Assembly errors are printed as file:line:col with the source line and a caret,
all of them; the exit status is then 1.

options:
${formatOptions(ASM_OPTIONS)}
`;

/** Flatten a program's segments into one image starting at its lowest address. */
export function rawBytes(p: Program): { base: number; bytes: Uint8Array } {
  if (p.segments.length === 0) return { base: p.entry, bytes: new Uint8Array(0) };
  let lo = Infinity;
  let hi = 0;
  for (const s of p.segments) {
    lo = Math.min(lo, s.addr);
    hi = Math.max(hi, s.addr + s.memSize);
  }
  if (hi - lo > 1 << 30) {
    throw new CliError(`${p.file}: the assembled code spans 0x${lo.toString(16)}..0x${hi.toString(16)}, too far apart for a raw image`);
  }
  const out = new Uint8Array(hi - lo);
  for (const s of p.segments) out.set(s.data, s.addr - lo);
  return { base: lo, bytes: out };
}

export async function asmCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs('asm', argv, ASM_OPTIONS);
  if (p.args.length !== 1) throw new UsageError(`asm: one source file expected (usage: zhint asm FILE -o OUT)`);
  const file = p.args[0];
  const out = p.opts.get('output') as string | undefined;
  const listing = p.opts.get('listing') === true;
  if (out === undefined && !listing) throw new UsageError('asm: no output: give -o OUT and/or --listing');
  if (!isSource(file)) throw new CliError(`${file}: not an assembly source file (expected .s or .S)`);
  const prog = readProgram(file, { ...sourceOptions(p), listing, warn: (s) => io.err(s) });
  if (listing && prog.listing !== undefined) io.out(prog.listing.endsWith('\n') ? prog.listing : prog.listing + '\n');
  if (out !== undefined) {
    const { base, bytes } = rawBytes(prog);
    try {
      writeFileSync(out, bytes);
    } catch (e) {
      throw new CliError(`${out}: cannot write: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const note = prog.entry !== base ? ` (entry 0x${prog.entry.toString(16)} is not the first address: a raw image starts at its load address)` : '';
    io.err(`zhint: wrote ${out}: ${bytes.length} bytes, load address 0x${base.toString(16)}${note}\n`);
  }
  return 0;
}
