/**
 * Dynamic address translation (PoP chapter 3, "Dynamic Address Translation"):
 * the pure table walk from a virtual address to a real address, for the
 * address space selected by the PSW's address-space control. The MMU calls it
 * on a TLB miss; LRA, TPROT and the debugger call `walk` directly.
 *
 * Tables are fetched from absolute storage (machine.md "DAT"). Layouts
 * (64-bit entries, bit 0 = MSB; values below are masks on the low word):
 *   ASCE:   origin bits 0-51, P 0x100 (private), R 0x20 (real space),
 *           DT 0x0C (11 region-first, 10 region-second, 01 region-third,
 *           00 segment), TL 0x03 (table length in 4 KB units - 1)
 *   region-table entry: origin bits 0-51, P 0x200 (EDAT-1), TF 0xC0, I 0x20,
 *           TT 0x0C (must equal the level), TL 0x03
 *   segment-table entry: page-table origin bits 0-52 (2 KB aligned), FC 0x400
 *           (EDAT-1 large frame, CR0 bit 40), P 0x200, I 0x20, TT 0x0C = 00
 *   page-table entry: frame bits 0-51, bit 52 (0x800) must be 0, I 0x400, P 0x200
 * Order of checks per level follows the PoP: length (TF/TL) of the index,
 * then the entry's I bit, then its table type.
 */
import { AbsoluteStorage, be32, FRAME_SIZE } from './storage.js';
import { Access, Asc, teid, type Translator } from './mmu.js';
import { PIC, ProgramException } from '../cpu/exceptions.js';

/** What DAT reads from the CPU: control registers and the PSW's ASC. */
export interface DatContext {
  readonly crh: Uint32Array;
  readonly crl: Uint32Array;
  asc: number;
}

const P31 = 2147483648;
const P32 = 4294967296;
const P42 = 4398046511104;
const P53 = 9007199254740992;

export class Dat implements Translator {
  lastProtected = false;
  lastPte = -1;
  // ---- result of the last `walk` that failed ----
  /** program-interruption code */
  failCode = 0;
  /** the failure was an entry's invalid bit (LRA cc 1/2) */
  failInvalid = false;
  /** absolute address of the invalid entry */
  failEntry = 0;
  /** level of the invalid entry: 'segment-or-region' (LRA cc 1) or 'page' (cc 2) */
  failIsPage = false;

  constructor(private readonly ctx: DatContext, private readonly storage: AbsoluteStorage) {}

  /** The ASC actually used for an access: instructions come from the primary space unless in home mode (PoP "Address-Space Control"). */
  spaceFor(access: Access): number {
    const asc = this.ctx.asc;
    if (asc === Asc.AR) return Asc.PRIMARY; // zhint: access-register translation is not implemented; AR mode acts as primary
    if (access === Access.FETCH && asc !== Asc.HOME) return Asc.PRIMARY;
    return asc;
  }

  translate(va: number, access: Access): number {
    const asc = this.spaceFor(access);
    const cr = asc === Asc.HOME ? 13 : asc === Asc.SECONDARY ? 7 : 1;
    const real = this.walk(this.ctx.crh[cr], this.ctx.crl[cr], va);
    if (real < 0) throw new ProgramException(this.failCode, teid(va, access === Access.WRITE, asc, 0));
    return real;
  }

  /** The table entry at `abs` into eh/el: 8-byte aligned, so inside one frame (one lookup for both words). */
  private entry(abs: number): void {
    const fr = this.storage.frameForFetch(abs);
    const o = abs % FRAME_SIZE;
    this.eh = be32(fr, o);
    this.el = be32(fr, o + 4);
  }
  private eh = 0;
  private el = 0;

  private fail(code: number, invalidAt = -1, isPage = false): number {
    this.failCode = code;
    this.failInvalid = invalidAt >= 0;
    this.failEntry = invalidAt;
    this.failIsPage = isPage;
    return -1;
  }

  /**
   * Translate `va` with the ASCE given as two halves. Returns the real
   * address, or -1 with `failCode` etc. set. Sets `lastProtected`.
   * An addressing exception for a table outside storage is thrown.
   */
  walk(asceHi: number, asceLo: number, va: number): number {
    this.lastProtected = false;
    this.lastPte = -1;
    if ((asceLo & 0x20) !== 0) return va; // real-space designation
    const edat1 = (this.ctx.crl[0] & 0x00800000) !== 0; // CR0 bit 40
    let dt = (asceLo >>> 2) & 3;
    let origin = asceHi * P32 + ((asceLo & 0xfffff000) >>> 0);
    let tl = asceLo & 3;
    let tf = 0;
    let prot = false;
    // ASCE type: address bits beyond the reach of the designated top table (PoP "ASCE-Type Exception")
    const reach = dt === 0 ? P31 : dt === 1 ? P42 : dt === 2 ? P53 : Infinity;
    if (va >= reach) return this.fail(PIC.ASCE_TYPE);
    const rfx = Math.floor(va / P53) % 2048;
    const rsx = Math.floor(va / P42) % 2048;
    const rtx = Math.floor(va / P31) % 2048;
    const sx = va < P32 ? (va >>> 20) & 0x7ff : Math.floor(va / 1048576) % 2048;
    const px = va < P32 ? (va >>> 12) & 0xff : Math.floor(va / 4096) % 256;
    // region levels: 3 first, 2 second, 1 third
    while (dt > 0) {
      const idx = dt === 3 ? rfx : dt === 2 ? rsx : rtx;
      const code = dt === 3 ? PIC.REGION_FIRST_TRANSLATION : dt === 2 ? PIC.REGION_SECOND_TRANSLATION : PIC.REGION_THIRD_TRANSLATION;
      if ((idx >>> 9) < tf || (idx >>> 9) > tl) return this.fail(code);
      const ea = origin + idx * 8;
      this.entry(ea);
      const lo = this.el;
      if ((lo & 0x20) !== 0) return this.fail(code, ea);
      if (((lo >>> 2) & 3) !== dt) return this.fail(PIC.TRANSLATION_SPECIFICATION);
      if (edat1 && (lo & 0x200) !== 0) prot = true;
      origin = this.eh * P32 + ((lo & 0xfffff000) >>> 0);
      tf = (lo >>> 6) & 3;
      tl = lo & 3;
      dt--;
    }
    // segment table
    if ((sx >>> 9) < tf || (sx >>> 9) > tl) return this.fail(PIC.SEGMENT_TRANSLATION);
    const sea = origin + sx * 8;
    this.entry(sea);
    let lo = this.el;
    if ((lo & 0x20) !== 0) return this.fail(PIC.SEGMENT_TRANSLATION, sea);
    if (((lo >>> 2) & 3) !== 0) return this.fail(PIC.TRANSLATION_SPECIFICATION);
    if ((lo & 0x200) !== 0) prot = true;
    if (edat1 && (lo & 0x400) !== 0) {
      // EDAT-1 large frame: segment-frame absolute address, bits 0-43
      this.lastProtected = prot;
      return this.eh * P32 + ((lo & 0xfff00000) >>> 0) + (va < P32 ? va & 0xfffff : va % 1048576);
    }
    const pto = this.eh * P32 + ((lo & 0xfffff800) >>> 0);
    const pea = pto + px * 8;
    this.entry(pea);
    lo = this.el;
    if ((lo & 0x400) !== 0) return this.fail(PIC.PAGE_TRANSLATION, pea, true);
    if ((lo & 0x800) !== 0) return this.fail(PIC.TRANSLATION_SPECIFICATION);
    if ((lo & 0x200) !== 0) prot = true;
    this.lastProtected = prot;
    this.lastPte = pea;
    return this.eh * P32 + ((lo & 0xfffff000) >>> 0) + (va < P32 ? va & 0xfff : va % 4096);
  }
}
