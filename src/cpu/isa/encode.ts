/**
 * Encoding: operand fields → instruction bytes, derived from the same format
 * layouts the decoder reads (formats.ts). A pure function so the assembler,
 * the debugger (patching, "assemble at address") and tests share it.
 *
 * Values are taken as the decoder produces them: signed immediates and
 * relative offsets may be negative (two's complement in their field), a
 * 20-bit long displacement is signed and split into DL (low 12 bits) and DH
 * (high 8 bits) as the PoP describes for RXY/RSY/SIY.
 */
import { FORMATS, opcodeParts, type Slot, type FieldLayout } from './formats.js';
import type { InstructionDef } from './types.js';

/** Operand field values by slot (the same names as the decoded `Insn`). */
export type Fields = Partial<Record<Slot, number>>;

/** The layout of `slot` in the format of `d` (undefined if the format has no such slot). */
export function slotLayout(d: InstructionDef, slot: Slot): FieldLayout | undefined {
  return FORMATS[d.format].slots[slot];
}

/**
 * Place `v` (taken modulo 2^width) into the 48-bit instruction image held as
 * a number (exact below 2^53). `all` holds the instruction left-aligned in 48 bits.
 */
function put(all: number, pos: number, width: number, v: number): number {
  const m = 2 ** width;
  const u = ((v % m) + m) % m;
  const shift = 48 - pos - width;
  // clear then set (slots of one instruction never overlap, but fixed fields may repeat a slot)
  const old = Math.floor(all / 2 ** shift) % m;
  return all + (u - old) * 2 ** shift;
}

/** Encode the raw 48-bit image (left-aligned) of `d` with `fields`; fixed fields of an alias win. */
export function encodeImage(d: InstructionDef, fields: Fields): number {
  const fmt = FORMATS[d.format];
  const { byte0, ext } = opcodeParts(d);
  let all = byte0 * 2 ** 40;
  if (fmt.extWidth > 0) all = put(all, fmt.extPos, fmt.extWidth, ext);
  const set = (slot: Slot, v: number) => {
    const lay = fmt.slots[slot];
    if (lay === undefined) return;
    if (lay.hiPos !== undefined) {
      // 20-bit signed displacement: DL = low 12 bits at pos, DH = high 8 bits at hiPos
      const u = ((v % 0x100000) + 0x100000) % 0x100000;
      all = put(all, lay.pos, 12, u & 0xfff);
      all = put(all, lay.hiPos, 8, u >>> 12);
    } else {
      all = put(all, lay.pos, lay.width, v);
    }
  };
  for (const k of Object.keys(fields) as Slot[]) {
    const v = fields[k];
    if (v !== undefined) set(k, v);
  }
  if (d.fixed) for (const k of Object.keys(d.fixed) as Slot[]) set(k, d.fixed[k]!);
  return all;
}

/** Write the instruction into `out` at `off`; returns its length in bytes. */
export function encodeInto(out: Uint8Array, off: number, d: InstructionDef, fields: Fields): number {
  const len = FORMATS[d.format].length;
  const all = encodeImage(d, fields);
  for (let i = 0; i < len; i++) out[off + i] = Math.floor(all / 2 ** (40 - 8 * i)) & 0xff;
  return len;
}

/** Encode to a fresh byte array of the instruction's length. */
export function encode(d: InstructionDef, fields: Fields): Uint8Array {
  const out = new Uint8Array(FORMATS[d.format].length);
  encodeInto(out, 0, d, fields);
  return out;
}

/** The three halfwords (h0, h1, h2) of an encoded instruction, as the decoder takes them. */
export function halfwords(bytes: Uint8Array, off = 0): [number, number, number] {
  const hw = (i: number) => (off + i + 1 < bytes.length ? (bytes[off + i] << 8) | bytes[off + i + 1] : 0);
  return [hw(0), hw(2), hw(4)];
}
