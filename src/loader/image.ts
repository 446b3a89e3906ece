/**
 * Loading a program file: a static ELF64 s390x executable (see elf.ts) or a
 * raw image (`.bin`: bytes placed at a load address, entry = load address).
 * Assembly source is the assembler's business (src/asm), not the loader's.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { AbsoluteStorage } from '../mm/storage.js';
import { isElf, LoadError, loadInto, parseElf, type ProgramImage } from './elf.js';

export { LoadError, loadInto, parseElf, type ProgramImage, type Segment } from './elf.js';

export type ImageKind = 'elf' | 'raw';

export interface LoadedImage extends ProgramImage {
  kind: ImageKind;
  /** the file name as given (for messages) */
  name: string;
}

export interface LoadOptions {
  /**
   * Load address for a raw image. Giving one also makes a file with another
   * extension be taken as raw bytes (unless it is an ELF file).
   */
  loadAddress?: number;
}

/** A raw image: `bytes` at `loadAddress`, entry point = load address. */
export function rawImage(bytes: Uint8Array, loadAddress: number, name: string): LoadedImage {
  if (!Number.isSafeInteger(loadAddress) || loadAddress < 0) {
    throw new LoadError(name, `bad load address ${loadAddress}`);
  }
  if (loadAddress % 2 !== 0) {
    // the PSW instruction address must be even (PoP "Instruction Alignment")
    throw new LoadError(name, `load address 0x${loadAddress.toString(16)} is odd: instructions are halfword aligned`);
  }
  return {
    kind: 'raw', name, entry: loadAddress, symbols: new Map(),
    segments: [{ addr: loadAddress, data: bytes, memSize: bytes.length, flags: 7 }],
  };
}

/** Decide what `bytes` are and parse them. */
export function parseImage(bytes: Uint8Array, name: string, opts: LoadOptions = {}): LoadedImage {
  if (isElf(bytes)) return { kind: 'elf', name, ...parseElf(bytes, name) };
  const ext = extname(name).toLowerCase();
  if (ext === '.bin' || opts.loadAddress !== undefined) {
    if (opts.loadAddress === undefined) throw new LoadError(name, 'raw image (.bin) needs a load address');
    if (bytes.length === 0) throw new LoadError(name, 'raw image is empty');
    return rawImage(bytes, opts.loadAddress, name);
  }
  if (ext === '.s' || ext === '.asm') {
    throw new LoadError(name, 'assembly source: assemble it first (the loader reads ELF executables and raw .bin images)');
  }
  throw new LoadError(name, `unknown file type (not an ELF executable; raw images need the .bin extension or a load address)`);
}

/** Read and parse a program file. */
export function readImage(path: string, opts: LoadOptions = {}): LoadedImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? e);
    throw new LoadError(path, why);
  }
  return parseImage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path, opts);
}

/** Read a program file and copy it into storage; returns the image (entry point, symbols). */
export function loadFile(storage: AbsoluteStorage, path: string, opts: LoadOptions = {}): LoadedImage {
  const img = readImage(path, opts);
  loadInto(storage, img, path);
  return img;
}

