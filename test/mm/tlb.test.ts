/**
 * The TLB caches translations per context and IPTE purges exactly what the
 * architecture requires: every entry formed from the invalidated page-table
 * entry, even when the entry's frame field was changed before the IPTE.
 * Instruction fetches use it only where the current context is their space.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { TLB_SIZE } from '../../src/mm/mmu.js';

/** A segment table at 0x10000 (one entry) whose page table at 0x11000 maps virtual page 5 to `frame`. */
function setup(frame: number): Machine {
  const m = new Machine({ guestMem: 1 << 20 });
  const st = m.storage;
  for (let k = 0; k < 2048; k++) st.write32(0x10000 + 8 * k, 0), st.write32(0x10000 + 8 * k + 4, 0x20); // invalid
  st.write32(0x10004, 0x11000); // segment 0 → page table at 0x11000, length 256 entries (TT 00)
  for (let k = 0; k < 256; k++) st.write32(0x11000 + 8 * k, 0), st.write32(0x11000 + 8 * k + 4, 0x400); // invalid
  st.write32(0x11000 + 5 * 8 + 4, frame);
  m.cpu.crh[1] = 0; m.cpu.crl[1] = 0x10000 | 0x3; // ASCE: segment table at 0x10000, DT 00, TL 3
  m.cpu.dat = true;
  m.cpu.modeChanged();
  return m;
}

describe('TLB', () => {
  it('is a multiple of 256 entries (IPTE purges by page index)', () => {
    expect(TLB_SIZE % 256).toBe(0);
  });

  it('IPTE purges the entries of a page even after its frame field was changed', () => {
    const m = setup(0x40000);
    m.storage.write32(0x40000 + 0x10, 0x11223344);
    expect(m.cpu.mem.ld32(0x5010)).toBe(0x11223344); // fills the TLB
    // the guest (wrongly) changes the frame first, then invalidates the entry
    m.storage.write32(0x11000 + 5 * 8 + 4, 0x50000);
    // ipte %r1,%r2 run with DAT off (a CPU reset would clear the TLB: no m.start here)
    m.load(0x2000, new Uint8Array([0xb2, 0x21, 0x00, 0x12]));
    m.cpu.lo[1] = 0x11000; m.cpu.lo[2] = 0x5000;
    m.cpu.dat = false; m.cpu.modeChanged();
    m.cpu.ia = m.cpu.nia = 0x2000;
    m.cpu.run(1);
    expect(m.cpu.ia).toBe(0x2004);
    m.cpu.dat = true;
    m.cpu.modeChanged();
    expect(() => m.cpu.mem.ld32(0x5010)).toThrow(); // page-translation exception: the entry is invalid now
  });

  /** ipte %r1,%r2 with r1 = page-table origin, r2 = the virtual address, run with DAT off (no m.start: a CPU reset clears the TLB) */
  function ipte(m: Machine, pto: number, va: number): void {
    m.load(0x2000, new Uint8Array([0xb2, 0x21, 0x00, 0x12]));
    m.cpu.lo[1] = pto; m.cpu.lo[2] = va;
    m.cpu.dat = false; m.cpu.modeChanged();
    m.cpu.ia = m.cpu.nia = 0x2000;
    m.cpu.run(1);
    expect(m.cpu.ia).toBe(0x2004);
    m.cpu.dat = true; m.cpu.modeChanged();
  }

  it('IPTE purges every entry formed from the entry: a page table shared by two segments', () => {
    const m = setup(0x40000);
    m.storage.write32(0x10000 + 8 + 4, 0x11000); // segment 1 → the same page table
    m.storage.write32(0x40000 + 0x10, 0x11223344);
    expect(m.cpu.mem.ld32(0x5010)).toBe(0x11223344);
    expect(m.cpu.mem.ld32(0x105010)).toBe(0x11223344);
    ipte(m, 0x11000, 0x5000);
    expect(() => m.cpu.mem.ld32(0x5010)).toThrow();
    expect(() => m.cpu.mem.ld32(0x105010)).toThrow();
  });

  it('IPTE leaves the entries formed from other entries with the same page index', () => {
    // segment 1 has a page table of its own (0x11800): its page 5 shares the
    // invalidated page's index, not its entry (the PoP lets such entries stay)
    const m = setup(0x40000);
    m.storage.write32(0x10000 + 8 + 4, 0x11800);
    for (let k = 0; k < 256; k++) m.storage.write32(0x11800 + 8 * k, 0), m.storage.write32(0x11800 + 8 * k + 4, 0x400);
    m.storage.write32(0x11800 + 5 * 8 + 4, 0x60000);
    m.storage.write32(0x60000 + 0x10, 0x55667788);
    expect(m.cpu.mem.ld32(0x105010)).toBe(0x55667788);
    expect(m.cpu.mem.ld32(0x5010)).toBe(0);
    ipte(m, 0x11000, 0x5000);
    expect(() => m.cpu.mem.ld32(0x5010)).toThrow();
    const slot = 0x105 & (TLB_SIZE - 1);
    expect(m.cpu.mem.tlbTag[slot]).toBe(0x105 + 1); // still cached
    expect(m.cpu.mem.ld32(0x105010)).toBe(0x55667788);
  });

  it('switching DAT off and on keeps the DAT entries (no purge)', () => {
    const m = setup(0x40000);
    expect(m.cpu.mem.ld32(0x5010)).toBe(0);
    const before = m.storage.epoch;
    m.cpu.dat = false; m.cpu.modeChanged();
    m.cpu.dat = true; m.cpu.modeChanged();
    expect(m.storage.epoch).toBe(before); // nothing purged
    const tags = m.cpu.mem.tlbTag;
    expect(tags[5 & (TLB_SIZE - 1)]).toBe(5 + 1);
  });

  it('in the secondary-space mode instructions come from the primary space, even with the page in the TLB', () => {
    // primary: page 5 → 0x40000 (lghi %r5,1); secondary (CR7, segment table
    // 0x12000, page table 0x13000): page 5 → 0x50000 (lghi %r5,2). A data
    // read in the secondary-space mode puts page 5 → 0x50000 into the
    // current context's TLB; the fetch must not use it (PoP "Address-Space Control").
    const m = setup(0x40000);
    const st = m.storage;
    for (let k = 0; k < 2048; k++) st.write32(0x12000 + 8 * k, 0), st.write32(0x12000 + 8 * k + 4, 0x20);
    st.write32(0x12004, 0x13000);
    for (let k = 0; k < 256; k++) st.write32(0x13000 + 8 * k, 0), st.write32(0x13000 + 8 * k + 4, 0x400);
    st.write32(0x13000 + 5 * 8 + 4, 0x50000);
    m.cpu.crh[7] = 0; m.cpu.crl[7] = 0x12000 | 0x3;
    m.load(0x40000, new Uint8Array([0xa7, 0x59, 0x00, 0x01]));
    m.load(0x50000, new Uint8Array([0xa7, 0x59, 0x00, 0x02]));
    m.cpu.asc = 2; // secondary-space mode
    m.cpu.modeChanged();
    expect(m.cpu.mem.ld32(0x5000)).toBe(0xa7590002); // operands: the secondary space
    m.cpu.ia = m.cpu.nia = 0x5000;
    m.cpu.run(1);
    expect(m.cpu.ia).toBe(0x5004);
    expect(m.cpu.lo[5]).toBe(1);
  });
});
