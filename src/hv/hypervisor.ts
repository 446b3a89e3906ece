/**
 * The emulated hypervisor (shared spec page-hinting.md §1-§4): it owns the
 * page state of every guest frame, backs guest absolute storage of G frames
 * with a pool of at most H host frames, reclaims (dropping what the guest's
 * hints say is free to drop, paging out the rest), pages in, zero fills,
 * raises discard faults, executes ESSA and serves DIAGNOSE.
 *
 * The hot path never enters here: the MMU reaches resident frames directly
 * (`storage.frames[pfn]`) and only calls `resolve` for a frame that holds no
 * host frame.
 */
import type { Cpu } from '../cpu/cpu.js';
import type { Insn } from '../cpu/isa/types.js';
import { pgm, PIC, ProgramException } from '../cpu/exceptions.js';
import { AbsoluteStorage, FRAME_SIZE, KEY_C, KEY_HOST_R, KEY_R, type FrameHost } from '../mm/storage.js';
import type { EventBus } from '../events.js';
import {
  CENSUS_INDEX, CONTENT_MASK, C_PRESERVED, C_RESIDENT, C_ZERO, INITIAL_STATE, NODAT, ORC, PAIRS,
  U_POT_VOLATILE, U_STABLE, U_UNUSED, U_VOLATILE, contentOf, makeState, pairName, usageOf,
} from './page-states.js';
import { HostSwap } from './host-swap.js';
import { FrameQueue, Q_UNUSED, Q_VOLATILE, type ReclaimPolicy } from './reclaim.js';
import { PatternDisk, type VirtualDisk } from './disk.js';
import type { HvStats } from './stats.js';
import { essaInstruction } from './essa.js';
import { diagnose } from './diagnose.js';

export type UnusedAccess = 'addressing' | 'zero';

/** The hypervisor's private bookkeeping, as saveHostState copies it (machine snapshots). */
export interface HostState {
  slotPfn: Int32Array; pfnSlot: Int32Array; freeSlots: Int32Array; freeTop: number; hand: number;
  queued: Uint8Array; unusedQ: number[]; volatileQ: number[]; swap: [number, Uint8Array][];
}

export interface HypervisorOptions {
  /** CMMA (ESSA) installed; off = the baseline machine without hinting */
  cmma: boolean;
  /** size of the host frame pool H (default: as many as guest frames, i.e. no pressure) */
  hostFrames?: number;
  /** what a guest access to a Uz frame gets (default 'addressing', the patch series' rule) */
  unusedAccess?: UnusedAccess;
  /** victim choice (default 'state-aware') */
  reclaim?: ReclaimPolicy;
  /** facility 147 (ESSA ORC 7, set stable no-DAT) installed */
  facility147?: boolean;
  /** the DIAGNOSE 0x250 disk (default: the generated pattern disk) */
  disk?: VirtualDisk;
}

/** zhint's DIAGNOSE function codes (docs/hypervisor-services.md). */
export const DIAG = {
  /** console output (modelled on z/VM DIAGNOSE X'008') */
  CONSOLE: 0x008,
  /** block I/O on the virtual disk (modelled on z/VM DIAGNOSE X'250') */
  BLOCK_IO: 0x250,
  /** host statistics query (modelled on z/VM DIAGNOSE X'2FC') */
  STATS: 0x2fc,
} as const;

/** What the hypervisor reads of the CPU: event stamps and the prefix area it pins. */
export interface CpuView {
  readonly steps: number;
  readonly ia: number;
  readonly prefix: number;
}

/** Spec §4: what the host may drop without I/O: U, V, and P with the change bit 0 (the rest it pages out). */
function dropsWithoutIo(s: number, key: number): boolean {
  const u = usageOf(s);
  return u === U_UNUSED || u === U_VOLATILE || (u === U_POT_VOLATILE && (key & KEY_C) === 0);
}

/** The candidate queue of a resident state under 'state-aware': Q_UNUSED (U), Q_VOLATILE (V, P), 0 (S). */
function queueClass(s: number): number {
  const u = usageOf(s);
  return u === U_UNUSED ? Q_UNUSED : u === U_VOLATILE || u === U_POT_VOLATILE ? Q_VOLATILE : 0;
}

/** The smallest host pool zhint accepts: the two pinned prefix frames plus room for an instruction's operands. */
export const MIN_HOST_FRAMES = 4;

export class Hypervisor implements FrameHost {
  console = '';
  /** set by the machine so events carry step numbers and the prefix area can be pinned */
  cpu: CpuView | null = null;
  readonly policy: ReclaimPolicy;
  readonly unusedAccess: UnusedAccess;
  readonly facility147: boolean;
  readonly disk: VirtualDisk;
  readonly swap = new HostSwap();

  // ---- attached storage and its tables ----
  private storageRef: AbsoluteStorage | null = null;
  guestFrames = 0;
  hostFrames = 0;
  /** per guest frame: the ESSA-layout state byte (see page-states.ts) */
  state = new Uint8Array(0);
  /** frames per state pair, indexed as PAIRS */
  readonly census = new Float64Array(PAIRS.length);
  /** host frame slot → guest pfn (-1 free); guest pfn → slot (-1 not resident) */
  private slotPfn = new Int32Array(0);
  private pfnSlot = new Int32Array(0);
  private freeSlots = new Int32Array(0);
  private freeTop = 0;
  /** host frames in use = resident guest frames (every slot not on the free stack) */
  get used(): number {
    return this.hostFrames - this.freeTop;
  }
  private hand = 0;
  /** per pfn: Q_UNUSED / Q_VOLATILE while it sits in that candidate queue */
  private queued = new Uint8Array(0);
  private readonly unusedQ = new FrameQueue();
  private readonly volatileQ = new FrameQueue();

  readonly counters = {
    pageOuts: 0, pageIns: 0, discardsUnused: 0, discardsVolatile: 0, swapDrops: 0,
    zeroFills: 0, discardFaults: 0, diskReads: 0, diskWrites: 0,
  };
  readonly essaByOrc = new Float64Array(8);

  constructor(readonly opts: HypervisorOptions, readonly events: EventBus) {
    this.policy = opts.reclaim ?? 'state-aware';
    this.unusedAccess = opts.unusedAccess ?? 'addressing';
    this.facility147 = opts.facility147 ?? false;
    this.disk = opts.disk ?? new PatternDisk();
  }

  get storage(): AbsoluteStorage {
    if (this.storageRef === null) throw new Error('hypervisor: no storage attached');
    return this.storageRef;
  }

  /**
   * Take charge of guest storage: every frame starts Sz (stable, never
   * touched). Frames already backed (loaded before attaching) become Sr.
   */
  attach(storage: AbsoluteStorage): void {
    const g = storage.frameCount;
    const h = Math.min(this.opts.hostFrames ?? g, g);
    if (h < Math.min(MIN_HOST_FRAMES, g)) {
      throw new RangeError(`host memory of ${h} frames is too small: at least ${MIN_HOST_FRAMES} frames (16K) are needed`);
    }
    this.storageRef = storage;
    storage.host = this;
    this.guestFrames = g;
    this.hostFrames = h;
    this.state = new Uint8Array(g).fill(INITIAL_STATE);
    this.census.fill(0);
    this.census[CENSUS_INDEX[INITIAL_STATE]] = g;
    this.slotPfn = new Int32Array(h).fill(-1);
    this.pfnSlot = new Int32Array(g).fill(-1);
    this.freeSlots = new Int32Array(h);
    for (let k = 0; k < h; k++) this.freeSlots[k] = h - 1 - k;
    this.freeTop = h;
    this.hand = 0;
    this.queued = new Uint8Array(g);
    this.unusedQ.clear();
    this.volatileQ.clear();
    this.swap.clear();
    for (let pfn = 0; pfn < g; pfn++) {
      const fr = storage.frames[pfn];
      if (fr === undefined) continue;
      if (this.freeTop === 0) {
        storage.unback(pfn); // more backed than the pool holds: forget it (zero)
        continue;
      }
      const slot = this.freeSlots[--this.freeTop];
      this.slotPfn[slot] = pfn;
      this.pfnSlot[pfn] = slot;
      this.setState(pfn, makeState(U_STABLE, C_RESIDENT));
    }
  }

  private get steps(): number {
    return this.cpu === null ? 0 : this.cpu.steps;
  }

  // ================= FrameHost: the guest touched a non-resident frame =================

  resolve(storage: AbsoluteStorage, pfn: number, _write: boolean): Uint8Array {
    // storage built with this host but never attached (attach is cheap to forget)
    if (storage !== this.storageRef) this.attach(storage);
    const s = this.state[pfn];
    const content = contentOf(s);
    if (content === C_ZERO && !this.isPinned(pfn)) {
      const usage = usageOf(s);
      if (usage === U_VOLATILE) this.discardFault(pfn);
      if (usage === U_UNUSED && this.unusedAccess === 'addressing') pgm(PIC.ADDRESSING);
    }
    // Sp: transparent page-in, one host read. Otherwise a fresh zero frame: Sz
    // (first touch), Uz under unused-access=zero, a Vz or Uz prefix frame (the
    // host pins the prefix area: the CPU stores interruption data there), or r
    // without a host frame (someone unbacked it behind the host's back).
    const pageIn = content === C_PRESERVED;
    const slot = this.allocSlot();
    const fr = (pageIn ? this.swap.take(pfn) : undefined) ?? storage.slabs.alloc();
    if (pageIn) this.counters.pageIns++;
    else this.counters.zeroFills++;
    this.install(slot, pfn, fr, (s & ~CONTENT_MASK) | C_RESIDENT);
    if (this.events.active) this.events.emit({ kind: pageIn ? 'page-in' : 'zero-fill', step: this.steps, abs: pfn * FRAME_SIZE });
    return fr;
  }

  /** Program interruption 0x1A, nullifying, TEID = the block's absolute address (spec §3). */
  private discardFault(pfn: number): never {
    this.counters.discardFaults++;
    const abs = pfn * FRAME_SIZE;
    if (this.events.active) {
      this.events.emit({ kind: 'discard-fault', step: this.steps, abs, ia: this.cpu === null ? 0 : this.cpu.ia });
    }
    throw new ProgramException(PIC.DISCARD_FAULT, abs);
  }

  /** The two frames of the current prefix area are never taken away (the CPU stores interruption data there). */
  isPinned(pfn: number): boolean {
    const p = this.cpu === null ? 0 : Math.floor(this.cpu.prefix / FRAME_SIZE);
    return pfn === p || pfn === p + 1;
  }

  // ================= the host frame pool =================

  /** A free host frame slot, reclaiming one when the pool is full. */
  private allocSlot(): number {
    if (this.freeTop > 0) return this.freeSlots[--this.freeTop];
    return this.reclaim();
  }

  private install(slot: number, pfn: number, fr: Uint8Array, ns: number): void {
    const st = this.storage;
    this.slotPfn[slot] = pfn;
    this.pfnSlot[pfn] = slot;
    st.frames[pfn] = fr;
    // just brought in: counts as referenced, so it survives the next pass of the hand
    st.keys[pfn] |= KEY_HOST_R;
    this.setState(pfn, ns);
  }

  /** Change a frame's state, keeping the census and the candidate queues. */
  private setState(pfn: number, ns: number): void {
    const old = this.state[pfn];
    this.census[CENSUS_INDEX[old & 0x0f]]--;
    this.census[CENSUS_INDEX[ns & 0x0f]]++;
    this.state[pfn] = ns;
    if (this.policy !== 'state-aware' || contentOf(ns) !== C_RESIDENT) return;
    const flag = queueClass(ns);
    if (flag === 0 || (this.queued[pfn] & flag) !== 0) return;
    this.queued[pfn] |= flag;
    (flag === Q_UNUSED ? this.unusedQ : this.volatileQ).push(pfn);
  }

  /** Free one host frame: choose a victim by policy, drop or page it out. Returns its slot. */
  private reclaim(): number {
    let pfn = -1;
    if (this.policy === 'state-aware') {
      pfn = this.fromQueue(this.unusedQ, Q_UNUSED);
      if (pfn < 0) pfn = this.fromQueue(this.volatileQ, Q_VOLATILE);
    }
    if (pfn < 0) pfn = this.clockVictim();
    return this.evict(pfn);
  }

  /**
   * One second-chance pass over a candidate queue: stale entries leave, a
   * referenced frame has its host reference bit cleared and goes to the back,
   * the first unreferenced one is the victim. -1 when the pass finds none.
   */
  private fromQueue(q: FrameQueue, flag: number): number {
    const st = this.storage;
    const keys = st.keys;
    let n = q.length;
    let cleared = false;
    let victim = -1;
    while (n-- > 0) {
      const pfn = q.shift();
      const s = this.state[pfn];
      // still resident, of this class and droppable (a P frame may have been changed since)
      if (contentOf(s) !== C_RESIDENT || queueClass(s) !== flag || !dropsWithoutIo(s, keys[pfn])) {
        this.queued[pfn] &= ~flag;
        continue;
      }
      if (this.isPinned(pfn)) { q.push(pfn); continue; }
      if ((keys[pfn] & KEY_HOST_R) !== 0) {
        keys[pfn] &= ~KEY_HOST_R;
        cleared = true;
        q.push(pfn);
        continue;
      }
      this.queued[pfn] &= ~flag;
      victim = pfn;
      break;
    }
    // the CPU caches its current code page without touching keys: make it touch again
    if (cleared) st.newEpoch();
    return victim;
  }

  /** The clock: at most two laps over the host frames (the first clears every reference bit). */
  private clockVictim(): number {
    const st = this.storage;
    const keys = st.keys;
    const h = this.hostFrames;
    let cleared = false;
    let victim = -1;
    for (let k = 0; k <= 2 * h; k++) {
      const slot = this.hand;
      this.hand = slot + 1 === h ? 0 : slot + 1;
      const pfn = this.slotPfn[slot];
      if (pfn < 0 || this.isPinned(pfn)) continue;
      if ((keys[pfn] & KEY_HOST_R) !== 0) {
        keys[pfn] &= ~KEY_HOST_R;
        cleared = true;
        continue;
      }
      victim = pfn;
      break;
    }
    if (cleared) st.newEpoch();
    if (victim < 0) throw new Error('hypervisor: no host frame can be reclaimed (pool too small)');
    return victim;
  }

  /**
   * Take the host frame away from resident frame `pfn` (spec §4): Ur → Uz,
   * Vr and clean Pr → Vz (no I/O; reference and change bits become 0);
   * Sr and changed Pr → Sp (one host write). Returns the freed slot.
   */
  private evict(pfn: number): number {
    const st = this.storage;
    const fr = st.frames[pfn]!;
    const s = this.state[pfn];
    const u = usageOf(s);
    const nodat = s & NODAT;
    const slot = this.release(pfn);
    if (dropsWithoutIo(s, st.keys[pfn])) {
      st.slabs.release(fr);
      this.discard(pfn, makeState(u === U_UNUSED ? U_UNUSED : U_VOLATILE, C_ZERO) | nodat, u === U_UNUSED ? 'U' : u === U_VOLATILE ? 'V' : 'P');
    } else {
      this.swap.put(pfn, fr);
      this.setState(pfn, makeState(U_STABLE, C_PRESERVED) | nodat);
      st.keys[pfn] &= ~KEY_HOST_R;
      this.counters.pageOuts++;
      if (this.events.active) this.events.emit({ kind: 'page-out', step: this.steps, abs: pfn * FRAME_SIZE, state: pairName(s) });
    }
    return slot;
  }

  /** Unback resident frame `pfn` and free its entry in the slot tables; returns the slot (not yet free). */
  private release(pfn: number): number {
    const slot = this.pfnSlot[pfn];
    this.storage.unback(pfn);
    this.slotPfn[slot] = -1;
    this.pfnSlot[pfn] = -1;
    return slot;
  }

  /**
   * A drop without I/O (by reclaim, or by ESSA on a preserved frame): the frame
   * becomes `ns` (Uz or Vz) with reference and change bits 0; `usage` is the
   * hint that allowed it.
   */
  private discard(pfn: number, ns: number, usage: 'U' | 'V' | 'P'): void {
    const old = this.state[pfn];
    this.setState(pfn, ns);
    this.storage.keys[pfn] &= ~(KEY_R | KEY_C | KEY_HOST_R);
    if (usage === 'U') this.counters.discardsUnused++;
    else this.counters.discardsVolatile++;
    if (this.events.active) this.events.emit({ kind: 'discard', step: this.steps, abs: pfn * FRAME_SIZE, state: pairName(old), usage });
  }

  /** Forget the swap copy of `pfn`, if any: its host frame goes back to the slabs. */
  private dropSwapCopy(pfn: number): void {
    const fr = this.swap.drop(pfn);
    if (fr !== undefined) this.storage.slabs.release(fr);
  }

  /** ESSA dropped the preserved copy of an Sp frame (set unused / volatile / clean P). */
  private dropPreserved(pfn: number, ns: number, usage: 'U' | 'V' | 'P'): void {
    this.dropSwapCopy(pfn);
    this.counters.swapDrops++;
    this.discard(pfn, ns, usage);
  }

  // ================= ESSA =================

  /**
   * The state change of ESSA with operation request code `orc` on frame `pfn`
   * (spec §2 table); returns the old state byte, as ESSA puts it in R1.
   * Exceptions are the instruction's business (essa.ts).
   */
  performEssa(pfn: number, orc: number): number {
    const old = this.state[pfn];
    const c = contentOf(old);
    const nodat = old & NODAT;
    const st = this.storage;
    switch (orc) {
      case ORC.GET_STATE:
        break;
      case ORC.SET_STABLE:
        this.setState(pfn, makeState(U_STABLE, c));
        break;
      case ORC.SET_UNUSED:
        if (c === C_PRESERVED) this.dropPreserved(pfn, makeState(U_UNUSED, C_ZERO) | nodat, 'U');
        else this.setState(pfn, makeState(U_UNUSED, c) | nodat);
        // a frame the guest just freed is cold for the host's reclaim
        if (c === C_RESIDENT) st.keys[pfn] &= ~KEY_HOST_R;
        break;
      case ORC.SET_VOLATILE:
        if (c === C_PRESERVED) this.dropPreserved(pfn, makeState(U_VOLATILE, C_ZERO) | nodat, 'V');
        else this.setState(pfn, makeState(U_VOLATILE, c) | nodat);
        break;
      case ORC.SET_POT_VOLATILE:
        if (c === C_RESIDENT) this.setState(pfn, makeState(U_POT_VOLATILE, C_RESIDENT) | nodat);
        else if (c === C_PRESERVED) {
          // the change bit protects data the host holds in swap
          if ((st.keys[pfn] & KEY_C) !== 0) this.setState(pfn, makeState(U_STABLE, C_PRESERVED) | nodat);
          else this.dropPreserved(pfn, makeState(U_VOLATILE, C_ZERO) | nodat, 'P');
        } else this.setState(pfn, makeState(U_VOLATILE, C_ZERO) | nodat);
        break;
      case ORC.SET_STABLE_RESIDENT:
        this.setState(pfn, makeState(U_STABLE, c) | nodat);
        if (c !== C_RESIDENT) this.resolve(st, pfn, false); // Sp → page-in, Sz → zero fill
        break;
      case ORC.SET_STABLE_IF_RESIDENT:
        if (c === C_RESIDENT) this.setState(pfn, makeState(U_STABLE, C_RESIDENT) | nodat);
        break;
      case ORC.SET_STABLE_NODAT:
        this.setState(pfn, makeState(U_STABLE, c) | NODAT);
        break;
      default:
        throw new RangeError(`ESSA ORC ${orc}`);
    }
    this.essaByOrc[orc]++;
    if (this.events.active) {
      this.events.emit({ kind: 'essa', step: this.steps, abs: pfn * FRAME_SIZE, orc, oldState: pairName(old), newState: pairName(this.state[pfn]) });
    }
    return old;
  }

  /** The ESSA instruction (cpu.hooks.essa). */
  essa(cpu: Cpu, i: Insn): void {
    essaInstruction(this, cpu, i);
  }

  /** DIAGNOSE services (cpu.hooks.diagnose). */
  diagnose(cpu: Cpu, i: Insn): void {
    diagnose(this, cpu, i);
  }

  // ================= inspection (debugger, CLI, tests) =================

  /** 'Sr', 'Vz', ... of frame `pfn`. */
  stateOf(pfn: number): string {
    return pairName(this.state[pfn]);
  }

  /** The no-DAT bit of frame `pfn`. */
  nodatOf(pfn: number): boolean {
    return (this.state[pfn] & NODAT) !== 0;
  }

  /**
   * The guest-visible content of a frame without touching it: resident → its
   * storage, Sp → the host's swap copy, z → zeros. A copy.
   */
  peekFrame(pfn: number): Uint8Array {
    const fr = this.storage.frames[pfn] ?? this.swap.peek(pfn);
    return fr === undefined ? new Uint8Array(FRAME_SIZE) : fr.slice();
  }

  /** Bytes at an absolute address as peekFrame shows them (paged-out content included). */
  peek(abs: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    const st = this.storage;
    for (let k = 0; k < len; k++) {
      const a = abs + k;
      if (a >= st.size) break;
      const pfn = Math.floor(a / FRAME_SIZE);
      const fr = st.frames[pfn] ?? this.swap.peek(pfn);
      if (fr !== undefined) out[k] = fr[a % FRAME_SIZE];
    }
    return out;
  }

  /** Put frame `pfn` in state `s` directly (tests and the debugger; not reachable by the guest). */
  forceState(pfn: number, s: number): void {
    const c = contentOf(s);
    const st = this.storage;
    const resident = this.pfnSlot[pfn] >= 0;
    if (c === C_RESIDENT && !resident) {
      this.setState(pfn, makeState(U_STABLE, C_ZERO));
      this.dropSwapCopy(pfn);
      this.resolve(st, pfn, false);
    } else if (c !== C_RESIDENT && resident) {
      const fr = st.frames[pfn]!;
      this.freeSlots[this.freeTop++] = this.release(pfn);
      if (c === C_PRESERVED) this.swap.put(pfn, fr);
      else st.slabs.release(fr);
    } else if (c === C_PRESERVED && this.swap.peek(pfn) === undefined) {
      this.swap.put(pfn, st.slabs.alloc());
    }
    if (c === C_ZERO) this.dropSwapCopy(pfn);
    this.setState(pfn, s);
  }

  /**
   * The host's private bookkeeping (pool slots, clock hand, candidate queues,
   * swap), copied, for machine snapshots (src/snapshot). Swap frames are the
   * live arrays: the caller copies what it keeps.
   */
  saveHostState(): HostState {
    return {
      slotPfn: this.slotPfn.slice(), pfnSlot: this.pfnSlot.slice(), freeSlots: this.freeSlots.slice(),
      freeTop: this.freeTop, hand: this.hand, queued: this.queued.slice(),
      unusedQ: this.unusedQ.toArray(), volatileQ: this.volatileQ.toArray(), swap: this.swap.entries(),
    };
  }

  /** Put back what saveHostState returned (its arrays are copied; swap frames are taken over). */
  restoreHostState(h: HostState): void {
    this.slotPfn = h.slotPfn.slice(); this.pfnSlot = h.pfnSlot.slice(); this.freeSlots = h.freeSlots.slice();
    this.freeTop = h.freeTop; this.hand = h.hand; this.queued = h.queued.slice();
    this.unusedQ.load(h.unusedQ); this.volatileQ.load(h.volatileQ);
    this.swap.restore(h.swap);
  }

  /** A plain JSON-able snapshot of the host statistics. */
  stats(): HvStats {
    const census = {} as Record<(typeof PAIRS)[number], number>;
    PAIRS.forEach((p, k) => { census[p] = this.census[k]; });
    const essaByOrc = Array.from(this.essaByOrc);
    const c = this.counters;
    return {
      cmma: this.opts.cmma,
      reclaimPolicy: this.policy,
      unusedAccess: this.unusedAccess,
      guestFrames: this.guestFrames,
      hostFrames: this.hostFrames,
      hostFramesUsed: this.used,
      pageOuts: c.pageOuts,
      pageIns: c.pageIns,
      discardsUnused: c.discardsUnused,
      discardsVolatile: c.discardsVolatile,
      swapDrops: c.swapDrops,
      zeroFills: c.zeroFills,
      discardFaults: c.discardFaults,
      essaByOrc,
      essaTotal: essaByOrc.reduce((a, b) => a + b, 0),
      census,
      diskReads: c.diskReads,
      diskWrites: c.diskWrites,
    };
  }
}
