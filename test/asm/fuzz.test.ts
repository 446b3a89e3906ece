/**
 * Fuzzing the assembler (fixed seed): random token soups and mutations of
 * valid programs. The assembler must never throw, never report an internal
 * error, and every rejection must be located as `file:line:col:` inside the
 * source it was given.
 */
import { describe, expect, it } from 'vitest';
import { assemble, formatError } from '../../src/asm/index.js';
import { BY_MNEMONIC } from '../../src/cpu/isa/table.js';
import { Rng } from '../../src/testing/diff/gen.js';
import { generateCorpus } from './corpus.js';

const MNEMONICS = [...BY_MNEMONIC.keys()];
const DIRECTIVES = ['.text', '.data', '.section .rodata,"a"', '.org', '.align', '.balign', '.p2align', '.byte', '.short', '.hword',
  '.long', '.quad', '.ascii', '.asciz', '.string', '.space', '.skip', '.fill', '.equ', '.set', '.global', '.globl', '.include',
  '.macro', '.endm', '.insn', '.previous', '.end', '.bogus', '.if', '.ifdef', '.ifndef', '.ifeq', '.ifne', '.iflt', '.ifb', '.ifc',
  '.else', '.elseif', '.endif', '.rept', '.irp', '.irpc', '.endr'];
const ATOMS = ['%r0', '%r1', '%r15', '%r16', '%c3', '%a2', '%x', '%', '0', '1', '-1', '4095', '4096', '-524288', '65535', '0x7fffffff',
  '0xffffffffffffffff', '99999999999999999999999', '0b101', '017', "'A'", "'", "'\\n", '"str"', '"unterminated', '.', '1b', '1f',
  'lab', '_start', 'x', 'rrf', 'ril', '0xb9ab0000', '\\a', '\\', '@progbits'];
const PUNCT = ['(', ')', ',', ',', ',', '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '~', '!', ':', ';', '=', '#', '/*', '*/', ' ', '\t',
  '==', '!=', '<>', '<', '<=', '>', '>=', '&&', '||'];
const MUTATE = ['(', ')', ',', '%', '#', ';', ':', '"', "'", '\\', '\n', ' ', '0', '9', 'x', 'r', '-', '.', '/*', '*/', '\u00e9', '\0'];

function soup(r: Rng): string {
  const lines: string[] = [];
  const n = 1 + r.int(6);
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    if (r.chance(0.3)) parts.push(r.pick(['lab:', '1:', '2:', 'x =', '.macro m a', '.endm', 'm 1,2']));
    parts.push(r.chance(0.6) ? r.pick(MNEMONICS) : r.pick(DIRECTIVES));
    const k = r.int(8);
    for (let j = 0; j < k; j++) parts.push(r.chance(0.6) ? r.pick(ATOMS) : r.pick(PUNCT));
    lines.push(' ' + parts.join(r.chance(0.5) ? '' : ' '));
  }
  return lines.join('\n');
}

function mutate(r: Rng, src: string): string {
  let s = src;
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const at = r.int(s.length + 1);
    const op = r.int(100);
    if (op < 40) s = s.slice(0, at) + r.pick(MUTATE) + s.slice(at);
    else if (op < 70) s = s.slice(0, at) + s.slice(at + 1 + r.int(3));
    else if (op < 85) { const len = r.int(8); s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at); }
    else s = s.slice(0, at) + r.pick(ATOMS) + s.slice(at);
  }
  return s;
}

const PROGRAMS = [
  '_start: larl %r13,d\n lhi %r1,10\n1: agr %r2,%r1\n brctg %r1,1b\n j 2f\n2: stg %r2,0(%r13)\n .align 8\nd: .quad 0\n',
  '.macro m r,k=1\n ahi \\r,\\k\n.endm\n m %r1\n m %r2,5\n .section .data\n .long 1,2,3\n .text\n br %r14\n',
  ' .insn rrf,0xb9ab0000,%r1,%r2,3,0\n essa %r1,%r2,3\n mvc 0(256,%r1),4095(%r2)\n .org .+4\n .fill 2,4,-1\n',
  'x = 4\n .byte x*2, \'A, ~0\n .ascii "a\\tb"\n .space 3,0xff\n l %r1,x(%r2,%r3)\n lg %r1,-x(%r2)\n',
  'n = 3\n.if n > 2 && n != 5\n .rept n - 1\n nopr\n .endr\n.elseif n <= 0 || !n\n.else\n.endif\na: .ifdef a\n.irp r,%r1,%r2\n lr \\r,\\r\n.endr\n.endif\n',
];

describe('assembler fuzz', () => {
  it('never throws and locates every rejection (12,000 sources, fixed seed)', () => {
    const r = new Rng(20240611);
    const corpus = generateCorpus().map((l) => l.text);
    let rejected = 0, accepted = 0;
    const bad: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      let src: string;
      const kind = i % 3;
      if (kind === 0) src = soup(r);
      else if (kind === 1) src = mutate(r, r.pick(PROGRAMS));
      else src = mutate(r, Array.from({ length: 1 + r.int(4) }, () => r.pick(corpus)).join('\n'));
      const lines = src.replace(/\r\n?/g, '\n').split('\n').length;
      const res = assemble(src, { file: 'fuzz.s' }); // must not throw
      if (res.ok) { accepted++; continue; }
      rejected++;
      for (const e of res.errors) {
        const text = formatError(e);
        const located = e.file === 'fuzz.s' && e.line >= 1 && e.line <= lines && e.col >= 1 &&
          text.startsWith(`fuzz.s:${e.line}:${e.col}: `) && e.message.length > 0;
        if (!located || /internal|undefined is|Cannot read|NaN|\[object/.test(e.message)) {
          bad.push(`${JSON.stringify(src)} → ${text.split('\n')[0]}`);
        }
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(rejected).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(100);
  });
});
