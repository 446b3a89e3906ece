/**
 * Architected behaviour only: whatever bytes a guest executes, in any state,
 * the machine ends in an architected outcome (a result, a program
 * interruption, a stop) and never in a JavaScript exception. Random
 * instruction streams — raw random bytes, and every table opcode with random
 * operand fields — run in supervisor and problem state, with the second tier
 * off and compiling everything at first sight.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { INSTRUCTIONS } from '../../src/cpu/isa/table.js';
import { FORMATS, opcodeParts } from '../../src/cpu/isa/formats.js';
import { Rng } from '../../src/testing/diff/gen.js';

/** One random instruction of the table: its opcode, every other bit random. */
function tableInstruction(r: Rng): number[] {
  const d = INSTRUCTIONS[r.int(INSTRUCTIONS.length)];
  const f = FORMATS[d.format];
  const { byte0, ext } = opcodeParts(d);
  const bytes: number[] = [byte0];
  for (let k = 1; k < f.length; k++) bytes.push(r.int(256));
  if (f.opDigits > 2) {
    // put the extension back where the format keeps it
    for (let b = 0; b < f.extWidth; b++) {
      const pos = f.extPos + b;
      const bit = (ext >> (f.extWidth - 1 - b)) & 1;
      const byte = pos >> 3, mask = 0x80 >> (pos & 7);
      bytes[byte] = bit ? bytes[byte] | mask : bytes[byte] & ~mask;
    }
  }
  return bytes;
}

export function runOne(seed: number, mode: 'bytes' | 'table', problem: boolean, jit: boolean, steps = 3000): string {
  const r = new Rng(seed);
  const m = new Machine({ guestMem: 1 << 20, hostMem: 64 << 10 });
  m.cpu.jit = jit;
  m.cpu.jitThreshold = jit ? 1 : Number.MAX_SAFE_INTEGER;
  const code: number[] = [];
  while (code.length < 2048) {
    if (mode === 'bytes') code.push(r.int(256));
    else code.push(...tableInstruction(r));
  }
  m.load(0x2000, new Uint8Array(code));
  // program-interruption handler at 0x1000: skip a halfword past the old
  // PSW's address and go back (agsi 0x158,2; lpswe 0x150), so the random
  // stream goes on after each interruption; SVC/external: disabled wait
  m.load(0x1000, new Uint8Array([0xeb, 0x02, 0x01, 0x58, 0x00, 0x7a, 0xb2, 0xb2, 0x01, 0x50]));
  const psw = (hi: number, ia: number) => new Uint8Array([
    hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0,
    ia >>> 24, (ia >>> 16) & 0xff, (ia >>> 8) & 0xff, ia & 0xff]);
  m.load(0x1d0, psw(0x00000001, 0x1000));
  m.load(0x1c0, psw(0x00020001, 0xdead));
  m.load(0x1b0, psw(0x00020001, 0xdead));
  m.start(0x2000);
  m.cpu.problem = problem;
  for (let k = 0; k < 16; k++) {
    // addresses that mostly land in storage, sometimes anywhere
    m.cpu.hi[k] = r.int(8) === 0 ? r.u32() : 0;
    m.cpu.lo[k] = r.int(4) === 0 ? r.u32() : r.int(1 << 20);
  }
  const res = m.run(steps);
  stats.set(res.reason, (stats.get(res.reason) ?? 0) + 1);
  stats.set('steps', (stats.get('steps') ?? 0) + res.steps);
  // the final machine, for comparing the two tiers
  return JSON.stringify([res, [...m.cpu.hi], [...m.cpu.lo], m.cpu.pswMaskHi(), m.cpu.ia, [...m.storage.peek(0x2000, 2048)]]);
}

export const stats = new Map<string, number>();

describe('random instruction streams end architecturally', () => {
  for (const mode of ['bytes', 'table'] as const) {
    for (const problem of [false, true]) {
      for (const jit of [false, true]) {
        it(`${mode}, ${problem ? 'problem' : 'supervisor'} state, second tier ${jit ? 'on' : 'off'}`, () => {
          for (let seed = 1; seed <= 40; seed++) {
            const s = seed * 7919 + (problem ? 1 : 0);
            let outcome = '';
            expect(() => { outcome = runOne(s, mode, problem, jit); }, `seed ${seed}`).not.toThrow();
            // and the second tier changes nothing
            if (jit) expect(outcome, `seed ${seed}`).toBe(runOne(s, mode, problem, false));
          }
          if (process.env.ZHINT_FUZZ_STATS) console.log(mode, problem, jit, [...stats]);
          stats.clear();
        });
      }
    }
  }
});
