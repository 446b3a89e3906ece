import { Cpu } from '../cpu/cpu.js';
import { AbsoluteStorage } from '../mm/storage.js';
const st = new AbsoluteStorage(16 * 1024 * 1024);
const code = [0xb9,0x08,0x00,0x23, 0xa7,0x2b,0x00,0x01, 0xb9,0x80,0x00,0x42, 0xb9,0x82,0x00,0x54, 0xa7,0x17,0xff,0xf8];
st.load(0x1000, new Uint8Array(code));
const cpu = new Cpu(st);
cpu.jit = process.env.ZHINT_JIT !== "0";
cpu.ia = 0x1000;
cpu.lo[1] = 0; cpu.hi[1] = 1;
const N = 50_000_000;
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  cpu.run(N);
  const dt = performance.now() - t;
  console.log(`ALU loop: ${(N / dt / 1000).toFixed(1)} MIPS  r2=${cpu.hi[2].toString(16)}:${cpu.lo[2].toString(16)}`);
}
