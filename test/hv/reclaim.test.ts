/**
 * Host memory pressure (shared spec page-hinting.md §4): the state-aware
 * reclaim drops Ur, then Vr / clean Pr without I/O and pages out only stable
 * or changed frames; the clock baseline; O(1) amortized reclaim.
 */
import { describe, expect, it } from 'vitest';
import { Hypervisor, type HypervisorOptions } from '../../src/hv/hypervisor.js';
import { AbsoluteStorage, KEY_C, KEY_R } from '../../src/mm/storage.js';
import { EventBus, type MachineEvent } from '../../src/events.js';
import { ORC } from '../../src/hv/page-states.js';
import { parseSize } from '../../src/hv/size.js';
import { FrameQueue } from '../../src/hv/reclaim.js';

function host(g: number, h: number, opts: Partial<HypervisorOptions> = {}) {
  const events = new EventBus();
  const hv = new Hypervisor({ cmma: true, hostFrames: h, ...opts }, events);
  const st = new AbsoluteStorage(g * 4096, hv);
  hv.attach(st);
  return { hv, st, events };
}

/** Fill frames [from, to) with their number, one store per frame. */
function fill(st: AbsoluteStorage, from: number, to: number): void {
  for (let p = from; p < to; p++) st.write8(p * 4096 + 1, p);
}

describe('hypervisor: state-aware reclaim', () => {
  it('drops Ur first, then Vr, and pages out only when nothing is free to drop', () => {
    const { hv, st } = host(32, 8);
    fill(st, 2, 10); // 8 frames: the pool is full
    expect(hv.used).toBe(8);
    hv.performEssa(6, ORC.SET_VOLATILE);
    hv.performEssa(4, ORC.SET_UNUSED);
    st.read8(10 * 4096); // needs a frame
    expect(hv.stateOf(4)).toBe('Uz');
    expect(hv.stats()).toMatchObject({ discardsUnused: 1, discardsVolatile: 0, pageOuts: 0 });
    st.read8(11 * 4096);
    expect(hv.stateOf(6)).toBe('Vz');
    expect(hv.stats()).toMatchObject({ discardsUnused: 1, discardsVolatile: 1, pageOuts: 0 });
    st.read8(12 * 4096);
    expect(hv.stats().pageOuts).toBe(1);
    expect(hv.stats().census.Sp).toBe(1);
    expect(hv.used).toBe(8);
    // every stable frame still holds its data (paged out or not)
    for (const p of [2, 3, 5, 7, 8, 9]) expect(st.read8(p * 4096 + 1)).toBe(p);
    expect(hv.stats().pageIns).toBeGreaterThanOrEqual(1);
  });

  it('a discard clears the reference and change bits', () => {
    const { hv, st } = host(32, 4);
    fill(st, 2, 6);
    hv.performEssa(3, ORC.SET_VOLATILE);
    expect(st.keys[3] & (KEY_R | KEY_C)).toBe(KEY_R | KEY_C);
    st.read8(7 * 4096);
    expect(hv.stateOf(3)).toBe('Vz');
    expect(st.keys[3] & (KEY_R | KEY_C)).toBe(0);
  });

  it('a clean Pr is dropped (→ Vz), a changed Pr is paged out (→ Sp)', () => {
    const { hv, st } = host(32, 4);
    fill(st, 2, 6);
    hv.performEssa(2, ORC.SET_POT_VOLATILE);
    hv.performEssa(3, ORC.SET_POT_VOLATILE);
    st.keys[2] &= ~KEY_C; // clean: e.g. written back, RRBE/SSKE reset the change bit
    st.read8(6 * 4096);
    st.read8(7 * 4096);
    // 2 was free to drop; 3 is changed and only goes when the clock pages something out
    expect(hv.stateOf(2)).toBe('Vz');
    expect(hv.stats().discardsVolatile).toBe(1);
    for (let p = 8; p < 16; p++) st.read8(p * 4096);
    expect(hv.stateOf(3)).toBe('Sp');
    expect(st.read8(3 * 4096 + 1)).toBe(3);
  });

  it('the clock gives referenced frames a second chance', () => {
    const { hv, st } = host(32, 4, { reclaim: 'clock' });
    fill(st, 2, 6);
    st.read8(7 * 4096); // first lap clears all reference bits, takes the first slot's frame (2)
    expect(hv.stateOf(2)).toBe('Sp');
    st.read8(3 * 4096 + 1); // 3 referenced again
    st.read8(8 * 4096); // hand at 3 (referenced: second chance) → 4
    expect(hv.stateOf(3)).toBe('Sr');
    expect(hv.stateOf(4)).toBe('Sp');
  });

  it('clock policy ignores states for the choice but still drops (not pages out) a volatile victim', () => {
    const { hv, st } = host(32, 4, { reclaim: 'clock' });
    fill(st, 2, 6);
    hv.performEssa(5, ORC.SET_VOLATILE);
    st.read8(7 * 4096);
    expect(hv.stateOf(2)).toBe('Sp'); // the clock's pick, although 5 was free to drop
    expect(hv.stateOf(5)).toBe('Vr');
  });

  it('the prefix area is never reclaimed', () => {
    const { hv, st } = host(32, 4);
    fill(st, 0, 4);
    hv.performEssa(0, ORC.SET_UNUSED);
    hv.performEssa(1, ORC.SET_VOLATILE);
    for (let p = 4; p < 20; p++) st.read8(p * 4096);
    expect(hv.stateOf(0)).toBe('Ur');
    expect(hv.stateOf(1)).toBe('Vr');
  });

  it('emits page-out, page-in, discard and zero-fill events', () => {
    const { hv, st, events } = host(32, 4);
    const seen: MachineEvent[] = [];
    events.on((e) => seen.push(e));
    fill(st, 2, 6);
    hv.performEssa(5, ORC.SET_VOLATILE);
    st.read8(6 * 4096);
    st.read8(7 * 4096);
    st.read8(2 * 4096);
    const kinds = new Set(seen.map((e) => e.kind));
    for (const k of ['zero-fill', 'essa', 'discard', 'page-out', 'page-in']) expect(kinds.has(k as MachineEvent['kind'])).toBe(true);
    expect(seen.find((e) => e.kind === 'discard')).toMatchObject({ abs: 5 * 4096, state: 'Vr', usage: 'V' });
    expect(seen.find((e) => e.kind === 'essa')).toMatchObject({ abs: 5 * 4096, orc: 3, oldState: 'Sr', newState: 'Vr' });
  });

  it('rejects a pool smaller than 4 frames', () => {
    expect(() => host(32, 3)).toThrow(/too small/);
  });
});

describe('hypervisor: scale', () => {
  it('a 4 GiB guest under a 4 MiB host pool: 200,000 random accesses stay fast (reclaim is O(1) amortized)', () => {
    const { hv, st } = host(parseSize('4G') / 4096, parseSize('4M') / 4096, { unusedAccess: 'zero' });
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    const t0 = performance.now();
    // a hot set that fits, plus a cold stream that does not
    for (let k = 0; k < 200_000; k++) {
      const r = rnd();
      const pfn = (r & 3) === 0 ? 2 + ((r >>> 4) % 1_000_000) : 2 + ((r >>> 4) % 900);
      if ((r & 16) !== 0) st.write8(pfn * 4096 + 8, pfn & 0xff);
      else st.read8(pfn * 4096 + 8);
      if ((k & 1023) === 0) hv.performEssa(2 + ((r >>> 8) % 1_000_000), ORC.SET_UNUSED);
    }
    const ms = performance.now() - t0;
    expect(hv.used).toBe(1024);
    expect(ms).toBeLessThan(5000);
    const s = hv.stats();
    expect(Object.values(s.census).reduce((a, b) => a + b, 0)).toBe(1 << 20);
  });

  it('FrameQueue keeps FIFO order while growing', () => {
    const q = new FrameQueue(2);
    for (let k = 0; k < 5; k++) q.push(k);
    expect(q.shift()).toBe(0);
    for (let k = 5; k < 40; k++) q.push(k);
    const out: number[] = [];
    while (q.length > 0) out.push(q.shift());
    expect(out).toEqual(Array.from({ length: 39 }, (_, k) => k + 1));
  });

  it('parses sizes', () => {
    expect(parseSize('256K')).toBe(262144);
    expect(parseSize('16M')).toBe(16 << 20);
    expect(parseSize('4G')).toBe(2 ** 32);
    expect(parseSize('65536')).toBe(65536);
    expect(() => parseSize('12Q')).toThrow();
  });
});
