/**
 * Absolute-storage accesses of the machine itself (interruptions store old
 * PSWs and codes, DAT reads table entries): halfwords and words inside one
 * frame take one step, across a frame boundary byte by byte; either way the
 * bytes are big-endian, the storage key records the reference (and the
 * change, for a store), and a store drops the decoded instructions it hits.
 */
import { describe, expect, it } from 'vitest';
import { AbsoluteStorage, KEY_C, KEY_R } from '../../src/mm/storage.js';
import { Cpu } from '../../src/cpu/cpu.js';

describe('absolute storage: halfword and word accesses', () => {
  it('inside a frame and across a frame boundary give the same big-endian bytes', () => {
    const st = new AbsoluteStorage(64 * 1024);
    for (const a of [0x100, 0xffe, 0xffd, 0x1ffc]) {
      st.write32(a, 0x01020304);
      expect([st.read8(a), st.read8(a + 1), st.read8(a + 2), st.read8(a + 3)]).toEqual([1, 2, 3, 4]);
      expect(st.read32(a)).toBe(0x01020304);
      st.write16(a, 0xa1b2);
      expect([st.read8(a), st.read8(a + 1)]).toEqual([0xa1, 0xb2]);
      expect(st.read16(a)).toBe(0xa1b2);
    }
    // 0xffe..0x1001: both frames referenced and changed
    expect(st.keys[0] & (KEY_R | KEY_C)).toBe(KEY_R | KEY_C);
    expect(st.keys[1] & (KEY_R | KEY_C)).toBe(KEY_R | KEY_C);
  });

  it('a read records the reference only; a store the change too', () => {
    const st = new AbsoluteStorage(64 * 1024);
    st.read16(0x3000);
    expect(st.keys[3] & (KEY_R | KEY_C)).toBe(KEY_R);
    st.write16(0x3000, 1);
    expect(st.keys[3] & (KEY_R | KEY_C)).toBe(KEY_R | KEY_C);
  });

  it('a word stored over a decoded instruction drops it: the new instruction runs', () => {
    // 0x200: lghi %r5,1 (a7590001), then a disabled wait via lpswe
    const st = new AbsoluteStorage(64 * 1024);
    st.load(0x200, new Uint8Array([0xa7, 0x59, 0x00, 0x01, 0xb2, 0xb2, 0x02, 0x10]));
    st.load(0x210, new Uint8Array([0, 2, 0, 1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0xff]));
    const c = new Cpu(st);
    c.ia = 0x200;
    c.run(10);
    expect(c.lo[5]).toBe(1);
    // the decoded lghi is cached; the machine itself stores a new immediate
    st.write32(0x200, 0xa7590007);
    c.wait = false;
    c.ia = 0x200;
    c.run(10);
    expect(c.lo[5]).toBe(7);
  });

  it('serves one Cpu: its decoded instructions carry compiled blocks with that Cpu\'s registers built in', () => {
    const st = new AbsoluteStorage(64 * 1024);
    const c = new Cpu(st);
    expect(st.cpu).toBe(c);
    expect(() => new Cpu(st)).toThrow(/already has a Cpu/);
  });
});
