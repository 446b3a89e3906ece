/**
 * Host frames from slabs of WebAssembly memory (mm/slabs.ts) and the
 * WebAssembly loops of TR and CLC on them (mm/frame-ops.ts). Expected values
 * are the PoP's byte-by-byte definitions: TR replaces each byte by the table
 * byte it indexes; CLC's cc is that of the leftmost differing byte, unsigned.
 */
import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SlabAllocator, Slab, commonSlab, slabBase, type SlabFrame } from '../../src/mm/slabs.js';
import { AbsoluteStorage } from '../../src/mm/storage.js';
import { Cpu } from '../../src/cpu/cpu.js';
import { LC } from '../../src/cpu/lowcore.js';
import { Machine } from '../../src/machine.js';
import { takeSnapshot, restoreSnapshot } from '../../src/snapshot/snapshot.js';
import { enc } from '../isa/helpers.js';

/** deterministic bytes */
function bytes(n: number, seed: number): number[] {
  let x = seed >>> 0;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 24;
  });
}

describe('slab allocator', () => {
  it('hands out zeroed 4K frames marked with their slab and offset, and reuses released ones', () => {
    const a = new SlabAllocator(1 << 20, 64 * 1024);
    const f = Array.from({ length: 17 }, () => a.alloc());
    expect(f.every((fr) => fr.length === 4096 && fr.every((b) => b === 0))).toBe(true);
    // 16 frames per 64K slab: the 17th starts a second slab
    expect(a.slabCount).toBe(2);
    expect(commonSlab(f[0], f[15])).toBe((f[0] as SlabFrame).slab);
    expect(commonSlab(f[15], f[16])).toBeNull();
    // the first 64K of a slab's memory hold TR's table, no frames
    expect(f.slice(0, 16).map(slabBase)).toEqual(Array.from({ length: 16 }, (_, k) => 65536 + k * 4096));
    f[3].fill(7);
    a.release(f[3]);
    const again = a.alloc();
    expect(again).toBe(f[3]);
    expect(again.every((b) => b === 0)).toBe(true);
    expect(a.slabCount).toBe(2);
  });

  it('a collected machine\'s slabs serve the next machine, whose frames are zero', async () => {
    // (the slabs' WebAssembly functions stay alive, and so does the code V8
    // optimized for them). A full collection on demand: --expose-gc at run time.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dirty = (): void => {
      const a = new SlabAllocator(1 << 20, 64 * 1024);
      for (let k = 0; k < 16; k++) a.alloc().fill(0xee);
    };
    dirty();
    let b: SlabAllocator | null = null;
    let f: Uint8Array | null = null;
    for (let tries = 0; tries < 20; tries++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
      b = new SlabAllocator(1 << 20, 64 * 1024);
      f = b.alloc();
      if ((f as SlabFrame).slab.used) break;
    }
    expect((f as SlabFrame).slab.used).toBe(true);
    for (let k = 0; k < 16; k++) {
      expect(f!.every((x) => x === 0)).toBe(true);
      if (k < 15) f = b!.alloc();
    }
  });

  it('a frame not from a slab shares none', () => {
    const a = new SlabAllocator(1 << 20);
    expect(commonSlab(a.alloc(), new Uint8Array(4096))).toBeNull();
  });

  it('guest storage and the hypervisor take their frames from the slabs', () => {
    const st = new AbsoluteStorage(1 << 20);
    st.write8(0x5000, 1);
    expect((st.frames[5] as SlabFrame).slab).toBeInstanceOf(Slab);
    const m = new Machine({ guestMem: 1 << 20, hostMem: 64 * 1024 });
    m.storage.write8(0x7000, 1);
    expect((m.storage.frames[7] as SlabFrame).slab).toBeInstanceOf(Slab);
  });

  it('restoring a snapshot again and again reuses the frames it replaces', () => {
    const m = new Machine({ guestMem: 4 << 20 });
    for (let k = 0; k < 64; k++) m.storage.write8(k * 4096, k);
    const s = takeSnapshot(m);
    const slabs = m.storage.slabs.slabCount;
    for (let k = 0; k < 20; k++) restoreSnapshot(m, s);
    expect(m.storage.slabs.slabCount).toBe(slabs);
    expect(m.storage.read8(9 * 4096)).toBe(9);
    expect((m.storage.frames[9] as SlabFrame).slab).toBeInstanceOf(Slab);
  });
});

describe('TR, CLC and MVC in WebAssembly (frame-ops)', () => {
  const slab = new Slab(64 * 1024);
  const mem = slab.bytes;

  it('tr equals byte-by-byte translation at every alignment and length', () => {
    const table = bytes(256, 1);
    mem.set(table, 0x8000);
    for (let skew = 0; skew < 8; skew++) {
      for (const len of [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 127, 128, 129, 160, 161, 255, 256]) {
        const data = bytes(300, skew * 1000 + len);
        mem.set(data, 0x1000);
        slab.ops.tr(0x1000 + skew, len, 0x8000);
        const want = data.map((b, k) => (k >= skew && k < skew + len ? table[b] : b));
        expect(Array.from(mem.subarray(0x1000, 0x1000 + 300)), `skew ${skew} length ${len}`).toEqual(want);
      }
    }
  });

  it('mvc moves like memmove (MVC hands it only moves whose overlap a forward copy gets right)', () => {
    const data = bytes(600, 9);
    for (const [to, from, len] of [[0x5000, 0x6000, 256], [0x5000, 0x5010, 300], [0x5003, 0x6001, 33]]) {
      mem.set(data, 0x5000);
      mem.set(data, 0x6000);
      const want = Array.from(mem.subarray(0x5000, 0x5000 + 600));
      for (let k = 0; k < len; k++) want[to - 0x5000 + k] = mem[from + k];
      slab.ops.mvc(to, from, len);
      expect(Array.from(mem.subarray(0x5000, 0x5000 + 600))).toEqual(want);
    }
  });

  it('clc: cc 0 equal, else that of the leftmost difference, unsigned', () => {
    for (const len of [1, 7, 8, 9, 16, 31, 32, 33, 40, 63, 64, 100, 255, 256]) {
      const data = bytes(len, len);
      mem.set(data, 0x2000);
      mem.set(data, 0x3003);
      expect(slab.ops.clc(0x2000, 0x3003, len)).toBe(0);
      for (let k = 0; k < len; k++) {
        mem.set(data, 0x3003);
        mem[0x2000 + k] = 0x01;
        mem[0x3003 + k] = 0x80;
        if (k + 1 < len) mem[0x2000 + k + 1] = mem[0x3003 + k + 1] + 1; // a later difference the other way
        expect(slab.ops.clc(0x2000, 0x3003, len), `length ${len}, difference at ${k}`).toBe(1);
        expect(slab.ops.clc(0x3003, 0x2000, len)).toBe(2);
        mem.set(data, 0x2000);
      }
    }
  });
});

/**
 * MVC, TR and CLC with their operands in frames of one slab (the native
 * paths) or of two (the JavaScript paths) give the same storage and cc.
 * Storage with 64K slabs: frames are handed out in the order they are first
 * touched, 16 per slab.
 */
describe('MVC, TR and CLC: operands in one slab or in two', () => {
  const CODE = 0x1000, A = 0x20000, B = 0x40000;
  /** run MVC A+1(200),B; TR A(256),B+0x800; CLC A(256),B+0x400 with B's frame in the same slab as A's, or not */
  function run(sameSlab: boolean): { a: number[]; cc: number; slabs: [unknown, unknown] } {
    const st = new AbsoluteStorage(1 << 20, undefined, 64 * 1024);
    st.write32(LC.PROGRAM_NEW_PSW, 0x00020001);
    st.write32(LC.PROGRAM_NEW_PSW + 4, 0x80000000);
    const code = [
      enc('mvc', { l1: 199, b1: 1, d1: 1, b2: 2, d2: 0 }),
      enc('tr', { l1: 255, b1: 1, d1: 0, b2: 2, d2: 0x800 }),
      enc('clc', { l1: 255, b1: 1, d1: 0, b2: 2, d2: 0x400 }),
    ].flat();
    st.load(CODE, new Uint8Array(code));
    st.load(A, new Uint8Array(bytes(4096, 3)));
    if (!sameSlab) for (let k = 0; k < 16; k++) st.write8(0x80000 + k * 4096, 0);
    st.load(B, new Uint8Array(bytes(4096, 4)));
    const cpu = new Cpu(st);
    cpu.ia = CODE;
    cpu.nia = CODE;
    cpu.setReg(1, BigInt(A));
    cpu.setReg(2, BigInt(B));
    cpu.run(3);
    expect(cpu.ia).toBe(CODE + 18);
    const slabs: [unknown, unknown] = [(st.frames[A >>> 12] as SlabFrame).slab, (st.frames[B >>> 12] as SlabFrame).slab];
    return { a: Array.from(st.peek(A, 4096)), cc: cpu.cc, slabs };
  }

  it('the same result either way, and the PoP\'s', () => {
    const one = run(true);
    const two = run(false);
    expect(one.slabs[0]).toBe(one.slabs[1]);
    expect(two.slabs[0]).not.toBe(two.slabs[1]);
    expect(two.a).toEqual(one.a);
    expect(two.cc).toBe(one.cc);
    // the PoP's result, byte by byte
    const a = bytes(4096, 3), b = bytes(4096, 4);
    for (let k = 0; k < 200; k++) a[1 + k] = b[k];
    for (let k = 0; k < 256; k++) a[k] = b[0x800 + a[k]];
    let cc = 0;
    for (let k = 0; k < 256 && cc === 0; k++) if (a[k] !== b[0x400 + k]) cc = a[k] < b[0x400 + k] ? 1 : 2;
    expect(one.a).toEqual(a);
    expect(one.cc).toBe(cc);
  });
});
