/**
 * Family "arithmetic": ADD, SUBTRACT, MULTIPLY, DIVIDE and the logical forms.
 * Expected values from the PoP rules (overflow boundaries, carries, borrows,
 * even/odd pairs, divide exceptions) and, for the encodings, from GNU as.
 */
import { describe, expect, it } from 'vitest';
import {
  CODE, DATA, enc, machine, one, oldPswCc, rng, u64, haveGnuAs, crossCheckWithGnuAs, qemuCrossCheck, qemuMissing, type Machine, again,
} from './helpers.js';

const S64 = (v: bigint) => BigInt.asIntN(64, v);
const S32 = (v: bigint) => BigInt.asIntN(32, v);
const U32 = (v: bigint) => BigInt.asUintN(32, v);
const HI_JUNK = 0xdeadbeef00000000n;

const sgnCc = (v: bigint) => (v === 0n ? 0 : v < 0n ? 1 : 2);

describe('arithmetic', () => {
  it('encodes like GNU as (opcodes, formats, operand order)', (ctx) => {
    if (!haveGnuAs()) ctx.skip('needs s390x-linux-gnu-as (Debian package binutils-s390x-linux-gnu)');
    expect(crossCheckWithGnuAs('arithmetic')).toEqual([]);
  });

  it('agrees with QEMU (qemu-s390x user mode) on random operands: registers, cc and storage', (ctx) => {
    const why = qemuMissing();
    if (why !== '') ctx.skip(why);
    expect(qemuCrossCheck('arithmetic', 16)).toEqual([]);
  });

  // ---------------- signed add / subtract ----------------

  it('AR: 0x7FFFFFFF + 1 overflows to 0x80000000 with cc 3, bits 0-31 unchanged, no interruption with PM bit 20 off', () => {
    const m = one(enc('ar', { r1: 1, r2: 2 }), { 1: HI_JUNK | 0x7fffffffn, 2: 1n });
    expect(m.get(1)).toBe(HI_JUNK | 0x80000000n);
    expect(m.cpu.cc).toBe(3);
    expect(m.pic()).toBe(0);
    expect(m.cpu.ia).toBe(CODE + 2);
  });

  it('AR overflow with PM bit 20 on: result stored, fixed-point-overflow 0x08, old PSW past the instruction with cc 3', () => {
    const m = one(enc('ar', { r1: 1, r2: 2 }), { 1: 0x80000000n, 2: 0xffffffffn }, (mm) => { mm.cpu.pm = 8; });
    expect(m.get(1)).toBe(0x7fffffffn); // -2^31 + -1 wraps
    expect(m.pic()).toBe(0x08);
    expect(m.oldPswAddr()).toBe(CODE + 2);
    expect(oldPswCc(m)).toBe(3);
    expect(m.cpu.stopReason).toBe('disabled-wait');
  });

  it('AGR / SGR: 64-bit overflow boundaries', () => {
    let m = one(enc('agr', { r1: 1, r2: 2 }), { 1: 0x7fffffffffffffffn, 2: 1n });
    expect(m.get(1)).toBe(0x8000000000000000n);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('sgr', { r1: 1, r2: 2 }), { 1: 0x8000000000000000n, 2: 1n });
    expect(m.get(1)).toBe(0x7fffffffffffffffn);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('sgr', { r1: 1, r2: 2 }), { 1: 0x8000000000000000n, 2: 1n }, (mm) => { mm.cpu.pm = 8; });
    expect(m.pic()).toBe(0x08);
    expect(m.oldPswAddr()).toBe(CODE + 4);
    m = one(enc('agr', { r1: 1, r2: 2 }), { 1: 0xffffffffn, 2: 1n });
    expect(m.get(1)).toBe(0x100000000n); // carry between the halves
    expect(m.cpu.cc).toBe(2);
  });

  it('SR: 0x80000000 - 1 overflows; 5 - 5 = 0 cc 0; 1 - 2 = -1 cc 1', () => {
    let m = one(enc('sr', { r1: 3, r2: 4 }), { 3: 0x80000000n, 4: 1n });
    expect(m.get(3)).toBe(0x7fffffffn);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('sr', { r1: 3, r2: 4 }), { 3: HI_JUNK | 5n, 4: 5n });
    expect(m.get(3)).toBe(HI_JUNK);
    expect(m.cpu.cc).toBe(0);
    m = one(enc('sr', { r1: 3, r2: 4 }), { 3: 1n, 4: 2n });
    expect(m.get(3)).toBe(0xffffffffn);
    expect(m.cpu.cc).toBe(1);
  });

  it('signed add/subtract agree with BigInt on edge and random values (32 and 64 bits, RR, RRE, RRF)', () => {
    const next = rng();
    const cases: [string, 32 | 64, 1 | -1, boolean][] = [
      ['ar', 32, 1, false], ['sr', 32, -1, false], ['agr', 64, 1, false], ['sgr', 64, -1, false],
      ['ark', 32, 1, true], ['srk', 32, -1, true], ['agrk', 64, 1, true], ['sgrk', 64, -1, true],
    ];
    for (const [mn, w, sign, three] of cases) {
      const m = machine(enc(mn, three ? { r1: 1, r2: 2, r3: 3 } : { r1: 1, r2: 2 }));
      for (let k = 0; k < 300; k++) {
        const a = next(), b = next(), keep = next();
        if (three) again(m, { 1: keep, 2: a, 3: b }, 0);
        else again(m, { 1: a, 2: b }, 0);
        const first = three ? a : a;
        const [x, y] = w === 32 ? [S32(first), S32(b)] : [S64(first), S64(b)];
        const exact = sign === 1 ? x + y : x - y;
        const trunc = w === 32 ? S32(exact) : S64(exact);
        const hiKeep = three ? keep : a;
        const want = w === 32 ? ((hiKeep >> 32n) << 32n) | U32(trunc) : u64(trunc);
        expect(m.get(1), `${mn} ${a} ${b}`).toBe(want);
        expect(m.cpu.cc, `${mn} ${a} ${b}`).toBe(exact !== trunc ? 3 : sgnCc(trunc));
      }
    }
  });

  it('AGFR / SGFR sign-extend the 32-bit second operand', () => {
    let m = one(enc('agfr', { r1: 1, r2: 2 }), { 1: 0n, 2: 0x12345678ffffffffn });
    expect(m.get(1)).toBe(u64(-1n));
    expect(m.cpu.cc).toBe(1);
    m = one(enc('sgfr', { r1: 1, r2: 2 }), { 1: 0n, 2: 0x80000000n });
    expect(m.get(1)).toBe(0x80000000n);
    expect(m.cpu.cc).toBe(2);
  });

  it('immediate adds: AHI, AGHI, AFI, AGFI, AHIK, AGHIK', () => {
    let m = one(enc('ahi', { r1: 1, i2: -1 }), { 1: HI_JUNK | 0n });
    expect(m.get(1)).toBe(HI_JUNK | 0xffffffffn);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('aghi', { r1: 1, i2: -1 }), { 1: 0x100000000n });
    expect(m.get(1)).toBe(0xffffffffn);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('afi', { r1: 1, i2: 0x7fffffff }), { 1: 1n });
    expect(m.get(1)).toBe(0x80000000n);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('agfi', { r1: 1, i2: -0x80000000 }), { 1: 0x80000000n });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(0);
    m = one(enc('ahik', { r1: 1, r3: 2, i2: -3 }), { 1: HI_JUNK | 7n, 2: 0x1111111100000001n });
    expect(m.get(1)).toBe(HI_JUNK | 0xfffffffen); // r1 := r3 + i2 in bits 32-63
    expect(m.get(2)).toBe(0x1111111100000001n);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('aghik', { r1: 1, r3: 2, i2: 0x7fff }), { 2: 0x7fffffffffffffffn });
    expect(m.get(1)).toBe(0x8000000000007ffen);
    expect(m.cpu.cc).toBe(3);
  });

  it('storage adds and subtracts: A, AY, AG, AGF, AH, AHY, S, SY, SG, SGF, SH, SHY', () => {
    const cases: [string, bigint, bigint, number, bigint, number][] = [
      // mnemonic, r1, storage bytes (as big-endian value), size, expected r1, cc
      ['a', 5n, 0xfffffffdn, 4, 2n, 2],
      ['ay', 0x7fffffffn, 1n, 4, 0x80000000n, 3],
      ['ag', 1n, 0xffffffffffffffffn, 8, 0n, 0],
      ['agf', 0n, 0x80000000n, 4, 0xffffffff80000000n, 1],
      ['ah', 0x10n, 0xfff0n, 2, 0n, 0],
      ['ahy', 0x7fffffffn, 0x0001n, 2, 0x80000000n, 3],
      ['s', 5n, 6n, 4, 0xffffffffn, 1],
      ['sy', 0x80000000n, 1n, 4, 0x7fffffffn, 3],
      ['sg', 0n, 0x8000000000000000n, 8, 0x8000000000000000n, 3],
      ['sgf', 0n, 0xffffffffn, 4, 1n, 2],
      ['sh', 0n, 0x8000n, 2, 0x8000n, 2],
      ['shy', 3n, 3n, 2, 0n, 0],
    ];
    for (const [mn, r1, mem, size, want, cc] of cases) {
      const m = one(enc(mn, { r1: 1, x2: 8, b2: 9, d2: 0x10 }), { 1: r1, 8: 0x100n, 9: BigInt(DATA) }, (mm) => {
        const bytes: number[] = [];
        for (let k = size - 1; k >= 0; k--) bytes.push(Number((mem >> BigInt(8 * k)) & 0xffn));
        mm.cpu.storage.load(DATA + 0x110, new Uint8Array(bytes));
      });
      expect(m.get(1), mn).toBe(want);
      expect(m.cpu.cc, mn).toBe(cc);
    }
  });

  it('ASI / AGSI add to storage; on overflow the sum is stored before the interruption', () => {
    let m = one(enc('asi', { b1: 9, d1: -8, i2: 1 }), { 9: BigInt(DATA + 8) }, (mm) => {
      mm.cpu.storage.write32(DATA, 0x7fffffff);
      mm.cpu.pm = 8;
    });
    expect(m.cpu.storage.read32(DATA)).toBe(0x80000000);
    expect(m.pic()).toBe(0x08);
    expect(oldPswCc(m)).toBe(3);
    expect(m.oldPswAddr()).toBe(CODE + 6);
    m = one(enc('asi', { b1: 9, d1: 0, i2: -128 }), { 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 100));
    expect(m.cpu.storage.read32(DATA)).toBe(0xffffffe4);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('agsi', { b1: 9, d1: 0, i2: -1 }), { 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, 0x100000000n));
    expect(m.cpu.storage.read64(DATA)).toBe(0xffffffffn);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('agsi', { b1: 9, d1: 0, i2: -1 }), { 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, 0x8000000000000000n));
    expect(m.cpu.storage.read64(DATA)).toBe(0x7fffffffffffffffn);
    expect(m.cpu.cc).toBe(3);
    expect(m.pic()).toBe(0);
  });

  it('LAA / LAAG / LAAL / LAALG: R1 gets the old operand, storage the sum; cc as ADD; alignment; overflow completes', () => {
    let m = one(enc('laa', { r1: 1, r3: 2, b2: 9 }), { 1: HI_JUNK, 2: 1n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write32(DATA, 0x7fffffff);
      mm.cpu.pm = 8;
    });
    expect(m.get(1)).toBe(HI_JUNK | 0x7fffffffn);
    expect(m.cpu.storage.read32(DATA)).toBe(0x80000000);
    expect(m.pic()).toBe(0x08);
    expect(oldPswCc(m)).toBe(3);
    m = one(enc('laag', { r1: 1, r3: 2, b2: 9 }), { 2: u64(-5n), 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, 3n));
    expect(m.get(1)).toBe(3n);
    expect(m.cpu.storage.read64(DATA)).toBe(u64(-2n));
    expect(m.cpu.cc).toBe(1);
    m = one(enc('laal', { r1: 1, r3: 2, b2: 9 }), { 2: 1n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0xffffffff));
    expect(m.get(1)).toBe(0xffffffffn);
    expect(m.cpu.storage.read32(DATA)).toBe(0);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('laalg', { r1: 1, r3: 2, b2: 9, d2: 4 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
    m = one(enc('laa', { r1: 1, r3: 2, b2: 9, d2: 2 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
  });

  it('MFY: signed 32x32 → 64 into the pair from storage (long displacement)', () => {
    const m = one(enc('mfy', { r1: 4, b2: 9, d2: -4 }), { 5: 0xfffffffen, 9: BigInt(DATA + 4) }, (mm) => mm.cpu.storage.write32(DATA, 3));
    expect(m.get(4)).toBe(0xffffffffn);
    expect(m.get(5)).toBe(0xfffffffan);
  });

  it('high-word facility: AIH / AHHHR / AHHLR / SHHLR / ALSIH / ALSIHN / ALHHLR / SLHHHR work on bits 0-31 only', () => {
    let m = one(enc('aih', { r1: 1, i2: 1 }), { 1: 0x7fffffff_12345678n }, (mm) => { mm.cpu.pm = 8; });
    expect(m.get(1)).toBe(0x80000000_12345678n);
    expect(m.pic()).toBe(0x08);
    m = one(enc('ahhlr', { r1: 1, r2: 2, r3: 3 }), { 1: 0x99n, 2: 0x00000005_00000000n, 3: 0xfffffffan });
    expect(m.get(1)).toBe(0xffffffff_00000099n);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('ahhhr', { r1: 1, r2: 2, r3: 3 }), { 2: 0x00000005_00000000n, 3: 0xfffffffb_00000000n });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(0);
    m = one(enc('shhlr', { r1: 1, r2: 2, r3: 3 }), { 2: 0x80000000_00000000n, 3: 1n });
    expect(m.get(1)).toBe(0x7fffffff_00000000n);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('alsih', { r1: 1, i2: -1 }), { 1: 0x00000000_00000007n });
    expect(m.get(1)).toBe(0xffffffff_00000007n);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('alsihn', { r1: 1, i2: -1 }), { 1: 0x00000001_00000007n }, (mm) => { mm.cpu.cc = 3; });
    expect(m.get(1)).toBe(0x00000000_00000007n);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('alhhlr', { r1: 1, r2: 2, r3: 3 }), { 2: 0xffffffff_00000000n, 3: 1n });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('slhhhr', { r1: 1, r2: 2, r3: 3 }), { 2: 0n, 3: 0x00000001_00000000n });
    expect(m.get(1)).toBe(0xffffffff_00000000n);
    expect(m.cpu.cc).toBe(1);
  });

  // ---------------- logical add / subtract ----------------

  it('ALR: cc 0 zero/no carry, 1 nonzero/no carry, 2 zero/carry, 3 nonzero/carry', () => {
    const m = machine(enc('alr', { r1: 1, r2: 2 }));
    const t: [bigint, bigint, bigint, number][] = [
      [0n, 0n, 0n, 0], [1n, 1n, 2n, 1], [0xffffffffn, 1n, 0n, 2], [0xffffffffn, 2n, 1n, 3],
    ];
    for (const [a, b, r, cc] of t) {
      again(m, { 1: HI_JUNK | a, 2: b }, 0);
      expect(m.get(1)).toBe(HI_JUNK | r);
      expect(m.cpu.cc).toBe(cc);
    }
  });

  it('SLR: cc 1 nonzero/borrow, 2 zero/no borrow, 3 nonzero/no borrow', () => {
    const m = machine(enc('slr', { r1: 1, r2: 2 }));
    const t: [bigint, bigint, bigint, number][] = [
      [1n, 1n, 0n, 2], [0n, 1n, 0xffffffffn, 1], [2n, 1n, 1n, 3], [0n, 0n, 0n, 2],
    ];
    for (const [a, b, r, cc] of t) {
      again(m, { 1: a, 2: b }, 0);
      expect(m.get(1)).toBe(r);
      expect(m.cpu.cc).toBe(cc);
    }
  });

  it('logical add/subtract with carry/borrow agree with BigInt (32 and 64 bits, all carry-in states)', () => {
    const next = rng(77);
    const cases: [string, 32 | 64, 'add' | 'sub', 'none' | 'carry' | 'borrow', boolean][] = [
      ['alr', 32, 'add', 'none', false], ['algr', 64, 'add', 'none', false],
      ['slr', 32, 'sub', 'none', false], ['slgr', 64, 'sub', 'none', false],
      ['alcr', 32, 'add', 'carry', false], ['alcgr', 64, 'add', 'carry', false],
      ['slbr', 32, 'sub', 'borrow', false], ['slbgr', 64, 'sub', 'borrow', false],
      ['alrk', 32, 'add', 'none', true], ['algrk', 64, 'add', 'none', true],
      ['slrk', 32, 'sub', 'none', true], ['slgrk', 64, 'sub', 'none', true],
    ];
    for (const [mn, w, op, cin, three] of cases) {
      const m = machine(enc(mn, three ? { r1: 1, r2: 2, r3: 3 } : { r1: 1, r2: 2 }));
      const mod = w === 32 ? 1n << 32n : 1n << 64n;
      for (let k = 0; k < 300; k++) {
        const a = next(), b = next(), cc0 = k % 4;
        if (three) again(m, { 1: 0n, 2: a, 3: b }, cc0);
        else again(m, { 1: a, 2: b }, cc0);
        const x = w === 32 ? U32(a) : a, y = w === 32 ? U32(b) : b;
        let exact: bigint;
        if (op === 'add') exact = x + y + (cin === 'carry' && cc0 >= 2 ? 1n : 0n);
        else exact = x - y - (cin === 'borrow' && cc0 < 2 ? 1n : 0n);
        const r = ((exact % mod) + mod) % mod;
        const flag = op === 'add' ? exact >= mod : exact >= 0n; // carry, or "no borrow"
        const want = w === 32 ? ((three ? 0n : a) >> 32n << 32n) | r : r;
        expect(m.get(1), `${mn} ${a} ${b} cc${cc0}`).toBe(want);
        expect(m.cpu.cc, `${mn} ${a} ${b} cc${cc0}`).toBe((r !== 0n ? 1 : 0) | (flag ? 2 : 0));
      }
    }
  });

  it('logical storage and immediate forms: AL, ALY, ALG, ALGF, ALGFR, ALFI, ALGFI, ALC, ALCG, SL, SLY, SLG, SLGF, SLGFR, SLFI, SLGFI, SLB, SLBG', () => {
    const mem = (mm: Machine, v: bigint, size: number) => {
      if (size === 8) mm.cpu.storage.write64(DATA, v); else mm.cpu.storage.write32(DATA, Number(v));
    };
    const st: [string, bigint, bigint, number, number, bigint, number][] = [
      // mnemonic, r1, storage, size, cc in, expected r1, cc
      ['al', 0xffffffffn, 1n, 4, 0, 0n, 2],
      ['aly', 1n, 2n, 4, 0, 3n, 1],
      ['alg', u64(-1n), 2n, 8, 0, 1n, 3],
      ['algf', 0xffffffffffffffffn, 0xffffffffn, 4, 0, 0xfffffffen, 3],
      ['alc', 0xfffffffen, 1n, 4, 2, 0n, 2],
      ['alcg', 0n, 0n, 8, 3, 1n, 1],
      ['sl', 0n, 1n, 4, 0, 0xffffffffn, 1],
      ['sly', 5n, 5n, 4, 0, 0n, 2],
      ['slg', 0n, 1n, 8, 0, u64(-1n), 1],
      ['slgf', 0x100000000n, 0xffffffffn, 4, 0, 1n, 3],
      ['slb', 5n, 5n, 4, 1, 0xffffffffn, 1],
      ['slbg', 5n, 4n, 8, 1, 0n, 2],
    ];
    for (const [mn, r1, v, size, cc0, want, cc] of st) {
      const m = one(enc(mn, { r1: 1, b2: 9 }), { 1: r1, 9: BigInt(DATA) }, (mm) => { mem(mm, v, size); mm.cpu.cc = cc0; });
      expect(m.get(1), mn).toBe(want);
      expect(m.cpu.cc, mn).toBe(cc);
    }
    let m = one(enc('algfr', { r1: 1, r2: 2 }), { 1: 1n, 2: 0xffffffffffffffffn });
    expect(m.get(1)).toBe(0x100000000n);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('slgfr', { r1: 1, r2: 2 }), { 1: 0n, 2: 0xffffffff00000001n });
    expect(m.get(1)).toBe(u64(-1n));
    expect(m.cpu.cc).toBe(1);
    m = one(enc('alfi', { r1: 1, i2: 0xffffffff }), { 1: HI_JUNK | 1n });
    expect(m.get(1)).toBe(HI_JUNK);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('algfi', { r1: 1, i2: 0xffffffff }), { 1: 1n });
    expect(m.get(1)).toBe(0x100000000n);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('slfi', { r1: 1, i2: 0x80000000 }), { 1: 0x80000000n });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('slgfi', { r1: 1, i2: 0xffffffff }), { 1: 0xffffffffn });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(2);
  });

  it('ALSI / ALGSI / ALHSIK / ALGHSIK: a negative immediate subtracts, carry meaning "no borrow"', () => {
    let m = one(enc('alsi', { b1: 9, d1: 0, i2: -1 }), { 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 5));
    expect(m.cpu.storage.read32(DATA)).toBe(4);
    expect(m.cpu.cc).toBe(3);
    m = one(enc('alsi', { b1: 9, d1: 0, i2: -1 }), { 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0));
    expect(m.cpu.storage.read32(DATA)).toBe(0xffffffff);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('algsi', { b1: 9, d1: 0, i2: 1 }), { 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, u64(-1n)));
    expect(m.cpu.storage.read64(DATA)).toBe(0n);
    expect(m.cpu.cc).toBe(2);
    m = one(enc('alhsik', { r1: 1, r3: 2, i2: -2 }), { 1: HI_JUNK, 2: 1n });
    expect(m.get(1)).toBe(HI_JUNK | 0xffffffffn);
    expect(m.cpu.cc).toBe(1);
    m = one(enc('alghsik', { r1: 1, r3: 2, i2: -2 }), { 2: 2n });
    expect(m.get(1)).toBe(0n);
    expect(m.cpu.cc).toBe(2);
  });

  // ---------------- multiply ----------------

  it('MR / M: signed 32x32 → 64 in bits 32-63 of the pair, cc unchanged; odd R1 is a specification exception', () => {
    let m = one(enc('mr', { r1: 2, r2: 5 }), { 2: HI_JUNK, 3: 0xaaaaaaaa00000000n | U32(-3n), 5: 7n }, (mm) => { mm.cpu.cc = 2; });
    expect(m.get(2)).toBe(HI_JUNK | 0xffffffffn);
    expect(m.get(3)).toBe(0xaaaaaaaa00000000n | U32(-21n));
    expect(m.cpu.cc).toBe(2);
    m = one(enc('m', { r1: 2, b2: 9 }), { 3: 0x80000000n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0x80000000));
    expect(m.get(2)).toBe(0x40000000n); // (-2^31)^2 = 2^62
    expect(m.get(3)).toBe(0n);
    m = one(enc('mr', { r1: 3, r2: 5 }), { 3: 1n, 5: 7n });
    expect(m.pic()).toBe(0x06);
    expect(m.oldPswAddr()).toBe(CODE + 2);
    expect(m.get(3)).toBe(1n);
  });

  it('MLR / ML / MLGR / MLG: unsigned products, MLG 128 bits', () => {
    let m = one(enc('mlr', { r1: 4, r2: 6 }), { 5: 0xffffffffn, 6: 0xffffffffn });
    expect(m.get(4)).toBe(0xfffffffen);
    expect(m.get(5)).toBe(1n);
    m = one(enc('ml', { r1: 4, b2: 9 }), { 5: 0x10000n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0x10000));
    expect(m.get(4)).toBe(1n);
    expect(m.get(5)).toBe(0n);
    m = one(enc('mlgr', { r1: 4, r2: 6 }), { 5: u64(-1n), 6: u64(-1n) });
    expect(m.get(4)).toBe(0xfffffffffffffffen);
    expect(m.get(5)).toBe(1n);
    m = one(enc('mlg', { r1: 4, b2: 9 }), { 5: 1n << 63n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, 4n));
    expect(m.get(4)).toBe(2n);
    expect(m.get(5)).toBe(0n);
    m = one(enc('mlgr', { r1: 5, r2: 6 }), {});
    expect(m.pic()).toBe(0x06);
  });

  it('single multiplies keep the low bits and never set cc or overflow (MSR, MS, MSY, MSFI, MH, MHY, MHI, MSGR, MSG, MSGF, MSGFR, MSGFI, MGHI)', () => {
    const next = rng(99);
    const reg: [string, 32 | 64, 'reg' | 'sext'][] = [['msr', 32, 'reg'], ['msgr', 64, 'reg'], ['msgfr', 64, 'sext']];
    for (const [mn, w, kind] of reg) {
      const m = machine(enc(mn, { r1: 1, r2: 2 }));
      for (let k = 0; k < 300; k++) {
        const a = next(), b = next();
        again(m, { 1: a, 2: b }, 3);
        const y = kind === 'sext' ? S32(b) : w === 32 ? S32(b) : S64(b);
        const x = w === 32 ? S32(a) : S64(a);
        const want = w === 32 ? ((a >> 32n) << 32n) | U32(x * y) : u64(x * y);
        expect(m.get(1), `${mn} ${a} ${b}`).toBe(want);
        expect(m.cpu.cc).toBe(3);
        expect(m.pic()).toBe(0);
      }
    }
    const im: [string, number, bigint, bigint][] = [
      ['msfi', -2, HI_JUNK | 0x40000000n, HI_JUNK | 0x80000000n],
      ['mhi', 0x7fff, 0x10000n, 0x7fff0000n],
      ['mghi', -1, 0x8000000000000000n, 0x8000000000000000n],
      ['msgfi', 0x7fffffff, 0x100000000n, 0x7fffffff00000000n],
    ];
    for (const [mn, i2, a, want] of im) {
      const m = one(enc(mn, { r1: 1, i2 }), { 1: a });
      expect(m.get(1), mn).toBe(want);
    }
    const sto: [string, bigint, bigint, number, bigint][] = [
      ['ms', 3n, 0xfffffffen, 4, 0xfffffffan],
      ['msy', 0x10000n, 0x10000n, 4, 0n],
      ['mh', 3n, 0xfffe0000n, 2, 0xfffffffan], // halfword 0xfffe = -2
      ['mhy', HI_JUNK | 2n, 0x40000000n, 2, HI_JUNK | 0x8000n],
      ['msg', 0xffffffffn, 0xffffffffn, 8, 0xfffffffe00000001n],
      ['msgf', 5n, 0xffffffffn, 4, u64(-5n)],
    ];
    for (const [mn, a, v, size, want] of sto) {
      const m = one(enc(mn, { r1: 1, b2: 9 }), { 1: a, 9: BigInt(DATA) }, (mm) => {
        if (size === 8) mm.cpu.storage.write64(DATA, v); else mm.cpu.storage.write32(DATA, Number(v));
      });
      expect(m.get(1), mn).toBe(want);
    }
  });

  it('MR, MLR and MLGR agree with BigInt on edge and random values', () => {
    const next = rng(1234);
    const mr = machine(enc('mr', { r1: 2, r2: 7 }));
    const mlr = machine(enc('mlr', { r1: 2, r2: 7 }));
    const mlgr = machine(enc('mlgr', { r1: 2, r2: 7 }));
    for (let k = 0; k < 300; k++) {
      const a = next(), b = next();
      again(mr, { 3: a, 7: b }, 0);
      const p = u64(S32(a) * S32(b));
      expect((U32(mr.get(2)) << 32n) | U32(mr.get(3)), `mr ${a} ${b}`).toBe(p);
      again(mlr, { 3: a, 7: b }, 0);
      expect((U32(mlr.get(2)) << 32n) | U32(mlr.get(3)), `mlr ${a} ${b}`).toBe(U32(a) * U32(b));
      again(mlgr, { 3: a, 7: b }, 0);
      expect((mlgr.get(2) << 64n) | mlgr.get(3), `mlgr ${a} ${b}`).toBe(a * b);
    }
  });

  // ---------------- divide ----------------

  it('DR / D: signed 64/32, remainder in R1 with the sign of the dividend, quotient in R1+1', () => {
    let m = one(enc('dr', { r1: 2, r2: 5 }), { 2: HI_JUNK | 0xffffffffn, 3: 0xfffffff9n, 5: 2n }, (mm) => { mm.cpu.cc = 1; });
    expect(m.get(2)).toBe(HI_JUNK | 0xffffffffn); // -1
    expect(m.get(3)).toBe(0xfffffffdn); // -3
    expect(m.cpu.cc).toBe(1);
    m = one(enc('d', { r1: 2, b2: 9 }), { 2: 1n, 3: 0n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0x10));
    expect(m.get(2)).toBe(0n);
    expect(m.get(3)).toBe(0x10000000n);
  });

  it('DR: zero divisor and quotient overflow are fixed-point-divide 0x09, operands unchanged', () => {
    let m = one(enc('dr', { r1: 2, r2: 5 }), { 2: 0n, 3: 7n, 5: 0n });
    expect(m.pic()).toBe(0x09);
    expect(m.oldPswAddr()).toBe(CODE + 2);
    expect(m.get(3)).toBe(7n);
    m = one(enc('dr', { r1: 2, r2: 5 }), { 2: 1n, 3: 0n, 5: 1n }); // 2^32 / 1
    expect(m.pic()).toBe(0x09);
    expect(m.get(2)).toBe(1n);
    m = one(enc('dr', { r1: 2, r2: 5 }), { 2: 0xffffffffn, 3: 0x80000000n, 5: 0xffffffffn }); // -2^31 / -1
    expect(m.pic()).toBe(0x09);
    m = one(enc('dr', { r1: 2, r2: 5 }), { 2: 0xffffffffn, 3: 0x80000000n, 5: 1n }); // -2^31 / 1 fits
    expect(m.pic()).toBe(0);
    expect(m.get(3)).toBe(0x80000000n);
    m = one(enc('dr', { r1: 1, r2: 5 }), { 5: 1n });
    expect(m.pic()).toBe(0x06); // odd R1: specification, before the divide check
  });

  it('DLR / DL / DLGR / DLG: unsigned divides', () => {
    let m = one(enc('dlr', { r1: 2, r2: 5 }), { 2: 1n, 3: 1n, 5: 2n });
    expect(m.get(3)).toBe(0x80000000n);
    expect(m.get(2)).toBe(1n);
    m = one(enc('dlr', { r1: 2, r2: 5 }), { 2: 2n, 3: 0n, 5: 2n }); // quotient 2^32 does not fit
    expect(m.pic()).toBe(0x09);
    m = one(enc('dl', { r1: 2, b2: 9 }), { 2: 0n, 3: 0xffffffffn, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 0x10));
    expect(m.get(3)).toBe(0x0fffffffn);
    expect(m.get(2)).toBe(0xfn);
    m = one(enc('dlgr', { r1: 2, r2: 5 }), { 2: 1n, 3: 0n, 5: 2n }); // 2^64 / 2
    expect(m.get(3)).toBe(1n << 63n);
    expect(m.get(2)).toBe(0n);
    m = one(enc('dlgr', { r1: 2, r2: 5 }), { 2: 2n, 3: 0n, 5: 2n });
    expect(m.pic()).toBe(0x09);
    m = one(enc('dlg', { r1: 2, b2: 9 }), { 2: 0n, 3: 100n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, 0n));
    expect(m.pic()).toBe(0x09);
  });

  it('DSGR / DSG / DSGFR / DSGF: 64-bit dividend in R1+1; most-negative / -1 overflows', () => {
    let m = one(enc('dsgr', { r1: 2, r2: 5 }), { 2: 123n, 3: u64(-7n), 5: 2n });
    expect(m.get(2)).toBe(u64(-1n));
    expect(m.get(3)).toBe(u64(-3n));
    m = one(enc('dsgr', { r1: 2, r2: 5 }), { 2: 123n, 3: 1n << 63n, 5: u64(-1n) });
    expect(m.pic()).toBe(0x09);
    expect(m.get(2)).toBe(123n);
    expect(m.get(3)).toBe(1n << 63n);
    m = one(enc('dsgfr', { r1: 2, r2: 5 }), { 3: 1n << 63n, 5: 0xffffffffn }); // sign-extended -1
    expect(m.pic()).toBe(0x09);
    m = one(enc('dsgfr', { r1: 2, r2: 5 }), { 3: 100n, 5: 0x1234567800000000n }); // low half zero
    expect(m.pic()).toBe(0x09);
    m = one(enc('dsg', { r1: 2, b2: 9 }), { 3: 100n, 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write64(DATA, u64(-7n)));
    expect(m.get(3)).toBe(u64(-14n));
    expect(m.get(2)).toBe(2n);
    m = one(enc('dsgf', { r1: 2, b2: 9 }), { 3: u64(-100n), 9: BigInt(DATA) }, (mm) => mm.cpu.storage.write32(DATA, 7));
    expect(m.get(3)).toBe(u64(-14n));
    expect(m.get(2)).toBe(u64(-2n));
    m = one(enc('dsg', { r1: 3, b2: 9 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
  });

  it('DSGR: quotient and remainder as BigInt division gives them, on both sides of 2^53', () => {
    // small operands divide as numbers, large ones as BigInt: the PoP's result
    // (truncated quotient, remainder with the dividend's sign) either way
    const edges = [0n, 1n, 2n, 3n, 7n, 131n, (1n << 21n) - 1n, 1n << 31n, (1n << 52n) + 1n, (1n << 53n) - 1n, 1n << 53n,
      (1n << 53n) + 1n, 0x0123456789abcdefn, (1n << 63n) - 1n];
    const vals = [...edges, ...edges.map((v) => -v), -(1n << 63n)];
    let k = 0;
    for (const n of vals) {
      for (const d of vals) {
        if (d === 0n || (n === -(1n << 63n) && d === -1n) || (k++ % 3) !== 0) continue;
        const m = one(enc('dsgr', { r1: 2, r2: 5 }), { 3: u64(n), 5: u64(d) });
        expect(m.pic(), `${n} / ${d}`).toBe(0);
        expect(m.get(3), `${n} / ${d}`).toBe(u64(n / d));
        expect(m.get(2), `${n} % ${d}`).toBe(u64(n % d));
      }
    }
  });
});
