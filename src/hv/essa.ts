/**
 * ESSA — EXTRACT AND SET STORAGE ATTRIBUTES (B9AB, RRF-c), the instruction
 * side (shared spec page-hinting.md §2). The state change itself is
 * Hypervisor.performEssa; this checks the exceptions in their architected
 * order and sets R1.
 */
import type { Cpu } from '../cpu/cpu.js';
import type { Insn } from '../cpu/isa/types.js';
import { pgm, PIC } from '../cpu/exceptions.js';
import { FRAME_SIZE } from '../mm/storage.js';
import type { Hypervisor } from './hypervisor.js';

export function essaInstruction(hv: Hypervisor, cpu: Cpu, i: Insn): void {
  // 1. operation: CMMA not installed (the machine normally leaves the hook out then)
  if (!hv.opts.cmma) pgm(PIC.OPERATION);
  // 2. privileged operation in the problem state
  if (cpu.problem) pgm(PIC.PRIVILEGED_OPERATION);
  // 3. specification: ORC 7 exists only with facility 147
  if (i.m3 > (hv.facility147 ? 7 : 6)) pgm(PIC.SPECIFICATION);
  // 4. addressing: R2 holds an absolute address (no prefixing, no DAT), per addressing mode;
  //    bits of the byte index are ignored
  const addr = cpu.regAddr(i.r2);
  if (addr >= hv.storage.size) pgm(PIC.ADDRESSING);
  const old = hv.performEssa(Math.floor(addr / FRAME_SIZE), i.m3);
  // R1, all 64 bits: the old state; the condition code is unchanged
  cpu.hi[i.r1] = 0;
  cpu.lo[i.r1] = old;
}
