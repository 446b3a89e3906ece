/**
 * Instruction formats of z/Architecture (Principles of Operation, chapter 5,
 * "Instruction formats"). Each format defines, once, where its opcode bits and
 * operand fields sit; decoder, executor, assembler and disassembler all read
 * these layouts.
 *
 * Bit numbering follows the architecture: bit 0 is the most significant bit of
 * the first halfword of the instruction.
 *
 * Fields are named by *slot* (r1, x2, b2, d2, i2, m3, ...). Several slots may
 * share bit positions (R3 and M3 of RRF): which one an instruction uses is
 * said by its syntax (see `operands.ts`).
 */
import type { InstructionDef } from './types.js';

export type FormatName =
  | 'E' | 'I' | 'RR' | 'RRE' | 'RRF' | 'RX' | 'RXE' | 'RXY' | 'RS' | 'RSY'
  | 'RI' | 'RIL' | 'RIE' | 'RIE_C' | 'RIE_F' | 'RSI' | 'RRS' | 'RIS' | 'SI' | 'SIY' | 'SIL' | 'S' | 'SS' | 'SSE' | 'IE';

/** Names of the operand slots of a decoded instruction. */
export type Slot =
  | 'r1' | 'r2' | 'r3' | 'm1' | 'm3' | 'm4' | 'm5' | 'x2' | 'b1' | 'b2'
  | 'd1' | 'd2' | 'b4' | 'd4' | 'i1' | 'i2' | 'i3' | 'i4' | 'i5' | 'l1' | 'l2';

export interface FieldLayout {
  /** first bit (0 = MSB of the instruction) */
  pos: number;
  /** width in bits */
  width: number;
  /** for 20-bit long displacements (DL at `pos`, DH at `hiPos`): signed */
  hiPos?: number;
}

export interface Format {
  name: FormatName;
  /** instruction length in bytes */
  length: 2 | 4 | 6;
  /**
   * The opcode as the architecture writes it ("A7B", "E308", "B908", "1A"):
   * `opDigits` hex digits; the first two are byte 0, the rest are placed at
   * `extPos` (bit position) with `extWidth` bits.
   */
  opDigits: 2 | 3 | 4;
  extPos: number;
  extWidth: number;
  slots: Partial<Record<Slot, FieldLayout>>;
}

const f = (pos: number, width: number): FieldLayout => ({ pos, width });
const long = (pos: number, hiPos: number): FieldLayout => ({ pos, width: 20, hiPos });

export const FORMATS: Record<FormatName, Format> = {
  E: { name: 'E', length: 2, opDigits: 4, extPos: 8, extWidth: 8, slots: {} },
  I: { name: 'I', length: 2, opDigits: 2, extPos: 0, extWidth: 0, slots: { i1: f(8, 8) } },
  RR: {
    name: 'RR', length: 2, opDigits: 2, extPos: 0, extWidth: 0,
    slots: { r1: f(8, 4), m1: f(8, 4), r2: f(12, 4) },
  },
  RRE: {
    name: 'RRE', length: 4, opDigits: 4, extPos: 8, extWidth: 8,
    slots: { r1: f(24, 4), r2: f(28, 4) },
  },
  RRF: {
    name: 'RRF', length: 4, opDigits: 4, extPos: 8, extWidth: 8,
    slots: { r3: f(16, 4), m3: f(16, 4), m4: f(20, 4), r1: f(24, 4), r2: f(28, 4) },
  },
  RX: {
    name: 'RX', length: 4, opDigits: 2, extPos: 0, extWidth: 0,
    slots: { r1: f(8, 4), m1: f(8, 4), x2: f(12, 4), b2: f(16, 4), d2: f(20, 12) },
  },
  RXE: {
    name: 'RXE', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), x2: f(12, 4), b2: f(16, 4), d2: f(20, 12), m3: f(32, 4) },
  },
  RXY: {
    name: 'RXY', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), m1: f(8, 4), x2: f(12, 4), b2: f(16, 4), d2: long(20, 32) },
  },
  RS: {
    name: 'RS', length: 4, opDigits: 2, extPos: 0, extWidth: 0,
    slots: { r1: f(8, 4), r3: f(12, 4), m3: f(12, 4), b2: f(16, 4), d2: f(20, 12) },
  },
  RSY: {
    name: 'RSY', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), r3: f(12, 4), m3: f(12, 4), b2: f(16, 4), d2: long(20, 32) },
  },
  RI: {
    name: 'RI', length: 4, opDigits: 3, extPos: 12, extWidth: 4,
    slots: { r1: f(8, 4), m1: f(8, 4), i2: f(16, 16) },
  },
  RIL: {
    name: 'RIL', length: 6, opDigits: 3, extPos: 12, extWidth: 4,
    slots: { r1: f(8, 4), m1: f(8, 4), i2: f(16, 32) },
  },
  /**
   * RIE covers the variants zhint uses; each instruction's syntax picks the
   * slots: RIE-b (R1,R2,M3,RI4), RIE-c (R1,I2,M3,RI4), RIE-d (R1,R3,I2),
   * RIE-f (R1,R2,I3,I4,I5).
   */
  RIE: {
    name: 'RIE', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: {
      r1: f(8, 4), r2: f(12, 4), r3: f(12, 4), m3: f(32, 4),
      i4: f(16, 16), i2: f(16, 16), i3: f(16, 8), i5: f(32, 8),
    },
  },
  /**
   * RIE-c (CIJ, CGIJ, CLIJ, CLGIJ): R1, M3 at bits 12-15, RI4 at 16-31 and an
   * 8-bit I2 at bits 32-39, which the shared RIE slots cannot express.
   */
  RIE_C: {
    name: 'RIE_C', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), m3: f(12, 4), i4: f(16, 16), i2: f(32, 8) },
  },
  /** RIE-f (RISBG, RNSBG, ...): R1, R2 and three 8-bit immediates I3 (16-23), I4 (24-31), I5 (32-39). */
  RIE_F: {
    name: 'RIE_F', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), r2: f(12, 4), i3: f(16, 8), i4: f(24, 8), i5: f(32, 8) },
  },
  /** RSI (BRXH, BRXLE): R1, R3 and a 16-bit relative offset RI2 (16-31). */
  RSI: {
    name: 'RSI', length: 4, opDigits: 2, extPos: 0, extWidth: 0,
    slots: { r1: f(8, 4), r3: f(12, 4), i2: f(16, 16) },
  },
  /** RRS (CRB, CGRB, CLRB, CLGRB): R1, R2, branch address D4(B4) at 16-31, M3 at 32-35. */
  RRS: {
    name: 'RRS', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), r2: f(12, 4), b4: f(16, 4), d4: f(20, 12), m3: f(32, 4) },
  },
  /** RIS (CIB, CGIB, CLIB, CLGIB): R1, M3 at 12-15, branch address D4(B4), 8-bit I2 at 32-39. */
  RIS: {
    name: 'RIS', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { r1: f(8, 4), m3: f(12, 4), b4: f(16, 4), d4: f(20, 12), i2: f(32, 8) },
  },
  SI: {
    name: 'SI', length: 4, opDigits: 2, extPos: 0, extWidth: 0,
    slots: { i2: f(8, 8), b1: f(16, 4), d1: f(20, 12) },
  },
  SIY: {
    name: 'SIY', length: 6, opDigits: 4, extPos: 40, extWidth: 8,
    slots: { i2: f(8, 8), b1: f(16, 4), d1: long(20, 32) },
  },
  SIL: {
    name: 'SIL', length: 6, opDigits: 4, extPos: 8, extWidth: 8,
    slots: { b1: f(16, 4), d1: f(20, 12), i2: f(32, 16) },
  },
  S: {
    name: 'S', length: 4, opDigits: 4, extPos: 8, extWidth: 8,
    slots: { b2: f(16, 4), d2: f(20, 12) },
  },
  /** SS-a (MVC, CLC, XC, ...): one length field L1 holding length-1. */
  SS: {
    name: 'SS', length: 6, opDigits: 2, extPos: 0, extWidth: 0,
    slots: { l1: f(8, 8), r1: f(8, 4), r3: f(12, 4), b1: f(16, 4), d1: f(20, 12), b2: f(32, 4), d2: f(36, 12) },
  },
  SSE: {
    name: 'SSE', length: 6, opDigits: 4, extPos: 8, extWidth: 8,
    slots: { b1: f(16, 4), d1: f(20, 12), b2: f(32, 4), d2: f(36, 12) },
  },
  IE: { name: 'IE', length: 4, opDigits: 4, extPos: 8, extWidth: 8, slots: { i1: f(24, 4), i2: f(28, 4) } },
};

/** Instruction length from the first two bits of the opcode (PoP "Instruction length"). */
export function lengthFromFirstByte(byte0: number): 2 | 4 | 6 {
  const top = byte0 >>> 6;
  return top === 0 ? 2 : top === 3 ? 6 : 4;
}

/** Extract an unsigned field from an instruction held as up to three halfwords. */
export function extractField(h0: number, h1: number, h2: number, pos: number, width: number): number {
  // Gather the 48-bit instruction into a number (exact: < 2^53).
  const all = h0 * 0x100000000 + h1 * 0x10000 + h2;
  const shift = 48 - pos - width;
  return Math.floor(all / 2 ** shift) % 2 ** width;
}

/** Opcode split per format: first byte and extension value. */
export function opcodeParts(d: InstructionDef): { byte0: number; ext: number } {
  const fmt = FORMATS[d.format];
  if (d.op.length !== fmt.opDigits) {
    throw new Error(`instruction table: ${d.mnemonic} opcode ${d.op} does not fit format ${d.format}`);
  }
  const byte0 = parseInt(d.op.slice(0, 2), 16);
  const ext = fmt.opDigits > 2 ? parseInt(d.op.slice(2), 16) : 0;
  return { byte0, ext };
}
