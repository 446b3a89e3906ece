/**
 * programs/hinting-demo.s end to end: with CMMA the guest sees a discard
 * fault carrying the right absolute address and ends with the success PSW;
 * with --cmma=off the same program ends successfully too, and the host's
 * statistics show the page-outs hinting avoided.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, type MachineOptions } from '../../src/machine.js';
import { assemble } from '../../src/asm/index.js';
import { loadFile } from '../../src/loader/image.js';
import type { MachineEvent } from '../../src/events.js';

const SRC = join(__dirname, '../../programs/hinting-demo.s');
const ORIGIN = 0x10000;

function hasGnuAs(): boolean {
  try {
    execFileSync('s390x-linux-gnu-as', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The demo built with GNU as + ld (the oracle), as an ELF path in a temp dir. */
function gnuBuild(dir: string): string {
  execFileSync('s390x-linux-gnu-as', ['-o', join(dir, 'demo.o'), SRC]);
  execFileSync('s390x-linux-gnu-ld', ['-Ttext=0x10000', '-o', join(dir, 'demo.elf'), join(dir, 'demo.o')]);
  return join(dir, 'demo.elf');
}

const PRESSURE: MachineOptions = { guestMem: 1 << 20, hostMem: 64 * 1024 };

function runDemo(load: (m: Machine) => number, opts: MachineOptions) {
  const m = new Machine({ ...PRESSURE, ...opts });
  const entry = load(m);
  m.start(entry);
  const events: MachineEvent[] = [];
  m.events.on((e) => { if (e.kind === 'discard-fault' || e.kind === 'interrupt') events.push(e); });
  const r = m.run(5_000_000);
  return { m, r, stats: m.stats(), events };
}

describe('hinting: programs/hinting-demo.s', () => {
  const gnu = hasGnuAs();
  it.skipIf(!gnu)('GNU as build: discard fault with the right absolute address, success PSW; cmma=off shows the avoided page-outs (needs binutils-s390x-linux-gnu)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhint-demo-'));
    try {
      const elf = gnuBuild(dir);
      const load = (m: Machine) => loadFile(m.storage, elf).entry;
      const on = runDemo(load, {});
      expect(on.m.console).toBe('hinting-demo: CMMA on, hinting\nhinting-demo: ok\n');
      expect(on.r.exitCode).toBe(0);
      expect(on.stats.discardFaults).toBe(1);
      const df = on.events.find((e) => e.kind === 'discard-fault');
      expect(df).toMatchObject({ abs: 0x42000 });
      const intr = on.events.find((e) => e.kind === 'interrupt' && e.code === 0x1a);
      expect(intr).toMatchObject({ teid: 0x42000 });

      const off = runDemo(load, { cmma: false });
      expect(off.m.console).toBe('hinting-demo: CMMA off, no hints (baseline)\nhinting-demo: ok\n');
      expect(off.r.exitCode).toBe(0);
      expect(off.stats.discardFaults).toBe(0);
      expect(off.stats.essaTotal).toBe(0);
      expect(off.stats.discardsUnused + off.stats.discardsVolatile).toBe(0);

      // the point of hinting: far fewer host writes and reads
      console.log(`hinting-demo page-outs: CMMA on ${on.stats.pageOuts}, off ${off.stats.pageOuts}; ` +
        `page-ins: on ${on.stats.pageIns}, off ${off.stats.pageIns}; discards U ${on.stats.discardsUnused} V ${on.stats.discardsVolatile}`);
      expect(on.stats.pageOuts).toBeLessThan(off.stats.pageOuts / 2);
      expect(on.stats.pageIns).toBeLessThan(off.stats.pageIns);
      expect(on.stats.discardsUnused).toBeGreaterThan(0);
      expect(on.stats.discardsVolatile).toBeGreaterThanOrEqual(2);
      // the clock baseline with hints still avoids I/O for what it drops, but chooses worse
      const clock = runDemo(load, { reclaim: 'clock' });
      expect(clock.r.exitCode).toBe(0);
      expect(clock.stats.pageOuts).toBeGreaterThanOrEqual(on.stats.pageOuts);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('zhint assembler build: same bytes as GNU as (when available) and the same outcome', () => {
    const r = assemble(readFileSync(SRC, 'utf8'), { file: 'hinting-demo.s', origin: ORIGIN });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    if (gnu) {
      const dir = mkdtempSync(join(tmpdir(), 'zhint-demo-'));
      try {
        const elf = gnuBuild(dir);
        const m = new Machine(PRESSURE);
        loadFile(m.storage, elf);
        expect(Array.from(m.storage.peek(ORIGIN, r.image.length))).toEqual(Array.from(r.image));
      } finally {
        rmSync(dir, { recursive: true });
      }
    }
    const on = runDemo((m) => { m.load(r.origin, r.image); return r.entry; }, {});
    expect(on.r.exitCode).toBe(0);
    expect(on.stats.discardFaults).toBe(1);
  });
});
