/**
 * Guest page states (shared spec page-hinting.md §1): for every 4 KB frame of
 * guest absolute storage a usage state set by the guest (S stable, U unused,
 * V volatile, P potentially volatile) and a content state kept by the host
 * (r resident, p preserved = paged out, z logically zero), plus the no-DAT bit.
 *
 * zhint keeps each frame's state in one byte laid out exactly as ESSA returns
 * it in R1 (Linux arch/s390 page-states.h, kvm-unit-tests lib/s390x/asm/cmm.h):
 * bits 0x03 content (0 r, 2 p, 3 z), bits 0x0C usage (S 0, U 1, P 2, V 3,
 * shifted left by 2), 0x20 no-DAT; 0x10, the exception indication, is never
 * set. So ESSA stores the byte as it is.
 */

export const CONTENT_MASK = 0x03;
export const C_RESIDENT = 0x00;
export const C_PRESERVED = 0x02;
export const C_ZERO = 0x03;

export const USAGE_MASK = 0x0c;
export const USAGE_SHIFT = 2;
export const U_STABLE = 0;
export const U_UNUSED = 1;
export const U_POT_VOLATILE = 2;
export const U_VOLATILE = 3;

/** no-DAT indication (ESSA ORC 7, facility 147) */
export const NODAT = 0x20;

/** The ESSA operation request codes (M3). */
export const ORC = {
  GET_STATE: 0,
  SET_STABLE: 1,
  SET_UNUSED: 2,
  SET_VOLATILE: 3,
  SET_POT_VOLATILE: 4,
  SET_STABLE_RESIDENT: 5,
  SET_STABLE_IF_RESIDENT: 6,
  SET_STABLE_NODAT: 7,
} as const;

export const ORC_NAMES = [
  'get-state', 'set-stable', 'set-unused', 'set-volatile',
  'set-potentially-volatile', 'set-stable-resident', 'set-stable-if-resident', 'set-stable-nodat',
] as const;

/** The valid state pairs, in the order of the census (and of DIAGNOSE 0x2FC offsets 0x88..0xC0). */
export const PAIRS = ['Sr', 'Sp', 'Sz', 'Ur', 'Uz', 'Vr', 'Vz', 'Pr'] as const;
export type StatePair = (typeof PAIRS)[number];

/** A frame never touched: stable and logically zero. */
export const INITIAL_STATE = (U_STABLE << USAGE_SHIFT) | C_ZERO;

const USAGE_LETTER = 'SUPV';
const CONTENT_LETTER = 'r?pz';

export function usageOf(s: number): number {
  return (s & USAGE_MASK) >>> USAGE_SHIFT;
}

export function contentOf(s: number): number {
  return s & CONTENT_MASK;
}

export function makeState(usage: number, content: number, nodat = false): number {
  return (usage << USAGE_SHIFT) | content | (nodat ? NODAT : 0);
}

/** 'Sr', 'Vz', ... (the no-DAT bit is not part of the pair) */
export function pairName(s: number): string {
  return USAGE_LETTER[usageOf(s)] + CONTENT_LETTER[contentOf(s)];
}

/** Parse 'Sr' etc. back to a state byte (tests, debugger). */
export function parsePair(p: string): number {
  const u = USAGE_LETTER.indexOf(p[0]);
  const c = CONTENT_LETTER.indexOf(p[1]);
  if (p.length !== 2 || u < 0 || c < 0 || c === 1) throw new RangeError(`not a page state: ${p}`);
  return makeState(u, c);
}

/** census index of a state byte (usage and content bits), -1 for pairs that must never occur */
export const CENSUS_INDEX: Int8Array = (() => {
  const t = new Int8Array(16).fill(-1);
  PAIRS.forEach((p, i) => { t[parsePair(p)] = i; });
  return t;
})();
