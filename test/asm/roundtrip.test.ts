/**
 * Round trip for every row of the instruction table (base instructions and
 * extended mnemonics): fields → encode → lookup/decodeInto → same definition
 * and fields → encode → same bytes. Values are drawn per slot over the whole
 * field range with a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { INSTRUCTIONS, ALIASES } from '../../src/cpu/isa/table.js';
import { parseSyntax, slotsOf } from '../../src/cpu/isa/operands.js';
import { FORMATS, type Slot } from '../../src/cpu/isa/formats.js';
import { encode, halfwords, type Fields } from '../../src/cpu/isa/encode.js';
import { decodeInto, lookup } from '../../src/cpu/isa/decode.js';
import { Insn, type InstructionDef } from '../../src/cpu/isa/types.js';
import { aliasInfo } from '../../src/cpu/isa/extended.js';
import { disassembleOne } from '../../src/asm/disassembler.js';
import { Rng } from '../../src/testing/diff/gen.js';

function randomFields(d: InstructionDef, r: Rng, edge: number): Fields {
  const fmt = FORMATS[d.format];
  const ops = parseSyntax(d.syntax);
  const signed = new Set<Slot>(ops.filter((o) => o.kind === 'simm' || o.kind === 'rel').map((o) => o.slot));
  const pairs = new Set<Slot>(ops.filter((o) => o.kind === 'pair').map((o) => o.slot));
  const f: Fields = {};
  for (const s of slotsOf(ops)) {
    const lay = fmt.slots[s]!;
    const w = lay.width;
    const isSigned = signed.has(s) || lay.hiPos !== undefined;
    const lo = isSigned ? -(2 ** (w - 1)) : 0;
    const hi = isSigned ? 2 ** (w - 1) - 1 : 2 ** w - 1;
    let v = edge === 0 ? lo : edge === 1 ? hi : r.range(lo, hi);
    if (pairs.has(s)) v &= ~1;
    f[s] = v;
  }
  const imm = aliasInfo(d)?.imm;
  if (imm) f[imm.slot] = ((f[imm.slot] ?? 0) & imm.operandMax) | imm.value;
  return f;
}

describe('encode/decode round trip', () => {
  it('every table row: encode → decode → encode is the identity', () => {
    const r = new Rng(0x5eed);
    const ins = new Insn();
    let checked = 0;
    const failures: string[] = [];
    for (const d of [...INSTRUCTIONS, ...ALIASES]) {
      const base = d.alias ? INSTRUCTIONS.find((b) => b.mnemonic === d.alias)! : d;
      for (let k = 0; k < 12; k++) {
        const fields = randomFields(d, r, k);
        const bytes = encode(d, fields);
        expect(bytes.length).toBe(FORMATS[d.format].length);
        const [h0, h1, h2] = halfwords(bytes);
        const got = lookup(h0, h1, h2);
        if (got !== base) { failures.push(`${d.mnemonic}: lookup gave ${got?.mnemonic}`); break; }
        decodeInto(ins, h0, h1, h2);
        const dec = ins as unknown as Record<Slot, number>;
        const expectFields = { ...fields, ...(d.fixed ?? {}) };
        for (const s of Object.keys(expectFields) as Slot[]) {
          if (dec[s] !== expectFields[s]) failures.push(`${d.mnemonic}: ${s} encoded ${expectFields[s]} decoded ${dec[s]}`);
        }
        // re-encode from the decoded instruction through the base definition
        const again: Fields = {};
        for (const s of slotsOf(parseSyntax(base.syntax))) again[s] = dec[s];
        const bytes2 = encode(base, again);
        if (Buffer.compare(Buffer.from(bytes), Buffer.from(bytes2)) !== 0) {
          failures.push(`${d.mnemonic}: ${Buffer.from(bytes).toString('hex')} re-encoded as ${Buffer.from(bytes2).toString('hex')}`);
        }
        // and the disassembler names something that decodes to the same base
        const dl = disassembleOne(bytes, 0, 0);
        if (dl.def !== base) failures.push(`${d.mnemonic}: disassembler gave ${dl.mnemonic}`);
        checked++;
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(INSTRUCTIONS.length * 12);
  });

  it('every extended mnemonic encodes its fixed fields into the base opcode', () => {
    for (const a of ALIASES) {
      expect(aliasInfo(a)?.base ?? a.alias).toBe(a.alias);
      const bytes = encode(a, {});
      const [h0, h1, h2] = halfwords(bytes);
      expect(lookup(h0, h1, h2)?.mnemonic).toBe(a.alias);
    }
  });
});
