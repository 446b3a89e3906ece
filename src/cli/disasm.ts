/**
 * `zhint disasm FILE`: disassemble a raw image, an ELF executable or a
 * source file (assembled first), in the layout of `objdump -d`: a header per
 * symbol, then `address: bytes <tab> mnemonic <tab> operands`.
 */
import { extname } from 'node:path';
import { formatOptions, parseArgs, UsageError, type OptionSpec } from './options.js';
import type { Io } from './io.js';
import { DEFSYM_OPTION, readProgram, sourceOptions, type Program } from './program.js';
import { disassembleAt, symbolLookup } from './assemble.js';
import { hex } from '../trace/trace.js';

const DISASM_OPTIONS: OptionSpec[] = [
  { name: 'load', kind: 'addr', arg: 'ADDR', help: 'address of the first byte of a raw image (default 0 for .bin), or of .text of a source file' },
  DEFSYM_OPTION,
  { name: 'help', kind: 'flag', short: 'h', help: 'show this help' },
];

export const DISASM_HELP = `usage: zhint disasm FILE [--load ADDR]

Disassemble FILE in the layout of \`s390x-linux-gnu-objdump -d\`: a raw image
(.bin, or any file with --load ADDR), a static ELF64 s390x executable (its
executable segments, from the first symbol or the entry point on), or an
assembly source file (assembled by zhint first). Bytes that are no
instruction zhint knows print as .long/.short, as objdump does.

options:
${formatOptions(DISASM_OPTIONS)}
`;

/** The objdump -d text of a program's code. */
export function disassembleProgram(p: Program): string {
  const sym = p.symbols.size > 0 ? symbolLookup(p.symbols) : undefined;
  const byAddr = new Map<number, string>();
  for (const [name, v] of [...p.symbols].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (!byAddr.has(v) && !name.startsWith('.L')) byAddr.set(v, name);
  }
  const lines: string[] = [];
  const segs = p.kind === 'elf' ? p.segments.filter((s) => (s.flags & 1) !== 0) : p.segments;
  for (const s of [...segs].sort((a, b) => a.addr - b.addr)) {
    const end = s.addr + s.data.length;
    let start = s.addr;
    if (p.kind === 'elf') {
      // an executable PT_LOAD segment usually begins with the ELF and program headers: start at the code
      let first = p.entry >= s.addr && p.entry < end ? p.entry : end;
      for (const a of byAddr.keys()) if (a >= s.addr && a < first) first = a;
      start = first < end ? first : s.addr;
    }
    const w = addressWidth(end);
    let a = start;
    if (!byAddr.has(a)) lines.push('', `${hex(a, 16)}:`);
    while (a < end) {
      const name = byAddr.get(a);
      if (name !== undefined) lines.push('', `${hex(a, 16)} <${name}>:`);
      const off = a - s.addr;
      // an instruction does not run into the next symbol (objdump shows the bytes before it as data)
      let limit = end;
      for (const b of byAddr.keys()) if (b > a && b < limit) limit = b;
      const { len, text } = disassembleAt(s.data.subarray(off, limit - s.addr), a, sym);
      let bytes = '';
      for (let k = 0; k < len; k++) bytes += hex(s.data[off + k], 2) + ' ';
      lines.push(`${a.toString(16).padStart(w)}:\t${bytes.padEnd(18)}\t${text}`);
      a += len;
    }
  }
  return lines.slice(lines[0] === '' ? 1 : 0).join('\n') + '\n';
}

/**
 * objdump's address column: the section's end address as 16 hex digits, minus
 * its leading zeros rounded down to a multiple of 4 (keeping at least one),
 * with the remaining leading zeros shown as spaces.
 */
function addressWidth(end: number): number {
  const lz = hex(end, 16).match(/^0*/)![0].length;
  return 16 - (lz === 0 ? 0 : (lz - 1) & ~3);
}

export async function disasmCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs('disasm', argv, DISASM_OPTIONS);
  if (p.args.length !== 1) throw new UsageError('disasm: one file expected (usage: zhint disasm FILE [--load ADDR])');
  const file = p.args[0];
  const src = sourceOptions(p);
  // a raw image loads at 0 unless told otherwise
  if (src.load === undefined && extname(file).toLowerCase() === '.bin') src.load = 0;
  const prog = readProgram(file, { ...src, warn: (s) => io.err(s) });
  io.out(disassembleProgram(prog));
  return 0;
}
