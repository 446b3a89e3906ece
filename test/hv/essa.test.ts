/**
 * ESSA (B9AB) against the table of shared spec page-hinting.md §2: every
 * operation request code from every valid state pair, the old-state encoding
 * in R1, the exceptions and their order.
 */
import { describe, expect, it } from 'vitest';
import { CODE, PGM_STOP, essa, machineWith, pgmInfo, setReg } from './helpers.js';
import { parsePair } from '../../src/hv/page-states.js';
import { KEY_C, KEY_R } from '../../src/mm/storage.js';
import type { Machine } from '../../src/machine.js';

const TARGET = 0x10; // pfn of the frame under test
const ABS = TARGET * 4096;

/** R1 encodings of the old state (spec §2: content 0 r / 2 p / 3 z, usage S 0 U 4 P 8 V 0xC) */
const ENCODING: Record<string, number> = { Sr: 0x00, Sp: 0x02, Sz: 0x03, Ur: 0x04, Uz: 0x07, Vr: 0x0c, Vz: 0x0f, Pr: 0x08 };

/** Start states; Sp and Pr in a clean (change bit 0) and a changed variant. */
const STARTS = ['Sr', 'Sp', 'Sp*', 'Sz', 'Ur', 'Uz', 'Vr', 'Vz', 'Pr', 'Pr*'] as const;

/** The spec table, written out: ORC → start state → new state. `*` = change bit on. */
const EXPECT: Record<number, Record<(typeof STARTS)[number], string>> = {
  0: { Sr: 'Sr', Sp: 'Sp', 'Sp*': 'Sp', Sz: 'Sz', Ur: 'Ur', Uz: 'Uz', Vr: 'Vr', Vz: 'Vz', Pr: 'Pr', 'Pr*': 'Pr' },
  1: { Sr: 'Sr', Sp: 'Sp', 'Sp*': 'Sp', Sz: 'Sz', Ur: 'Sr', Uz: 'Sz', Vr: 'Sr', Vz: 'Sz', Pr: 'Sr', 'Pr*': 'Sr' },
  2: { Sr: 'Ur', Sp: 'Uz', 'Sp*': 'Uz', Sz: 'Uz', Ur: 'Ur', Uz: 'Uz', Vr: 'Ur', Vz: 'Uz', Pr: 'Ur', 'Pr*': 'Ur' },
  3: { Sr: 'Vr', Sp: 'Vz', 'Sp*': 'Vz', Sz: 'Vz', Ur: 'Vr', Uz: 'Vz', Vr: 'Vr', Vz: 'Vz', Pr: 'Vr', 'Pr*': 'Vr' },
  4: { Sr: 'Pr', Sp: 'Vz', 'Sp*': 'Sp', Sz: 'Vz', Ur: 'Pr', Uz: 'Vz', Vr: 'Pr', Vz: 'Vz', Pr: 'Pr', 'Pr*': 'Pr' },
  5: { Sr: 'Sr', Sp: 'Sr', 'Sp*': 'Sr', Sz: 'Sr', Ur: 'Sr', Uz: 'Sr', Vr: 'Sr', Vz: 'Sr', Pr: 'Sr', 'Pr*': 'Sr' },
  6: { Sr: 'Sr', Sp: 'Sp', 'Sp*': 'Sp', Sz: 'Sz', Ur: 'Sr', Uz: 'Uz', Vr: 'Sr', Vz: 'Vz', Pr: 'Sr', 'Pr*': 'Sr' },
  7: { Sr: 'Sr', Sp: 'Sp', 'Sp*': 'Sp', Sz: 'Sz', Ur: 'Sr', Uz: 'Sz', Vr: 'Sr', Vz: 'Sz', Pr: 'Sr', 'Pr*': 'Sr' },
};

/** Put the target frame in `start`, with a data pattern where the state holds content. */
function prepare(m: Machine, start: (typeof STARTS)[number]): void {
  const pair = start.slice(0, 2);
  const changed = start.endsWith('*');
  const hv = m.hv;
  const st = m.storage;
  if (pair[1] !== 'z') {
    hv.forceState(TARGET, parsePair(pair[0] + 'r'));
    for (let k = 0; k < 4096; k += 512) st.write8(ABS + k, 0xa5 ^ (k >> 9));
    if (!changed) st.keys[TARGET] &= ~(KEY_C | KEY_R);
    if (pair[1] === 'p') hv.forceState(TARGET, parsePair(pair));
  } else {
    hv.forceState(TARGET, parsePair(pair));
  }
  expect(hv.stateOf(TARGET)).toBe(pair);
}

function hasPattern(m: Machine): boolean {
  const fr = m.hv.peekFrame(TARGET);
  for (let k = 0; k < 4096; k += 512) if (fr[k] !== (0xa5 ^ (k >> 9))) return false;
  return true;
}

describe('hinting: ESSA operation request codes from every state pair', () => {
  for (let orc = 0; orc <= 7; orc++) {
    for (const start of STARTS) {
      const want = EXPECT[orc][start];
      it(`ORC ${orc} on ${start} → ${want}`, () => {
        const m = machineWith(essa(1, 2, orc), { facility147: true });
        prepare(m, start);
        setReg(m, 1, 0xffffffff * 2 ** 32 + 0xdeadbeef);
        setReg(m, 2, ABS + 0xabc); // byte-index bits are ignored
        m.cpu.cc = 2;
        const before = m.hv.stats();
        m.cpu.run(1);
        expect(m.cpu.ia).toBe(CODE + 4);
        expect(m.cpu.cc).toBe(2); // condition code unchanged
        expect(m.cpu.hi[1]).toBe(0); // all 64 bits of R1 replaced
        expect(m.cpu.lo[1]).toBe(ENCODING[start.slice(0, 2)]);
        expect(m.hv.stateOf(TARGET)).toBe(want);
        expect(m.hv.nodatOf(TARGET)).toBe(orc === 7);
        const after = m.hv.stats();
        expect(after.essaByOrc[orc]).toBe(before.essaByOrc[orc] + 1);
        // content: whatever is not z must still hold the data (a p copy was dropped only when going to z)
        const from = start.slice(0, 2);
        if (from[1] !== 'z' && want[1] !== 'z') expect(hasPattern(m)).toBe(true);
        if (want[1] === 'z') expect(m.hv.peekFrame(TARGET).every((b) => b === 0)).toBe(true);
        // dropping a preserved copy is a discard (no I/O); making Sp resident a page-in; z → r a zero fill
        const dropped = from[1] === 'p' && want[1] === 'z';
        expect(after.swapDrops - before.swapDrops).toBe(dropped ? 1 : 0);
        if (dropped) expect(m.storage.keys[TARGET] & (KEY_R | KEY_C)).toBe(0);
        expect(after.pageIns - before.pageIns).toBe(from[1] === 'p' && want[1] === 'r' ? 1 : 0);
        expect(after.zeroFills - before.zeroFills).toBe(from[1] === 'z' && want[1] === 'r' ? 1 : 0);
        expect(after.pageOuts).toBe(before.pageOuts);
        expect(after.census[want as 'Sr']).toBeGreaterThanOrEqual(1);
      });
    }
  }

  it('ORC 1 clears the no-DAT bit that ORC 7 set', () => {
    const m = machineWith([...essa(1, 2, 7), ...essa(3, 2, 0), ...essa(4, 2, 1), ...essa(5, 2, 0)], { facility147: true });
    setReg(m, 2, ABS);
    m.cpu.run(4);
    expect(m.cpu.lo[3]).toBe(0x23); // Sz + no-DAT
    expect(m.cpu.lo[4]).toBe(0x23);
    expect(m.cpu.lo[5]).toBe(0x03);
  });

  it('R1 = R2 works: the address is read before R1 is replaced', () => {
    const m = machineWith(essa(2, 2, 3));
    setReg(m, 2, ABS);
    m.cpu.run(1);
    expect(m.cpu.getReg(2)).toBe(0x03n);
    expect(m.hv.stateOf(TARGET)).toBe('Vz');
  });

  it('uses the register address per addressing mode (31-bit ignores bit 32 and the high half)', () => {
    const m = machineWith(essa(1, 2, 3));
    m.cpu.amode = 31;
    m.cpu.hi[2] = 0x12345678;
    m.cpu.lo[2] = 0x80000000 + ABS;
    m.cpu.run(1);
    expect(m.hv.stateOf(TARGET)).toBe('Vz');
  });
});

describe('hinting: ESSA exceptions and their order', () => {
  function run(opts: { cmma?: boolean; fac?: boolean; problem?: boolean; m3: number; addr: number }) {
    const m = machineWith(essa(1, 2, opts.m3), { cmma: opts.cmma ?? true, facility147: opts.fac ?? false });
    if (opts.problem) m.cpu.problem = true;
    setReg(m, 1, 0x1111);
    setReg(m, 2, opts.addr);
    const st0 = m.hv.stateOf(TARGET);
    m.run(10);
    const info = pgmInfo(m);
    expect(m.cpu.ia).toBe(PGM_STOP);
    expect(info.ilc).toBe(4);
    expect(info.oldIa).toBe(CODE + 4); // suppressing: the old PSW points past ESSA
    expect(m.cpu.lo[1]).toBe(0x1111); // R1 untouched
    expect(m.hv.stateOf(TARGET)).toBe(st0);
    expect(m.hv.stats().essaTotal).toBe(0);
    return info.code;
  }
  const BAD = 64 * 4096; // first address past the 256K guest

  it('operation (0x01) with CMMA off comes before everything', () => {
    expect(run({ cmma: false, problem: true, m3: 9, addr: BAD })).toBe(0x01);
    expect(run({ cmma: false, m3: 1, addr: ABS })).toBe(0x01);
  });
  it('privileged operation (0x02) in the problem state, before specification and addressing', () => {
    expect(run({ problem: true, m3: 9, addr: BAD })).toBe(0x02);
    expect(run({ problem: true, m3: 0, addr: ABS })).toBe(0x02);
  });
  it('specification (0x06) for M3 > 6, or > 7 with facility 147, before addressing', () => {
    expect(run({ m3: 7, addr: BAD })).toBe(0x06);
    expect(run({ m3: 7, addr: ABS })).toBe(0x06);
    expect(run({ fac: true, m3: 8, addr: BAD })).toBe(0x06);
    expect(run({ fac: true, m3: 15, addr: ABS })).toBe(0x06);
  });
  it('addressing (0x05) when R2 is outside guest storage', () => {
    expect(run({ m3: 0, addr: BAD })).toBe(0x05);
    expect(run({ fac: true, m3: 7, addr: BAD + 0x123456 })).toBe(0x05);
    expect(run({ m3: 3, addr: 2 ** 40 })).toBe(0x05);
  });
  it('the last frame of guest storage is addressable', () => {
    const m = machineWith(essa(1, 2, 3));
    setReg(m, 2, BAD - 1);
    m.cpu.run(1);
    expect(m.cpu.ia).toBe(CODE + 4);
    expect(m.hv.stateOf(63)).toBe('Vz');
  });
});
