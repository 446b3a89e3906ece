/**
 * The guest kernel of programs/kernel/ on the emulated hypervisor: data
 * intact with and without hinting, discard faults, the saving, and the page
 * states the memory manager promises, watched from the host side (ESSA and
 * discard-fault events, final page states against the kernel's frame table).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../src/machine.js';
import { PatternDisk } from '../../src/hv/disk.js';
import { gnuBinary, gnuKernel } from '../../src/bench/peers.js';
import type { MachineEvent } from '../../src/events.js';
import {
  assembleKernel, frameEntry, loadKernel, readResults, FT, KERNEL, type KernelParams, type KernelResults,
} from '../../src/demo/kernel.js';

const MiB = 1024 * 1024;
const PARAMS: KernelParams = {
  guestMem: 4 * MiB, fileBlocks: 384, writableBlocks: 64, passes: 2, anonPages: 32, mlockPages: 16, tick: 20_000,
};
const HOST = 1 * MiB;

interface Run { m: Machine; exit: number; res: KernelResults; events: MachineEvent[] }

function runKernel(cmma: boolean, params = PARAMS, host = HOST): Run {
  const m = new Machine({ guestMem: params.guestMem, hostMem: host, cmma, disk: new PatternDisk(params.fileBlocks) });
  const events: MachineEvent[] = [];
  m.events.on((e) => { if (e.kind !== 'console' && e.kind !== 'stop') events.push(e); });
  loadKernel(m, params);
  const r = m.run(100_000_000);
  return { m, exit: r.exitCode, res: readResults(m), events };
}

let on: Run;
let off: Run;
beforeAll(() => {
  on = runKernel(true);
  off = runKernel(false);
}, 300_000);

describe('kernel image', () => {
  it('assembles with zhint\'s assembler to the same bytes as GNU as', (ctx) => {
    const k = assembleKernel();
    expect(k.entry).toBe(0x4000);
    let gnu: Uint8Array;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'zhk-'));
      gnu = new Uint8Array(readFileSync(gnuBinary(dir, gnuKernel(dir, false))));
    } catch {
      ctx.skip('needs s390x-linux-gnu-as/ld/objcopy (Debian package binutils-s390x-linux-gnu)');
      return;
    }
    expect(k.image.length).toBe(gnu.length);
    expect(Buffer.from(k.image).equals(Buffer.from(gnu))).toBe(true);
  });
});

describe('kernel runs', () => {
  it('ends with the success PSW, data intact, with hinting', () => {
    expect(on.res.failCode).toBe(0);
    expect(on.exit).toBe(0);
    expect(on.res.status).toBe(1);
    expect(on.res.hinting).toBe(1);
    expect(on.res.checked).toBeGreaterThan(0); // the kernel's own page-state self-check ran
  });

  it('ends with the success PSW, data intact, with CMMA off (the kernel finds no ESSA and never hints)', () => {
    expect(off.res.failCode).toBe(0);
    expect(off.exit).toBe(0);
    expect(off.res.status).toBe(1);
    expect(off.res.hinting).toBe(0);
    expect(off.m.stats().essaTotal).toBe(0);
  });

  it('takes discard faults with hinting, each one handled by the kernel and followed by a re-read', () => {
    const s = on.m.stats();
    expect(s.discardFaults).toBeGreaterThan(0);
    expect(on.res.discardFaults).toBe(s.discardFaults);
    expect(on.res.reReads).toBeGreaterThanOrEqual(on.res.discardFaults);
    expect(on.res.drained).toBeGreaterThan(0);
    expect(off.m.stats().discardFaults).toBe(0);
  });

  it('pages out far less with hinting', () => {
    const a = on.m.stats(), b = off.m.stats();
    expect(b.pageOuts).toBeGreaterThan(500);
    // measured with these parameters: 0 page-outs with hinting against ~1,000 without
    expect(a.pageOuts * 10).toBeLessThan(b.pageOuts);
    expect(a.pageOuts + a.pageIns).toBeLessThan((b.pageOuts + b.pageIns) / 10);
  });
});

describe('page states seen from the host', () => {
  const essa = (r: Run) => r.events.filter((e): e is Extract<MachineEvent, { kind: 'essa' }> => e.kind === 'essa');
  const frames = (r: Run, flag: number): number[] => {
    const out: number[] = [];
    const n = PARAMS.guestMem / 4096;
    for (let pfn = KERNEL.FIRST_PFN; pfn < n; pfn++) if ((frameEntry(r.m, pfn).flags & flag) !== 0) out.push(pfn);
    return out;
  };

  it('mlocked frames never leave stable', () => {
    const ml = frames(on, FT.MLOCK);
    expect(ml.length).toBe(PARAMS.mlockPages);
    const set = new Set(ml);
    const allocated = new Set<number>();
    for (const e of essa(on)) {
      const pfn = Math.floor(e.abs / 4096);
      if (!set.has(pfn)) continue;
      if (e.orc === 1) allocated.add(pfn);
      else if (allocated.has(pfn)) expect(e.newState[0]).toBe('S');
    }
    expect(allocated.size).toBe(ml.length);
    for (const pfn of ml) expect(on.m.hv.stateOf(pfn)[0]).toBe('S');
  });

  it('frames with writable mappings are hinted potentially volatile, never volatile', () => {
    const wm = frames(on, FT.WMAP);
    expect(wm.length).toBeGreaterThan(0);
    const last = new Map<number, number>();
    // the last hint (ORC 0, get state, is the kernel's own final self-check)
    for (const e of essa(on)) if (e.orc !== 0) last.set(Math.floor(e.abs / 4096), e.orc);
    for (const pfn of wm) {
      expect(last.get(pfn)).toBe(4);
      // P, or what the host makes of P: Sp/Sr when changed, Vz when clean and dropped; never Vr
      expect(['Pr', 'Sr', 'Sp', 'Vz']).toContain(on.m.hv.stateOf(pfn));
    }
    // every set-potentially-volatile yields P (resident) or the host's S/Vz
    for (const e of essa(on)) if (e.orc === 4) expect(['Pr', 'Sp', 'Sr', 'Vz']).toContain(e.newState);
  });

  it('freed frames are U', () => {
    const free = frames(on, FT.FREE);
    expect(free.length).toBeGreaterThan(0);
    for (const pfn of free) expect(on.m.hv.stateOf(pfn)[0]).toBe('U');
    for (const e of essa(on)) if (e.orc === 2) expect(e.newState[0]).toBe('U');
  });

  it('no frame is handed out while it is on the discarded-page list; the list drains on a clock tick', () => {
    const listed = new Map<number, boolean>(); // pfn -> a tick has been taken since it was listed
    let viaFault = 0, viaLookup = 0, drained = 0;
    for (const e of on.events) {
      if (e.kind === 'discard-fault') { listed.set(Math.floor(e.abs / 4096), false); viaFault++; }
      else if (e.kind === 'essa' && e.orc === 6 && e.oldState === 'Vz') { listed.set(Math.floor(e.abs / 4096), false); viaLookup++; }
      else if (e.kind === 'interrupt' && e.class === 'external') for (const k of listed.keys()) listed.set(k, true);
      else if (e.kind === 'essa' && e.orc !== 0) {
        const pfn = Math.floor(e.abs / 4096);
        if (!listed.has(pfn)) continue;
        // the only way off the list: set unused, in a tick taken after the frame was listed
        expect(e.orc).toBe(2);
        expect(listed.get(pfn)).toBe(true);
        listed.delete(pfn);
        drained++;
      }
    }
    expect(viaFault).toBeGreaterThan(0);
    expect(viaLookup).toBeGreaterThan(0);
    expect(drained).toBe(on.res.drained);
  });
});
