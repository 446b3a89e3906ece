/**
 * Program-event recording (PoP chapter 4, "Program-Event Recording").
 *
 * PER is off for every normal run: the CPU's hot loop (`runSlice`) looks at
 * PSW bit 1 and the CR9 event masks once per slice and, only when both are
 * on, hands the slice to `runSlicePer` below. That loop interprets one
 * instruction at a time (no compiled blocks, src/cpu/jit.ts), recognizes the
 * events of the instruction and, when one is recognized, ends the instruction
 * with a program interruption whose code has bit 8 (0x80) on.
 *
 * Control registers (bits 32-63 are `crl[r]`):
 * - CR9 bit 32 successful branching, 33 instruction fetching, 34 storage
 *   alteration, 36 store using real address (with bit 34), 39
 *   instruction-fetching nullification, 40 branch-address control;
 * - CR10 / CR11: starting and ending address of the PER range, inclusive;
 *   when the start is above the end the range wraps around the top of storage.
 *
 * What the interruption stores (PoP "Identification of Cause"):
 * - 0x8E interruption code: 0x0080 alone, or 0x80 OR-ed into the code of an
 *   exception the same instruction recognized;
 * - 0x96 PER code: the event bits in the positions of their CR9 masks
 *   (0x80 branching, 0x40 instruction fetch, 0x20 storage alteration,
 *   0x08 store using real address, 0x01 instruction-fetching nullification);
 * - 0x97 ATMID: PSW bits 31, (validity) 1, 32, 5, 16, 17 and, for a storage
 *   alteration under DAT, the address-space indication (AI, from PSW bits
 *   16-17: zhint stores only to the space of the PSW);
 * - 0x98 PER address (8 bytes): the address of the instruction (of the
 *   EXECUTE when the event came from its target);
 * - 0xA1 PER access identification: 0 (zhint has no access-register mode).
 * The old PSW points where the instruction ended: after a completed
 * instruction the next one (the branch target for a successful branch); with a
 * concurrent exception where that exception leaves it.
 *
 * zhint's choices and limits (each a documented gap, not a silent one):
 * - instruction fetching: the event is recognized for the first byte of the
 *   instruction and of the target of EXECUTE. With CR9 bit 39 off the
 *   instruction then executes normally (the architected basic event); with
 *   bit 39 on it is nullified (PER code 0x41, old PSW = the instruction);
 * - successful branching: recognized when an instruction the table marks as a
 *   branch (`def.branch`, not LPSW/LPSWE, which load a PSW) replaces the
 *   updated instruction address. A taken branch whose target is exactly the
 *   next sequential instruction is indistinguishable here and is not
 *   recognized; a branch performed by the target of EXECUTE is not recognized;
 * - storage alteration: every store the MMU makes through a logical address
 *   (Mmu.onStore; the MMU turns its fast store paths off while this mask is
 *   armed, see Cpu.modeChanged) that touches a byte of the range. CR9 bit 42
 *   (storage-alteration space control) is ignored: every space counts.
 *   Stores by interruptions, DIAGNOSE and the hypervisor are not instruction
 *   stores and are not events; PFMF clears by real address and is not one;
 * - store using real address: with CR9 bits 34 and 36 both on, STURA and
 *   STURG are events (PER code 0x28) wherever they store: the range is not
 *   checked, as Hercules 3.13 and QEMU do (checked against Hercules in
 *   per.s); with bit 34 alone they are not events (they use no logical
 *   address);
 * - an early PSW exception (ILC 0: LPSW/LPSWE/SSM loading an invalid PSW) is
 *   reported without the PER bit.
 */
import type { Cpu } from './cpu.js';
import { PIC, ProgramException } from './exceptions.js';
import { LC } from './lowcore.js';
import { TWO32 } from './alu.js';

/** CR9 bit 32: successful-branching event mask */
export const CR9_BRANCH = 0x80000000;
/** CR9 bit 33: instruction-fetching event mask */
export const CR9_IFETCH = 0x40000000;
/** CR9 bit 34: storage-alteration event mask */
export const CR9_STORE = 0x20000000;
/** CR9 bit 36: store-using-real-address event mask (only together with bit 34) */
export const CR9_STORE_REAL = 0x08000000;
/** CR9 bit 39: instruction-fetching nullification */
export const CR9_IFETCH_NULLIFY = 0x01000000;
/** CR9 bit 40: branch-address control (branch events only for targets in the range) */
export const CR9_BRANCH_ADDRESS = 0x00800000;
/** the event masks zhint implements: PER runs only when one of them is on */
export const CR9_EVENTS = (CR9_BRANCH | CR9_IFETCH | CR9_STORE) >>> 0;

/** PER code bits (lowcore 0x96): the position of each event's CR9 mask */
export const PERC_BRANCH = 0x80;
export const PERC_IFETCH = 0x40;
export const PERC_STORE = 0x20;
export const PERC_STORE_REAL = 0x08;
export const PERC_NULLIFY = 0x01;

/** Whether the PER loop must run: PSW bit 1 and an implemented CR9 event mask. */
export function perActive(c: Cpu): boolean {
  return c.per && (c.crl[9] & CR9_EVENTS) !== 0;
}

/** Address in the PER range CR10..CR11 (PoP: inclusive; wraps when start > end). */
export function inPerRange(c: Cpu, a: number): boolean {
  const start = c.crh[10] * TWO32 + c.crl[10];
  const end = c.crh[11] * TWO32 + c.crl[11];
  return start <= end ? a >= start && a <= end : a >= start || a <= end;
}

/** State of the storage-alteration detector (module level: nothing allocated per slice). */
const sa = { cpu: null as Cpu | null, hit: false, space: 0 };

/** Mmu.onStore while storage alteration is armed: any stored byte in the range is the event. */
function onStore(logical: number, len: number): void {
  const c = sa.cpu!;
  if (sa.hit) return;
  for (let k = 0; k < len; k++) {
    if (inPerRange(c, c.wrap(logical + k))) {
      sa.hit = true;
      return;
    }
  }
}

/** ATMID (lowcore 0x97): PSW bits 31, validity, 32, 5, 16, 17, then the AI for a storage alteration under DAT. */
function atmid(c: Cpu, code: number): number {
  let v = 0x40;
  if (c.amode === 64) v |= 0x80;
  if (c.amode !== 24) v |= 0x20;
  if (c.dat) v |= 0x10;
  if ((c.asc & 2) !== 0) v |= 0x08;
  if ((c.asc & 1) !== 0) v |= 0x04;
  if ((code & PERC_STORE) !== 0 && c.dat) v |= c.asc & 3;
  return v;
}

/** Store the PER identification into the lowcore (the run loop stores code, ILC and old PSW). */
function storePerFields(c: Cpu, code: number, ia: number, mode: number): void {
  const st = c.storage;
  const lc = c.prefix;
  st.write8(lc + LC.PER_CODE, code);
  st.write8(lc + LC.PER_CODE + 1, mode);
  st.write32(lc + LC.PER_ADDRESS, Math.floor(ia / TWO32));
  st.write32(lc + LC.PER_ADDRESS + 4, ia >>> 0);
  st.write8(lc + LC.PER_ACCESS_ID, 0);
}

/**
 * The slice loop while PER is on: like the interpreter loop (interp.ts) without the second tier,
 * with event recognition around each instruction. Leaves when PER goes off
 * (PSW or CR9 change: those end the slice through `pendingCheck` anyway).
 */
export function runSlicePer(c: Cpu, end: number): void {
  c.pendingCheck = false;
  const mem = c.mem;
  sa.cpu = c;
  // the MMU reports stores only while the storage-alteration event is
  // enabled (CR9 bit 34; the store-using-real-address event needs it too):
  // with branch or fetch events alone a store is no event. A CR load ends
  // the slice, so the masks hold for all of it.
  mem.onStore = (c.crl[9] & CR9_STORE) !== 0 ? onStore : null;
  try {
    while (c.steps < end) {
      if (!perActive(c)) break;
      const masks = c.crl[9];
      const ins = c.fetch(); // an exception here: the instruction was not fetched, no event
      const ia = c.ia;
      let nia = ia + ins.len;
      if (c.amode !== 64) nia = c.wrap(nia);
      c.nia = nia;
      c.curLen = ins.len;
      const def = ins.def;
      let code = 0;
      // the ATMID describes the PSW the instruction ran under (an SVC or LPSW replaces it)
      const mode = atmid(c, (masks & CR9_STORE) !== 0 ? PERC_STORE : 0);
      if ((masks & CR9_IFETCH) !== 0) {
        if (inPerRange(c, ia)) code = PERC_IFETCH;
        else if (def?.executeTarget !== undefined) {
          // the target of EXECUTE is fetched too (PoP "Instruction Fetching")
          if (inPerRange(c, def.executeTarget(c, ins))) code = PERC_IFETCH;
        }
        if (code !== 0 && (masks & CR9_IFETCH_NULLIFY) !== 0) {
          // nullified: nothing executes, the old PSW points at the instruction
          c.nia = ia;
          storePerFields(c, PERC_IFETCH | PERC_NULLIFY, ia, mode & ~3);
          throw new ProgramException(PIC.PER_EVENT);
        }
      }
      sa.hit = false;
      try {
        ins.exec(c, ins);
      } catch (e) {
        // a concurrent exception: fetch and (for a partly done, terminated
        // instruction) storage alteration are indicated with it; a branch is not
        if (e instanceof ProgramException && !e.early) {
          if (sa.hit) code |= PERC_STORE;
          if (code !== 0) {
            storePerFields(c, code, ia, (code & PERC_STORE) !== 0 ? mode : mode & ~3);
            throw new ProgramException(e.code | PIC.PER_EVENT, e.teid);
          }
        }
        throw e;
      }
      if (def?.storesReal === true) {
        // a real-address store (misc.ts reports it through onStore too): only the
        // store-using-real-address event applies, with bits 34 and 36 both on
        sa.hit = false;
        if ((masks & (CR9_STORE | CR9_STORE_REAL)) === ((CR9_STORE | CR9_STORE_REAL) >>> 0)) code |= PERC_STORE | PERC_STORE_REAL;
      }
      if (sa.hit) code |= PERC_STORE;
      if ((masks & CR9_BRANCH) !== 0 && c.nia !== nia && def !== null && def.branch === true && def.family !== 'misc') {
        if ((masks & CR9_BRANCH_ADDRESS) === 0 || inPerRange(c, c.nia)) code |= PERC_BRANCH;
      }
      c.ia = c.nia;
      c.steps++;
      if (code !== 0) {
        // the instruction completed: the interruption's old PSW is the current one, at `nia`
        storePerFields(c, code, ia, (code & PERC_STORE) !== 0 ? mode : mode & ~3);
        throw new ProgramException(PIC.PER_EVENT);
      }
      if (c.pendingCheck) break; // a wait, a stop or a possibly enabled interruption (as in interp.ts)
    }
  } finally {
    mem.onStore = null;
    sa.cpu = null;
  }
}
