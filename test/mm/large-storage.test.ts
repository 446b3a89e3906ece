/**
 * Storage is cheap when large and mostly untouched (issue: a 4 GiB guest
 * running a small program stays under 100 MB of host memory): frames are
 * allocated on first touch, so only the per-frame tables grow with the size.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';

describe('absolute storage', () => {
  it('a 4 GiB guest running a small program costs well under 100 MB of host memory', () => {
    const before = process.memoryUsage();
    const m = new Machine({ guestMem: 4 * 1024 ** 3 });
    // lghi %r1,1000; 0: aghi %r2,1; brctg %r1,0b; stg %r2,0x8000(%r0) ... then a disabled wait
    m.load(0x10000, new Uint8Array([
      0xa7, 0x19, 0x03, 0xe8, 0xa7, 0x2b, 0x00, 0x01, 0xa7, 0x17, 0xff, 0xfe,
      0xe3, 0x20, 0x00, 0x00, 0x08, 0x24, // stg %r2,0x8000 — displacement 0 + DH 8 → 0x8000
      0xb2, 0xb2, 0x00, 0x00 + 0x20, // lpswe 0x20
    ]));
    m.load(0x20, new Uint8Array([0, 2, 0, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0xff]));
    m.start(0x10000);
    const r = m.run(10_000);
    const after = process.memoryUsage();
    expect(r.exitCode).toBe(0);
    expect(m.cpu.lo[2]).toBe(1000);
    const grown = (after.heapUsed - before.heapUsed) + (after.arrayBuffers - before.arrayBuffers);
    expect(grown).toBeLessThan(100 * 1024 * 1024);
  });
});
