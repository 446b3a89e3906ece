/**
 * Turning a file named on the command line into a program image: assembly
 * source (`.s`/`.S`, assembled by zhint's assembler), a static ELF64 s390x
 * executable (recognised by its magic, whatever the name), or a raw image
 * (`.bin`, or any file given with `--load ADDR`).
 *
 * Every failure becomes a CliError whose text is ready to print: one line
 * naming the file and the problem (loader), or every located assembly error
 * with its source line and caret (assembler).
 */
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { LoadError, loadInto, readImage, type Segment } from '../loader/image.js';
import type { AbsoluteStorage } from '../mm/storage.js';
import type { LineEntry } from '../asm/index.js';
import { CliError, UsageError, type OptionSpec, type Parsed } from './options.js';
import { assembleFile } from './assemble.js';

export interface Program {
  /** the file as named on the command line */
  file: string;
  kind: 'asm' | 'elf' | 'raw';
  entry: number;
  segments: Segment[];
  symbols: Map<string, number>;
  /** assembler listing (address, bytes, source line), when asked for and the input is source */
  listing?: string;
  /** address → source line (source input only) */
  lineMap?: readonly LineEntry[];
}

export interface ProgramOptions {
  /** load address of a raw image, or the address of `.text` of a source file */
  load?: number;
  /** produce a listing (source input only) */
  listing?: boolean;
  /** where assembler warnings go */
  warn?: (s: string) => void;
  /** symbols set before the source's first line (`--defsym NAME=VALUE`) */
  defsym?: Record<string, number>;
}

/** The source options a command's parsed command line gives readProgram (`--load`, `--defsym`). */
export function sourceOptions(p: Parsed): { load?: number; defsym?: Record<string, number> } {
  return { load: p.opts.get('load') as number | undefined, defsym: p.opts.get('defsym') as Record<string, number> | undefined };
}

/** `--defsym`, for every command that may assemble its FILE. */
export const DEFSYM_OPTION: OptionSpec = {
  name: 'defsym', kind: 'defsym', arg: 'NAME=VALUE',
  help: 'for a source FILE: set symbol NAME to VALUE before its first line, as GNU as --defsym (repeatable)',
};

export function isSource(file: string): boolean {
  const ext = extname(file);
  return ext === '.s' || ext === '.S';
}

/** Check the file exists and is a regular file, with the loader's wording. */
function checkFile(file: string): void {
  if (!existsSync(file)) throw new CliError(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new CliError(`${file}: is a directory`);
}

/** Read, assemble or parse `file`. */
export function readProgram(file: string, opts: ProgramOptions = {}): Program {
  checkFile(file);
  if (isSource(file)) {
    return assembleFile(file, { origin: opts.load, listing: opts.listing, warn: opts.warn, defsym: opts.defsym });
  }
  if (opts.defsym !== undefined) throw new UsageError(`--defsym: ${file} is not assembly source (.s or .S)`);
  try {
    const img = readImage(file, { loadAddress: opts.load });
    return { file, kind: img.kind, entry: img.entry, segments: img.segments, symbols: img.symbols };
  } catch (e) {
    if (e instanceof LoadError) throw new CliError(e.message);
    throw e;
  }
}

/** Copy a program into guest storage (segments outside storage: a one-line error). */
export function loadProgram(storage: AbsoluteStorage, p: Program): void {
  try {
    loadInto(storage, p, p.file);
  } catch (e) {
    if (e instanceof LoadError) throw new CliError(e.message);
    throw e;
  }
}
