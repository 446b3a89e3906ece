/**
 * Whole-machine snapshots for the debugger's reverse execution.
 *
 * A snapshot holds everything that decides what the machine does next: the
 * CPU (registers, control and access registers, PSW, timers, prefix, the
 * pending-check and program-interruption-chain state, the last decoded
 * instruction, whose length is the ILC of an instruction-fetch interruption),
 * the TLB, guest storage (frames and storage keys), the hypervisor (page
 * states, census, host pool slots, clock hand, reclaim queues, swap,
 * counters, console) and the disk's written blocks. Restoring one and running
 * forward re-executes deterministically: zhint has no source of
 * nondeterminism (timers count instructions).
 *
 * Storage is copied frame by frame, and a frame equal to the same frame of
 * the previous snapshot (`base`) shares that snapshot's copy, so a snapshot
 * costs the frames changed since the last one. Snapshot arrays are never
 * handed to the live machine: restoring copies them.
 */
import { createHash } from 'node:crypto';
import type { Machine } from '../machine.js';
import type { HostState } from '../hv/hypervisor.js';

/**
 * The CPU between two instructions. `curLen` (the ILC of the instruction
 * being executed) and `nia` (its updated PSW address) are not in it: they
 * mean something only while an instruction runs, and every reader sets them
 * first (interp.ts, jit.ts). Which instructions leave them behind depends on
 * the loop that ran them.
 */
interface CpuState {
  hi: Uint32Array; lo: Uint32Array; crh: Uint32Array; crl: Uint32Array; ar: Uint32Array;
  facilities: Uint8Array;
  per: boolean; dat: boolean; io: boolean; ext: boolean; key: number; mcheck: boolean; wait: boolean;
  problem: boolean; asc: number; cc: number; pm: number; amode: 24 | 31 | 64;
  ia: number; prefix: number;
  steps: number; idleUs: number; todEpochUs: number; ckcHi: number; ckcLo: number;
  cptUs: number; cptFrac: number; cptSetAt: number; restartPending: boolean;
  todHi: number; todLo: number;
  exLen: number;
  stopReason: Machine['cpu']['stopReason']; stopMessage: string;
  badPsw: Machine['cpu']['badPsw'];
  pendingCheck: boolean;
  run: { pgmChain: number };
  tlbTag: Float64Array; tlbPfn: Int32Array; tlbWrite: Uint8Array;
}

export interface MachineSnapshot {
  /** instructions executed (cpu.steps) when taken */
  readonly steps: number;
  readonly cpu: CpuState;
  /** per guest frame: a private copy of its resident content, or undefined when not resident */
  readonly frames: (Uint8Array | undefined)[];
  readonly keys: Uint8Array;
  readonly host: HostState;
  readonly hv: {
    state: Uint8Array; census: Float64Array; console: string;
    counters: Record<string, number>; essaByOrc: Float64Array;
  };
  readonly disk: unknown;
  /** bytes of storage this snapshot copied (not shared with its base) */
  readonly newBytes: number;
  /** whatever the debugger keeps alongside (event-log position, ...) */
  extra?: unknown;
  /** boundary events at `steps` before it was taken (the timeline's position; 0 when absent) */
  sub?: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Take a snapshot; frames equal to `base`'s copies (same frame number) are shared with it. */
export function takeSnapshot(m: Machine, base?: MachineSnapshot): MachineSnapshot {
  const c = m.cpu;
  const st = m.storage;
  const hv = m.hv;
  let newBytes = 0;
  // a frame paged in since `base` may equal base's swap copy; a frame paged out, base's resident copy
  const baseSwap = new Map(base?.host.swap ?? []);
  const keep = (pfn: number, live: Uint8Array): Uint8Array => {
    const old = base?.frames[pfn] ?? baseSwap.get(pfn);
    if (old !== undefined && sameBytes(old, live)) return old;
    newBytes += live.byteLength;
    return live.slice();
  };
  const frames = new Array<Uint8Array | undefined>(st.frameCount);
  for (let pfn = 0; pfn < st.frameCount; pfn++) {
    const fr = st.frames[pfn];
    if (fr !== undefined) frames[pfn] = keep(pfn, fr);
  }
  const host = hv.saveHostState();
  host.swap = host.swap.map(([pfn, fr]) => {
    const old = baseSwap.get(pfn) ?? base?.frames[pfn];
    if (old !== undefined && sameBytes(old, fr)) return [pfn, old];
    newBytes += fr.byteLength;
    return [pfn, fr.slice()];
  });
  const cpu: CpuState = {
    hi: c.hi.slice(), lo: c.lo.slice(), crh: c.crh.slice(), crl: c.crl.slice(), ar: c.ar.slice(),
    facilities: c.facilities.slice(),
    per: c.per, dat: c.dat, io: c.io, ext: c.ext, key: c.key, mcheck: c.mcheck, wait: c.wait,
    problem: c.problem, asc: c.asc, cc: c.cc, pm: c.pm, amode: c.amode,
    ia: c.ia, prefix: c.prefix,
    steps: c.steps, idleUs: c.idleUs, todEpochUs: c.todEpochUs, ckcHi: c.ckcHi, ckcLo: c.ckcLo,
    cptUs: c.cptUs, cptFrac: c.cptFrac, cptSetAt: c.cptSetAt, restartPending: c.restartPending,
    todHi: c.todHi, todLo: c.todLo,
    exLen: c.exLen,
    stopReason: c.stopReason, stopMessage: c.stopMessage,
    badPsw: c.badPsw === null ? null : { ...c.badPsw },
    pendingCheck: c.pendingCheck,
    run: c.saveRunState(),
    tlbTag: c.mem.tlbTagAll.slice(), tlbPfn: c.mem.tlbPfnAll.slice(), tlbWrite: c.mem.tlbWriteAll.slice(),
  };
  return {
    steps: c.steps,
    cpu,
    frames,
    keys: st.keys.slice(),
    host,
    hv: {
      state: hv.state.slice(), census: hv.census.slice(), console: hv.console,
      counters: { ...hv.counters }, essaByOrc: hv.essaByOrc.slice(),
    },
    disk: hv.disk.snapshot?.(),
    newBytes,
  };
}

/** Put the machine back in the state of `s`. */
export function restoreSnapshot(m: Machine, s: MachineSnapshot): void {
  const c = m.cpu;
  const st = m.storage;
  const hv = m.hv;
  const x = s.cpu;
  c.hi.set(x.hi); c.lo.set(x.lo); c.crh.set(x.crh); c.crl.set(x.crl); c.ar.set(x.ar);
  c.facilities.set(x.facilities);
  c.per = x.per; c.dat = x.dat; c.io = x.io; c.ext = x.ext; c.key = x.key; c.mcheck = x.mcheck; c.wait = x.wait;
  c.problem = x.problem; c.asc = x.asc; c.cc = x.cc; c.pm = x.pm; c.amode = x.amode;
  c.ia = x.ia; c.prefix = x.prefix;
  c.steps = x.steps; c.idleUs = x.idleUs; c.todEpochUs = x.todEpochUs; c.ckcHi = x.ckcHi; c.ckcLo = x.ckcLo;
  c.cptUs = x.cptUs; c.cptFrac = x.cptFrac; c.cptSetAt = x.cptSetAt; c.restartPending = x.restartPending;
  c.todHi = x.todHi; c.todLo = x.todLo;
  c.exLen = x.exLen;
  c.stopReason = x.stopReason; c.stopMessage = x.stopMessage;
  c.badPsw = x.badPsw === null ? null : { ...x.badPsw };
  // storage and host first: modeChanged below only looks at CPU state. The
  // live host frames (resident and in swap) go back to the slab allocator
  // first, so restoring again and again reuses them.
  for (const fr of st.frames) if (fr !== undefined) st.slabs.release(fr);
  for (const [, fr] of hv.swap.entries()) st.slabs.release(fr);
  for (let pfn = 0; pfn < st.frameCount; pfn++) {
    const fr = s.frames[pfn];
    st.frames[pfn] = fr === undefined ? undefined : st.slabs.copyOf(fr);
    st.code[pfn] = undefined;
  }
  st.keys.set(s.keys);
  st.newEpoch();
  hv.restoreHostState({ ...s.host, swap: s.host.swap.map(([pfn, fr]) => [pfn, st.slabs.copyOf(fr)]) });
  hv.state = s.hv.state.slice();
  hv.census.set(s.hv.census);
  hv.console = s.hv.console;
  Object.assign(hv.counters, s.hv.counters);
  hv.essaByOrc.set(s.hv.essaByOrc);
  if (s.disk !== undefined) hv.disk.restore?.(s.disk);
  c.modeChanged();
  c.mem.tlbTagAll.set(x.tlbTag); c.mem.tlbPfnAll.set(x.tlbPfn); c.mem.tlbWriteAll.set(x.tlbWrite);
  c.pendingCheck = x.pendingCheck;
  c.restoreRunState(x.run);
}

/**
 * A digest of the whole machine state (everything a snapshot holds, storage
 * as the guest would see it, swap included): equal digests = same machine.
 */
export function machineDigest(m: Machine): string {
  const s = takeSnapshot(m);
  const h = createHash('sha256');
  const { cpu, frames, host, hv, keys } = s;
  const { hi, lo, crh, crl, ar, facilities, tlbTag, tlbPfn, tlbWrite, run, ...scalars } = cpu;
  for (const a of [hi, lo, crh, crl, ar, facilities, tlbTag, tlbPfn, tlbWrite, keys, hv.state, hv.census, hv.essaByOrc]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(JSON.stringify(scalars));
  h.update(JSON.stringify({ run }));
  frames.forEach((fr, pfn) => { if (fr !== undefined) { h.update(`f${pfn}`); h.update(fr); } });
  const { swap, ...hs } = host;
  for (const [pfn, fr] of [...swap].sort((a, b) => a[0] - b[0])) { h.update(`s${pfn}`); h.update(fr); }
  h.update(JSON.stringify(hs, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v)));
  h.update(JSON.stringify({ console: hv.console, counters: hv.counters }));
  if (s.disk instanceof Map) for (const [n, b] of [...(s.disk as Map<number, Uint8Array>)].sort((a, b) => a[0] - b[0])) { h.update(`d${n}`); h.update(b); }
  return h.digest('hex');
}
