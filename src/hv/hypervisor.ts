/**
 * The emulated hypervisor (placeholder: the full page-state machine, reclaim
 * and services arrive with the hypervisor issue). It backs guest frames,
 * serves DIAGNOSE and will own ESSA.
 */
import type { Cpu } from '../cpu/cpu.js';
import type { Insn } from '../cpu/isa/types.js';
import { pgm, PIC } from '../cpu/exceptions.js';
import { AbsoluteStorage, FRAME_SIZE, type FrameHost } from '../mm/storage.js';
import type { EventBus } from '../events.js';

export interface HypervisorOptions {
  /** CMMA (ESSA) installed */
  cmma: boolean;
}

/** zhint's DIAGNOSE function codes (modelled on z/VM where one exists). */
export const DIAG = {
  /** console output: r1 = address of ASCII text, r3 = length (z/VM DIAGNOSE X'008' style) */
  CONSOLE: 0x008,
} as const;

export class Hypervisor implements FrameHost {
  console = '';
  constructor(readonly opts: HypervisorOptions, readonly events: EventBus) {}

  resolve(storage: AbsoluteStorage, pfn: number): Uint8Array {
    const fr = new Uint8Array(FRAME_SIZE);
    storage.frames[pfn] = fr;
    return fr;
  }

  diagnose(cpu: Cpu, i: Insn): void {
    const code = cpu.eaXBD(0, i.b2, i.d2) & 0xffff;
    switch (code) {
      case DIAG.CONSOLE: {
        const addr = cpu.regAddr(i.r1);
        const len = cpu.lo[i.r3] & 0xffffff;
        let s = '';
        for (let k = 0; k < len; k++) s += String.fromCharCode(cpu.mem.ld8(cpu.wrap(addr + k)));
        this.console += s;
        if (this.events.active) this.events.emit({ kind: 'console', step: cpu.steps, text: s });
        return;
      }
      default:
        pgm(PIC.SPECIFICATION);
    }
  }
}
