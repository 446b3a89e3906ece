/**
 * What the debugger shows, read without side effects: looking must never
 * change the machine (no reference bits, no page-ins, no TLB fills), or
 * reverse execution and the guest's own behaviour would depend on the view.
 * Storage is read through the hypervisor's `peek` (paged-out content
 * included), DAT tables are walked by a second walker reading through it.
 */
import type { Machine } from '../machine.js';
import { be32, type AbsoluteStorage } from '../mm/storage.js';
import { Dat } from '../mm/dat.js';

export type Space = 'virtual' | 'real' | 'absolute';
export const SPACES: readonly Space[] = ['virtual', 'real', 'absolute'];

function peek32(m: Machine, abs: number): number {
  return be32(m.hv.peek(abs, 4), 0);
}

const walkers = new WeakMap<Machine, Dat>();

/** real → absolute (prefixing). */
export function realToAbs(m: Machine, real: number): number {
  const p = m.cpu.prefix;
  if (real < 0x2000) return real + p;
  if (real >= p && real < p + 0x2000) return real - p;
  return real;
}

/** Absolute address of `addr` in `space`, or -1 (translation would fail). Instruction fetch uses the primary (or home) space. */
export function toAbs(m: Machine, addr: number, space: Space, fetch = false): number {
  if (space === 'absolute') return addr;
  let real = addr;
  if (space === 'virtual' && m.cpu.dat) {
    let d = walkers.get(m);
    if (d === undefined) {
      const peekStorage = { read32: (a: number) => peek32(m, a) } as unknown as AbsoluteStorage;
      d = new Dat(m.cpu, peekStorage);
      walkers.set(m, d);
    }
    const asc = m.cpu.asc;
    const cr = asc === 3 ? 13 : asc === 2 && !fetch ? 7 : 1;
    try {
      real = d.walk(m.cpu.crh[cr], m.cpu.crl[cr], addr);
    } catch {
      return -1;
    }
    if (real < 0) return -1;
  }
  const abs = realToAbs(m, real);
  return abs >= 0 && abs < m.storage.size ? abs : -1;
}

/** `len` bytes at `addr` in `space`; `ok[i]` false where the address does not translate. */
export function readMem(m: Machine, addr: number, len: number, space: Space, fetch = false): { bytes: Uint8Array; ok: boolean[] } {
  const bytes = new Uint8Array(len);
  const ok: boolean[] = new Array<boolean>(len).fill(false);
  let i = 0;
  while (i < len) {
    const a = addr + i;
    const abs = toAbs(m, a, space, fetch);
    const pageLeft = 4096 - (a % 4096);
    const n = Math.min(len - i, pageLeft);
    if (abs >= 0) {
      bytes.set(m.hv.peek(abs, n), i);
      for (let k = 0; k < n; k++) ok[i + k] = abs + k < m.storage.size;
    }
    i += n;
  }
  return { bytes, ok };
}

/** EBCDIC (code page 037) → printable ASCII, '.' for the rest. */
export const EBCDIC: string = (() => {
  const t = new Array<string>(256).fill('.');
  const put = (start: number, chars: string) => { for (let k = 0; k < chars.length; k++) t[start + k] = chars[k]; };
  put(0x40, ' ');
  put(0x4a, '¢.<(+|');
  put(0x50, '&');
  put(0x5a, '!$*);¬');
  put(0x60, '-/');
  put(0x6a, '¦,%_>?');
  put(0x79, '`:#@\'="');
  put(0x81, 'abcdefghi');
  put(0x91, 'jklmnopqr');
  put(0xa1, '~stuvwxyz');
  put(0xc0, '{ABCDEFGHI');
  put(0xd0, '}JKLMNOPQR');
  put(0xe0, '\\');
  put(0xe2, 'STUVWXYZ');
  put(0xf0, '0123456789');
  return t.map((c) => (c.charCodeAt(0) < 128 ? c : '.')).join('');
})();

export function asciiOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}
