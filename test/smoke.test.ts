import { describe, expect, it } from 'vitest';
import { Cpu } from '../src/cpu/cpu.js';
import { AbsoluteStorage } from '../src/mm/storage.js';

describe('interpreter smoke', () => {
  it('runs the ALU loop agr/aghi/ngr/xgr/brctg', () => {
    const st = new AbsoluteStorage(1 << 20);
    st.load(0x1000, new Uint8Array([
      0xb9, 0x08, 0x00, 0x23, 0xa7, 0x2b, 0x00, 0x01, 0xb9, 0x80, 0x00, 0x42, 0xb9, 0x82, 0x00, 0x54, 0xa7, 0x17, 0xff, 0xf8,
    ]));
    const cpu = new Cpu(st);
    cpu.ia = 0x1000;
    cpu.lo[1] = 10;
    cpu.run(50);
    expect(cpu.lo[2]).toBe(10);
    expect(cpu.ia).toBe(0x1014);
  });
});
