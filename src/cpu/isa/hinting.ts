/**
 * Guest page hinting (CMMA): EXTRACT AND SET STORAGE ATTRIBUTES. The
 * semantics live in the hypervisor (src/hv), which owns the page states; the
 * CPU only forwards. See shared spec page-hinting.md §2.
 */
import { def, type InstructionDef } from './types.js';
import { pgm, PIC } from '../exceptions.js';

export const HINTING: InstructionDef[] = [
  def('essa', 'B9AB', 'RRF', 'R1,R2,M3', 'hinting', 'EXTRACT AND SET STORAGE ATTRIBUTES: set the usage state of the block at r2 (ORC m3), old state → r1', (c, i) => {
    // With no hypervisor attached, CMMA is not installed: operation exception.
    if (c.hooks.essa === undefined) pgm(PIC.OPERATION);
    c.hooks.essa(c, i);
  }, { privileged: true }),
];
