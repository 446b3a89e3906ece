/**
 * Conditional assembly (`.if` family, `.else`, `.elseif`, `.endif`),
 * repetition (`.rept`, `.irp`, `.irpc` ... `.endr`) and the comparison and
 * logical operators of expressions. Oracle: GNU as (-march=z196); every
 * source below must assemble to the same .text bytes with zhint and with
 * s390x-linux-gnu-as + objcopy -O binary. The error cases must be rejected by
 * both, zhint with one located error per problem.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, formatError, type AsmError } from '../../src/asm/index.js';
import { haveBinutils, Scratch } from '../../src/testing/tools.js';
import { AS, OBJCOPY } from './corpus.js';

const HAVE = haveBinutils();
const NEED = 'needs s390x-linux-gnu-as and objcopy (Debian package binutils-s390x-linux-gnu)';
if (!HAVE) console.warn(`conditional assembly: GNU as comparisons skipped, ${NEED}`);

type Files = Record<string, string>;

/** GNU as: .text bytes, or the error output. */
function gnu(files: Files): { ok: boolean; stderr: string; text: Uint8Array } {
  const dir = new Scratch();
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(dir.path(name), text);
    const r = spawnSync(AS, ['-march=z196', '-o', 'main.o', 'main.s'], { cwd: dir.dir, encoding: 'utf8' });
    if (r.status !== 0) return { ok: false, stderr: r.stderr ?? '', text: new Uint8Array(0) };
    execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', 'main.o', 'main.bin'], { cwd: dir.dir });
    return { ok: true, stderr: r.stderr ?? '', text: new Uint8Array(readFileSync(dir.path('main.bin'))) };
  } finally {
    dir.dispose();
  }
}

function zhint(files: Files) {
  return assemble(files['main.s'], {
    file: 'main.s',
    resolve: (name) => (name in files ? { file: name, text: files[name] } : undefined),
  });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** .text of a zhint result (origin 0, .text first) */
function zText(r: ReturnType<typeof assemble>): Uint8Array {
  const t = r.sections.find((s) => s.name === '.text');
  return t ? r.image.subarray(t.addr, t.addr + t.size) : new Uint8Array(0);
}

// ------------------------------------------------------------------ sources

const EDGE = ['0', '1', '-1', '2', '-2', '0x7fffffffffffffff', '-0x8000000000000000', '0x8000000000000000', '0xffffffffffffffff'];
const CMP = ['==', '!=', '<>', '<', '<=', '>', '>='];

/** every comparison operator on every pair of edge values, as data and as a .if */
function comparisons(): string {
  const out: string[] = [];
  for (const op of CMP) {
    for (const a of EDGE) {
      out.push(` .quad ${EDGE.map((b) => `(${a}) ${op} (${b})`).join(', ')}`);
      for (const b of EDGE) out.push(` .if (${a}) ${op} (${b})\n .byte 1\n .else\n .byte 0\n .endif`);
    }
  }
  for (const op of ['&&', '||']) {
    for (const a of EDGE) out.push(` .quad ${EDGE.map((b) => `(${a}) ${op} (${b})`).join(', ')}`);
  }
  out.push(` .quad ${EDGE.map((a) => `!(${a}), !!(${a}), -!(${a}), ~!(${a})`).join(', ')}`);
  // without parentheses: unary minus binds tighter than any comparison
  out.push(' .quad -1 < 0, -1 > 0, 0 < -1, -0x8000000000000000 < 0x7fffffffffffffff, -2 <= -2, -3 >= -2');
  return out.join('\n') + '\n';
}

const PRECEDENCE = [
  '1 + 2 == 3', '3 == 1 + 2', '1 | 2 == 3', '3 == 2 | 1', '2 * 3 == 6', '6 == 2 * 3', '4 < 5 < 6', '6 > 5 > 4',
  '1 == 1 == 1', '0 == 0 == 0', '1 || 0 && 0', '0 && 0 || 1', '1 && 0 || 1', '1 && 2 == 2', '2 || 1 == 0',
  '!0 + 1', '-!0', '!!5', '~0 == -1', '1 - 1 == 0', '1 + 3 < 4', '1 << 2 < 5', '8 >> 1 >= 4', '3 & 1 != 0',
  '1 ! 2', '5 ! 0', '1 ^ 3 <> 2', '0 < -1 || 2 > 1 && 3', '(1 < 2) + (3 > 2)', '1 < 2 + 3 * 4 == 0', '-(1 == 1)',
  '~(2 > 1)', '1 < 2 && 3 < 4 || 0', '0 || 0 || 5', '7 && 0 && 1', '2 - 3 > 0', '2 - (3 > 0)', '1 <= 1 >= 0',
  '5 % 3 == 2 && 7 / 2 == 3', '(1 || 0) * 10', '1 || 0 * 10', '!1 || !0', '0x10 & 0x11 == 0x10', '1 != 2 != 3',
  // binary `!!` is exclusive or; blanks inside an operator are dropped as GNU as's scrubber does
  '5 !! 3', '5 ! !3', '1 < = 1', '2 = = 2', '1 & & 0', '0 | | 3', '1 < < 3', '16 > > 2', '1 ! = 2', '1 < > 1', '3 > = 4',
];

const SOURCES: [string, Files][] = [
  ['\\@, .exitm, .ifeqs/.ifnes (macro counter, early exit, string comparison)', { 'main.s': `
 .macro M x
lab\\@: .long \\@, \\x
 .endm
 M 5
 M 6
 .irp v,1,2
 .long \\v
 .endr
 .macro E n
 .long 0x11
 .if \\n > 1
 .exitm
 .endif
 .long 0x22
 .endm
 E 1
 E 2
 .macro OUTER
 E 3
 .long 0x66
 .endm
 OUTER
 .ifeqs "ab","ab"
 .long 0x33
 .endif
 .ifnes "ab","ac"
 .long 0x44
 .endif
 .ifeqs "a b" , "a b"
 .long 0x55
 .else
 .long 0x77
 .endif
 .ifnes "x","x"
 .long 0x88
 .endif
 M 7
 j lab6
` }],
  ['nested .if/.elseif/.else, skipped text never looked at', { 'main.s': `
 .equ A, 3
 .equ B, -2
 .if A == 3
  .if B > 0
   nopr 1
  .elseif B == -2
   nopr 2
   .if 0
    nopr 3
   .else
    .if 1
     nopr 4
    .endif
   .endif
  .else
   nopr 5
  .endif
 .elseif 1
  nopr 6
 .else
  nopr 7
 .endif
 .if 0
  .if this is no expression at all
   bogus %r99, ((
  .elseif 1
   nopr 8
  .else
   nopr 9
  .endif
  .macro never
  .endm
  .include "nowhere.s"
  .rept -5
  .endr
 .elseif A - 3
  nopr 10
 .elseif A & 1
  nopr 11
 .elseif 1
  nopr 12
 .else
  nopr 13
 .endif
 .ifeq A - 3
  nopr 14
 .endif
 .ifne A - 3
  nopr 15
 .endif
 .irp v, -1, 0, 1
  .ifge \\v
   .byte 0x10
  .endif
  .ifgt \\v
   .byte 0x20
  .endif
  .ifle \\v
   .byte 0x30
  .endif
  .iflt \\v
   .byte 0x40
  .endif
 .endr
x: .if 0
y:  nopr 1
 .else
z:  nopr 2
 .endif
 .byte x - . , z - x
` }],
  ['.ifdef/.ifndef see only what is defined above', { 'main.s': `
 .ifdef later
  nopr 1
 .endif
 .ifndef later
  nopr 2
 .endif
later: nopr 3
 .ifdef later
  nopr 4
 .endif
 .globl gg
 .ifdef gg
  nopr 5
 .endif
 .ifnotdef gg
  nopr 6
 .endif
 .equ e, fwd
 .ifdef e
  nopr 7
 .endif
 s = 5
 .ifdef s
  .ifndef t
   .set t, s + 1
  .endif
 .endif
 .byte s, t
fwd:
 .balign 2
` }],
  ['every comparison on edge values, && || !', { 'main.s': comparisons() }],
  ['precedence and associativity', { 'main.s': ` .quad ${PRECEDENCE.join(', ')}
 lhi %r1, 5 > 3
 ahi %r2, (1 == 1) & 7
 lghi %r3, 2 < 1 || 4
 .if 1 + 2 == 3 && 2 * 2 == 4 || 0
  nopr 1
 .endif
 .if 3 == 1 + 2
  nopr 2
 .endif
 .if 1 | 2 == 3
  nopr 3
 .endif
 .if 4 < 5 < 6
  nopr 4
 .endif
 .if 1 == 1 == 1
  nopr 5
 .endif
` }],
  ['.rept, .irp, .irpc, nested', { 'main.s': `
 .rept 3
  nopr 1
 .endr
 .rept 0
  nopr 2
 .endr
 .rept 2
  .rept 2
   nopr 3
  .endr
  nopr 4
 .endr
 .irp r, %r1, %r2,%r3
  lr \\r, \\r
 .endr
 .irp r, 4 5 6
  lhi %r\\r, \\r * 2
 .endr
 .irp r, 1 + 1, (2), 3*3
  ahi %r1, \\r
 .endr
 .irp r
  nopr 7\\r
 .endr
 .irpc d, 0123
  ahi %r\\d, \\d
 .endr
 .irp n, 1, 2
  .irp m, 3, 4
   .byte \\n\\()\\m
  .endr
 .endr
 .irp op, ar, sr, nr
  \\op %r1, %r2
 .endr
 .rept 1; nopr 8; .endr
lab: .rept 2
  .byte lab - .
 .endr
` }],
  ['.rept and .if inside macros, recursion ended by .if', { 'main.s': `
 .macro pad n
  .rept \\n
   nopr
  .endr
 .endm
 .macro regs first, last
  .irp r, \\first, \\last
   lgr %r\\r, %r\\r
  .endr
 .endm
 .macro fill_to n, v=7
  .if \\n > 0
   .byte \\v
   fill_to \\n-1, \\v
  .endif
 .endm
 .macro opt a, b
  .ifb \\b
   lr \\a, \\a
  .else
   lr \\a, \\b
  .endif
  .ifnb \\b
   nopr 3
  .endif
  .ifc \\a,%r1
   nopr 1
  .endif
  .ifnc \\a,%r1
   nopr 2
  .endif
 .endm
 pad 3
 regs 1, 2
 fill_to 3
 fill_to 2, 9
 .balign 2
 opt %r1
 opt %r2, %r3
 .ifc a b , a b
  nopr 4
 .endif
 .ifc a,b
  nopr 5
 .endif
 .ifc a+b,a + b
  nopr 6
 .endif
 .ifnc "a",a
  nopr 7
 .endif
 .ifc A,a
  nopr 8
 .endif
 .ifnc ,
  nopr 9
 .endif
` }],
  ['macro arguments split as GNU as splits them: commas, blanks between names, quotes removed', { 'main.s': `
 .macro M t
 .ascii "\\t"
 .endm
 .macro L a,b,c=7
 .byte \\a, \\b, \\c
 .endm
 .macro R r1,r2
 lgr \\r1,\\r2
 .endm
 M "ab c"
 M xyz
 L 1,2,3
 L 1 2 3
 L 1+1, 2
 L 1 + 1, (2 + 3)
 .balign 2
 R %r1,%r2
` }],
  ['a counter with .set, a .if in each repetition', { 'main.s': `
 .set i, 0
 .rept 6
  .if (i & 1) == 0 && i != 4
   .byte i
  .elseif i == 4
   .byte 0x44
  .else
   .byte -i
  .endif
  .set i, i + 1
 .endr
 .set j, 10
 .rept j / 3
  .byte j
 .endr
 .balign 2
` }],
  ['label distances in .if and .rept (same fragment)', { 'main.s': `
 .macro alt_pad_fill bytes
  .rept ( \\bytes ) / 6
   brcl 0,0
  .endr
  .rept ( \\bytes ) % 6 / 4
   nop
  .endr
  .rept ( \\bytes ) % 6 % 4 / 2
   nopr
  .endr
 .endm
661: lgr %r1,%r2
 la %r3, 8(%r4)
 larl %r5, 661b
662:
 alt_pad_fill 662b-661b
 alt_pad_fill 16
 alt_pad_fill 0
a: nopr
 .byte 1
b:
 .if b - a == 3
  .byte 0x11
 .endif
 .if . - a > 3 && . - b >= 1
  .byte 0x22
 .endif
 .ifeq (b - a) - 3
  .byte 0x33
 .endif
 .space 3
 .fill 2, 2, 0x1234
c:
 .if c - b == 10 && c > b && b < c && c != b
  .byte 0x44
 .endif
 .data
 .byte 1
 .text
d:
 .if d - c == 1
  .byte 0x55
 .endif
1: .byte 1
2: .if 2b - 1b == 1
  .byte 0x66
 .endif
 .balign 2
` }],
  ['include guard, a conditional spanning an include, macros defined conditionally', {
    'main.s': `
 .equ FEATURE, 1
 .include "guard.s"
 .include "guard.s"
 gm
 .include "opens.s"
  nopr 3
 .endif
 .ifdef FEATURE
  .macro fm
   nopr 4
  .endm
 .else
  .macro fm
   nopr 5
  .endm
 .endif
 fm
`,
    'guard.s': ` .ifndef GUARD
 .equ GUARD, 1
 nopr 1
 .macro gm
  nopr 2
 .endm
 .endif
`,
    'opens.s': ` .if FEATURE
`,
  }],
];

// ------------------------------------------------------------------ errors

/**
 * Each: a source GNU as rejects too (or, marked 'warns', only warns about),
 * and zhint's expected errors (`file:line:col: message` patterns, in order).
 */
const ERRORS: [string, string, RegExp[], 'warns'?][] = [
  ['undefined symbol', '.if undefined_sym\n nopr\n.endif\n', [/^main\.s:1:5: undefined symbol 'undefined_sym'/]],
  ['forward reference', '.if fwd - 2\n.endif\nfwd: nopr\n', [/^main\.s:1:5: undefined symbol 'fwd'/]],
  ['forward local label', '.if 1f\n.endif\n1: nopr\n', [/^main\.s:1:5: undefined local label '1f'/]],
  ['an address is not absolute', 'a: nopr\n .if a\n .endif\n', [/^main\.s:2:6: \.if needs an absolute expression/]],
  ['labels across an alignment', 'a: nopr\n .align 8\nb: nopr\n .if b - a == 8\n .endif\n', [/^main\.s:4:6: \.if: the distance between these addresses is not known here/]],
  ['labels in two sections', 'a: nopr\n .data\nb: .byte 1\n .if b - a\n .endif\n', [/^main\.s:4:6: \.if: the distance/]],
  ['an .equ of a forward reference', ' .equ f, fwd - a\na: .if f\n .endif\nfwd:\n', [/^main\.s:2:8: the value of 'f' is not known yet here/]],
  ['missing .endif', '.if 1\n nopr\n', [/^main\.s:1:1: \.if without \.endif \(end of file reached inside it\)/]],
  ['missing .endif, nested', ' .ifdef x\n .if 1\n .endif\n', [/^main\.s:1:2: \.ifdef without \.endif/]],
  ['.if left open in a macro', '.macro m\n .if 1\n nopr 1\n.endm\n m\n', [/^main\.s:2:2: \.if without \.endif \(end of macro 'm' reached inside it\)/]],
  ['.else without .if', ' .else\n nopr\n', [/^main\.s:1:2: \.else without \.if/]],
  ['.endif without .if', ' nopr\n .endif\n', [/^main\.s:2:2: \.endif without \.if/]],
  ['.elseif without .if', ' .elseif 1\n', [/^main\.s:1:2: \.elseif without \.if/]],
  ['duplicate .else', ' .if 1\n .else\n .else\n .endif\n', [/^main\.s:3:2: duplicate \.else \(the \.else is at main\.s:2\)/]],
  ['.elseif after .else', ' .if 0\n .else\n .elseif 1\n .endif\n', [/^main\.s:3:2: \.elseif after \.else/]],
  ['negative .rept count', ' .rept -1\n nopr\n .endr\n', [/^main\.s:1:8: \.rept count -1 is negative/]],
  ['.rept count undefined', ' .rept n\n nopr\n .endr\n', [/^main\.s:1:8: undefined symbol 'n' \(\.rept needs symbols defined above it\)/]],
  ['missing .endr', ' .rept 2\n nopr\n', [/^main\.s:1:2: \.rept without \.endr \(end of file reached inside it\)/]],
  ['missing .endr after .irp', ' .irp r, 1, 2\n nopr \\r\n', [/^main\.s:1:2: \.irp without \.endr/]],
  ['syntax error in .if', ' .if 1 +\n .endif\n', [/^main\.s:1:9: \.if: syntax error/], 'warns'],
  ['.if without an expression', ' .if\n .endif\n', [/^main\.s:1:5: \.if: expected an expression/]],
  ['.ifdef without a name', ' .ifdef 1\n .endif\n', [/^main\.s:1:9: \.ifdef needs one symbol name/]],
  ['.exitm outside a macro', ' .exitm\n', [/^main\.s:1:2: \.exitm outside a macro/], 'warns'],
  ['.ifeqs without quotes', ' .ifeqs a,b\n .endif\n', [/^main\.s:1:9: \.ifeqs needs two strings in double quotes separated by a comma/]],
];

/** Everything at once: every error of the file is reported, none hides another. */
const ALL_AT_ONCE = `
 .if undefined_sym
 .endif
 .else
 .endif
 .rept -3
 .endr
 .if 1
 .else
 .else
 .endif
a: nopr
 .if a
  nopr 1
 .endif
 .irp r, 1, 2
  lhi %r1, \\r + bad
 .endr
 .if 1
`;

describe('conditional assembly and repetition against GNU as', () => {
  for (const [name, files] of SOURCES) {
    it(`${name}: same bytes as GNU as`, (ctx) => {
      const z = zhint(files);
      expect(z.errors.map(formatError)).toEqual([]);
      if (!HAVE) ctx.skip(NEED);
      const g = gnu(files);
      expect(g.stderr).toBe('');
      expect(g.ok).toBe(true);
      expect(zText(z).length).toBeGreaterThan(0);
      expect(hex(zText(z))).toBe(hex(g.text));
    });
  }

  for (const [name, src, want, gnuWarns] of ERRORS) {
    it(`rejects: ${name}`, (ctx) => {
      const z = zhint({ 'main.s': src });
      const got = z.errors.map((e) => formatError(e).split('\n')[0]);
      expect(z.ok).toBe(false);
      expect(got.length).toBe(want.length);
      want.forEach((re, i) => expect(got[i]).toMatch(re));
      expect(got.join('\n')).not.toMatch(/internal/);
      if (!HAVE) ctx.skip(NEED);
      const g = gnu({ 'main.s': src });
      if (gnuWarns) expect(g.stderr).toMatch(/Warning/);
      else expect(g.ok).toBe(false);
    });
  }

  it('reports every error of a file, each located', (ctx) => {
    const z = zhint({ 'main.s': ALL_AT_ONCE });
    const got = z.errors.map((e: AsmError) => formatError(e).split('\n')[0]);
    expect(got).toEqual([
      "main.s:2:6: undefined symbol 'undefined_sym' (.if needs symbols defined above it)",
      'main.s:4:2: .else without .if',
      'main.s:5:2: .endif without .if',
      'main.s:6:8: .rept count -3 is negative',
      'main.s:10:2: duplicate .else (the .else is at main.s:9)',
      'main.s:13:6: .if needs an absolute expression, this one is an address',
      "main.s:17:16: undefined symbol 'bad'",
      'main.s:19:2: .if without .endif (end of file reached inside it)',
    ]);
    if (!HAVE) ctx.skip(NEED);
    expect(gnu({ 'main.s': ALL_AT_ONCE }).ok).toBe(false);
  });

  it('bounds what repetition can produce', () => {
    const big = zhint({ 'main.s': ' .rept 0x7fffffff\n nopr\n .endr\n' });
    expect(big.errors.map((e) => formatError(e).split('\n')[0])).toEqual(['main.s:1:8: .rept count 2147483647 is too large']);
    const nested = zhint({ 'main.s': ' .rept 1000\n .rept 1000\n .rept 1000\n nopr\n .endr\n .endr\n .endr\n' });
    expect(nested.ok).toBe(false);
    expect(formatError(nested.errors[0])).toMatch(/^main\.s:4:1: more than 2000000 statements/);
    const deep = zhint({ 'main.s': `${' .rept 1\n'.repeat(100)} nopr\n${' .endr\n'.repeat(100)}` });
    expect(formatError(deep.errors[0])).toMatch(/^main\.s:\d+:2: \.rept nested too deeply/);
  });
});

describe('symbols defined before the first line (defsym, GNU as --defsym)', () => {
  const src = ` .ifdef PEER\n lghi %r1,PEER\n .else\n lghi %r1,-1\n .endif\n .if COUNT > 2\n nopr\n .endif\n`;
  const gnuDefsym = (args: string[]): Uint8Array => {
    const dir = new Scratch();
    try {
      writeFileSync(dir.path('main.s'), src);
      execFileSync(AS, ['-march=z196', ...args, '-o', 'main.o', 'main.s'], { cwd: dir.dir });
      execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', 'main.o', 'main.bin'], { cwd: dir.dir });
      return new Uint8Array(readFileSync(dir.path('main.bin')));
    } finally {
      dir.dispose();
    }
  };
  for (const [defsym, args] of [
    [{ PEER: 5, COUNT: 3 }, ['--defsym', 'PEER=5', '--defsym', 'COUNT=3']],
    [{ COUNT: 1 }, ['--defsym', 'COUNT=1']],
  ] as const) {
    it(`${JSON.stringify(defsym)}: same bytes as GNU as ${args.join(' ')}`, (ctx) => {
      const z = assemble(src, { file: 'main.s', defsym });
      expect(z.errors.map(formatError)).toEqual([]);
      if (!HAVE) ctx.skip(NEED);
      expect(hex(zText(z))).toBe(hex(gnuDefsym([...args])));
    });
  }
  it('a bad name is an error located in <defsym>', () => {
    const z = assemble(' nopr\n', { file: 'main.s', defsym: { '1x': 1 } });
    expect(z.ok).toBe(false);
    expect(formatError(z.errors[0])).toMatch(/^<defsym>:1:\d+: /);
  });
});
