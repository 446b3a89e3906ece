/**
 * Reader for static big-endian ELF64 s390x executables (System V ABI, ELF-64
 * Object File Format; s390x ELF ABI supplement: EM_S390 = 22, ELFCLASS64,
 * ELFDATA2MSB).
 *
 * `parseElf` is pure: bytes in, program image out (entry point, PT_LOAD
 * segments, and the symbol table when there is one). `loadInto` copies an
 * image into guest absolute storage. zhint starts with DAT off, so segments
 * go to their physical address `p_paddr` (GNU ld sets it equal to `p_vaddr`
 * for static executables).
 *
 * Every problem is a `LoadError` whose message is one line naming the file.
 */
import type { AbsoluteStorage } from '../mm/storage.js';

export class LoadError extends Error {
  override name = 'LoadError';
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

export interface Segment {
  /** guest absolute address of the first byte */
  addr: number;
  /** bytes from the file (p_filesz of them) */
  data: Uint8Array;
  /** size in storage (p_memsz): the tail beyond `data` is zero-filled */
  memSize: number;
  /** p_flags: 4 read, 2 write, 1 execute */
  flags: number;
}

export interface ProgramImage {
  entry: number;
  segments: Segment[];
  /** defined symbols (name -> value) from .symtab; empty when stripped */
  symbols: Map<string, number>;
}

const EM_S390 = 22;
const ET_EXEC = 2;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

const ELF_TYPES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL (object file)', 3: 'ET_DYN (shared object / PIE)', 4: 'ET_CORE' };

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** A 64-bit field as a JS number; values past 2^53 cannot be guest addresses zhint can hold. */
function u64(dv: DataView, off: number, file: string, what: string): number {
  const v = dv.getBigUint64(off, false);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new LoadError(file, `${what} 0x${v.toString(16)} is too large`);
  return Number(v);
}

/** Parse a static ELF64 big-endian s390x executable. */
export function parseElf(bytes: Uint8Array, name: string): ProgramImage {
  if (!isElf(bytes)) throw new LoadError(name, 'not an ELF file (bad magic)');
  if (bytes.length < EHDR_SIZE) throw new LoadError(name, `truncated ELF: ${bytes.length} bytes, the ELF header needs ${EHDR_SIZE}`);
  const cls = bytes[4];
  const data = bytes[5];
  if (cls !== 2) throw new LoadError(name, `foreign ELF: class ${cls === 1 ? 'ELFCLASS32' : cls}, zhint loads ELFCLASS64 s390x executables`);
  if (data !== 2) throw new LoadError(name, `foreign ELF: ${data === 1 ? 'little-endian (ELFDATA2LSB)' : `data encoding ${data}`}, s390x is big-endian`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = dv.getUint16(16, false);
  const machine = dv.getUint16(18, false);
  if (machine !== EM_S390) throw new LoadError(name, `foreign ELF: machine ${machine}, expected EM_S390 (22)`);
  if (type !== ET_EXEC) {
    throw new LoadError(name, `not an executable: ELF type ${ELF_TYPES[type] ?? type}, zhint loads static ET_EXEC files`);
  }
  const entry = u64(dv, 24, name, 'entry point');
  const phoff = u64(dv, 32, name, 'program header offset');
  const shoff = u64(dv, 40, name, 'section header offset');
  const phentsize = dv.getUint16(54, false);
  const phnum = dv.getUint16(56, false);
  const shentsize = dv.getUint16(58, false);
  const shnum = dv.getUint16(60, false);
  if (phnum === 0) throw new LoadError(name, 'no program headers: nothing to load');
  if (phentsize !== PHDR_SIZE) throw new LoadError(name, `bad program header size ${phentsize} (ELF64 uses ${PHDR_SIZE})`);
  if (phoff + phnum * PHDR_SIZE > bytes.length) {
    throw new LoadError(name, `truncated ELF: program headers end at ${phoff + phnum * PHDR_SIZE}, file has ${bytes.length} bytes`);
  }
  const segments: Segment[] = [];
  for (let k = 0; k < phnum; k++) {
    const p = phoff + k * PHDR_SIZE;
    if (dv.getUint32(p, false) !== PT_LOAD) continue;
    const flags = dv.getUint32(p + 4, false);
    const off = u64(dv, p + 8, name, `segment ${k} file offset`);
    const paddr = u64(dv, p + 24, name, `segment ${k} address`);
    const filesz = u64(dv, p + 32, name, `segment ${k} file size`);
    const memsz = u64(dv, p + 40, name, `segment ${k} memory size`);
    if (filesz > memsz) throw new LoadError(name, `segment ${k}: file size ${filesz} exceeds memory size ${memsz}`);
    if (off + filesz > bytes.length) {
      throw new LoadError(name, `truncated ELF: segment ${k} needs bytes ${off}..${off + filesz}, file has ${bytes.length}`);
    }
    segments.push({ addr: paddr, data: bytes.subarray(off, off + filesz), memSize: memsz, flags });
  }
  if (segments.length === 0) throw new LoadError(name, 'no PT_LOAD segment: nothing to load');
  const symbols = shoff !== 0 && shentsize === SHDR_SIZE ? readSymbols(bytes, dv, shoff, shnum) : new Map<string, number>();
  return { entry, segments, symbols };
}

/**
 * Defined symbols of .symtab. Section headers are not needed to run a
 * program, so a damaged or missing symbol table yields what could be read
 * rather than an error.
 */
function readSymbols(bytes: Uint8Array, dv: DataView, shoff: number, shnum: number): Map<string, number> {
  const out = new Map<string, number>();
  if (shoff + shnum * SHDR_SIZE > bytes.length) return out;
  const dec = new TextDecoder();
  for (let s = 0; s < shnum; s++) {
    const h = shoff + s * SHDR_SIZE;
    if (dv.getUint32(h + 4, false) !== SHT_SYMTAB) continue;
    const off = Number(dv.getBigUint64(h + 24, false));
    const size = Number(dv.getBigUint64(h + 32, false));
    const link = dv.getUint32(h + 40, false);
    if (link >= shnum || off + size > bytes.length) continue;
    const sh = shoff + link * SHDR_SIZE;
    const stroff = Number(dv.getBigUint64(sh + 24, false));
    const strsize = Number(dv.getBigUint64(sh + 32, false));
    if (stroff + strsize > bytes.length) continue;
    for (let e = off; e + SYM_SIZE <= off + size; e += SYM_SIZE) {
      const nameOff = dv.getUint32(e, false);
      const shndx = dv.getUint16(e + 6, false);
      if (nameOff === 0 || shndx === 0 || nameOff >= strsize) continue; // unnamed or undefined
      let end = stroff + nameOff;
      while (end < stroff + strsize && bytes[end] !== 0) end++;
      const nm = dec.decode(bytes.subarray(stroff + nameOff, end));
      const v = dv.getBigUint64(e + 8, false);
      if (v <= BigInt(Number.MAX_SAFE_INTEGER) && !out.has(nm)) out.set(nm, Number(v));
    }
  }
  return out;
}

/**
 * Copy an image's segments into guest absolute storage: `data` at `addr`,
 * zeros up to `memSize`. Every segment is checked against the storage size
 * before anything is written.
 */
export function loadInto(storage: AbsoluteStorage, image: Pick<ProgramImage, 'segments' | 'entry'>, name: string): void {
  for (const [k, s] of image.segments.entries()) {
    if (s.addr + s.memSize > storage.size) {
      throw new LoadError(name,
        `segment ${k} (0x${s.addr.toString(16)}..0x${(s.addr + s.memSize).toString(16)}) lies outside guest storage ` +
        `(0x${storage.size.toString(16)} bytes)`);
    }
  }
  if (image.entry >= storage.size) {
    throw new LoadError(name, `entry point 0x${image.entry.toString(16)} lies outside guest storage (0x${storage.size.toString(16)} bytes)`);
  }
  for (const s of image.segments) {
    storage.load(s.addr, s.data);
    for (let a = s.addr + s.data.length; a < s.addr + s.memSize; a++) storage.write8(a, 0);
  }
}
