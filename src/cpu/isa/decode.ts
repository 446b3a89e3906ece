/**
 * Decoding, derived from the instruction table: the first opcode byte selects
 * either an instruction or a second-level table keyed by the opcode extension
 * the format places elsewhere (bits 8-15, 12-15 or 40-47).
 */
import { Insn, type InstructionDef, type Exec } from './types.js';
import { extractField, FORMATS, opcodeParts, type Slot } from './formats.js';
import { INSTRUCTIONS } from './table.js';
import { parseSyntax, slotsOf } from './operands.js';
import { pgm, PIC } from '../exceptions.js';
import { semanticsSource } from './sem.js';
import { halfwords } from './encode.js';

interface Extractor { slot: Slot; pos: number; width: number; hiPos: number; signed: boolean }

interface Level2 { pos: number; width: number; defs: (InstructionDef | undefined)[] }

const primary: (InstructionDef | Level2 | undefined)[] = new Array(256).fill(undefined);
const extractors = new Map<InstructionDef, Extractor[]>();
/**
 * The instructions whose semantics are source (isa/sem.ts) get a case of the
 * plain interpreter loop's dispatch switch (src/cpu/interp.ts): case k is
 * SWITCH_CASES[k - 1]; the others have case 0, a call of their exec.
 */
const SWITCH_CASES: InstructionDef[] = [];
const caseOf = new Map<InstructionDef, number>();

/** The instructions of the dispatch switch, in case order (case k = element k - 1). */
export function switchCases(): readonly InstructionDef[] {
  if (!built) build();
  return SWITCH_CASES;
}

/**
 * Built on first use, not at import: the table's family modules may import
 * this module (EX/EXRL decode their target), so it can be evaluated before
 * table.ts has finished.
 */
let built = false;

function build(): void {
  built = true;
  for (const d of INSTRUCTIONS) {
    const fmt = FORMATS[d.format];
    const { byte0, ext } = opcodeParts(d);
    if (fmt.opDigits === 2) {
      if (primary[byte0] !== undefined) throw new Error(`decode: opcode ${d.op} defined twice (${d.mnemonic})`);
      primary[byte0] = d;
    } else {
      let l2 = primary[byte0] as Level2 | undefined;
      if (l2 === undefined) {
        l2 = { pos: fmt.extPos, width: fmt.extWidth, defs: new Array(1 << fmt.extWidth).fill(undefined) };
        primary[byte0] = l2;
      } else if (!('defs' in l2) || l2.pos !== fmt.extPos) {
        throw new Error(`decode: opcode ${d.op} (${d.mnemonic}) conflicts with another format on byte ${byte0.toString(16)}`);
      }
      if (l2.defs[ext] !== undefined) throw new Error(`decode: opcode ${d.op} defined twice (${d.mnemonic})`);
      l2.defs[ext] = d;
    }
    const ops = parseSyntax(d.syntax);
    const ex: Extractor[] = [];
    const signedSlots = new Set<Slot>();
    for (const o of ops) if (o.kind === 'simm' || o.kind === 'rel') signedSlots.add(o.slot);
    const slots = new Set<Slot>(slotsOf(ops));
    for (const s of Object.keys(d.fixed ?? {})) slots.add(s as Slot);
    for (const s of slots) {
      const lay = fmt.slots[s];
      if (!lay) throw new Error(`decode: ${d.mnemonic}: format ${d.format} has no slot ${s}`);
      ex.push({
        slot: s, pos: lay.pos, width: lay.hiPos !== undefined ? 12 : lay.width, hiPos: lay.hiPos ?? -1,
        signed: signedSlots.has(s) || lay.hiPos !== undefined,
      });
    }
    extractors.set(d, ex);
    if (semanticsSource(d.exec) !== undefined) caseOf.set(d, SWITCH_CASES.push(d));
  }
}


const operationException: Exec = () => pgm(PIC.OPERATION);

/** Look up the definition for instruction halfwords (undefined = not in zhint's set). */
export function lookup(h0: number, h1: number, h2: number): InstructionDef | undefined {
  if (!built) build();
  const e = primary[h0 >>> 8];
  if (e === undefined) return undefined;
  if ('defs' in e) return e.defs[extractField(h0, h1, h2, e.pos, e.width)];
  return e;
}

/** Fill `ins` from the raw halfwords. Unknown opcodes decode to an operation exception. */
export function decodeInto(ins: Insn, h0: number, h1: number, h2: number): Insn {
  const top = h0 >>> 14;
  ins.len = top === 0 ? 2 : top === 3 ? 6 : 4;
  ins.h0 = h0; ins.h1 = h1; ins.h2 = h2;
  ins.r1 = ins.r2 = ins.r3 = ins.m1 = ins.m3 = ins.m4 = ins.m5 = 0;
  ins.x2 = ins.b1 = ins.b2 = ins.d1 = ins.d2 = 0;
  ins.i1 = ins.i2 = ins.i3 = ins.i4 = ins.i5 = ins.l1 = ins.l2 = 0;
  const d = lookup(h0, h1, h2);
  if (d === undefined) {
    ins.def = null;
    ins.exec = operationException;
    ins.op = 0;
    return ins;
  }
  ins.def = d;
  ins.exec = d.exec;
  ins.op = caseOf.get(d) ?? 0;
  for (const x of extractors.get(d)!) {
    let v: number;
    if (x.hiPos >= 0) {
      // 20-bit signed long displacement: DH (8 bits at hiPos) : DL (12 bits)
      const dl = extractField(h0, h1, h2, x.pos, 12);
      const dh = extractField(h0, h1, h2, x.hiPos, 8);
      v = ((dh << 24) >> 12) | dl;
    } else {
      v = extractField(h0, h1, h2, x.pos, x.width);
      if (x.signed && v >= 2 ** (x.width - 1)) v -= 2 ** x.width;
    }
    // Stored as small integers (V8 Smis) whenever the value fits in 32 signed
    // bits — every slot but a 32-bit unsigned immediate of 2^31 or more. A
    // value computed in floating point would otherwise be stored boxed and
    // make the field a double for every Insn, which costs every read of every
    // operand in the interpreter.
    if (v <= 0x7fffffff) v |= 0;
    (ins as unknown as Record<Slot, number>)[x.slot] = v;
  }
  return ins;
}

const scratch = new Insn();

/** Decode `bytes` (2, 4 or 6) into a shared scratch Insn (valid until the next call); null when the opcode is unknown. */
export function decodeBytes(bytes: Uint8Array): Insn | null {
  const [h0, h1, h2] = halfwords(bytes);
  decodeInto(scratch, h0, h1, h2);
  return scratch.def === null ? null : scratch;
}
