/**
 * Control and miscellaneous instructions: SVC, DIAGNOSE, PSW handling,
 * control registers, prefixing, timers, DAT and storage keys. Family "misc"
 * of isa.md (the supervisor-state machine).
 */
import { def, type InstructionDef } from './types.js';
import { pgm, PIC } from '../exceptions.js';

export const MISC: InstructionDef[] = [
  def('diag', '83', 'RS', 'R1,R3,D2(B2)', 'misc', 'DIAGNOSE: call a hypervisor service (zhint: see docs/hypervisor-services.md)', (c, i) => {
    c.privileged();
    if (c.hooks.diagnose === undefined) pgm(PIC.SPECIFICATION);
    c.hooks.diagnose(c, i);
  }, { privileged: true }),
];
