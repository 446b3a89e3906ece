/**
 * Host statistics: the plain JSON object `zhint run --json` prints and the
 * binary block DIAGNOSE 0x2FC stores (docs/hypervisor-services.md).
 */
import { PAIRS, type StatePair } from './page-states.js';

export interface HvStats {
  cmma: boolean;
  reclaimPolicy: string;
  unusedAccess: string;
  guestFrames: number;
  hostFrames: number;
  hostFramesUsed: number;
  /** host writes to swap */
  pageOuts: number;
  /** host reads from swap */
  pageIns: number;
  /** U frames dropped (resident Ur → Uz, or a preserved copy dropped by ESSA set-unused) */
  discardsUnused: number;
  /** V and clean P frames dropped (→ Vz) */
  discardsVolatile: number;
  /** of the discards, those that dropped a preserved (swap) copy because of an ESSA */
  swapDrops: number;
  zeroFills: number;
  discardFaults: number;
  /** ESSA executions per ORC 0..7 */
  essaByOrc: number[];
  essaTotal: number;
  /** frames per state pair */
  census: Record<StatePair, number>;
  diskReads: number;
  diskWrites: number;
}

/** Size of the DIAGNOSE 0x2FC statistics block. */
export const STATS_BLOCK_SIZE = 0xc8;

/** The big-endian statistics block of DIAGNOSE 0x2FC. */
export function statsBlock(s: HvStats): Uint8Array {
  const b = new Uint8Array(STATS_BLOCK_SIZE);
  const view = new DataView(b.buffer);
  const put = (off: number, v: number): void => view.setBigUint64(off, BigInt(v));
  put(0x00, s.pageOuts);
  put(0x08, s.pageIns);
  put(0x10, s.discardsUnused);
  put(0x18, s.discardsVolatile);
  put(0x20, s.zeroFills);
  put(0x28, s.discardFaults);
  for (let orc = 0; orc < 8; orc++) put(0x30 + 8 * orc, s.essaByOrc[orc]);
  put(0x70, s.hostFramesUsed);
  put(0x78, s.hostFrames);
  put(0x80, s.guestFrames);
  PAIRS.forEach((p, k) => put(0x88 + 8 * k, s.census[p]));
  return b;
}
