import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { AbsoluteStorage } from '../../src/mm/storage.js';
import { Cpu } from '../../src/cpu/cpu.js';
import { LoadError, loadInto, parseElf } from '../../src/loader/elf.js';
import { loadFile, parseImage, rawImage, readImage } from '../../src/loader/image.js';
import { buildElf, missingTools, Scratch } from '../../src/testing/tools.js';

const skip = missingTools(false);
if (skip) console.warn(`test/loader/elf.test.ts: ${skip}`);

// A program with code, initialised data and a .bss tail (memsz > filesz).
const PROGRAM = `
  .text
  .globl _start
_start:
  larl  %r1,value
  lg    %r2,0(%r1)
  larl  %r3,zeros
  stg   %r2,8(%r3)
  lghi  %r4,-2
  .long 0           # operation exception: ends the run
  .data
  .align 8
  .globl value
value: .quad 0x0123456789abcdef
  .bss
  .align 8
  .globl zeros
zeros: .space 4096
`;

/** Big-endian helpers to damage headers. */
function put16(b: Uint8Array, off: number, v: number): void { b[off] = v >>> 8; b[off + 1] = v & 0xff; }
function put64(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setBigUint64(off, BigInt(v), false);
}

describe.skipIf(skip !== '')('loader: ELF64 s390x', () => {
  let elf: Uint8Array;
  const scratch = new Scratch();
  beforeAll(() => { elf = buildElf(PROGRAM); });
  afterAll(() => scratch.dispose());

  it('parses entry, PT_LOAD segments and symbols of a GNU ld executable', () => {
    const img = parseElf(elf, 'prog');
    expect(img.entry).toBe(0x400000 + 0); // -Ttext=0x400000, _start first
    expect(img.symbols.get('_start')).toBe(img.entry);
    const text = img.segments.find((s) => (s.flags & 1) !== 0)!;
    expect(text.addr).toBeLessThanOrEqual(img.entry);
    expect(text.addr + text.data.length).toBeGreaterThan(img.entry);
    const data = img.segments.find((s) => s.addr <= img.symbols.get('value')! && img.symbols.get('value')! < s.addr + s.memSize)!;
    expect(data.memSize).toBeGreaterThan(data.data.length); // .bss tail
    expect(img.symbols.get('zeros')! + 4096).toBeLessThanOrEqual(data.addr + data.memSize);
  });

  it('loads into storage (bytes at p_paddr, zero-filled tail) and the program runs', () => {
    const st = new AbsoluteStorage(8 << 20);
    const img = parseElf(elf, 'prog');
    const zeros = img.symbols.get('zeros')!;
    for (let a = zeros; a < zeros + 64; a++) st.write8(a, 0xee); // dirty: the loader must clear .bss
    loadInto(st, img, 'prog');
    expect(st.read64(img.symbols.get('value')!)).toBe(0x0123456789abcdefn);
    expect(st.read64(zeros)).toBe(0n);
    const cpu = new Cpu(st);
    cpu.ia = img.entry;
    cpu.run(5); // up to the .long 0
    expect(cpu.getReg(2)).toBe(0x0123456789abcdefn);
    expect(st.read64(zeros + 8)).toBe(0x0123456789abcdefn);
    expect(cpu.getReg(4)).toBe(-2n & 0xffffffffffffffffn);
  });

  it('loads from a file through readImage/loadFile', () => {
    const p = scratch.path('prog');
    writeFileSync(p, elf);
    const img = readImage(p);
    expect(img.kind).toBe('elf');
    const st = new AbsoluteStorage(8 << 20);
    expect(loadFile(st, p).entry).toBe(img.entry);
  });

  const damaged = (f: (b: Uint8Array) => Uint8Array | void): Uint8Array => {
    const b = elf.slice();
    return f(b) ?? b;
  };
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['truncated header', () => elf.slice(0, 40), /^bad\.elf: truncated ELF: 40 bytes/],
    ['truncated segment', () => elf.slice(0, 0x200), /^bad\.elf: truncated ELF: segment 0 needs bytes/],
    ['32-bit ELF', () => damaged((b) => { b[4] = 1; }), /^bad\.elf: foreign ELF: class ELFCLASS32/],
    ['little-endian ELF', () => damaged((b) => { b[5] = 1; }), /^bad\.elf: foreign ELF: little-endian/],
    ['x86-64 machine', () => damaged((b) => put16(b, 18, 62)), /^bad\.elf: foreign ELF: machine 62, expected EM_S390 \(22\)/],
    ['shared object', () => damaged((b) => put16(b, 16, 3)), /^bad\.elf: not an executable: ELF type ET_DYN/],
    ['relocatable', () => damaged((b) => put16(b, 16, 1)), /^bad\.elf: not an executable: ELF type ET_REL/],
    ['program headers past the end', () => damaged((b) => put64(b, 32, b.length - 10)), /^bad\.elf: truncated ELF: program headers end at/],
    ['no program headers', () => damaged((b) => put16(b, 56, 0)), /^bad\.elf: no program headers/],
  ];
  for (const [what, bytes, msg] of cases) {
    it(`rejects a broken ELF: ${what}`, () => {
      let err: unknown;
      try { parseElf(bytes(), 'bad.elf'); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(LoadError);
      expect((err as Error).message).toMatch(msg);
      expect((err as Error).message).not.toContain('\n');
    });
  }

  it('rejects a segment outside guest storage', () => {
    const st = new AbsoluteStorage(1 << 20); // 1 MiB: text at 4 MiB does not fit
    expect(() => loadInto(st, parseElf(elf, 'prog'), 'prog')).toThrow(
      /^prog: segment 0 \(0x[0-9a-f]+\.\.0x[0-9a-f]+\) lies outside guest storage \(0x100000 bytes\)$/);
    expect(st.peek(0, 16)).toEqual(new Uint8Array(16)); // nothing written
  });
});

describe('loader: files and raw images', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.dispose());

  it('names a missing file', () => {
    const p = scratch.path('nope.elf');
    expect(() => readImage(p)).toThrow(LoadError);
    expect(() => readImage(p)).toThrow(`${p}: no such file`);
  });

  it('rejects an unknown file type', () => {
    const p = scratch.path('notes.txt');
    writeFileSync(p, 'hello\n');
    expect(() => readImage(p)).toThrow(/notes\.txt: unknown file type/);
  });

  it('rejects a file with the ELF magic only', () => {
    expect(() => parseImage(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 2]), 'tiny')).toThrow(/^tiny: truncated ELF/);
  });

  it('loads a raw .bin image at its load address', () => {
    const p = scratch.path('prog.bin');
    // lghi %r2,5 ; lghi %r3,-1
    writeFileSync(p, new Uint8Array([0xa7, 0x29, 0x00, 0x05, 0xa7, 0x39, 0xff, 0xff]));
    expect(() => readImage(p)).toThrow(/prog\.bin: raw image \(\.bin\) needs a load address/);
    const st = new AbsoluteStorage(1 << 20);
    const img = loadFile(st, p, { loadAddress: 0x2000 });
    expect(img).toMatchObject({ kind: 'raw', entry: 0x2000 });
    const cpu = new Cpu(st);
    cpu.ia = img.entry;
    cpu.run(2);
    expect(cpu.getReg(2)).toBe(5n);
    expect(cpu.getReg(3)).toBe(0xffffffffffffffffn);
    expect(() => rawImage(new Uint8Array(2), 0x2001, 'odd.bin')).toThrow(/^odd\.bin: load address 0x2001 is odd/);
    expect(() => loadInto(new AbsoluteStorage(1 << 20), rawImage(new Uint8Array(16), 0xffff8, 'big.bin'), 'big.bin'))
      .toThrow(/^big\.bin: segment 0 .* lies outside guest storage/);
  });
});
