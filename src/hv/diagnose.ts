/**
 * Hypervisor services by DIAGNOSE (docs/hypervisor-services.md is the
 * contract): console output 0x008, block I/O on the virtual disk 0x250, host
 * statistics 0x2FC. Privilege is checked by the instruction; an unknown code
 * is a specification exception.
 */
import type { Cpu } from '../cpu/cpu.js';
import type { Insn } from '../cpu/isa/types.js';
import { pgm, PIC } from '../cpu/exceptions.js';
import { FRAME_SIZE } from '../mm/storage.js';
import { STATS_BLOCK_SIZE, statsBlock } from './stats.js';
import { DIAG, type Hypervisor } from './hypervisor.js';

export function diagnose(hv: Hypervisor, cpu: Cpu, i: Insn): void {
  // function code: bits 48-63 of the second-operand address
  const code = cpu.eaXBD(0, i.b2, i.d2) % 65536;
  switch (code) {
    case DIAG.CONSOLE:
      return consoleOutput(hv, cpu, i);
    case DIAG.BLOCK_IO:
      return blockIo(hv, cpu, i);
    case DIAG.STATS:
      return statsQuery(hv, cpu, i);
    default:
      pgm(PIC.SPECIFICATION);
  }
}

/** 0x008: R1 = logical address of ASCII text, R3 bits 40-63 = length. */
function consoleOutput(hv: Hypervisor, cpu: Cpu, i: Insn): void {
  const addr = cpu.regAddr(i.r1);
  const len = cpu.lo[i.r3] & 0xffffff;
  cpu.mem.checkFetch(addr, len);
  let s = '';
  for (let k = 0; k < len; k++) s += String.fromCharCode(cpu.mem.ld8(cpu.wrap(addr + k)));
  hv.console += s;
  if (hv.events.active) hv.events.emit({ kind: 'console', step: cpu.steps, text: s });
  cpu.cc = 0;
}

/**
 * 0x250: R1 even: R1 = block number, R1+1 = real address of a 4K-aligned
 * buffer; R3 = 1 read, 2 write, 3 size query (block count → R1+1).
 */
function blockIo(hv: Hypervisor, cpu: Cpu, i: Insn): void {
  const r1 = i.r1;
  if ((r1 & 1) !== 0) pgm(PIC.SPECIFICATION);
  const fn = cpu.lo[i.r3];
  if (cpu.hi[i.r3] !== 0 || fn < 1 || fn > 3) pgm(PIC.SPECIFICATION);
  const disk = hv.disk;
  if (fn === 3) {
    cpu.setReg(r1 + 1, BigInt(disk.blocks));
    cpu.cc = 0;
    return;
  }
  const real = cpu.regAddr(r1 + 1);
  if (real % FRAME_SIZE !== 0) pgm(PIC.SPECIFICATION);
  const block = Number(cpu.getReg(r1));
  if (block >= disk.blocks) {
    cpu.cc = 3;
    return;
  }
  const abs = cpu.mem.realToAbsolute(real);
  const st = hv.storage;
  if (abs >= st.size) pgm(PIC.ADDRESSING);
  const pfn = Math.floor(abs / FRAME_SIZE);
  const write = fn === 1; // a disk read writes guest storage
  // resolving first: a discard fault or addressing exception nullifies before any byte moves
  const fr = st.frame(pfn, write);
  st.touch(pfn, write);
  if (write) {
    disk.read(block, fr, 0);
    hv.counters.diskReads++;
  } else {
    disk.write(block, fr, 0);
    hv.counters.diskWrites++;
  }
  if (hv.events.active) hv.events.emit({ kind: 'disk', step: cpu.steps, op: write ? 'read' : 'write', block, abs });
  cpu.cc = 0;
}

/** 0x2FC: R1 = real address of a buffer, R3 = its length: up to R3 bytes of the statistics block. */
function statsQuery(hv: Hypervisor, cpu: Cpu, i: Insn): void {
  const real = cpu.regAddr(i.r1);
  const n = Math.min(cpu.hi[i.r3] !== 0 ? STATS_BLOCK_SIZE : cpu.lo[i.r3], STATS_BLOCK_SIZE);
  const st = hv.storage;
  const absAt = (k: number): number => cpu.mem.realToAbsolute(cpu.wrap(real + k));
  // every frame the block lands in must be accessible before anything is stored
  for (let k = 0; k < n; k++) {
    const a = absAt(k);
    if (k === 0 || k === n - 1 || a % FRAME_SIZE === 0) {
      if (a >= st.size) pgm(PIC.ADDRESSING);
      st.frame(Math.floor(a / FRAME_SIZE), true);
    }
  }
  // the snapshot is taken once the buffer is resident, so it counts its own page-in or zero fill
  const block = statsBlock(hv.stats());
  for (let k = 0; k < n; k++) st.write8(absAt(k), block[k]);
  cpu.cc = 0;
}
