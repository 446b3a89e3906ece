/**
 * Hypervisor services by DIAGNOSE, per docs/hypervisor-services.md.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE, PGM_STOP, diag, machineWith, pgmInfo, setReg } from './helpers.js';
import { PatternDisk, patternByte } from '../../src/hv/disk.js';
import { parsePair } from '../../src/hv/page-states.js';

const BUF = 0x5000;

describe('misc: DIAGNOSE hypervisor services', () => {
  it('0x008 console output', () => {
    const m = machineWith(diag(2, 3, 0x008));
    const text = 'hello, host\n';
    m.load(0x6000, new TextEncoder().encode(text));
    setReg(m, 2, 0x6000);
    setReg(m, 3, text.length);
    m.cpu.run(1);
    expect(m.console).toBe(text);
    expect(m.cpu.ia).toBe(CODE + 4);
  });

  it('0x250 size query, read with the documented pattern, cc 3 past the end', () => {
    const m2 = machineWith([...diag(4, 3, 0x250), ...diag(6, 2, 0x250)]);
    setReg(m2, 3, 3);
    setReg(m2, 2, 1);
    setReg(m2, 6, 5);
    setReg(m2, 7, BUF);
    m2.cpu.run(1);
    expect(m2.cpu.cc).toBe(0);
    expect(m2.cpu.getReg(5)).toBe(1024n);
    m2.cpu.run(1);
    expect(m2.cpu.cc).toBe(0);
    for (const k of [0, 1, 255, 256, 4095]) expect(m2.storage.read8(BUF + k)).toBe(patternByte(5, k));
    expect(m2.hv.stats().diskReads).toBe(1);

    const m3 = machineWith(diag(6, 2, 0x250));
    setReg(m3, 2, 1);
    setReg(m3, 6, 1024);
    setReg(m3, 7, BUF);
    m3.cpu.run(1);
    expect(m3.cpu.cc).toBe(3);
  });

  it('0x250 write then read back, on a host file given as the disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhint-disk-'));
    const file = join(dir, 'disk.img');
    writeFileSync(file, new Uint8Array(4 * 4096).fill(0x11));
    try {
      const m = machineWith([...diag(6, 2, 0x250), ...diag(8, 3, 0x250)], { disk: file });
      for (let k = 0; k < 4096; k++) m.storage.write8(BUF + k, k & 0xff);
      setReg(m, 2, 2); // write
      setReg(m, 6, 3);
      setReg(m, 7, BUF);
      setReg(m, 3, 1); // read
      setReg(m, 8, 3);
      setReg(m, 9, 0x7000);
      m.cpu.run(2);
      expect(m.cpu.cc).toBe(0);
      expect(m.storage.read8(0x7000 + 300)).toBe(300 & 0xff);
      const img = readFileSync(file);
      expect(img[3 * 4096 + 300]).toBe(300 & 0xff);
      expect(img[2 * 4096]).toBe(0x11);
      expect(m.hv.stats()).toMatchObject({ diskReads: 1, diskWrites: 1 });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('0x250 reading into a discarded buffer is a discard fault before anything moves', () => {
    const m = machineWith(diag(6, 2, 0x250));
    m.hv.forceState(BUF / 4096, parsePair('Vz'));
    setReg(m, 2, 1);
    setReg(m, 6, 0);
    setReg(m, 7, BUF);
    m.run(10);
    const info = pgmInfo(m);
    expect(info.code).toBe(0x1a);
    expect(info.teid).toBe(BigInt(BUF));
    expect(info.oldIa).toBe(CODE);
    expect(m.hv.stats().diskReads).toBe(0);
  });

  function pgmCode(code: number[], regs: Record<number, number>, problem = false): number {
    const m = machineWith(code);
    for (const [r, v] of Object.entries(regs)) setReg(m, Number(r), v);
    if (problem) m.cpu.problem = true;
    m.run(10);
    expect(m.cpu.ia).toBe(PGM_STOP);
    return pgmInfo(m).code;
  }

  it('0x250 specification: odd R1, buffer not 4K aligned, unknown function', () => {
    expect(pgmCode(diag(7, 2, 0x250), { 2: 1, 7: 0, 8: BUF })).toBe(0x06);
    expect(pgmCode(diag(6, 2, 0x250), { 2: 1, 6: 0, 7: BUF + 8 })).toBe(0x06);
    expect(pgmCode(diag(6, 2, 0x250), { 2: 4, 6: 0, 7: BUF })).toBe(0x06);
  });

  it('unknown function code: specification; problem state: privileged operation', () => {
    expect(pgmCode(diag(0, 0, 0x123), {})).toBe(0x06);
    expect(pgmCode(diag(2, 3, 0x008), { 2: 0x6000, 3: 1 }, true)).toBe(0x02);
  });

  it('0x2FC stores the statistics block (big-endian counters at the documented offsets), truncated to R3', () => {
    const m = machineWith([...diag(2, 3, 0x2fc), ...diag(4, 5, 0x2fc)], { hostMem: 32 * 4096 });
    m.hv.performEssa(20, 3);
    m.hv.performEssa(21, 3);
    m.hv.performEssa(22, 2);
    setReg(m, 2, BUF);
    setReg(m, 3, 0x1000);
    setReg(m, 4, 0x7000);
    setReg(m, 5, 0x10);
    for (let k = 0; k < 0x20; k++) m.storage.write8(0x7000 + k, 0xee);
    m.cpu.run(2);
    expect(m.cpu.cc).toBe(0);
    const rd = (off: number) => m.storage.read64(BUF + off);
    expect(rd(0x30 + 3 * 8)).toBe(2n); // ESSA ORC 3 twice
    expect(rd(0x30 + 2 * 8)).toBe(1n);
    expect(rd(0x78)).toBe(32n); // host frames
    expect(rd(0x80)).toBe(64n); // guest frames
    expect(rd(0x70)).toBe(BigInt(m.hv.used));
    const census = [0x88, 0x90, 0x98, 0xa0, 0xa8, 0xb0, 0xb8, 0xc0].map((o) => rd(o));
    expect(census.reduce((a, b) => a + b, 0n)).toBe(64n);
    expect(census[6]).toBe(2n); // Vz
    expect(census[4]).toBe(1n); // Uz
    expect(m.storage.read8(BUF + 0xc8)).toBe(0); // nothing beyond the block
    expect(m.storage.read8(0x7000 + 0x0f)).not.toBe(0xee);
    expect(m.storage.read8(0x7000 + 0x10)).toBe(0xee); // truncated to R3 = 16 bytes
  });
});

describe('the generated disk (PatternDisk)', () => {
  it('every byte of a block is the documented pattern, read after read; a written block reads back as written', () => {
    const disk = new PatternDisk(1024);
    const buf = new Uint8Array(8192);
    for (const n of [0, 1, 2, 255, 256, 1023, 2]) {
      buf.fill(0xee);
      disk.read(n, buf, 4096);
      let bad = -1;
      for (let k = 0; k < 4096 && bad < 0; k++) if (buf[4096 + k] !== patternByte(n, k)) bad = k;
      expect({ n, bad }).toEqual({ n, bad: -1 });
      expect(buf[4095]).toBe(0xee); // nothing before the offset
    }
    const mine = new Uint8Array(4096).fill(7);
    disk.write(2, mine, 0);
    disk.read(2, buf, 0);
    expect(buf.subarray(0, 4096).every((b) => b === 7)).toBe(true);
    disk.read(258, buf, 0); // the same pattern as block 2 ((n * 131) & 0xff), not the bytes written there
    expect(buf[1]).toBe(patternByte(258, 1));
  });
});
