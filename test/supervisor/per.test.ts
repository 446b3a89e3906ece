/**
 * Program-event recording (src/cpu/per.ts): PER off keeps the fast paths
 * (TLB store path, compiled blocks, the plain slice loop); PER on takes the
 * one-instruction-at-a-time loop. The guest-level checks of the events are in
 * programs/per.s (run by supervisor.test.ts with both assemblers); here the
 * same image also runs under Hercules 3.13 when it is installed, to record
 * where Hercules and the Principles of Operation disagree.
 */
import { describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cpu } from '../../src/cpu/cpu.js';
import { AbsoluteStorage } from '../../src/mm/storage.js';
import { haveBinutils, PROGRAMS } from './runner.js';
import { herculesRunner, runHercules } from '../../src/testing/tools.js';

/** r1 := 1000; loop: st r1,0(r2); brct r1,loop — 2001 instructions, 1000 stores to 0x2000. */
function storeLoop(): Cpu {
  const st = new AbsoluteStorage(1024 * 1024);
  st.load(0x1000, new Uint8Array([0xa7, 0x18, 0x03, 0xe8, 0x50, 0x10, 0x20, 0x00, 0xa7, 0x16, 0xff, 0xfe]));
  const c = new Cpu(st);
  c.ia = 0x1000;
  c.lo[2] = 0x2000;
  return c;
}

/** PSW bit 1 on, CR9 = masks (bits 32-63), range CR10..CR11. */
function perOn(c: Cpu, masks: number, start: number, end: number): void {
  c.per = true;
  c.crl[9] = masks; c.crl[10] = start; c.crl[11] = end;
  c.modeChanged();
}

describe('misc: PER (program-event recording)', () => {
  it('PER off: stores take the TLB fast path, hot blocks are compiled, the PER loop never runs', () => {
    const c = storeLoop();
    c.jitThreshold = 256; // the loop runs 1000 times: compile its block on the way
    const perLoop = vi.spyOn(Cpu.prototype as unknown as { runSlicePer(end: number): void }, 'runSlicePer');
    const translate = vi.spyOn(c.mem, 'translate');
    // CR9 armed with PSW bit 1 off changes nothing (PoP: PSW bit 1 masks every event)
    c.crl[9] = 0xe0000000; c.crl[10] = 0; c.crl[11] = 0xffffffff;
    c.modeChanged();
    expect(c.mem.fast).toBe(true);
    c.run(2001);
    expect(c.lo[1]).toBe(0);
    expect(c.storage.read32(0x2000)).toBe(1);
    expect(translate.mock.calls.length).toBeLessThan(10); // fills for code and data pages, then the TLB
    expect(perLoop).not.toHaveBeenCalled();
    const code = c.storage.code[1] as { blk: unknown }[];
    expect(code[(0x004) >>> 1].blk).not.toBeNull(); // the st/brct block was compiled
    expect(c.mem.onStore).toBeNull();
    perLoop.mockRestore();
  });

  it('PER on with storage alteration armed: every store takes the slow path, no blocks, no event outside the range', () => {
    const c = storeLoop();
    perOn(c, 0x20000000, 0x3000, 0x3fff); // CR9 bit 34, range not touched by the loop
    expect(c.mem.fast).toBe(false);
    const perLoop = vi.spyOn(Cpu.prototype as unknown as { runSlicePer(end: number): void }, 'runSlicePer');
    const translate = vi.spyOn(c.mem, 'translate');
    c.run(2001);
    expect(c.lo[1]).toBe(0);
    expect(translate.mock.calls.length).toBeGreaterThanOrEqual(1000);
    expect(perLoop).toHaveBeenCalled();
    const code = c.storage.code[1] as { blk: unknown }[];
    expect(code[(0x004) >>> 1].blk).toBeNull();
    expect(c.mem.onStore).toBeNull(); // removed when the PER loop ends
    perLoop.mockRestore();
  });

  it('CR9 bit 34 (not bit 2) arms the MMU slow store path, and only under PSW bit 1', () => {
    const c = storeLoop();
    c.crh[9] = 0x20000000; // bit 2: not a z/Architecture PER mask
    c.per = true; c.modeChanged();
    expect(c.mem.fast).toBe(true);
    c.crh[9] = 0; c.crl[9] = 0x20000000;
    c.modeChanged();
    expect(c.mem.fast).toBe(false);
    c.per = false; c.modeChanged();
    expect(c.mem.fast).toBe(true);
  });

  it('only CR9 bit 34 makes a store an event: with the branch event alone, a store in range on the slow path is none', () => {
    const c = storeLoop();
    c.storage.write32(0x1d0, 0x00020001); c.storage.write32(0x1d4, 0x80000000);
    c.storage.write32(0x1d8, 0); c.storage.write32(0x1dc, 0xfff);
    // CR9 bit 32 (successful branching) with bit 40: only branches into the
    // range count; the range holds the stored word, not the loop's target
    perOn(c, 0x80800000, 0x2000, 0x2fff);
    c.mem.purgeTlb(); // the first store misses the TLB: the MMU's slow path
    c.run(10);
    expect(c.stopReason).toBeNull();
    expect(c.storage.read16(0x8e)).toBe(0); // no program interruption
    expect(c.steps).toBe(10);
  });

  it('a storage-alteration event: code 0x0080, PER code 0x20, PER address = the store, old PSW = the next instruction', () => {
    const c = storeLoop();
    // program new PSW: 64-bit, disabled wait at 0xfff, so the run stops right after the interruption
    c.storage.write32(0x1d0, 0x00020001); c.storage.write32(0x1d4, 0x80000000);
    c.storage.write32(0x1d8, 0); c.storage.write32(0x1dc, 0xfff);
    perOn(c, 0x20000000, 0x2003, 0x2003); // the last byte of the word
    c.run(100);
    expect(c.stopReason).toBe('disabled-wait');
    expect(c.storage.read16(0x8e)).toBe(0x0080);
    expect(c.storage.read16(0x8c)).toBe(4);
    expect(c.storage.read8(0x96)).toBe(0x20);
    expect(c.storage.read32(0x9c)).toBe(0x1004);
    expect(c.storage.read32(0x15c)).toBe(0x1008);
    expect(c.storage.read32(0x2000)).toBe(1000); // the store completed
  });
});

const HERC = herculesRunner();
function haveHercules(): boolean {
  return HERC !== null;
}

/** per.s without the given checks (each a block from `CHECK n` to the next check), linked by GNU ld. */
function herculesRun(drop: number[]): string {
  let text = readFileSync(join(PROGRAMS, 'per.s'), 'utf8');
  for (const n of drop) {
    const a = text.search(new RegExp(`^ +CHECK +${n}\\b`, 'm'));
    const rest = text.slice(text.indexOf('\n', a) + 1);
    const b = rest.search(/^ +(CHECK +\d+|lctlg +%c9,%c11,cr_off)/m);
    text = text.slice(0, a) + rest.slice(b);
  }
  // and the CR9-CR11 data naming their labels
  for (const [n, data] of [[10, 'cr_svc'], [12, 'cr_nul']] as const) {
    if (drop.includes(n)) text = text.replace(new RegExp(`^${data}:.*$`, 'm'), '');
  }
  const dir = mkdtempSync(join(tmpdir(), 'zhint-per-'));
  try {
    writeFileSync(join(dir, 'per.s'), text);
    execFileSync('s390x-linux-gnu-as', ['-march=z196', '-I', PROGRAMS, '-o', join(dir, 'p.o'), join(dir, 'per.s')]);
    execFileSync('s390x-linux-gnu-ld', ['-Ttext=0', '-e', '_start', '-o', join(dir, 'p.elf'), join(dir, 'p.o')]);
    return runHercules(HERC!, join(dir, 'p.elf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('misc: PER under Hercules 3.13 (reference machine)', () => {
  const skip = !haveBinutils() || !haveHercules();
  if (skip) console.warn('PER Hercules cross-check skipped: needs the Debian packages hercules and binutils-s390x-linux-gnu');
  // Measured with Hercules 3.13 (Debian package): checks 1-9, 11, 13 and 14 of per.s agree with zhint.
  // Two disagreements, where zhint follows the PoP:
  // - check 10 (instruction-fetch event on SVC): the PoP has the PER program interruption follow
  //   the SVC interruption at once (program old PSW = the SVC new PSW; Linux's entry code expects
  //   it). Hercules takes the SVC interruption and loses the PER event: the SVC handler runs.
  // - check 12 (CR9 bit 39, instruction-fetch nullification): Hercules nullifies and stores the
  //   PER code 0x41 and old PSW = the instruction like zhint, but ILC 0; the PoP's ILC is that of
  //   the instruction at the PER address (4 here), which zhint stores.
  it.skipIf(skip)('Hercules: the whole program stops at check 10 (PER event of an SVC lost)', () => {
    const out = herculesRun([]);
    expect(out).toMatch(/PSW=00020000 00000000 0000000000000BAD/);
    expect(out).toMatch(/RD=000000000000000A/);
  }, 300_000);
  it.skipIf(skip)('Hercules: without check 10 it stops at check 12 (nullification ILC)', () => {
    const out = herculesRun([10]);
    expect(out).toMatch(/PSW=00020000 00000000 0000000000000BAD/);
    expect(out).toMatch(/RD=000000000000000C/);
  }, 300_000);
  it.skipIf(skip)('Hercules: without checks 10 and 12 every other check passes', () => {
    const out = herculesRun([10, 12]);
    expect(out).toMatch(/PSW=00020000 00000000 0000000000000FFF/);
  }, 300_000);
});
