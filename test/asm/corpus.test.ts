/**
 * Oracle test: every mnemonic of the instruction table (base and extended) in
 * several operand forms, assembled by zhint and by GNU as (-march=z196),
 * must give identical bytes; zhint's disassembly must equal objdump's text.
 */
import { describe, expect, it } from 'vitest';
import { assemble, disassemble, insnText } from '../../src/asm/index.js';
import { generateCorpus, gnuAssemble, GNU_LACKS, type CorpusLine } from './corpus.js';
import { haveBinutils } from '../../src/testing/tools.js';

const HAVE = haveBinutils();
if (!HAVE) console.warn('asm corpus: skipped, GNU binutils for s390x missing (Debian package binutils-s390x-linux-gnu)');

function source(lines: CorpusLine[], gnu: boolean): string {
  return ['\t.text', 'bwd:', ...lines.map((l) => (gnu ? l.gnu : l.text)), 'fwd:', '\tnopr', ''].join('\n');
}
/** source line number (1-based) of corpus line i */
const lineOf = (i: number) => i + 3;

describe('assembler and disassembler against GNU binutils', () => {
  it.skipIf(!HAVE)('assembles every table mnemonic byte-identically to GNU as and disassembles like objdump', () => {
    let lines = generateCorpus();
    const problems: string[] = [];
    // 1. lines zhint rejects
    const z0 = assemble(source(lines, false), { file: 'corpus.s' });
    const zBad = new Set(z0.errors.map((e) => e.line));
    // 2. lines GNU as rejects (retry until it assembles the rest)
    const gBad = new Map<number, string>();
    for (let round = 0; round < 4; round++) {
      const keep = lines.filter((_, i) => !zBad.has(lineOf(i)) && !gBad.has(lineOf(i)));
      const g = gnuAssemble(source(keep, true));
      if (g.ok) break;
      const idx = lines.map((_, i) => i).filter((i) => !zBad.has(lineOf(i)) && !gBad.has(lineOf(i)));
      for (const [ln, msg] of g.errors) gBad.set(lineOf(idx[ln - 3]), msg);
      if (g.errors.size === 0) throw new Error('GNU as failed without line errors');
    }
    for (const e of z0.errors) problems.push(`zhint rejects ${e.line}: ${lines[e.line - 3]?.text.trim()} : ${e.message}`);
    for (const [ln, msg] of gBad) problems.push(`GNU as rejects ${ln}: ${lines[ln - 3]?.gnu.trim()} : ${msg}`);
    lines = lines.filter((_, i) => !zBad.has(lineOf(i)) && !gBad.has(lineOf(i)));

    // 3. bytes
    const z = assemble(source(lines, false), { file: 'corpus.s' });
    expect(z.errors.map((e) => e.message)).toEqual([]);
    const g = gnuAssemble(source(lines, true));
    expect(g.ok).toBe(true);
    const text = z.image.subarray(0, z.sections[0].size);
    for (const e of z.lineMap) {
      const mine = Buffer.from(text.subarray(e.addr, e.addr + e.len)).toString('hex');
      const theirs = Buffer.from(g.text.subarray(e.addr, e.addr + e.len)).toString('hex');
      if (mine !== theirs) problems.push(`bytes differ at line ${e.line}: ${lines[e.line - 3]?.text.trim()} zhint ${mine} GNU ${theirs}`);
    }
    if (text.length !== g.text.length) problems.push(`.text size: zhint ${text.length}, GNU ${g.text.length}`);

    // 4. disassembly text
    const dis = disassemble(g.text, 0);
    const byAddr = new Map(z.lineMap.map((e) => [e.addr, e.line]));
    for (const l of dis) {
      const ln = byAddr.get(l.addr);
      const src = ln !== undefined ? lines[ln - 3] : undefined;
      if (src && GNU_LACKS[src.mnemonic]) continue; // objdump prints .long for these
      const theirs = g.objdump.get(l.addr);
      if (insnText(l) !== theirs) problems.push(`disassembly differs at ${l.addr.toString(16)} (line ${ln}: ${src?.text.trim()}): zhint '${insnText(l)}' objdump '${theirs}'`);
    }
    console.log(`asm corpus: compared ${z.lineMap.length} statements, ${dis.length} disassembled, objdump ${g.objdump.size}; ${lines.length} lines, ${new Set(lines.map((l) => l.mnemonic)).size} mnemonics, ${problems.length} problems`);
    expect(problems).toEqual([]);
  });
});
