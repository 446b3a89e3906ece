import { describe, expect, it } from 'vitest';
import { checkFamilyEncodings, haveAs, run } from './helpers2.js';

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const hex = (v: bigint) => '0x' + v.toString(16);

/** Reference ROTATE THEN ... SELECTED BITS, written bit by bit from the PoP description. */
function refRsbg(op: 'insert' | 'and' | 'or' | 'xor', r1: bigint, r2: bigint, i3: number, i4: number, i5: number) {
  const n = BigInt(i5 & 63);
  const rot = u64((r2 << n) | (r2 >> ((64n - n) % 64n))) & M64;
  const rotated = n === 0n ? r2 : rot;
  const start = i3 & 63, end = i4 & 63;
  let mask = 0n;
  for (let b = start; ; b = (b + 1) & 63) {
    mask |= 1n << BigInt(63 - b);
    if (b === end) break;
  }
  if (op === 'insert') {
    const rest = (i4 & 0x80) !== 0 ? 0n : r1 & ~mask & M64;
    const res = (rotated & mask) | rest;
    return { res, cc: res === 0n ? 0 : s64(res) < 0n ? 1 : 2 };
  }
  const f = op === 'and' ? r1 & rotated : op === 'or' ? r1 | rotated : r1 ^ rotated;
  const sel = f & mask;
  const res = (i3 & 0x80) !== 0 ? r1 : (r1 & ~mask & M64) | sel;
  return { res, cc: sel === 0n ? 0 : 1 };
}

/** a deterministic pseudo-random stream (xorshift) */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  return {
    u32: next,
    u64: () => (BigInt(next()) << 32n) | BigInt(next()),
  };
}

describe.skipIf(!haveAs)('shifts family', () => {
  it('every shifts instruction decodes what GNU as encodes', () => {
    expect(checkFamilyEncodings('shifts')).toEqual([]);
  });

  it('single logical shifts: low 6 bits of D2(B2), 32-bit forms keep bits 0-31', () => {
    const r = run(`
      sll %r1,4
      srl %r2,0(%r9)
      sll %r3,32
      sllg %r4,%r10,4
      srlg %r5,%r10,63
      sllk %r6,%r10,8
      srlk %r7,%r10,31
      sllg %r8,%r10,0x7c1(%r9)
      done`, { setup: (c) => {
      c.setReg(1, 0xaaaaaaaa_12345678n); c.setReg(2, 0xaaaaaaaa_80000000n); c.setReg(3, 0xaaaaaaaa_ffffffffn);
      c.setReg(9, 0xffffffff_ffffffc3n); // low 6 bits of the address: 3
      c.setReg(10, 0x80000000_00000001n); c.setReg(6, -1n); c.setReg(7, -1n);
    } });
    expect(r.ok).toBe(true);
    expect(hex(r.r(1))).toBe('0xaaaaaaaa23456780');
    expect(hex(r.r(2))).toBe('0xaaaaaaaa10000000');
    expect(hex(r.r(3))).toBe('0xaaaaaaaa00000000');
    expect(hex(r.r(4))).toBe('0x10');
    expect(hex(r.r(5))).toBe('0x1');
    expect(hex(r.r(6))).toBe('0xffffffff00000100');
    expect(hex(r.r(7))).toBe('0xffffffff00000000');
    // 0x7c1 + ...c3 = ...884: amount 4
    expect(hex(r.r(8))).toBe('0x10');
  });

  it('sra of a negative number rounds toward minus infinity; cc by the result', () => {
    const one = (code: string, v: bigint) => run(`${code}\n done`, { setup: (c) => { c.setReg(1, v); c.setReg(2, v); } });
    let r = one('sra %r1,1', 0xfffffff9n); // -7 >> 1 = -4
    expect(r.lo(1)).toBe(0xfffffffc);
    expect(r.cc).toBe(1);
    r = one('sra %r1,40', 0x7fffffffn);
    expect(r.lo(1)).toBe(0);
    expect(r.cc).toBe(0);
    r = one('sra %r1,63', 0x80000000n);
    expect(r.lo(1)).toBe(0xffffffff);
    r = one('srag %r1,%r2,1', -7n);
    expect(s64(r.r(1))).toBe(-4n);
    expect(r.cc).toBe(1);
    r = one('srak %r1,%r2,4', 0x100n);
    expect(r.lo(1)).toBe(0x10);
    expect(r.cc).toBe(2);
  });

  it('sla / slag: the sign stays; a lost bit unlike the sign is an overflow (cc 3, interruption under the mask)', () => {
    const one = (code: string, v: bigint, pm = 0) => run(`x: ${code}\n done`, { pm, setup: (c) => { c.setReg(1, v); c.setReg(2, v); } });
    let r = one('sla %r1,1', 0x40000000n);
    expect(r.lo(1)).toBe(0);
    expect(r.cc).toBe(3);
    expect(r.ok).toBe(true);
    r = one('sla %r1,2', 0xe0000001n); // -536870911 << 2 fits
    expect(r.lo(1)).toBe(0x80000004);
    expect(r.cc).toBe(1);
    r = one('sla %r1,31', 0xffffffffn);
    expect(r.lo(1)).toBe(0x80000000);
    expect(r.cc).toBe(1);
    r = one('sla %r1,1', 0x80000000n);
    expect(r.lo(1)).toBe(0x80000000);
    expect(r.cc).toBe(3);
    r = one('sla %r1,1', 0x40000000n, 8);
    expect(r.pic).toBe(8);
    expect(r.oldIa).toBe(r.at('x') + 4);
    expect(r.lo(1)).toBe(0); // completed: result stored
    r = one('slag %r1,%r2,1', 0x40000000_00000000n);
    expect(r.cc).toBe(3);
    expect(r.r(1)).toBe(0n);
    r = one('slag %r1,%r2,8', -1n);
    expect(s64(r.r(1))).toBe(-256n);
    expect(r.cc).toBe(1);
    r = one('slak %r1,%r2,3', 0x10000000n);
    expect(r.cc).toBe(3);
    r = one('slag %r1,%r2,62', 1n);
    expect(hex(r.r(1))).toBe('0x4000000000000000');
    expect(r.cc).toBe(2);
  });

  it('double shifts use the even/odd pair; odd R1 is a specification exception', () => {
    const pair = (code: string, h: bigint, l: bigint) => run(`${code}\n done`, { setup: (c) => { c.setReg(2, 0xaaaaaaaa_00000000n | h); c.setReg(3, 0xbbbbbbbb_00000000n | l); } });
    let r = pair('sldl %r2,8', 0x12345678n, 0x9abcdef0n);
    expect([hex(r.r(2)), hex(r.r(3))]).toEqual(['0xaaaaaaaa3456789a', '0xbbbbbbbbbcdef000']);
    r = pair('srdl %r2,36', 0x12345678n, 0x9abcdef0n);
    expect([hex(r.r(2)), hex(r.r(3))]).toEqual(['0xaaaaaaaa00000000', '0xbbbbbbbb01234567']);
    r = pair('srda %r2,4', 0x80000000n, 0n);
    expect([hex(r.r(2)), hex(r.r(3))]).toEqual(['0xaaaaaaaaf8000000', '0xbbbbbbbb00000000']);
    expect(r.cc).toBe(1);
    r = pair('srda %r2,63', 0x7fffffffn, 0xffffffffn);
    expect([r.lo(2), r.lo(3)]).toEqual([0, 0]);
    expect(r.cc).toBe(0);
    r = pair('slda %r2,1', 0x40000000n, 0n);
    expect(r.cc).toBe(3);
    r = pair('slda %r2,4', 0n, 0x10000000n);
    expect([r.lo(2), r.lo(3)]).toEqual([1, 0]);
    expect(r.cc).toBe(2);
    for (const op of [0x8d, 0x8c, 0x8f, 0x8e]) {
      const bad = run(`.insn rs,0x${op.toString(16)}000000,%r3,%r0,1\n done`);
      expect(bad.pic).toBe(6);
      expect(bad.ilc).toBe(4);
    }
  });

  it('rll / rllg rotate', () => {
    const r = run('rll %r1,%r2,4\n rllg %r3,%r2,36\n rll %r4,%r2,32\n done', { setup: (c) => {
      c.setReg(1, 0x55555555_00000000n); c.setReg(2, 0x12345678_9abcdef0n); c.setReg(4, -1n);
    } });
    expect(hex(r.r(1))).toBe('0x55555555abcdef09');
    expect(hex(r.r(3))).toBe('0xabcdef0123456789');
    expect(hex(r.r(4))).toBe('0xffffffff9abcdef0');
  });

  it('risbg: rotate, insert the selected bits, zero flag, wrap-around ranges (PoP idioms)', () => {
    const one = (code: string, r1: bigint, r2: bigint) => run(`${code}\n done`, { setup: (c) => { c.setReg(1, r1); c.setReg(2, r2); } });
    // zero-extend the low byte (as llgcr)
    let r = one('risbg %r1,%r2,56,128+63,0', -1n, 0x1234n);
    expect(hex(r.r(1))).toBe('0x34');
    expect(r.cc).toBe(2);
    // insert bits 32-63 rotated by 32, keep the rest
    r = one('risbg %r1,%r2,32,63,32', 0x11111111_22222222n, 0x80000000_33333333n);
    expect(hex(r.r(1))).toBe('0x1111111180000000');
    expect(r.cc).toBe(2);
    // wrapping range 60..3, zero the rest: the top and bottom nibbles
    r = one('risbg %r1,%r2,60,128+3,0', 0n, 0xf123456789abcdefn);
    expect(hex(r.r(1))).toBe('0xf00000000000000f');
    expect(r.cc).toBe(1);
    // result zero
    r = one('risbg %r1,%r2,0,128+0,0', -1n, 0x7fffffff_ffffffffn);
    expect(r.r(1)).toBe(0n);
    expect(r.cc).toBe(0);
  });

  it('risbg / rnsbg / rosbg / rxsbg agree with a bitwise reference on random operands', () => {
    const g = rng(12345);
    const ops = [['risbg', 'insert'], ['rnsbg', 'and'], ['rosbg', 'or'], ['rxsbg', 'xor']] as const;
    const lines: string[] = [];
    const want: { res: bigint; cc: number }[] = [];
    const inputs: [bigint, bigint][] = [];
    for (let k = 0; k < 40; k++) {
      const [mn, op] = ops[k % 4];
      const i3 = g.u32() & 0xbf, i4 = g.u32() & 0xbf, i5 = g.u32() & 63;
      // zero flag is I4 bit 0 for risbg only; test bit is I3 bit 0 for the others
      const I3 = mn === 'risbg' ? i3 & 63 : i3;
      const I4 = mn === 'risbg' ? i4 : i4 & 63;
      lines.push(`${mn} %r1,%r2,${I3},${I4},${i5}`);
      const r1 = g.u64(), r2 = g.u64();
      inputs.push([r1, r2]);
      want.push(refRsbg(op, r1, r2, I3, I4, i5));
    }
    lines.forEach((line, k) => {
      const [r1, r2] = inputs[k];
      const r = run(`${line}\n done`, { setup: (c) => { c.setReg(1, r1); c.setReg(2, r2); } });
      expect(hex(r.r(1)), line).toBe(hex(want[k].res));
      expect(r.cc, line).toBe(want[k].cc);
    });
  });

  it('slag / srag / sllg / srlg / rllg agree with BigInt on random operands and amounts', () => {
    const g = rng(777);
    for (let k = 0; k < 24; k++) {
      const v = g.u64();
      const n = g.u32() & 63;
      const r = run(`sllg %r3,%r2,${n}\n srlg %r4,%r2,${n}\n srag %r5,%r2,${n}\n rllg %r6,%r2,${n}\n slag %r7,%r2,${n}\n done`,
        { setup: (c) => c.setReg(2, v) });
      const N = BigInt(n);
      expect(r.r(3)).toBe(u64(v << N));
      expect(r.r(4)).toBe(v >> N);
      expect(r.r(5)).toBe(u64(s64(v) >> N));
      expect(r.r(6)).toBe(n === 0 ? v : u64((v << N) | (v >> (64n - N))));
      const sign = v & (1n << 63n);
      const expSla = sign | (u64(v << N) & ((1n << 63n) - 1n));
      expect(r.r(7)).toBe(expSla);
      const ovf = s64(u64(v << N)) >> N !== s64(v);
      expect(r.cc).toBe(ovf ? 3 : expSla === 0n ? 0 : sign ? 1 : 2);
    }
  });
});

describe('SLA overflow with shift counts of 31 and more (PoP: zeros shifted in reach the sign position)', () => {
  it('-1 shifted by 31 keeps its sign; by 32 it overflows (QEMU agrees)', async () => {
    const { Machine } = await import('../../src/machine.js');
    const run = (count: number): number => {
      const m = new Machine({ guestMem: 1 << 20 });
      // sla %r1,count(%r0)
      m.load(0x200, new Uint8Array([0x8b, 0x10, (count >> 8) & 0xf, count & 0xff]));
      m.start(0x200);
      m.cpu.lo[1] = 0xffffffff;
      m.run(1);
      return m.cpu.cc;
    };
    expect(run(31)).toBe(1);
    expect(run(32)).toBe(3);
    expect(run(63)).toBe(3);
  });
});
