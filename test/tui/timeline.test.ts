/**
 * Reverse execution (src/snapshot): snapshots + deterministic replay give the
 * exact machine state of every earlier position, across program
 * interruptions, discard faults and hypervisor reclaim.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { PatternDisk } from '../../src/hv/disk.js';
import { loadKernel } from '../../src/demo/kernel.js';
import { Timeline, cmpPos, type Pos } from '../../src/snapshot/timeline.js';
import { machineDigest, restoreSnapshot, takeSnapshot } from '../../src/snapshot/snapshot.js';
import { readProgram, loadProgram } from '../../src/cli/program.js';

const PARAMS = { guestMem: 4 << 20, fileBlocks: 512, writableBlocks: 64, passes: 2, anonPages: 32, mlockPages: 16, tick: 20000, check: 1 };

function kernelMachine(): Machine {
  const m = new Machine({ guestMem: 4 << 20, hostMem: 1 << 20, disk: new PatternDisk(512) });
  loadKernel(m, PARAMS);
  // the debugger runs the interpreter (the second tier is off while onDecode is set): compare like with like
  m.cpu.jit = false;
  return m;
}

/** the step of the kernel's first discard fault (a fresh run) */
function firstDiscardFault(): number {
  const m = kernelMachine();
  let first = -1;
  const off = m.events.on((e) => { if (e.kind === 'discard-fault' && first < 0) first = e.step; });
  while (first < 0 && m.cpu.stopReason === null) m.cpu.run(10_000);
  off();
  return first;
}

describe('snapshot', () => {
  it('restore gives back the digest; the machine runs on identically', () => {
    const m = kernelMachine();
    m.cpu.run(50_000);
    const s = takeSnapshot(m);
    const d0 = machineDigest(m);
    m.cpu.run(30_000);
    const d1 = machineDigest(m);
    expect(d1).not.toBe(d0);
    restoreSnapshot(m, s);
    expect(machineDigest(m)).toBe(d0);
    m.cpu.run(30_000);
    expect(machineDigest(m)).toBe(d1);
  });
});

describe('timeline', () => {
  it('hello.s: step, reverse step, step again', () => {
    const m = new Machine();
    const p = readProgram('programs/hello.s');
    loadProgram(m.storage, p);
    m.start(p.entry);
    const tl = new Timeline(m);
    const ds = [machineDigest(m)];
    for (let k = 0; k < 4; k++) { expect(tl.tick().kind).toBe('done'); ds.push(machineDigest(m)); }
    expect(m.console).toContain('Hello');
    for (let k = 3; k >= 0; k--) { tl.reverseStep(); expect(machineDigest(m)).toBe(ds[k]); }
    expect(m.console).toBe('');
    expect(tl.reverseStep().kind).toBe('done');
    expect(tl.pos()).toEqual({ steps: 0, sub: 0 });
  });

  it('kernel: N reverse steps then N steps across a discard fault give identical states', () => {
    const fault = firstDiscardFault();
    expect(fault).toBeGreaterThan(0);
    const m = kernelMachine();
    const tl = new Timeline(m);
    const faults: number[] = [];
    m.events.on((e) => { if (e.kind === 'discard-fault') faults.push(e.step); });
    expect(tl.run(fault - 60, false).kind).toBe('done');
    const N = 120;
    const pos: Pos[] = [tl.pos()];
    const ds = [machineDigest(m)];
    for (let k = 0; k < N; k++) {
      expect(tl.tick().kind).toBe('done');
      pos.push(tl.pos());
      ds.push(machineDigest(m));
    }
    expect(faults).toContain(fault);
    // the fault is a boundary event: a position with sub > 0
    expect(pos.some((p) => p.sub > 0)).toBe(true);
    for (let k = N - 1; k >= 0; k--) {
      tl.reverseStep();
      expect(tl.pos()).toEqual(pos[k]);
      expect(machineDigest(m)).toBe(ds[k]);
    }
    for (let k = 1; k <= N; k++) {
      tl.tick();
      expect(tl.pos()).toEqual(pos[k]);
      expect(machineDigest(m)).toBe(ds[k]);
    }
  });

  it('kernel: 100,000 steps back equals a fresh run to that point', () => {
    const m = kernelMachine();
    const tl = new Timeline(m);
    expect(tl.run(260_000, false).kind).toBe('done');
    const end = tl.pos();
    const t0 = performance.now();
    tl.goto({ steps: end.steps - 100_000, sub: 0 });
    const ms = performance.now() - t0;
    const fresh = kernelMachine();
    fresh.cpu.run(end.steps - 100_000);
    expect(machineDigest(m)).toBe(machineDigest(fresh));
    expect(ms).toBeLessThan(5_000);
    // and forward again to the end
    tl.goto(end);
    fresh.cpu.run(100_000);
    expect(machineDigest(m)).toBe(machineDigest(fresh));
  });

  it('breakpoints stop the fast run; reverse continue finds the previous hit', () => {
    const m = kernelMachine();
    const tl = new Timeline(m);
    // find an address the kernel executes repeatedly: the instruction at step 100,000
    tl.run(100_000, false);
    const bp = m.cpu.ia;
    tl.goto({ steps: 0, sub: 0 });
    tl.setBreakpoint(bp, true);
    const hits: Pos[] = [];
    for (let k = 0; k < 3; k++) {
      const o = tl.run(1_000_000);
      expect(o).toEqual({ kind: 'break', ia: bp });
      hits.push(tl.pos());
    }
    expect(cmpPos(hits[0], hits[1])).toBeLessThan(0);
    const d2 = machineDigest(m);
    const r = tl.reverseContinue();
    expect(r.found).toBe(true);
    expect(tl.pos()).toEqual(hits[1]);
    expect(m.cpu.ia).toBe(bp);
    tl.reverseContinue();
    expect(tl.pos()).toEqual(hits[0]);
    expect(tl.run(1_000_000)).toEqual({ kind: 'break', ia: bp });
    expect(tl.pos()).toEqual(hits[1]);
    tl.run(1_000_000);
    expect(machineDigest(m)).toBe(d2);
    // the same position without breakpoints, by a fresh run, is the same state
    const fresh = kernelMachine();
    fresh.cpu.run(hits[2].steps);
    if (hits[2].sub === 0) expect(machineDigest(fresh)).toBe(d2);
  });
});
