/**
 * The second tier under the guest kernel: page faults, discard faults,
 * clock-comparator ticks, host evictions and DIAGNOSE services arriving in
 * and between compiled blocks. With a low threshold (most of the kernel's
 * code compiled) the run must be the interpreter's, step for step: same
 * events at the same instruction counts, same final machine.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { PatternDisk } from '../../src/hv/disk.js';
import type { MachineEvent } from '../../src/events.js';
import { loadKernel, readResults, type KernelParams } from '../../src/demo/kernel.js';
import { machineDigest } from '../../src/snapshot/snapshot.js';
import { jitStats } from '../../src/cpu/jit.js';

const MiB = 1024 * 1024;
const PARAMS: KernelParams = {
  guestMem: 4 * MiB, fileBlocks: 384, writableBlocks: 64, passes: 2, anonPages: 32, mlockPages: 16, tick: 20_000,
};

function run(jit: boolean): { steps: number; exit: number; status: number; events: string[]; digest: string } {
  const m = new Machine({ guestMem: PARAMS.guestMem, hostMem: 1 * MiB, cmma: true, jit, disk: new PatternDisk(PARAMS.fileBlocks) });
  m.cpu.jitThreshold = jit ? 16 : Number.MAX_SAFE_INTEGER;
  const events: string[] = [];
  m.events.on((e: MachineEvent) => { events.push(`${m.cpu.steps} ${JSON.stringify(e)}`); });
  loadKernel(m, PARAMS);
  const r = m.run(100_000_000);
  return { steps: r.steps, exit: r.exitCode, status: readResults(m).status, events, digest: machineDigest(m) };
}

describe('second tier under the guest kernel', () => {
  it('compiled blocks change nothing: same events at the same steps, same final machine', () => {
    const off = run(false);
    const before = jitStats.compiled;
    const on = run(true);
    expect(jitStats.compiled - before).toBeGreaterThan(50); // most of the kernel's loops ran compiled
    expect(off.exit).toBe(0);
    expect(off.status).not.toBe(0);
    expect(on.steps).toBe(off.steps);
    expect(on.exit).toBe(off.exit);
    expect(on.events.length).toBe(off.events.length);
    for (let k = 0; k < off.events.length; k++) {
      if (on.events[k] !== off.events[k]) expect(`event ${k}: ${on.events[k]}`).toBe(`event ${k}: ${off.events[k]}`);
    }
    expect(on.digest).toBe(off.digest);
  }, 120_000);
});
