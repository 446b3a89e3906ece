/**
 * What the guest sees when it touches a frame (shared spec page-hinting.md §3),
 * driven through the CPU: the exact lowcore and PSW of a discard fault, the Uz
 * choices, transparent page-in and zero fill.
 */
import { describe, expect, it } from 'vitest';
import { CODE, PGM_STOP, lg, machineWith, pgmInfo, setReg, stg } from './helpers.js';
import { parsePair } from '../../src/hv/page-states.js';
import { KEY_C, KEY_R } from '../../src/mm/storage.js';
import type { MachineEvent } from '../../src/events.js';

const TARGET = 0x10;
const ABS = TARGET * 4096;

describe('hinting: discard fault (program interruption 0x1A)', () => {
  it('a load from a Vz frame: code 0x1A, ILC 6, nullified (old PSW at the LG), TEID = absolute block address', () => {
    const m = machineWith(lg(3, 0x18, 0, 4));
    m.hv.forceState(TARGET, parsePair('Vz'));
    setReg(m, 4, ABS + 0x100);
    setReg(m, 3, 0x5555);
    const events: MachineEvent[] = [];
    m.events.on((e) => events.push(e));
    const r = m.run(10);
    expect(r.reason).toBe('disabled-wait');
    expect(m.cpu.ia).toBe(PGM_STOP);
    const info = pgmInfo(m);
    expect(info.code).toBe(0x1a);
    expect(info.ilc).toBe(6);
    expect(info.oldHi).toBe(0x00000001); // supervisor, DAT off, 64-bit (EA)
    expect(info.oldLo).toBe(0x80000000); // BA
    expect(info.oldIa).toBe(CODE); // nullifying: points at the instruction
    expect(info.teid).toBe(BigInt(ABS)); // low 12 bits zero
    expect(m.storage.read32(0xa8)).toBe(0);
    expect(m.cpu.lo[3]).toBe(0x5555); // nothing loaded
    expect(m.hv.stats().discardFaults).toBe(1);
    expect(m.hv.stateOf(TARGET)).toBe('Vz');
    const df = events.find((e) => e.kind === 'discard-fault');
    expect(df).toEqual({ kind: 'discard-fault', step: 0, abs: ABS, ia: CODE });
    const intr = events.find((e) => e.kind === 'interrupt');
    expect(intr).toMatchObject({ class: 'program', code: 0x1a, oldIa: CODE, teid: ABS });
  });

  it('a store to a Vz frame stores nothing', () => {
    const m = machineWith(stg(3, 0, 0, 4));
    m.hv.forceState(TARGET, parsePair('Vz'));
    setReg(m, 4, ABS + 0xff8);
    setReg(m, 3, 0x1234);
    m.run(10);
    const info = pgmInfo(m);
    expect(info.code).toBe(0x1a);
    expect(info.oldIa).toBe(CODE);
    expect(info.teid).toBe(BigInt(ABS));
    expect(m.hv.stateOf(TARGET)).toBe('Vz');
    expect(m.hv.peekFrame(TARGET).every((b) => b === 0)).toBe(true);
  });

  it('the TEID is the absolute address, after prefixing', () => {
    // prefix at 0x20000: real 0x1000 is absolute 0x21000 and real 0x21000 is absolute 0x1000
    const prefix = 0x20000;
    const m = machineWith(lg(3, 0, 0, 4), {}, prefix);
    m.hv.forceState(1, parsePair('Vz'));
    setReg(m, 4, 0x21000 + 0x40);
    m.run(10);
    const info = pgmInfo(m, prefix);
    expect(info.code).toBe(0x1a);
    expect(info.teid).toBe(0x1000n);
    expect(info.oldIa).toBe(CODE);
  });

  it('after the guest sets the frame stable again (ORC 1), the access sees a fresh zero frame', () => {
    const m = machineWith(lg(3, 0, 0, 4));
    m.hv.forceState(TARGET, parsePair('Vz'));
    m.hv.performEssa(TARGET, 1);
    setReg(m, 4, ABS);
    setReg(m, 3, 0x77);
    m.cpu.run(1);
    expect(m.cpu.ia).toBe(CODE + 6);
    expect(m.cpu.getReg(3)).toBe(0n);
    expect(m.hv.stateOf(TARGET)).toBe('Sr');
  });
});

describe('hinting: access to the other states', () => {
  it('Uz under unused-access=addressing: addressing exception 0x05, suppressing', () => {
    const m = machineWith(lg(3, 0, 0, 4));
    m.hv.forceState(TARGET, parsePair('Uz'));
    setReg(m, 4, ABS);
    m.run(10);
    const info = pgmInfo(m);
    expect(info.code).toBe(0x05);
    expect(info.ilc).toBe(6);
    expect(info.oldIa).toBe(CODE + 6);
    expect(m.hv.stats().discardFaults).toBe(0);
  });

  it('Uz under unused-access=zero: a zero-filled frame, still unused', () => {
    const m = machineWith(lg(3, 0, 0, 4), { unusedAccess: 'zero' });
    m.hv.forceState(TARGET, parsePair('Uz'));
    setReg(m, 4, ABS);
    setReg(m, 3, 0x99);
    const z0 = m.hv.stats().zeroFills;
    m.cpu.run(1);
    expect(m.cpu.ia).toBe(CODE + 6);
    expect(m.cpu.getReg(3)).toBe(0n);
    expect(m.hv.stateOf(TARGET)).toBe('Ur');
    expect(m.hv.stats().zeroFills).toBe(z0 + 1);
  });

  it('Sp: transparent page-in with the data, counted as host I/O', () => {
    const m = machineWith(lg(3, 0, 0, 4));
    m.storage.write32(ABS, 0x01020304);
    m.storage.write32(ABS + 4, 0x05060708);
    m.hv.forceState(TARGET, parsePair('Sp'));
    expect(m.storage.frames[TARGET]).toBeUndefined();
    expect(Array.from(m.storage.peek(ABS, 4))).toEqual([0, 0, 0, 0]); // not resident
    expect(Array.from(m.hv.peek(ABS, 4))).toEqual([1, 2, 3, 4]); // the host's copy
    setReg(m, 4, ABS);
    m.cpu.run(1);
    expect(m.cpu.getReg(3)).toBe(0x0102030405060708n);
    expect(m.hv.stateOf(TARGET)).toBe('Sr');
    expect(m.hv.stats().pageIns).toBe(1);
  });

  it('Sz: the first touch zero fills', () => {
    const m = machineWith(stg(3, 0, 0, 4));
    expect(m.hv.stateOf(TARGET)).toBe('Sz');
    setReg(m, 4, ABS);
    setReg(m, 3, 42);
    const z0 = m.hv.stats().zeroFills;
    m.cpu.run(1);
    expect(m.hv.stateOf(TARGET)).toBe('Sr');
    expect(m.hv.stats().zeroFills).toBe(z0 + 1);
    expect(m.storage.keys[TARGET] & (KEY_R | KEY_C)).toBe(KEY_R | KEY_C);
  });

  it('Vr, Pr, Ur: normal access; a store sets the change bit', () => {
    for (const s of ['Vr', 'Pr', 'Ur']) {
      const m = machineWith(stg(3, 0, 0, 4));
      m.hv.forceState(TARGET, parsePair(s));
      m.storage.keys[TARGET] = 0;
      setReg(m, 4, ABS);
      setReg(m, 3, 7);
      m.cpu.run(1);
      expect(m.cpu.ia).toBe(CODE + 6);
      expect(m.hv.stateOf(TARGET)).toBe(s);
      expect(m.storage.keys[TARGET] & KEY_C).toBe(KEY_C);
      expect(m.storage.read8(ABS + 7)).toBe(7);
    }
  });

  it('CMMA off: ESSA is an operation exception and every frame stays stable', () => {
    const m = machineWith([0xb9, 0xab, 0x30, 0x12], { cmma: false, hostMem: 16 * 1024 });
    setReg(m, 2, ABS);
    m.run(10);
    expect(pgmInfo(m).code).toBe(0x01);
    for (let pfn = 0; pfn < 64; pfn++) expect(m.hv.stateOf(pfn)[0]).toBe('S');
  });
});
