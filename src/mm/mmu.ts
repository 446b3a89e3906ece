/**
 * Logical-address access for the CPU: effective (logical) address → DAT (when
 * PSW bit 5 is on) → real address → prefixing → absolute address → storage.
 *
 * The fast path is a small direct-mapped TLB from logical page to absolute
 * frame. zhint's TLB also caches DAT-off translations (prefixing only); every
 * event that could change a translation purges it (PSW DAT/ASC change, CR
 * load, SPX, PTLB, IPTE). Entries remember whether stores may use them
 * (not page-protected, not a low-address-protected page).
 *
 * Storage-key protection is checked on the slow path; the fast path is used
 * only while the PSW key is 0 (as the guest kernel runs) and no PER
 * storage-alteration event is armed.
 */
import { AbsoluteStorage, be32, FRAME_SIZE, KEY_C, KEY_F, KEY_R } from './storage.js';
import { pgm, PIC, ProgramException } from '../cpu/exceptions.js';

/** ESOP protection-exception kind bits of the TEID: 56 low-address, 60 key-controlled, 61 DAT. */
const TEID_LAP = 0x80;
const TEID_KEY = 0x08;
const TEID_DAT_PROT = 0x04;

/**
 * TEID (PoP "Translation-Exception Identification") for an access exception
 * at `ea`: the page address, bits 52-53 the store (01) or fetch (10)
 * indication, a protection `kind` bit and the address-space control (bits 62-63).
 */
export function teid(ea: number, write: boolean, asc: number, kind: number): number {
  const page = ea < 4294967296 ? (ea & 0xfffff000) >>> 0 : ea - (ea % FRAME_SIZE);
  return page + (write ? 0x400 : 0x800) + kind + (asc & 3);
}

/** direct-mapped by the low bits of the page number; a multiple of 256 (IPTE purges by page index) */
export const TLB_SIZE = 1024;
/** translation contexts with a TLB of their own: real, primary, AR, secondary, home */
export const TLB_CONTEXTS = 5;

export const enum Access { FETCH = 0, READ = 1, WRITE = 2 }

/** Address-space control (PSW bits 16-17). */
export const enum Asc { PRIMARY = 0, AR = 1, SECONDARY = 2, HOME = 3 }

/**
 * What DAT needs from the CPU: translate a virtual address in the current
 * address space to a real address, or throw the translation exception.
 * Implemented in `dat.ts`.
 */
export interface Translator {
  /** returns the real address; throws ProgramException; sets `lastProtected` */
  translate(va: number, access: Access): number;
  /** whether the page of the last translation is page- or segment-protected */
  lastProtected: boolean;
  /** absolute address of the page-table entry the last translation used; -1 if none (real space, EDAT-1 large frame) */
  lastPte: number;
}

/** The TLB_SIZE-entry part of each translation context in one array. */
function contextParts<T extends Float64Array | Int32Array | Uint8Array>(all: T): T[] {
  return Array.from({ length: TLB_CONTEXTS }, (_, ctx) => all.subarray(ctx * TLB_SIZE, (ctx + 1) * TLB_SIZE) as T);
}

export class Mmu {
  readonly storage: AbsoluteStorage;
  // ---- mode, set by the CPU whenever the PSW or a control register changes ----
  dat = false;
  key = 0;
  /** 0xFFFFFF, 0x7FFFFFFF or 2^64-1 (represented as -1: no wrap) */
  amask = -1;
  prefix = 0;
  /** CR0 bit 35: low-address protection */
  lowAddressProtection = false;
  /** PER storage-alteration armed: every store takes the slow path */
  perStore = false;
  translator: Translator | null = null;
  /** PSW address-space control (0 primary, 1 AR, 2 secondary, 3 home) */
  asc = 0;
  /** CR0 bit 38: fetch-protection override (effective addresses 0-2047) */
  fetchProtOverride = false;
  /** CR0 bit 39: storage-protection override (ACC 9 open to every key) */
  storageProtOverride = false;
  /** set by the slow path: store happened (for PER storage alteration) */
  onStore: ((logical: number, len: number) => void) | null = null;

  // ---- TLB ----
  /**
   * One TLB per translation context — 0 real (DAT off), 1 + ASC with DAT on
   * (primary, AR, secondary, home) — so switching DAT on and off (every
   * interruption and return of a guest kernel) keeps the entries, as a real
   * TLB does; `tlbTag`/`tlbPfn`/`tlbWrite` view the current context's part.
   */
  readonly tlbTagAll = new Float64Array(TLB_SIZE * TLB_CONTEXTS);
  readonly tlbPfnAll = new Int32Array(TLB_SIZE * TLB_CONTEXTS);
  readonly tlbWriteAll = new Uint8Array(TLB_SIZE * TLB_CONTEXTS);
  /**
   * Absolute address of the page-table entry each entry was formed from
   * (-1: none, DAT off or no page table), so that IPTE purges exactly the
   * entries of the entry it invalidates (only the slow path reads it).
   */
  private readonly tlbPteAll = new Float64Array(TLB_SIZE * TLB_CONTEXTS);
  /** each context's part of the arrays, made once (a DAT switch at every interruption must not allocate) */
  private readonly tlbTagParts = contextParts(this.tlbTagAll);
  private readonly tlbPfnParts = contextParts(this.tlbPfnAll);
  private readonly tlbWriteParts = contextParts(this.tlbWriteAll);
  tlbTag = this.tlbTagParts[0];
  tlbPfn = this.tlbPfnParts[0];
  tlbWrite = this.tlbWriteParts[0];
  private tlbContext = 0;
  /** fast path allowed (key 0, no PER store) */
  fast = true;

  /**
   * Out-values of ld64 (avoids allocating a pair). Each holds a uint32, half
   * of which lie outside V8's small integers: -0 (0 to every reader) makes
   * them double fields from the start. Starting as small integers, the first
   * word ≥ 2^30 loaded (a clock comparator value, ~150,000 instructions into
   * the guest kernel) changed the Mmu's map mid-run, and every function
   * optimized against the old map was deoptimized.
   */
  rhi = -0;
  rlo = -0;

  constructor(storage: AbsoluteStorage) {
    this.storage = storage;
  }

  /** Purge every TLB entry of every context (PTLB, IPTE, CR and prefix changes). */
  purgeTlb(): void {
    this.tlbTagAll.fill(0);
    this.storage.newEpoch();
  }

  /**
   * Purge the entries of every context formed from the page-table entry at
   * absolute address `pte` (IPTE, PoP "INVALIDATE PAGE TABLE ENTRY": the
   * entries formed through the invalidated entry are cleared; others may
   * stay). Every such entry has the entry's page index `px` (virtual address
   * bits 44-51) and the TLB is direct-mapped by the low bits of the page
   * number, so only the slots with those low 8 bits can hold one. Dropping
   * every entry with that page index instead purged, for a guest kernel
   * taking page faults, three of its other pages' entries per IPTE.
   */
  purgeTlbPte(pte: number, px: number): void {
    const tags = this.tlbTagAll;
    const ptes = this.tlbPteAll;
    for (let k = px & 0xff; k < tags.length; k += 256) {
      if (ptes[k] === pte) tags[k] = 0;
    }
    this.storage.newEpoch();
  }

  /** Point the TLB views at the current translation context's entries. */
  private selectTlb(): void {
    const ctx = this.dat ? 1 + this.asc : 0;
    if (ctx === this.tlbContext) return;
    this.tlbContext = ctx;
    this.tlbTag = this.tlbTagParts[ctx];
    this.tlbPfn = this.tlbPfnParts[ctx];
    this.tlbWrite = this.tlbWriteParts[ctx];
  }

  setMode(dat: boolean, key: number, amode: 24 | 31 | 64, prefix: number, lap: boolean, perStore: boolean): void {
    // prefixing and low-address protection are part of every cached
    // translation; DAT on/off only selects another context
    const changed = prefix !== this.prefix || lap !== this.lowAddressProtection;
    this.dat = dat;
    this.key = key;
    this.amask = amode === 64 ? -1 : amode === 31 ? 0x7fffffff : 0xffffff;
    this.prefix = prefix;
    this.lowAddressProtection = lap;
    this.perStore = perStore;
    this.fast = key === 0 && !perStore;
    if (changed) this.purgeTlb();
    this.selectTlb();
  }

  /** Address-space control and the CR0 protection overrides (the CPU calls this with setMode). */
  setSpace(asc: number, fetchProtOverride: boolean, storageProtOverride: boolean): void {
    if (asc !== this.asc) {
      this.asc = asc;
      this.selectTlb();
    }
    this.fetchProtOverride = fetchProtOverride;
    this.storageProtOverride = storageProtOverride;
  }

  /** Apply prefixing: real → absolute (PoP "Prefixing"). */
  realToAbsolute(real: number): number {
    const p = this.prefix;
    if (real < 0x2000) return real + p;
    if (real >= p && real < p + 0x2000) return real - p;
    return real;
  }

  /** Wrap an address computed as ea + n to the addressing mode. */
  wrap(a: number): number {
    const m = this.amask;
    if (m === -1) return a >= 18446744073709551616 ? a - 18446744073709551616 : a;
    return (a & m) >>> 0;
  }

  /**
   * Slow path: logical → absolute for one access, with all checks, filling the
   * TLB. Returns the absolute address.
   */
  translate(ea: number, access: Access): number {
    const write = access === Access.WRITE;
    // Low-address protection (PoP "Low-Address Protection"): effective
    // addresses 0-511 and 4096-4607, for stores, whatever the DAT mode.
    if (write && this.lowAddressProtection && (ea < 512 || (ea >= 4096 && ea < 4608))) {
      throw new ProgramException(PIC.PROTECTION, teid(ea, true, this.dat ? this.asc : 0, TEID_LAP));
    }
    let real = ea;
    let prot = false;
    let pte = -1;
    if (this.dat) {
      const t = this.translator;
      if (t === null) pgm(PIC.TRANSLATION_SPECIFICATION);
      real = t.translate(ea, access);
      prot = t.lastProtected;
      pte = t.lastPte;
      if (write && prot) {
        // page or segment protection (PoP "DAT Protection"): TEID with the DAT-protection bit 61
        throw new ProgramException(PIC.PROTECTION, teid(ea, true, this.asc, TEID_DAT_PROT));
      }
    }
    const abs = this.realToAbsolute(real);
    const st = this.storage;
    if (abs >= st.size) pgm(PIC.ADDRESSING);
    const pfn = Math.floor(abs / FRAME_SIZE);
    if (this.key !== 0 && !this.keyAllows(this.key, st.keys[pfn], write, ea)) {
      throw new ProgramException(PIC.PROTECTION, teid(ea, write, this.dat ? this.asc : 0, TEID_KEY));
    }
    // Instructions of a secondary-space-mode program come from the primary
    // space (PoP "Address-Space Control"): such a translation must not be
    // found by the data accesses sharing the TLB.
    if (access === Access.FETCH && this.dat && this.asc === 2) return abs;
    // fill the TLB
    const vpn = Math.floor(ea / FRAME_SIZE);
    const slot = vpn & (TLB_SIZE - 1);
    this.tlbTag[slot] = vpn + 1;
    this.tlbPfn[slot] = pfn;
    this.tlbWrite[slot] = !prot && !(this.lowAddressProtection && (vpn === 0 || vpn === 1)) ? 1 : 0;
    this.tlbPteAll[this.tlbContext * TLB_SIZE + slot] = pte;
    return abs;
  }

  /**
   * Key-controlled protection (PoP "Key-Controlled Protection"): access key
   * 0 or equal to the ACC bits passes; a fetch passes when the fetch-protection
   * bit is off, or under the fetch-protection override for 0-2047; ACC 9
   * passes under the storage-protection override.
   */
  keyAllows(key: number, k: number, write: boolean, ea: number): boolean {
    if (key === 0 || (k >>> 4) === key) return true;
    if (!write && ((k & KEY_F) === 0 || (this.fetchProtOverride && ea < 2048))) return true;
    return this.storageProtOverride && (k >>> 4) === 9;
  }

  /**
   * A real-address access (LURA, STURA, TB, ...): low-address protection for
   * stores, prefixing, addressing, key-controlled protection. Returns the
   * absolute address; the frame is made resident.
   */
  translateReal(real: number, access: Access): number {
    const write = access === Access.WRITE;
    if (write && this.lowAddressProtection && (real < 512 || (real >= 4096 && real < 4608))) {
      throw new ProgramException(PIC.PROTECTION, teid(real, true, 0, TEID_LAP));
    }
    const abs = this.realToAbsolute(real);
    const st = this.storage;
    if (abs >= st.size) pgm(PIC.ADDRESSING);
    const pfn = Math.floor(abs / FRAME_SIZE);
    if (this.key !== 0 && !this.keyAllows(this.key, st.keys[pfn], write, real)) {
      throw new ProgramException(PIC.PROTECTION, teid(real, write, 0, TEID_KEY));
    }
    st.frame(pfn, write);
    return abs;
  }

  /**
   * The frame holding [ea, ea+len), which lies in one page: every check of the
   * access done (translation, protection, addressing, host residency, discard
   * fault) and the access recorded in the storage key (for a store, decoded
   * instructions it overlaps dropped). The operand is at `ea & 0xfff`. The
   * TLB serves when it may (the fast mode: PSW key 0, no PER
   * storage-alteration event; for a store, an entry that allows stores); the
   * loads and stores inlined by isa/sem.ts repeat exactly this fast path.
   */
  private frameFor(ea: number, len: number, write: boolean): Uint8Array {
    const st = this.storage;
    let pfn = this.tlbFrame(ea, write);
    let fr: Uint8Array;
    if (pfn >= 0) {
      fr = st.frames[pfn]!;
    } else {
      const abs = this.translate(ea, write ? Access.WRITE : Access.READ);
      pfn = Math.floor(abs / FRAME_SIZE);
      fr = st.frame(pfn, write);
    }
    if (write) st.noteStore(pfn, ea & 0xfff, len);
    else st.touch(pfn, false);
    return fr;
  }

  /**
   * The frame number the TLB holds for an instruction fetch at `ia`, or -1.
   * In the secondary-space and AR modes instructions still come from the
   * primary space (PoP "Address-Space Control"), which is not the current
   * context's: those fetches always translate.
   */
  tlbFetchFrame(ia: number): number {
    if (this.dat && (this.asc === Asc.SECONDARY || this.asc === Asc.AR)) return -1;
    return this.tlbFrame(ia, false);
  }

  /**
   * The frame number the TLB holds for `ea` when it may serve the access
   * (the fast mode; a store needs an entry that allows stores) and the frame
   * is resident, else -1. Every check of the access passed when the entry
   * was made.
   */
  private tlbFrame(ea: number, write: boolean): number {
    const vpn = ea > 0xffffffff ? Math.floor(ea / FRAME_SIZE) : ea >>> 12;
    const slot = vpn & (TLB_SIZE - 1);
    if (!this.fast || this.tlbTag[slot] !== vpn + 1 || (write && this.tlbWrite[slot] !== 1)) return -1;
    const pfn = this.tlbPfn[slot];
    return this.storage.frames[pfn] !== undefined ? pfn : -1;
  }

  // ---------------- loads ----------------

  ld8(ea: number): number {
    return this.frameFor(ea, 1, false)[ea & 0xfff];
  }

  ld16(ea: number): number {
    const off = ea & 0xfff;
    if (off > 0xffe) return (this.ld8(ea) << 8) | this.ld8(this.wrap(ea + 1));
    const fr = this.frameFor(ea, 2, false);
    return (fr[off] << 8) | fr[off + 1];
  }

  ld32(ea: number): number {
    const off = ea & 0xfff;
    if (off > 0xffc) return this.ldCross(ea, 4);
    const fr = this.frameFor(ea, 4, false);
    return be32(fr, off);
  }

  /** 64-bit load: result in `rhi`/`rlo`. */
  ld64(ea: number): void {
    const off = ea & 0xfff;
    if (off <= 0xff8) {
      const hi = this.ld32(ea);
      this.rlo = this.ld32(ea + 4);
      this.rhi = hi;
    } else {
      // crosses a page: both pages must be accessible before anything is used
      this.translate(ea, Access.READ);
      this.translate(this.wrap(ea + 8 - 1), Access.READ);
      const hi = this.ldCross(ea, 4);
      this.rlo = this.ldCross(this.wrap(ea + 4), 4);
      this.rhi = hi;
    }
  }

  private ldCross(ea: number, n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 256 + this.ld8(this.wrap(ea + k));
    return v;
  }

  // ---------------- stores ----------------

  // Stores report to `onStore` (PER storage alteration, per.ts) when it is
  // set; the TLB fast path is off then, so every store comes by here.

  st8(ea: number, v: number): void {
    this.frameFor(ea, 1, true)[ea & 0xfff] = v;
    if (this.onStore !== null) this.onStore(ea, 1);
  }

  st16(ea: number, v: number): void {
    const off = ea & 0xfff;
    if (off > 0xffe) {
      this.checkStore(ea, 2);
      this.st8(ea, (v >>> 8) & 0xff);
      this.st8(this.wrap(ea + 1), v & 0xff);
      return;
    }
    const fr = this.frameFor(ea, 2, true);
    fr[off] = v >>> 8;
    fr[off + 1] = v;
    if (this.onStore !== null) this.onStore(ea, 2);
  }

  st32(ea: number, v: number): void {
    const off = ea & 0xfff;
    if (off > 0xffc) {
      this.checkStore(ea, 4);
      for (let k = 0; k < 4; k++) this.st8(this.wrap(ea + k), (v >>> (24 - 8 * k)) & 0xff);
      return;
    }
    const fr = this.frameFor(ea, 4, true);
    fr[off] = v >>> 24;
    fr[off + 1] = v >>> 16;
    fr[off + 2] = v >>> 8;
    fr[off + 3] = v;
    if (this.onStore !== null) this.onStore(ea, 4);
  }

  st64(ea: number, hi: number, lo: number): void {
    if ((ea & 0xfff) > 0xff8) this.checkStore(ea, 8);
    this.st32(ea, hi);
    this.st32(this.wrap(ea + 4), lo);
  }

  /**
   * Make sure every byte of a store operand [ea, ea+len) is accessible before
   * any byte is changed (PoP: the exception suppresses or nullifies the whole
   * instruction). Probes the first and last byte of each page touched.
   */
  checkStore(ea: number, len: number): void {
    if (len <= 0 || this.tlbCovers(ea, len, true)) return;
    let a = ea;
    let left = len;
    while (left > 0) {
      this.translateResolve(a, Access.WRITE);
      const inPage = FRAME_SIZE - (a & 0xfff);
      if (inPage >= left) break;
      left -= inPage;
      a = this.wrap(a + inPage);
    }
  }

  /** Same as checkStore for operands that are only fetched. */
  checkFetch(ea: number, len: number): void {
    if (len <= 0 || this.tlbCovers(ea, len, false)) return;
    let a = ea;
    let left = len;
    while (left > 0) {
      this.translateResolve(a, Access.READ);
      const inPage = FRAME_SIZE - (a & 0xfff);
      if (inPage >= left) break;
      left -= inPage;
      a = this.wrap(a + inPage);
    }
  }

  /**
   * Whether [ea, ea+len) lies in one page the TLB may serve (tlbFrame): then
   * checkStore/checkFetch need not walk the tables again (TR checked its
   * operand that way on every execution).
   */
  private tlbCovers(ea: number, len: number, write: boolean): boolean {
    return (ea & 0xfff) + len <= FRAME_SIZE && this.tlbFrame(ea, write) >= 0;
  }

  /** offset of the operand in the frame returned by `span` */
  spanOff = 0;

  /**
   * Storage-to-storage fast path: when [ea, ea+len) lies in one page, do every
   * check of the access once (translation, protection, addressing, host
   * residency, discard fault), record it in the storage key (and drop
   * decoded code it overlaps, for stores) and return the frame, with the
   * operand at `spanOff`. Returns null when the operand crosses a page or a
   * PER storage-alteration event is armed: the caller then goes byte by byte.
   */
  span(ea: number, len: number, write: boolean): Uint8Array | null {
    const off = ea & 0xfff;
    if (off + len > FRAME_SIZE || (write && this.onStore !== null)) return null;
    this.spanOff = off;
    return this.frameFor(ea, len, write);
  }

  /** translate and make the frame resident (so discard faults and addressing are raised now) */
  translateResolve(ea: number, access: Access): number {
    const abs = this.translate(ea, access);
    this.storage.frame(Math.floor(abs / FRAME_SIZE), access === Access.WRITE);
    return abs;
  }

  /** Store bytes of a 64-bit value given as hi/lo of length n (1..8), right-aligned. */
  stBytes(ea: number, hi: number, lo: number, n: number): void {
    this.checkStore(ea, n);
    for (let k = 0; k < n; k++) {
      const bit = (n - 1 - k) * 8;
      const byte = bit >= 32 ? (hi >>> (bit - 32)) & 0xff : (lo >>> bit) & 0xff;
      this.st8(this.wrap(ea + k), byte);
    }
  }
}

export { KEY_R, KEY_C };
