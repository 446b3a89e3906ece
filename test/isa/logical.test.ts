/**
 * Family "logical": AND, OR, EXCLUSIVE OR in register, storage and
 * immediate forms. cc 0 result zero, 1 not zero (PoP); for the halfword and
 * word immediates the result is only the field operated on.
 */
import { describe, expect, it } from 'vitest';
import { CODE, DATA, enc, machine, one, rng, haveGnuAs, crossCheckWithGnuAs, qemuCrossCheck, qemuMissing, type Machine, again } from './helpers.js';

const U32 = (v: bigint) => BigInt.asUintN(32, v);
const HI = (v: bigint) => (v >> 32n) << 32n;

const ops = {
  n: (a: bigint, b: bigint) => a & b,
  o: (a: bigint, b: bigint) => a | b,
  x: (a: bigint, b: bigint) => a ^ b,
};

describe('logical', () => {
  it('encodes like GNU as (opcodes, formats, operand order)', (ctx) => {
    if (!haveGnuAs()) ctx.skip('needs s390x-linux-gnu-as (Debian package binutils-s390x-linux-gnu)');
    expect(crossCheckWithGnuAs('logical')).toEqual([]);
  });

  it('agrees with QEMU (qemu-s390x user mode) on random operands: registers, cc and storage', (ctx) => {
    const why = qemuMissing();
    if (why !== '') ctx.skip(why);
    expect(qemuCrossCheck('logical', 16)).toEqual([]);
  });

  it('register forms agree with BigInt: 32-bit forms keep bits 0-31, cc 0 zero / 1 nonzero', () => {
    const next = rng(5);
    const forms: [string, keyof typeof ops, 32 | 64, boolean][] = [
      ['nr', 'n', 32, false], ['ngr', 'n', 64, false], ['nrk', 'n', 32, true], ['ngrk', 'n', 64, true],
      ['or', 'o', 32, false], ['ogr', 'o', 64, false], ['ork', 'o', 32, true], ['ogrk', 'o', 64, true],
      ['xr', 'x', 32, false], ['xgr', 'x', 64, false], ['xrk', 'x', 32, true], ['xgrk', 'x', 64, true],
    ];
    for (const [mn, op, w, three] of forms) {
      const m = machine(enc(mn, three ? { r1: 1, r2: 2, r3: 3 } : { r1: 1, r2: 2 }));
      for (let k = 0; k < 200; k++) {
        const a = next(), b = next(), keep = next();
        if (three) again(m, { 1: keep, 2: a, 3: b }); else again(m, { 1: a, 2: b });
        const r = w === 32 ? U32(ops[op](a, b)) : ops[op](a, b);
        const want = w === 32 ? HI(three ? keep : a) | r : r;
        expect(m.get(1), `${mn} ${a} ${b}`).toBe(want);
        expect(m.cpu.cc, `${mn} ${a} ${b}`).toBe(r === 0n ? 0 : 1);
      }
    }
  });

  it('XGR of a register with itself clears it (cc 0); NR with zero gives cc 0 but keeps bits 0-31', () => {
    let m = one(enc('xgr', { r1: 4, r2: 4 }), { 4: 0x123456789abcdefn });
    expect(m.get(4)).toBe(0n);
    expect(m.cpu.cc).toBe(0);
    m = one(enc('nr', { r1: 4, r2: 5 }), { 4: 0xffffffffffffffffn, 5: 0n });
    expect(m.get(4)).toBe(0xffffffff00000000n);
    expect(m.cpu.cc).toBe(0);
  });

  it('storage forms N, NY, NG, O, OY, OG, X, XY, XG', () => {
    const a = 0xf0f0f0f0_0ff00ff0n, v64 = 0xff00ff00_00ffff00n, v32 = 0x0ff0f00fn;
    const forms: [string, keyof typeof ops, 32 | 64][] = [
      ['n', 'n', 32], ['ny', 'n', 32], ['ng', 'n', 64], ['o', 'o', 32], ['oy', 'o', 32], ['og', 'o', 64],
      ['x', 'x', 32], ['xy', 'x', 32], ['xg', 'x', 64],
    ];
    for (const [mn, op, w] of forms) {
      const m = one(enc(mn, { r1: 1, x2: 8, b2: 9, d2: 8 }), { 1: a, 8: 8n, 9: BigInt(DATA) }, (mm) => {
        if (w === 64) mm.cpu.storage.write64(DATA + 16, v64); else mm.cpu.storage.write32(DATA + 16, Number(v32));
      });
      const r = w === 64 ? ops[op](a, v64) : U32(ops[op](a, v32));
      expect(m.get(1), mn).toBe(w === 64 ? r : HI(a) | r);
      expect(m.cpu.cc, mn).toBe(r === 0n ? 0 : 1);
    }
    // a zero result from storage
    const m = one(enc('n', { r1: 1, b2: 9 }), { 1: 0xffffffff0000ffffn, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0xffff0000));
    expect(m.get(1)).toBe(0xffffffff00000000n);
    expect(m.cpu.cc).toBe(0);
  });

  it('NI, OI, XI and the Y forms update one byte in storage', () => {
    const t: [string, number, number, number, number][] = [
      ['ni', 0xf0, 0x0f, 0x00, 0], ['niy', 0xf3, 0x0f, 0x03, 1], ['oi', 0x00, 0x00, 0x00, 0], ['oiy', 0x80, 0x01, 0x81, 1],
      ['xi', 0x5a, 0x5a, 0x00, 0], ['xiy', 0x5a, 0xff, 0xa5, 1],
    ];
    for (const [mn, before, imm, after, cc] of t) {
      const m = one(enc(mn, { b1: 9, d1: 3, i2: imm }), { 9: BigInt(DATA) }, (mm) => {
        mm.cpu.storage.write32(DATA, 0x11223344);
        mm.cpu.storage.write8(DATA + 3, before);
      });
      expect(m.cpu.storage.read32(DATA), mn).toBe(((0x112233 << 8) | after) >>> 0);
      expect(m.cpu.cc, mn).toBe(cc);
    }
    // long displacement, negative
    const m = one(enc('oiy', { b1: 9, d1: -1, i2: 0x0f }), { 9: BigInt(DATA + 1) });
    expect(m.cpu.storage.read8(DATA)).toBe(0x0f);
  });

  it('NI to a protected (low-address-protected) byte is a protection exception and changes nothing', () => {
    const m = one(enc('ni', { b1: 0, d1: 0x100, i2: 0 }), {}, (mm) => {
      mm.cpu.storage.write8(0x100, 0xab);
      mm.cpu.setCr(0, 0x10000000n); // CR0 bit 35: low-address protection
    });
    expect(m.pic()).toBe(0x04);
    expect(m.cpu.storage.read8(0x100)).toBe(0xab);
  });

  it('LAN / LANG / LAO / LAOG / LAX / LAXG: R1 gets the old operand, storage the result, cc by the result', () => {
    const t: [string, bigint, bigint, number, bigint, number][] = [
      ['lan', 0xf0f0f0f0n, 0x0f0f0f0fn, 4, 0n, 0],
      ['lao', 0xf0000000n, 0x0000000fn, 4, 0xf000000fn, 1],
      ['lax', 0xffffffffn, 0xffffffffn, 4, 0n, 0],
      ['lang', 0xffff0000ffff0000n, 0x0000ffffffff0000n, 8, 0x0000ffff0000n, 1],
      ['laog', 0n, 0n, 8, 0n, 0],
      ['laxg', 0x8000000000000001n, 1n, 8, 0x8000000000000000n, 1],
    ];
    for (const [mn, old, r3, size, res, cc] of t) {
      const m = one(enc(mn, { r1: 1, r3: 2, b2: 9 }), { 1: 0x5555555555555555n, 2: r3, 9: BigInt(DATA) }, (mm) => {
        if (size === 8) mm.cpu.storage.write64(DATA, old); else mm.cpu.storage.write32(DATA, Number(old));
      });
      expect(size === 8 ? m.cpu.storage.read64(DATA) : BigInt(m.cpu.storage.read32(DATA)), mn).toBe(res);
      expect(m.get(1), mn).toBe(size === 8 ? old : 0x5555555500000000n | old);
      expect(m.cpu.cc, mn).toBe(cc);
    }
    const m = one(enc('lang', { r1: 1, r3: 2, b2: 9, d2: 4 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
  });

  it('POPCNT: ones per byte; cc 0 only for a zero operand', () => {
    let m = one(enc('popcnt', { r1: 1, r2: 2 }), { 2: 0xff01_8000_0f0f_7e00n });
    expect(m.get(1)).toBe(0x0801_0100_0404_0600n);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('popcnt', { r1: 1, r2: 2 }), { 1: 5n, 2: 0n });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(0);
  });

  it('halfword immediates: NIHH NIHL NILH NILL OIHH OIHL OILH OILL change one halfword; cc by that halfword only', () => {
    const r = 0x1234_5678_9abc_def0n;
    const t: [string, number, bigint, number][] = [
      ['nihh', 0x00ff, 0x0034_5678_9abc_def0n, 1],
      ['nihl', 0x0000, 0x1234_0000_9abc_def0n, 0],
      ['nilh', 0xf000, 0x1234_5678_9000_def0n, 1],
      ['nill', 0x000f, 0x1234_5678_9abc_0000n, 0],
      ['oihh', 0x0001, 0x1235_5678_9abc_def0n, 1],
      ['oihl', 0x0000, r, 1],
      ['oilh', 0xffff, 0x1234_5678_ffff_def0n, 1],
      ['oill', 0x000f, 0x1234_5678_9abc_def_fn, 1],
    ];
    for (const [mn, imm, want, cc] of t) {
      const m = one(enc(mn, { r1: 7, i2: imm }), { 7: r });
      expect(m.get(7), mn).toBe(want);
      expect(m.cpu.cc, mn).toBe(cc);
    }
    // the rest of the register nonzero does not make the cc nonzero
    const m = one(enc('nill', { r1: 7, i2: 0 }), { 7: 0xffffffffffff0000n });
    expect(m.cpu.cc).toBe(0);
    const z = one(enc('oihh', { r1: 7, i2: 0 }), { 7: 0x0000ffffffffffffn });
    expect(z.cpu.cc).toBe(0);
  });

  it('word immediates: NIHF NILF OIHF OILF XIHF XILF', () => {
    const r = 0x1234_5678_9abc_def0n;
    const t: [string, number, bigint, number][] = [
      ['nihf', 0x0000ffff, 0x0000_5678_9abc_def0n, 1],
      ['nilf', 0x00000000, 0x1234_5678_0000_0000n, 0],
      ['oihf', 0x80000000, 0x9234_5678_9abc_def0n, 1],
      ['oilf', 0x0000000f, 0x1234_5678_9abc_deffn, 1],
      ['xihf', 0x12345678, 0x0000_0000_9abc_def0n, 0],
      ['xilf', 0xffffffff, 0x1234_5678_6543_210fn, 1],
    ];
    for (const [mn, imm, want, cc] of t) {
      const m = one(enc(mn, { r1: 7, i2: imm }), { 7: r });
      expect(m.get(7), mn).toBe(want);
      expect(m.cpu.cc, mn).toBe(cc);
    }
  });
});
