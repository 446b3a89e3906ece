/**
 * Family "compare": COMPARE (signed), COMPARE LOGICAL, compare-and-branch,
 * COMPARE AND SWAP, COMPARE LOGICAL STRING, COMPARE LOGICAL CHARACTERS UNDER
 * MASK and CHECKSUM. cc 0 equal, 1 first low, 2 first high (PoP).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine as Guest } from '../../src/machine.js';
import { loadInto, parseElf } from '../../src/loader/elf.js';
import { herculesRunner, runHercules } from '../../src/testing/tools.js';
import { CODE, DATA, enc, machine, one, rng, u64, haveGnuAs, crossCheckWithGnuAs, qemuCrossCheck, qemuMissing, type Machine, again } from './helpers.js';

const S64 = (v: bigint) => BigInt.asIntN(64, v);
const S32 = (v: bigint) => BigInt.asIntN(32, v);
const U32 = (v: bigint) => BigInt.asUintN(32, v);
const cmp = (a: bigint, b: bigint) => (a === b ? 0 : a < b ? 1 : 2);

function put(m: Machine, addr: number, bytes: number[] | string): void {
  const b = typeof bytes === 'string' ? [...bytes].map((ch) => ch.charCodeAt(0)) : bytes;
  m.cpu.storage.load(addr, new Uint8Array(b));
}

describe('compare', () => {
  it('encodes like GNU as (opcodes, formats, operand order, RIE-c immediate)', (ctx) => {
    if (!haveGnuAs()) ctx.skip('needs s390x-linux-gnu-as (Debian package binutils-s390x-linux-gnu)');
    expect(crossCheckWithGnuAs('compare')).toEqual([]);
  });

  it('agrees with QEMU (qemu-s390x user mode) on random operands: registers, cc and storage', (ctx) => {
    const why = qemuMissing();
    if (why !== '') ctx.skip(why);
    expect(qemuCrossCheck('compare', 16)).toEqual([]);
  });

  it('register compares agree with BigInt (CR CGR CGFR CLR CLGR CLGFR)', () => {
    const next = rng(31);
    const forms: [string, (a: bigint, b: bigint) => number][] = [
      ['cr', (a, b) => cmp(S32(a), S32(b))],
      ['cgr', (a, b) => cmp(S64(a), S64(b))],
      ['cgfr', (a, b) => cmp(S64(a), S32(b))],
      ['clr', (a, b) => cmp(U32(a), U32(b))],
      ['clgr', (a, b) => cmp(a, b)],
      ['clgfr', (a, b) => cmp(a, U32(b))],
    ];
    for (const [mn, ref] of forms) {
      const m = machine(enc(mn, { r1: 1, r2: 2 }));
      for (let k = 0; k < 300; k++) {
        const a = next(), b = k % 7 === 0 ? a : next();
        again(m, { 1: a, 2: b });
        expect(m.cpu.cc, `${mn} ${a} ${b}`).toBe(ref(a, b));
        expect(m.get(1)).toBe(a);
      }
    }
  });

  it('storage compares C CY CG CGF CH CHY CGH CL CLY CLG CLGF', () => {
    const t: [string, bigint, bigint, number, number][] = [
      // mnemonic, r1, storage value, size, cc
      ['c', 0xffffffffn, 1n, 4, 1],
      ['cy', 1n, 0xffffffffn, 4, 2],
      ['cg', 0x8000000000000000n, 0x7fffffffffffffffn, 8, 1],
      ['cgf', u64(-1n), 0xffffffffn, 4, 0],
      ['ch', 0xffff8000n, 0x8000n, 2, 0],
      ['chy', 0n, 0xffffn, 2, 2],
      ['cgh', u64(-2n), 0xffffn, 2, 1],
      ['cl', 0xffffffffn, 1n, 4, 2],
      ['cly', 1n, 0xffffffffn, 4, 1],
      ['clg', 0x8000000000000000n, 0x7fffffffffffffffn, 8, 2],
      ['clgf', 0x100000000n, 0xffffffffn, 4, 2],
    ];
    for (const [mn, r1, v, size, cc] of t) {
      const m = one(enc(mn, { r1: 1, b2: 9, d2: 4 }), { 1: r1, 9: BigInt(DATA) }, (mm) => {
        const b: number[] = [];
        for (let k = size - 1; k >= 0; k--) b.push(Number((v >> BigInt(8 * k)) & 0xffn));
        put(mm, DATA + 4, b);
      });
      expect(m.cpu.cc, mn).toBe(cc);
    }
  });

  it('immediate compares CHI CGHI CFI CGFI CLFI CLGFI', () => {
    const t: [string, bigint, number, number][] = [
      ['chi', 0xffffffffn, -1, 0], ['chi', 0n, -1, 2], ['cghi', 0xffffffffn, -1, 2], ['cghi', u64(-1n), -1, 0],
      ['cfi', 0x80000000n, 0x7fffffff, 1], ['cgfi', 0x80000000n, -0x80000000, 2],
      ['clfi', 0x80000000n, 0x7fffffff, 2], ['clfi', 5n, 0xffffffff, 1], ['clgfi', 0x1_0000_0000n, 0xffffffff, 2],
      ['clgfi', 0xffffffffn, 0xffffffff, 0],
    ];
    for (const [mn, r1, i2, cc] of t) {
      const m = one(enc(mn, { r1: 1, i2 }), { 1: r1 });
      expect(m.cpu.cc, `${mn} ${r1} ${i2}`).toBe(cc);
    }
  });

  it('high-word compares CHHR CHLR CHF CIH CLHHR CLHLR CLHF CLIH use bits 0-31 of R1', () => {
    const t: [string, Record<string, number>, bigint, bigint, number[], number][] = [
      ['chhr', { r2: 2 }, 0xffffffff_00000000n, 0x00000001_ffffffffn, [], 1],
      ['chlr', { r2: 2 }, 0xffffffff_00000000n, 0xffffffffn, [], 0],
      ['chf', { b2: 9 }, 0x00000002_00000000n, 0n, [0xff, 0xff, 0xff, 0xff], 2],
      ['cih', { i2: -2 }, 0xffffffff_00000000n, 0n, [], 2],
      ['clhhr', { r2: 2 }, 0xffffffff_00000000n, 0x00000001_00000000n, [], 2],
      ['clhlr', { r2: 2 }, 0x00000001_00000000n, 0xffffffffn, [], 1],
      ['clhf', { b2: 9 }, 0x80000000_00000000n, 0n, [0x80, 0, 0, 0], 0],
      ['clih', { i2: 0xffffffff }, 0xfffffffe_ffffffffn, 0n, [], 1],
    ];
    for (const [mn, f, a, b, mem, cc] of t) {
      const m = one(enc(mn, { r1: 1, ...f }), { 1: a, 2: b, 9: BigInt(DATA) }, (mm) => put(mm, DATA, mem));
      expect(m.cpu.cc, mn).toBe(cc);
    }
  });

  it('storage-immediate compares CHHSI CHSI CGHSI CLHHSI CLFHSI CLGHSI', () => {
    const t: [string, number[], number, number][] = [
      ['chhsi', [0x80, 0x00], -1, 1],
      ['chhsi', [0xff, 0xff], -1, 0],
      ['chsi', [0xff, 0xff, 0xff, 0xfe], -1, 1],
      ['cghsi', [0, 0, 0, 1, 0, 0, 0, 0], 0x7fff, 2],
      ['clhhsi', [0x80, 0x00], 0x7fff, 2],
      ['clhhsi', [0xff, 0xff], 0xffff, 0],
      ['clfhsi', [0, 0, 0xff, 0xff], 0xffff, 0],
      ['clfhsi', [1, 0, 0, 0], 0xffff, 2],
      ['clghsi', [0, 0, 0, 0, 0, 0, 0x80, 0x00], 0x8000, 0],
    ];
    for (const [mn, bytes, i2, cc] of t) {
      const m = one(enc(mn, { b1: 9, d1: 0x20, i2 }), { 9: BigInt(DATA) }, (mm) => put(mm, DATA + 0x20, bytes));
      expect(m.cpu.cc, mn).toBe(cc);
    }
  });

  it('relative-long compares CRL CGRL CGFRL CLRL CLGRL CLGFRL CHRL CGHRL CLHRL CLGHRL read PC-relative data', () => {
    // data placed 0x20 bytes after CODE (8-aligned)
    const t: [string, bigint, number[], number][] = [
      ['crl', 0xffffffffn, [0, 0, 0, 1], 1],
      ['cgrl', 2n, [0, 0, 0, 0, 0, 0, 0, 2], 0],
      ['cgfrl', 0n, [0xff, 0xff, 0xff, 0xff], 2],
      ['clrl', 0xffffffffn, [0, 0, 0, 1], 2],
      ['clgrl', 1n, [0xff, 0, 0, 0, 0, 0, 0, 0], 1],
      ['clgfrl', 0xffffffffn, [0xff, 0xff, 0xff, 0xff], 0],
      ['chrl', 0xffffffffn, [0xff, 0xff], 0],
      ['cghrl', 0xffffffffn, [0xff, 0xff], 2],
      ['clhrl', 0xffffn, [0xff, 0xff], 0],
      ['clghrl', u64(-1n), [0x80, 0], 2],
    ];
    for (const [mn, r1, bytes, cc] of t) {
      const m = one(enc(mn, { r1: 1, i2: 0x10 }), { 1: r1 }, (mm) => put(mm, CODE + 0x20, bytes));
      expect(m.cpu.cc, mn).toBe(cc);
      expect(m.pic(), mn).toBe(0);
    }
  });

  it('relative-long word/doubleword operands must be aligned (specification 0x06)', () => {
    let m = one(enc('cgrl', { r1: 1, i2: 0x12 }), {}); // CODE + 0x24: word- but not doubleword-aligned
    expect(m.pic()).toBe(0x06);
    expect(m.oldPswAddr()).toBe(CODE + 6);
    m = one(enc('crl', { r1: 1, i2: 0x11 }), {}); // CODE + 0x22
    expect(m.pic()).toBe(0x06);
    m = one(enc('clgfrl', { r1: 1, i2: 0x11 }), {});
    expect(m.pic()).toBe(0x06);
    m = one(enc('chrl', { r1: 1, i2: 0x11 }), {}); // halfwords are always aligned
    expect(m.pic()).toBe(0);
  });

  it('compare and branch: taken and not taken, cc unchanged (CRJ CGRJ CLRJ CLGRJ)', () => {
    const t: [string, bigint, bigint, number, boolean][] = [
      ['crj', 0xffffffffn, 1n, 4, true], // -1 < 1 → mask 4 (low)
      ['crj', 0xffffffffn, 1n, 2, false],
      ['cgrj', 0xffffffffn, 1n, 2, true], // 64-bit: 0xffffffff > 1
      ['clrj', 0xffffffffn, 1n, 2, true],
      ['clgrj', 5n, 5n, 8, true],
      ['clgrj', 5n, 5n, 6, false],
    ];
    for (const [mn, a, b, m3, taken] of t) {
      const m = one(enc(mn, { r1: 1, r2: 2, m3, i4: -0x80 }), { 1: a, 2: b }, (mm) => { mm.cpu.cc = 3; });
      expect(m.cpu.ia, `${mn} m3=${m3}`).toBe(taken ? CODE - 0x100 : CODE + 6);
      expect(m.cpu.cc).toBe(3);
    }
  });

  it('compare immediate and branch: CIJ/CGIJ sign-extend I2, CLIJ/CLGIJ zero-extend it', () => {
    const t: [string, bigint, number, number, boolean][] = [
      ['cij', 0xffffffffn, -1, 8, true],
      ['cij', 0x7fn, 0x7f, 8, true],
      ['cgij', 0xffffffffn, -1, 2, true],
      ['cgij', u64(-1n), -1, 8, true],
      ['clij', 0xffn, 0xff, 8, true],
      ['clij', 0xffffffffn, 0xff, 2, true],
      ['clgij', 0x100n, 0xff, 4, false],
    ];
    for (const [mn, a, i2, m3, taken] of t) {
      const m = one(enc(mn, { r1: 1, i2, m3, i4: 0x40 }), { 1: a }, (mm) => { mm.cpu.cc = 1; });
      expect(m.cpu.ia, `${mn} ${a} ${i2} m3=${m3}`).toBe(taken ? CODE + 0x80 : CODE + 6);
      expect(m.cpu.cc).toBe(1);
    }
  });

  it('compare and branch to D4(B4): CRB CGRB CLRB CLGRB CIB CGIB CLIB CLGIB (the conditional return GCC emits)', () => {
    const t: [string, Record<string, number>, bigint, bigint, boolean][] = [
      ['crb', { r1: 1, r2: 2, m3: 8 }, 7n, 7n, true],
      ['crb', { r1: 1, r2: 2, m3: 2 }, 0xffffffffn, 0n, false],
      ['cgrb', { r1: 1, r2: 2, m3: 2 }, 0xffffffffn, 0n, true],
      ['clrb', { r1: 1, r2: 2, m3: 2 }, 0xffffffffn, 0n, true],
      ['clgrb', { r1: 1, r2: 2, m3: 4 }, 1n, 0x100000000n, true],
      ['cib', { r1: 1, i2: -1, m3: 8 }, 0xffffffffn, 0n, true],
      ['cgib', { r1: 1, i2: -1, m3: 8 }, 0xffffffffn, 0n, false],
      ['clib', { r1: 1, i2: 0xff, m3: 4 }, 0xfen, 0n, true],
      ['clgib', { r1: 1, i2: 0x80, m3: 2 }, 0x80n, 0n, false],
    ];
    for (const [mn, f, a, b, taken] of t) {
      const m = one(enc(mn, { ...f, b4: 14, d4: 0x10 }), { 1: a, 2: b, 14: 0x5000n }, (mm) => { mm.cpu.cc = 3; });
      expect(m.cpu.ia, mn).toBe(taken ? 0x5010 : CODE + 6);
      expect(m.cpu.cc).toBe(3);
    }
  });

  it('compare and trap: data exception 0x07 with DXC FF at 0x93 when the mask matches (CRT CGRT CLRT CLGRT CIT CGIT CLFIT CLGIT)', () => {
    const t: [string, Record<string, number>, bigint, bigint, boolean][] = [
      ['crt', { r1: 1, r2: 2, m3: 8 }, 5n, 5n, true],
      ['crt', { r1: 1, r2: 2, m3: 4 }, 5n, 5n, false],
      ['cgrt', { r1: 1, r2: 2, m3: 2 }, 0xffffffffn, 0n, true],
      ['clrt', { r1: 1, r2: 2, m3: 4 }, 0n, 0xffffffffn, true],
      ['clgrt', { r1: 1, r2: 2, m3: 6 }, 3n, 3n, false],
      ['cit', { r1: 1, i2: -1, m3: 8 }, 0xffffffffn, 0n, true],
      ['cgit', { r1: 1, i2: -1, m3: 4 }, 0xffffffffn, 0n, false],
      ['clfit', { r1: 1, i2: 0xffff, m3: 4 }, 0xfffen, 0n, true],
      ['clgit', { r1: 1, i2: 0x8000, m3: 2 }, 0x1_0000_0000n, 0n, true],
    ];
    for (const [mn, f, a, b, trap] of t) {
      const m = one(enc(mn, f), { 1: a, 2: b }, (mm) => { mm.cpu.cc = 1; });
      expect(m.pic(), mn).toBe(trap ? 0x07 : 0);
      if (trap) {
        expect(m.cpu.storage.read32(0x90), mn).toBe(0xff);
        expect(m.oldPswAddr()).toBe(CODE + enc(mn, f).length);
      } else {
        expect(m.cpu.ia).toBe(CODE + enc(mn, f).length);
        expect(m.cpu.cc).toBe(1);
      }
    }
  });

  it('CS / CSY: equal stores R3 (cc 0), unequal loads R1 (cc 1), bits 0-31 unchanged', () => {
    for (const mn of ['cs', 'csy']) {
      let m = one(enc(mn, { r1: 1, r3: 2, b2: 9, d2: 4 }), { 1: 0xaaaa00000000000an, 2: 0x77n, 9: BigInt(DATA) }, (mm) => {
        mm.cpu.storage.write32(DATA + 4, 0x0a);
      });
      expect(m.cpu.cc).toBe(0);
      expect(m.cpu.storage.read32(DATA + 4)).toBe(0x77);
      m = one(enc(mn, { r1: 1, r3: 2, b2: 9, d2: 4 }), { 1: 0xaaaa00000000000bn, 2: 0x77n, 9: BigInt(DATA) }, (mm) => {
        mm.cpu.storage.write32(DATA + 4, 0x0a);
      });
      expect(m.cpu.cc).toBe(1);
      expect(m.get(1)).toBe(0xaaaa00000000000an);
      expect(m.cpu.storage.read32(DATA + 4)).toBe(0x0a);
      m = one(enc(mn, { r1: 1, r3: 2, b2: 9, d2: 2 }), { 9: BigInt(DATA) });
      expect(m.pic()).toBe(0x06);
    }
  });

  it('CSG: 64-bit compare and swap, doubleword alignment', () => {
    let m = one(enc('csg', { r1: 1, r3: 2, b2: 9 }), { 1: 0x1_0000_0000n, 2: 5n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write64(DATA, 0x1_0000_0000n);
    });
    expect(m.cpu.cc).toBe(0);
    expect(m.cpu.storage.read64(DATA)).toBe(5n);
    m = one(enc('csg', { r1: 1, r3: 2, b2: 9 }), { 1: 0n, 2: 5n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write64(DATA, 0x1_0000_0000n);
    });
    expect(m.cpu.cc).toBe(1);
    expect(m.get(1)).toBe(0x1_0000_0000n);
    m = one(enc('csg', { r1: 1, r3: 2, b2: 9, d2: 4 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
  });

  it('CDS / CDSY / CDSG: pairs, even registers and alignment', () => {
    let m = one(enc('cds', { r1: 2, r3: 4, b2: 9 }), { 2: 0xeeee000000000001n, 3: 2n, 4: 0x11n, 5: 0x22n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write64(DATA, 0x0000000100000002n);
    });
    expect(m.cpu.cc).toBe(0);
    expect(m.cpu.storage.read64(DATA)).toBe(0x0000001100000022n);
    m = one(enc('cdsy', { r1: 2, r3: 4, b2: 9 }), { 2: 0xeeee000000000001n, 3: 3n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write64(DATA, 0x0000000100000002n);
    });
    expect(m.cpu.cc).toBe(1);
    expect(m.get(2)).toBe(0xeeee000000000001n);
    expect(m.get(3)).toBe(2n);
    m = one(enc('cds', { r1: 3, r3: 4, b2: 9 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
    m = one(enc('cds', { r1: 2, r3: 4, b2: 9, d2: 4 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
    m = one(enc('cdsg', { r1: 2, r3: 4, b2: 9 }), { 2: 1n, 3: 2n, 4: 3n, 5: 4n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write64(DATA, 1n);
      mm.cpu.storage.write64(DATA + 8, 2n);
    });
    expect(m.cpu.cc).toBe(0);
    expect(m.cpu.storage.read64(DATA)).toBe(3n);
    expect(m.cpu.storage.read64(DATA + 8)).toBe(4n);
    m = one(enc('cdsg', { r1: 2, r3: 4, b2: 9 }), { 2: 1n, 3: 9n, 9: BigInt(DATA) }, (mm) => {
      mm.cpu.storage.write64(DATA, 1n);
      mm.cpu.storage.write64(DATA + 8, 2n);
    });
    expect(m.cpu.cc).toBe(1);
    expect(m.get(3)).toBe(2n);
    m = one(enc('cdsg', { r1: 2, r3: 4, b2: 9, d2: 8 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
    m = one(enc('cdsg', { r1: 2, r3: 5, b2: 9 }), { 9: BigInt(DATA) });
    expect(m.pic()).toBe(0x06);
  });

  it('CLST: equal strings cc 0 (registers unchanged), shorter operand low, first difference decides', () => {
    const A = DATA, B = DATA + 0x100;
    const run = (s1: string, s2: string, end = 0) => one(enc('clst', { r1: 4, r2: 6 }), { 0: BigInt(end), 4: BigInt(A), 6: BigInt(B) }, (mm) => {
      put(mm, A, s1); put(mm, B, s2);
    });
    let m = run('hello\0', 'hello\0');
    expect(m.cpu.cc).toBe(0);
    expect(m.get(4)).toBe(BigInt(A));
    expect(m.get(6)).toBe(BigInt(B));
    m = run('hell\0', 'hello\0');
    expect(m.cpu.cc).toBe(1);
    expect(m.get(4)).toBe(BigInt(A + 4));
    expect(m.get(6)).toBe(BigInt(B + 4));
    m = run('hello\0', 'hell\0');
    expect(m.cpu.cc).toBe(2);
    m = run('help\0', 'hello\0');
    expect(m.cpu.cc).toBe(2);
    expect(m.get(4)).toBe(BigInt(A + 3));
    m = run('abc$', 'abd$', 0x24); // end character '$' in R0 bits 56-63
    expect(m.cpu.cc).toBe(1);
    m = run('ab$', 'ab$', 0x24);
    expect(m.cpu.cc).toBe(0);
    m = run('a', 'a', 0x100); // bits 32-55 of R0 must be zero
    expect(m.pic()).toBe(0x06);
    m = run('a\0', 'a\0', Number(0)); // only bits 32-63 matter
    expect(m.cpu.cc).toBe(0);
  });

  it('CLST ends with cc 3 after a CPU-determined amount; re-executing completes; 31-bit register update', () => {
    const A = 0x10000, B = 0x20000, n = 0x3000;
    const m = machine(enc('clst', { r1: 4, r2: 6 }));
    const fill = new Uint8Array(n).fill(0x41);
    m.cpu.storage.load(A, fill); m.cpu.storage.load(B, fill);
    m.cpu.storage.write8(A + n, 0); m.cpu.storage.write8(B + n, 0);
    m.set(0, 0xffffffff00000000n); // bits 0-31 of R0 are ignored
    m.set(4, 0xaaaaaaaa00000000n | BigInt(A));
    m.set(6, 0xbbbbbbbb00000000n | BigInt(B));
    m.cpu.amode = 31;
    m.cpu.modeChanged();
    let rounds = 0;
    for (;;) {
      m.cpu.ia = CODE;
      m.run(1);
      rounds++;
      if (m.cpu.cc !== 3) break;
      expect(rounds).toBeLessThan(10);
    }
    expect(rounds).toBeGreaterThan(1);
    expect(m.cpu.cc).toBe(0);
    // registers were advanced by the partial executions; bits 0-31 kept (31-bit mode)
    expect(m.get(4) >> 32n).toBe(0xaaaaaaaan);
    expect(m.get(6) >> 32n).toBe(0xbbbbbbbbn);
    expect(m.get(4) & 0xffffffffn).toBeLessThanOrEqual(BigInt(A + n));
  });

  it('CLM / CLMY / CLMH compare the register bytes selected by the mask', () => {
    const t: [string, number, number[], number][] = [
      ['clm', 0b1010, [0x11, 0x34], 1],
      ['clm', 0b1010, [0x11, 0x33], 0],
      ['clmy', 0b0001, [0x43], 2],
      ['clm', 0b1111, [0x11, 0x22, 0x33, 0x44], 0],
      ['clm', 0, [], 0],
      ['clmh', 0b1100, [0xaa, 0xbc], 1],
    ];
    for (const [mn, m3, bytes, cc] of t) {
      const m = one(enc(mn, { r1: 1, m3, b2: 9 }), { 1: 0xaabbccdd11223344n, 9: BigInt(DATA) }, (mm) => {
        mm.cpu.cc = 3;
        put(mm, DATA, bytes);
      });
      expect(m.cpu.cc, `${mn} ${m3}`).toBe(cc);
    }
  });

  it('CKSM: 32-bit end-around-carry sum, zero padding, R2/R2+1 advanced, cc 0', () => {
    const m = one(enc('cksm', { r1: 1, r2: 4 }), { 1: 0x77777777_00000001n, 4: BigInt(DATA), 5: 10n }, (mm) => {
      put(mm, DATA, [0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);
    });
    // 1 + 0xffffffff = 0x1_00000000 → end-around → 1; + 0x01020304 + 0x05060000
    expect(m.get(1)).toBe(0x77777777_00000000n | (1n + 0x01020304n + 0x05060000n));
    expect(m.get(4)).toBe(BigInt(DATA + 10));
    expect(m.get(5)).toBe(0n);
    expect(m.cpu.cc).toBe(0);
  });

  it('CKSM: zero length is cc 0 with nothing changed; odd R2 is a specification exception; long operands take cc 3 steps', () => {
    let m = one(enc('cksm', { r1: 1, r2: 4 }), { 1: 5n, 4: BigInt(DATA), 5: 0n });
    expect(m.cpu.cc).toBe(0);
    expect(m.get(1)).toBe(5n);
    m = one(enc('cksm', { r1: 1, r2: 5 }), {});
    expect(m.pic()).toBe(0x06);
    const mm = machine(enc('cksm', { r1: 1, r2: 4 }));
    const n = 0x5000;
    mm.cpu.storage.load(0x10000, new Uint8Array(n).fill(1));
    mm.set(4, 0x10000n); mm.set(5, BigInt(n)); mm.set(1, 0n);
    let rounds = 0;
    do { mm.cpu.ia = CODE; mm.run(1); rounds++; } while (mm.cpu.cc === 3 && rounds < 20);
    expect(rounds).toBeGreaterThan(1);
    expect(mm.cpu.cc).toBe(0);
    expect(mm.get(5)).toBe(0n);
    expect(mm.get(4)).toBe(BigInt(0x10000 + n));
    let sum = BigInt(n / 4) * 0x01010101n; // folded with end-around carry
    while (sum > 0xffffffffn) sum = (sum & 0xffffffffn) + (sum >> 32n);
    expect(mm.get(1)).toBe(sum);
  });

  it('bare-metal program: interruptions (trap DXC, overflow, divide, pairs, alignment) and 31-bit CLST/CKSM; Hercules agrees', (ctx) => {
    if (!haveGnuAs()) ctx.skip('needs s390x-linux-gnu-as (Debian package binutils-s390x-linux-gnu)');
    const here = dirname(fileURLToPath(import.meta.url));
    const inc = resolve(here, '../supervisor/programs');
    const dir = mkdtempSync(join(tmpdir(), 'zhint-fam-'));
    try {
      const elf = join(dir, 'p.elf');
      execFileSync('s390x-linux-gnu-as', ['-march=z196', '-I', inc, '-o', join(dir, 'p.o'), join(here, 'programs/families.s')]);
      execFileSync('s390x-linux-gnu-ld', ['-Ttext=0', '-e', '_start', '-o', elf, join(dir, 'p.o')]);
      const g = new Guest({ guestMem: 4 * 1024 * 1024 });
      const img = parseElf(new Uint8Array(readFileSync(elf)), 'families.s');
      loadInto(g.storage, img, 'families.s');
      g.start(img.entry);
      const r = g.run(100_000);
      expect(r.exitCode, `failed check r13=${g.cpu.lo[13]}: ${r.message}`).toBe(0);
      // the same image under Hercules (the reference machine), when it is installed
      const herc = herculesRunner();
      if (herc === null) {
        console.warn('Hercules part skipped: hercules-run or hercules missing (Debian package hercules)');
        return;
      }
      const out = runHercules(herc, elf);
      expect(out).toMatch(/PSW=00020000 00000000 0000000000000FFF/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
