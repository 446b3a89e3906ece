/**
 * The CLI's bridge to zhint's assembler and disassembler (src/asm): assemble
 * a file into a Program, with every diagnostic rendered the way the CLI
 * promises, and disassemble single instructions for the trace.
 */
import { readFileSync } from 'node:fs';
import { assemble, disassembleOne, formatError, formatListing, fsResolver, insnText, symbolLookup, type AssembleResult } from '../asm/index.js';
import type { Disassemble } from '../trace/trace.js';
import { CliError } from './options.js';
import type { Program } from './program.js';

/**
 * Where `.text` of a source file goes when no --load is given: above the
 * 8 KB lowcore (prefix area) and clear of it, and the address the tests link
 * GNU-built ELF files at (`ld -Ttext=0x10000`), so both run identically.
 */
export const DEFAULT_ORIGIN = 0x10000;

/**
 * Assemble `file`. Every error becomes part of one CliError (exit 1), each
 * as `file:line:col: message`, the source line and a caret; warnings go to `warn`.
 */
export function assembleFile(file: string, opts: { origin?: number; listing?: boolean; warn?: (s: string) => void; defsym?: Record<string, number> } = {}): Program {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const origin = opts.origin ?? DEFAULT_ORIGIN;
  const r = assemble(text, { file, origin, resolve: fsResolver(), listing: opts.listing === true, defsym: opts.defsym });
  if (opts.warn) for (const w of r.warnings) opts.warn(formatError(w).replace(/^([^:]*:\d+:\d+: )/, '$1warning: ') + '\n');
  if (!r.ok) {
    const n = r.errors.length;
    throw new CliError(`${r.errors.map(formatError).join('\n')}\nzhint: ${file}: ${n} error${n === 1 ? '' : 's'}`, 1, true);
  }
  return {
    file,
    kind: 'asm',
    entry: r.entry,
    segments: r.image.length > 0 ? [{ addr: r.origin, data: r.image, memSize: r.image.length, flags: 7 }] : [],
    symbols: labelSymbols(r),
    listing: opts.listing ? formatListing(r.listing) : undefined,
    lineMap: r.lineMap,
  };
}

/** The labels of an assembly (name → address), the symbols a program's disassembly and debugger show. */
export function labelSymbols(r: AssembleResult): Map<string, number> {
  const symbols = new Map<string, number>();
  for (const [name, s] of r.symbols) if (s.kind === 'label') symbols.set(name, s.value);
  return symbols;
}

/** A disassembler for the trace: objdump's text, relative targets named by the program's labels. */
export function traceDisassembler(symbols: Map<string, number>): Disassemble {
  const sym = symbols.size > 0 ? symbolLookup(symbols) : undefined;
  return (bytes, addr) => {
    const l = disassembleOne(bytes, 0, addr, { symbols: sym });
    return l.operands === '' ? l.mnemonic : `${l.mnemonic.padEnd(7)} ${l.operands}`;
  };
}

/** One instruction (or unknown bytes) in objdump's text; `len` tells how many bytes it took. */
export function disassembleAt(bytes: Uint8Array, addr: number, symbols?: ReturnType<typeof symbolLookup>): { len: number; text: string } {
  const l = disassembleOne(bytes, 0, addr, { symbols });
  return { len: l.len, text: insnText(l) };
}

export { symbolLookup };
