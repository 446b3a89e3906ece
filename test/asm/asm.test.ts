/**
 * Assembler features: syntax, directives, sections, macros, includes, local
 * labels, symbols, line map, listing, and every error class with its located
 * message. Where GNU binutils are installed, programs are also checked
 * byte-for-byte against GNU as and objdump.
 */
import { describe, expect, it } from 'vitest';
import { assemble, assembleOne, disassemble, formatError, formatListing, insnText, lineAt, type AssembleResult } from '../../src/asm/index.js';
import { gnuAssemble } from './corpus.js';
import { haveBinutils } from '../../src/testing/tools.js';
import { Rng } from '../../src/testing/diff/gen.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HAVE = haveBinutils();
if (!HAVE) console.warn('asm tests: GNU as/objdump comparisons skipped (Debian package binutils-s390x-linux-gnu)');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function ok(src: string, opts = {}): AssembleResult {
  const r = assemble(src, { file: 't.s', ...opts });
  expect(r.errors.map(formatError)).toEqual([]);
  return r;
}

function errs(src: string): string[] {
  const r = assemble(src, { file: 't.s' });
  expect(r.ok).toBe(false);
  return r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`);
}

/** GNU as's .text bytes for `src` (only when binutils are installed). */
function gnuText(src: string): string {
  const g = gnuAssemble(src);
  expect([...g.errors.values()]).toEqual([]);
  return hex(g.text);
}

const PROGRAM = `
# a small program using most of the syntax
        .text
        .globl  _start
_start: larl    %r13,data           /* literal pool base */
        lhi     %r1,COUNT
        lghi    %r2,0
1:      agr     %r2,%r1             # sum
        brctg   %r1,1b
        cgij    %r2,55,8,2f
        j       fail
2:      stg     %r2,8(%r13)
        la      %r3,len(%r0,%r13) ; la %r4,'A'
        .insn   rrf,0xb9ab0000,%r1,%r2,3,0
        mvc     0(16,%r13),16(%r13)
        lpswe   psw-data(%r13)
fail:   j       .
        .align  8
data:   .quad   0,-1
psw:    .quad   0x0002000180000000, _start
msg:    .asciz  "hi\\n"
        .byte   'A, 'B'+1, 0x7f, -1
        .short  1+2*3, (1+2)*3, 7%3, 1<<4|1, ~0 & 0xff
        .long   msg-data, . - data
len = . - data
COUNT = 10
        .balign 4
        .space  3
        .fill   2,2,0xabcd
`;

describe('assembler: syntax and directives', () => {
  it('assembles a program byte-identically to GNU as', () => {
    const r = ok(PROGRAM);
    expect(r.symbols.get('_start')?.value).toBe(0);
    expect(r.symbols.get('_start')?.global).toBe(true);
    expect(r.symbols.get('COUNT')).toMatchObject({ value: 10, kind: 'equ', section: null });
    if (HAVE) expect(hex(r.image)).toBe(gnuText(PROGRAM));
  });

  it('disassembles the program like objdump -d with symbols', () => {
    const r = ok(PROGRAM);
    const syms = new Map([...r.symbols].filter(([, s]) => s.kind === 'label').map(([n, s]) => [n, s.value]));
    const lines = disassemble(r.image.subarray(0, r.symbols.get('data')!.value), 0, { symbols: syms });
    expect(lines.map(insnText)).toContain('brctg\t%r1,e <_start+0xe>');
    expect(lines.map(insnText)).toContain('cgije\t%r2,55,20 <_start+0x20>');
    expect(lines.map(insnText)).toContain('j\t3c <fail>');
    if (HAVE) {
      const dir = mkdtempSync(join(tmpdir(), 'zhint-asm-'));
      try {
        writeFileSync(join(dir, 'p.s'), PROGRAM);
        expect(spawnSync('s390x-linux-gnu-as', ['-march=z196', '-o', join(dir, 'p.o'), join(dir, 'p.s')]).status).toBe(0);
        const dump = spawnSync('s390x-linux-gnu-objdump', ['-d', join(dir, 'p.o')], { encoding: 'utf8' }).stdout;
        const theirs = new Map<number, string>();
        for (const m of dump.matchAll(/^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} )+\s*\t(.*)$/gm)) theirs.set(parseInt(m[1], 16), m[2].trimEnd());
        for (const l of lines) {
          if (l.mnemonic === 'essa') continue; // objdump does not know ESSA
          expect(`${l.addr.toString(16)}: ${insnText(l)}`).toBe(`${l.addr.toString(16)}: ${theirs.get(l.addr)}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('numeric local labels: nearest backward and forward definition', () => {
    const src = '1: j 1f\n1: j 1b\n j 1b\n1: j 1b\n';
    const r = ok(src);
    expect(hex(r.image)).toBe('a7f40002' + 'a7f40000' + 'a7f4fffe' + 'a7f40000');
    if (HAVE) expect(hex(r.image)).toBe(gnuText(src));
  });

  it('macros with parameters and defaults, and includes', () => {
    const files: Record<string, string> = { 'inc.s': 'INCVAL = 3\n.macro addk r, k=1\n ahi \\r,\\k\n.endm\n' };
    const r = ok('.include "inc.s"\n addk %r1\n addk %r2, INCVAL\nlab: addk %r3,-1 # comment\n', {
      resolve: (name: string) => (files[name] !== undefined ? { file: name, text: files[name] } : undefined),
    });
    expect(hex(r.image)).toBe('a71a0001a72a0003a73affff');
    expect(r.symbols.get('lab')?.value).toBe(8);
    // line map points into the macro body
    expect(lineAt(r.lineMap, 0)).toMatchObject({ file: 'inc.s', line: 3 });
  });

  it('sections: .text first, then others in order of first use, aligned; .org is section-relative', () => {
    const r = ok(' .data\nd: .byte 1\n .text\n lr 1,2\n .org 0x10\nt: lr 3,4\n .section .rodata\nro: .byte 9\n', { origin: 0x1000 });
    expect(r.sections.map((s) => [s.name, s.addr, s.size])).toEqual([['.text', 0x1000, 0x14], ['.data', 0x1014, 4], ['.rodata', 0x1018, 1]]);
    expect(r.symbols.get('t')?.value).toBe(0x1010);
    expect(r.symbols.get('d')).toMatchObject({ value: 0x1014, section: '.data' });
    expect(r.image.length).toBe(0x19);
    expect(r.image[0x14]).toBe(1);
    expect(r.image[0x18]).toBe(9);
    expect(hex(r.image.subarray(0x12, 0x14))).toBe('0707'); // code padding is nopr %r7
  });

  it('PC-relative operands: labels are targets, constants are byte offsets (GNU as)', () => {
    const src = 'a: j a\n j 8\n brasl %r14,a\n jg .+6\n';
    const r = ok(src);
    expect(hex(r.image)).toBe('a7f40000a7f40004c0e5fffffffcc0f400000003');
    if (HAVE) expect(hex(r.image)).toBe(gnuText(src).slice(0, hex(r.image).length));
  });

  it('extended mnemonics and optional operands', () => {
    const r = ok(' nopr\n nop\n br %r14\n bner %r1\n jnop 0\n crjh %r1,%r2,.\n cijnl %r3,-1,.\n sske %r1,%r2\n ipte %r1,%r2\n');
    expect(disassemble(r.image).map(insnText).slice(0, 9)).toEqual([
      'nopr', 'nop\t0', 'br\t%r14', 'bner\t%r1', 'jnop\t0xa', 'crjh\t%r1,%r2,0xe', 'cijnl\t%r3,-1,0x14', 'sske\t%r1,%r2', 'ipte\t%r1,%r2',
    ]);
  });

  it('essa assembles (GNU as only knows it as .insn rrf)', () => {
    const r = ok(' essa %r1,%r2,3\n .insn rrf,0xb9ab0000,%r1,%r2,3,0\n');
    expect(hex(r.image)).toBe('b9ab3012b9ab3012');
    expect(insnText(disassemble(r.image)[0])).toBe('essa\t%r1,%r2,3');
  });

  it('.insn formats match GNU as', () => {
    const src = `L: .insn e,0x0101
 .insn rr,0x1800,%r1,%r2
 .insn rre,0xb9040000,%r1,%r2
 .insn rrf,0xb9ab0000,%r1,%r2,3,4
 .insn rx,0x58000000,%r1,4(%r2,%r3)
 .insn rxy,0xe30000000004,%r1,-4(%r2,%r3)
 .insn rs,0x90000000,%r1,%r3,8(%r4)
 .insn rsy,0xeb0000000004,%r1,%r3,-8(%r4)
 .insn ri,0xa7080000,%r1,-2
 .insn ril,0xc00000000000,%r1,L
 .insn si,0x92000000,8(%r1),255
 .insn siy,0xeb0000000052,-8(%r1),255
 .insn ss,0xd20000000000,8(%r1,%r2),16(%r3),%r4
 .insn s,0xb2b20000,8(%r1)
 .insn sil,0xe54c00000000,8(%r1),-1
 .insn rie,0xec0000000076,%r1,%r2,L
 .insn rsi,0x84000000,%r1,%r2,L
`;
    const r = ok(src);
    expect(hex(r.image).slice(0, 16)).toBe('01011812b9040012');
    if (HAVE) expect(hex(r.image)).toBe(gnuText(src));
  });

  it('.insn ors the operand fields into the opcode and takes any register, as GNU as', () => {
    const src = ` .insn rr,0x18ff,%r1,%r2
 .insn rre,0xb9041234,%r1,%r2
 .insn rr,0x1800,%a1,%r2
 .insn rx,0x58000000,%c1,4(%a2,%r3)
 .insn rsy,0xeb00000fff04,%r1,%r3,-8(%r4)
`;
    const r = ok(src);
    expect(hex(r.image).slice(0, 16)).toBe('18ffb90412361812');
    if (HAVE) expect(hex(r.image)).toBe(gnuText(src));
    expect(errs(' .insn rrf,0xb9ab0000,%r1,%r2,3,16\n')[0]).toMatch(/1:33: .*16 is not between 0 and 15/);
    expect(errs(' .insn rr,0x1800,%r1\n')[0]).toMatch(/.insn rr takes an opcode and 2 operands, got 2 arguments/);
  });

  it('assembleOne for the debugger', () => {
    expect(assembleOne('lgr %r1,%r2', 0x1000)).toEqual({ bytes: new Uint8Array([0xb9, 0x04, 0x00, 0x12]) });
    expect(assembleOne('j .+8', 0x1000)).toEqual({ bytes: new Uint8Array([0xa7, 0xf4, 0x00, 0x04]) });
    const bad = assembleOne('lgr %r1');
    expect('error' in bad && formatError(bad.error)).toMatch(/^<line>:1:1: 'lgr' takes 2 operands/);
  });

  it('listing and line map', () => {
    const r = ok('start: lr 1,2\n .byte 1,2,3\n\n lg %r1,0(%r2)\n');
    expect(r.lineMap).toEqual([
      { addr: 0, len: 2, file: 't.s', line: 1 }, { addr: 2, len: 3, file: 't.s', line: 2 }, { addr: 5, len: 6, file: 't.s', line: 4 },
    ]);
    expect(lineAt(r.lineMap, 7)?.line).toBe(4);
    expect(lineAt(r.lineMap, 11)).toBeUndefined();
    const text = formatListing(r.listing);
    expect(text.split('\n')[0]).toBe('00000000  1812                  1  start: lr 1,2');
    expect(text).toContain('00000005  e31020000004          4   lg %r1,0(%r2)');
  });
});

describe('assembler: errors', () => {
  it('reports every error of a file as file:line:col with the source line and a caret', () => {
    const r = assemble(' lr %r1,%r2\n lhi %r1,70000\n foo 1,2\n l %r1,4096(%r2)\n', { file: 'e.s' });
    expect(r.ok).toBe(false);
    expect(r.errors.length).toBe(3);
    expect(formatError(r.errors[0])).toBe('e.s:2:10: immediate I2 out of range: 70000 is not between -32768 and 32767\n   lhi %r1,70000\n           ^');
    expect(r.errors[1].message).toBe("unknown instruction 'foo'");
    expect(r.errors[2]).toMatchObject({ line: 4, col: 8 });
  });

  it('each error class has its own message', () => {
    expect(errs(' j nowhere\n')).toEqual(["1:4: undefined symbol 'nowhere'"]);
    expect(errs(' j 1b\n')).toEqual(["1:4: undefined local label '1b'"]);
    expect(errs(' lhi %r1,32768\n')[0]).toMatch(/1:10: immediate I2 out of range: 32768 is not between -32768 and 32767/);
    expect(errs(' l %r1,-1(%r2)\n')[0]).toMatch(/displacement D2 out of range: -1 is not between 0 and 4095/);
    expect(errs(' lg %r1,524288(%r2)\n')[0]).toMatch(/displacement D2 out of range: 524288 is not between -524288 and 524287/);
    expect(errs(' lr %r1,%c2\n')[0]).toMatch(/1:9: R2 must be a general register \(%r0..%r15\), got '%c2'/);
    expect(errs(' lctl %r1,%c2,0\n')[0]).toMatch(/1:7: R1 must be a control register/);
    expect(errs(' lhi %r1,%r2\n')[0]).toMatch(/I2 must be an immediate value, got register '%r2'/);
    expect(errs(' l %r1,%r2\n')[0]).toMatch(/operand must be a storage address D\(X,B\), got register '%r2'/);
    expect(errs(' lr %r1,16\n')[0]).toMatch(/register number R2 out of range: 16/);
    expect(errs(' lr %r1\n')[0]).toMatch(/'lr' takes 2 operands \(R1,R2\), got 1/);
    expect(errs(' lr %r1,%r2,%r3\n')[0]).toMatch(/1:13: 'lr' takes 2 operands/);
    expect(errs(' dr %r3,%r4\n')[0]).toMatch(/1:5: R1 of 'dr' must be an even register/);
    expect(errs(' mvc 0(257,%r1),0(%r2)\n')[0]).toMatch(/length L1 out of range: 257 is not between 1 and 256/);
    expect(errs(' mvc 0(%r1),0(%r2)\n')[0]).toMatch(/length must be a number/);
    expect(errs(' sll %r1,4(%r2,%r3)\n')[0]).toMatch(/has no index register here/);
    expect(errs(' bcr %r1,%r2\n')[0]).toMatch(/M1 must be a mask value 0..15/);
    expect(errs(' bcr 16,%r2\n')[0]).toMatch(/mask M1 out of range/);
    expect(errs('a: lr 1,2\na: lr 1,2\n')[0]).toMatch(/2:1: symbol 'a' is already defined \(at t.s:1\)/);
    expect(errs(' .long 1/0\n')[0]).toMatch(/division by zero/);
    expect(errs(' .org 4\n .org 2\n')[0]).toMatch(/2:7: .org cannot move the location counter backwards/);
    expect(errs(' .frob 1\n')[0]).toMatch(/1:2: unknown directive '.frob'/);
    expect(errs(' .align 3\n')[0]).toMatch(/alignment 3 is not a power of 2/);
    expect(errs(' .include "nope.s"\n')[0]).toMatch(/cannot include 'nope.s': file not found/);
    expect(errs('.macro m\n lr 1,2\n')[0]).toMatch(/1:1: .macro m has no matching .endm/);
    expect(errs(' .endm\n')[0]).toMatch(/.endm without .macro/);
    expect(errs(' lr 1,,2\n')[0]).toMatch(/^1:7: syntax error/);
    expect(errs(' .ascii 5\n')[0]).toMatch(/expected a string in double quotes/);
    expect(errs(' .insn foo,0\n')[0]).toMatch(/unknown format 'foo'/);
    expect(errs(' .insn rr,0xb904,1,2\n')[0]).toMatch(/length code/);
    expect(errs(' j 3f\n3: j 0x20000\n')[0]).toMatch(/2:6: branch target out of range: 131072 bytes away/);
    expect(errs('x: .short 0\n j x+1\n')[0]).toMatch(/2:4: branch target 0x1 is not on a halfword boundary/);
  });

  it('reports errors inside macro expansions with the macro name', () => {
    const r = assemble('.macro m a\n lhi %r1,\\a\n.endm\n m 99999\n', { file: 'm.s' });
    expect(r.errors).toHaveLength(1);
    expect(formatError(r.errors[0])).toMatch(/^m.s:2:10: immediate I2 out of range.*\(in expansion of macro m at m.s:4\)\n   lhi %r1,99999\n           \^$/);
  });
});

describe('assembler: expressions against GNU as', () => {
  it.skipIf(!HAVE)('400 random expressions give the same 64-bit values as GNU as (precedence, wrap-around, signed division)', () => {
    const r = new Rng(12345);
    const num = () => String(r.pick([r.int(100), r.int(0x100000000), -r.int(1000), 0x7fffffff]));
    const gen = (d: number): string => {
      if (d <= 0 || r.chance(0.25)) {
        const n = num();
        return n.startsWith('-') ? `(${n})` : r.chance(0.2) ? `0x${Number(n).toString(16)}` : n;
      }
      const op = r.pick(['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^']);
      if (r.chance(0.15)) return `~${gen(d - 1)}`;
      if (r.chance(0.15)) return `-(${gen(d - 1)})`;
      const b = op === '<<' || op === '>>' ? String(r.int(63)) : op === '/' || op === '%' ? String(1 + r.int(50)) : gen(d - 1);
      const e = `${gen(d - 1)} ${op} ${b}`;
      return r.chance(0.4) ? `(${e})` : e;
    };
    const exprs = Array.from({ length: 400 }, () => gen(4));
    const src = exprs.map((e) => ` .quad ${e}`).join('\n') + '\n';
    const z = ok(src);
    expect(hex(z.image)).toBe(gnuText(src));
  });
});
