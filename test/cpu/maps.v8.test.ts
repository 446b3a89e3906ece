/**
 * V8 gives every object a map (its hidden class), which records how each
 * field is stored: a small integer, a double, a reference. The first time a
 * field gets a value its representation cannot hold (a heap number in a
 * small-integer field), V8 makes a new map and deoptimizes every function
 * optimized against the old one: the interpreter loop, the exec functions,
 * the compiled blocks. The Cpu and the Mmu are in every one of them, so
 * their maps must not change once the guest runs.
 *
 * Two causes found in the guest kernel: an instruction address computed as
 * `hi * 2^32 + lo` (a heap number in V8's unoptimized code even when small,
 * stored into `ia` and, through it, `fetchBase`), and the low half of a
 * 64-bit load ≥ 2^30 (the clock comparator, ~150,000 instructions in) in the
 * Mmu's `rlo`. This file runs in the vitest project 'v8' (vitest.config.ts),
 * with --allow-natives-syntax.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { assembleKernel } from '../../src/demo/kernel.js';
import { PEER_KERNEL, peerKernelImage } from '../../src/bench/extras.js';

// (the natives syntax only parses in code compiled at run time, not in this file)
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;

function peerKernel(): Machine {
  const m = new Machine({ guestMem: PEER_KERNEL.storageMiB << 20, cmma: false, jit: true });
  m.load(assembleKernel({ peer: true }).origin, peerKernelImage(2));
  m.start(PEER_KERNEL.entry);
  return m;
}

describe('V8 maps of the machine state', () => {
  it('the Cpu and the Mmu keep their maps while the guest kernel runs (PSW loads, branches through registers, clock comparator)', () => {
    const m = peerKernel();
    // a machine that does not run: it keeps the maps both had when made
    const probe = peerKernel();
    expect([haveSameMap(m.cpu, probe.cpu), haveSameMap(m.cpu.mem, probe.cpu.mem)]).toEqual([true, true]);
    m.run(400_000);
    expect(m.cpu.steps).toBe(400_000);
    expect({ cpu: haveSameMap(m.cpu, probe.cpu), mmu: haveSameMap(m.cpu.mem, probe.cpu.mem) }).toEqual({ cpu: true, mmu: true });
  });
});
