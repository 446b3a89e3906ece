/**
 * Property test: seeded random guest loads, stores, ESSA operations and
 * change-bit resets against a small host pool, checked against a reference
 * model of what the guest may rely on (shared spec page-hinting.md §1-§4):
 * - no byte of a stable or changed potentially-volatile frame is ever lost;
 * - a volatile (or clean potentially-volatile) frame either keeps its data or
 *   reports a discard fault with its absolute address;
 * - an unused frame keeps its data or reports an addressing exception;
 * - the census, the pool and the counters add up after every operation.
 */
import { describe, expect, it } from 'vitest';
import { Hypervisor } from '../../src/hv/hypervisor.js';
import { AbsoluteStorage, KEY_C } from '../../src/mm/storage.js';
import { ProgramException, PIC } from '../../src/cpu/exceptions.js';
import { EventBus } from '../../src/events.js';
import { CENSUS_INDEX, PAIRS, contentOf, usageOf, C_PRESERVED, C_RESIDENT, C_ZERO, U_POT_VOLATILE, U_STABLE, U_UNUSED, U_VOLATILE } from '../../src/hv/page-states.js';
import type { ReclaimPolicy } from '../../src/hv/reclaim.js';

/** mulberry32: a small seeded PRNG */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fail(msg: string): never {
  throw new Error(msg);
}

const G = 24;
const H = 6;
const FIRST = 2; // frames 0-1 are the (pinned) prefix area
const OFFSETS = [0, 1, 7, 511, 2048, 4000, 4094, 4095];

interface Frame {
  usage: number;
  data: Uint8Array; // bytes at OFFSETS
  changed: boolean;
  /** P while changed at some point since the guest set it: the host may have made it stable (Sp) */
  mayBeStable: boolean;
}

function run(seed: number, ops: number, policy: ReclaimPolicy) {
  const hv = new Hypervisor({ cmma: true, hostFrames: H, reclaim: policy, facility147: true }, new EventBus());
  const st = new AbsoluteStorage(G * 4096, hv);
  hv.attach(st);
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const model: Frame[] = Array.from({ length: G }, () => ({ usage: U_STABLE, data: new Uint8Array(OFFSETS.length), changed: false, mayBeStable: false }));
  let faults = 0;
  let addressing = 0;
  let essas = 0;
  let dataChecks = 0;

  const lose = (f: Frame) => { f.data.fill(0); f.changed = false; };

  /** The guest learned the old state from ESSA: check it against what it may rely on. */
  function learn(pfn: number, old: number): void {
    const f = model[pfn];
    const u = usageOf(old);
    const c = contentOf(old);
    if (f.usage === U_POT_VOLATILE) {
      // the host may have turned a changed P into Sp, a clean P into Vz
      if (u === U_STABLE) { expect(c).not.toBe(C_ZERO); expect(f.mayBeStable).toBe(true); }
      else if (u === U_VOLATILE) { expect(c).toBe(C_ZERO); expect(f.changed).toBe(false); }
      else expect(u).toBe(U_POT_VOLATILE);
      f.usage = u;
    } else {
      expect(u).toBe(f.usage);
    }
    if (c === C_PRESERVED) expect(u).toBe(U_STABLE);
    if (c === C_ZERO) {
      if (u === U_STABLE) expect(Array.from(f.data).every((b) => b === 0)).toBe(true); // stable data never lost
      lose(f);
    }
  }

  function checkInvariants(): void {
    const census = new Array<number>(PAIRS.length).fill(0);
    let resident = 0;
    for (let p = 0; p < G; p++) {
      const s = hv.state[p];
      census[CENSUS_INDEX[s & 0x0f]]++;
      const isRes = contentOf(s) === C_RESIDENT;
      if ((st.frames[p] !== undefined) !== isRes) fail(`frame ${p}: backing does not match state ${hv.stateOf(p)}`);
      if (isRes) resident++;
    }
    const stats = hv.stats();
    PAIRS.forEach((p, k) => { if (census[k] !== stats.census[p]) fail(`census ${p}: ${stats.census[p]} counted, ${census[k]} present`); });
    if (resident !== hv.used || hv.used > H) fail(`pool: ${hv.used} used, ${resident} resident, ${H} host frames`);
    if (stats.census.Sp !== stats.pageOuts - stats.pageIns - stats.swapDrops) fail('Sp frames != page-outs - page-ins - swap drops');
    if (hv.used !== stats.zeroFills + stats.pageIns - stats.pageOuts - (stats.discardsUnused + stats.discardsVolatile - stats.swapDrops)) {
      fail('resident frames != zero fills + page-ins - page-outs - resident discards');
    }
    if (stats.discardFaults !== faults) fail('discard-fault counter');
    if (stats.essaTotal !== essas) fail('ESSA counter');
  }

  /** Every frame whose content is not z holds exactly the model's bytes (stable ones above all). */
  function checkData(): void {
    for (let p = FIRST; p < G; p++) {
      const s = hv.state[p];
      const f = model[p];
      if (contentOf(s) === C_ZERO) {
        // only U and V (including a dropped clean P) may lose data
        const u = usageOf(s);
        if (u === U_STABLE) expect(Array.from(f.data).every((b) => b === 0)).toBe(true);
        else expect(u === U_UNUSED || u === U_VOLATILE).toBe(true);
        if (u === U_VOLATILE && f.usage === U_POT_VOLATILE) expect(f.changed).toBe(false);
        continue;
      }
      const fr = hv.peekFrame(p);
      OFFSETS.forEach((o, k) => { if (fr[o] !== f.data[k]) fail(`frame ${p} (${hv.stateOf(p)}) byte ${o}: ${fr[o]}, model ${f.data[k]}`); });
      dataChecks++;
    }
  }

  for (let n = 0; n < ops; n++) {
    const pfn = FIRST + pick(G - FIRST);
    const f = model[pfn];
    const k = pick(OFFSETS.length);
    const abs = pfn * 4096 + OFFSETS[k];
    const r = rnd();
    try {
      if (r < 0.4) {
        const v = st.read8(abs);
        if (v !== f.data[k]) fail(`read frame ${pfn} (${hv.stateOf(pfn)}) byte ${OFFSETS[k]}: ${v}, model ${f.data[k]}`);
        // a P frame that survived stays P only if it was not dropped: usage model unchanged
      } else if (r < 0.7) {
        const v = 1 + pick(255);
        st.write8(abs, v);
        f.data[k] = v;
        f.changed = true;
      } else if (r < 0.97) {
        const orc = pick(8);
        const old = hv.performEssa(pfn, orc);
        essas++;
        learn(pfn, old);
        const oc = contentOf(old);
        switch (orc) {
          case 1: case 5: case 7: f.usage = U_STABLE; break;
          case 2: f.usage = U_UNUSED; if (oc === C_PRESERVED) lose(f); break;
          case 3: f.usage = U_VOLATILE; if (oc === C_PRESERVED) lose(f); break;
          case 4:
            if (oc === C_RESIDENT) f.usage = U_POT_VOLATILE;
            else if (oc === C_PRESERVED && f.changed) f.usage = U_STABLE;
            else { f.usage = U_VOLATILE; lose(f); }
            break;
          case 6: if (oc === C_RESIDENT) f.usage = U_STABLE; break;
        }
        expect(usageOf(hv.state[pfn])).toBe(f.usage);
        f.mayBeStable = false;
      } else {
        // the guest resets the change bit (as after writing the page back): P may now be dropped
        st.keys[pfn] &= ~KEY_C;
        f.changed = false;
      }
    } catch (e) {
      if (!(e instanceof ProgramException)) throw e;
      if (e.code === PIC.DISCARD_FAULT) {
        faults++;
        expect(e.teid).toBe(pfn * 4096);
        expect(hv.stateOf(pfn)).toBe('Vz');
        // only volatile or clean potentially-volatile frames are ever discarded
        expect(f.usage === U_VOLATILE || (f.usage === U_POT_VOLATILE && !f.changed)).toBe(true);
        f.usage = U_VOLATILE;
        lose(f);
      } else if (e.code === PIC.ADDRESSING) {
        addressing++;
        expect(f.usage).toBe(U_UNUSED);
        expect(hv.stateOf(pfn)).toBe('Uz');
        lose(f);
      } else {
        throw new Error(`unexpected program exception ${e.code}`);
      }
    }
    if (f.usage === U_POT_VOLATILE && f.changed) f.mayBeStable = true;
    checkInvariants();
    if (n % 16 === 0) checkData();
  }
  checkData();
  return { stats: hv.stats(), faults, addressing, dataChecks };
}

describe('hypervisor: property test against a reference model', () => {
  for (const [seed, policy] of [[1, 'state-aware'], [2, 'state-aware'], [3, 'clock'], [0xc0ffee, 'state-aware']] as const) {
    it(`seed ${seed}, ${policy}: 12,000 random accesses, stores and ESSA operations on ${G} frames backed by ${H}`, () => {
      const r = run(seed, 12_000, policy);
      // the run really exercised the host: all paths taken
      expect(r.stats.pageOuts).toBeGreaterThan(100);
      expect(r.stats.pageIns).toBeGreaterThan(100);
      expect(r.stats.discardsVolatile).toBeGreaterThan(50);
      expect(r.stats.discardsUnused).toBeGreaterThan(50);
      expect(r.faults).toBeGreaterThan(20);
      expect(r.addressing).toBeGreaterThan(10);
      expect(r.stats.swapDrops).toBeGreaterThan(10);
      expect(r.dataChecks).toBeGreaterThan(1000);
    });
  }
});
