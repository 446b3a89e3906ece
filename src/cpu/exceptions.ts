/**
 * Program-interruption codes (Principles of Operation, "Program-Interruption
 * Conditions") and the exception object the interpreter throws internally.
 * A thrown ProgramException never escapes the CPU: the run loop turns it into a
 * program interruption through the lowcore.
 */
export const PIC = {
  OPERATION: 0x01,
  PRIVILEGED_OPERATION: 0x02,
  EXECUTE: 0x03,
  PROTECTION: 0x04,
  ADDRESSING: 0x05,
  SPECIFICATION: 0x06,
  DATA: 0x07,
  FIXED_POINT_OVERFLOW: 0x08,
  FIXED_POINT_DIVIDE: 0x09,
  SEGMENT_TRANSLATION: 0x10,
  PAGE_TRANSLATION: 0x11,
  TRANSLATION_SPECIFICATION: 0x12,
  SPECIAL_OPERATION: 0x13,
  /** zhint / CMMA: block-volatility exception, the "discard fault" */
  DISCARD_FAULT: 0x1a,
  ASCE_TYPE: 0x38,
  REGION_FIRST_TRANSLATION: 0x39,
  REGION_SECOND_TRANSLATION: 0x3a,
  REGION_THIRD_TRANSLATION: 0x3b,
  MONITOR_EVENT: 0x40,
  /** PER event bit, or-ed into the interruption code */
  PER_EVENT: 0x80,
} as const;

export const PIC_NAMES: Record<number, string> = {
  0x01: 'operation', 0x02: 'privileged-operation', 0x03: 'execute', 0x04: 'protection',
  0x05: 'addressing', 0x06: 'specification', 0x07: 'data', 0x08: 'fixed-point-overflow',
  0x09: 'fixed-point-divide', 0x10: 'segment-translation', 0x11: 'page-translation',
  0x12: 'translation-specification', 0x13: 'special-operation', 0x1a: 'discard fault (block volatility)',
  0x38: 'ASCE-type', 0x39: 'region-first-translation', 0x3a: 'region-second-translation',
  0x3b: 'region-third-translation', 0x40: 'monitor-event',
};

/**
 * The name of a program-interruption code, PER bit included: "page-translation",
 * "PER event", "operation + PER event".
 */
export function picName(code: number): string {
  const base = code & 0x7f;
  const name = PIC_NAMES[base] ?? `code 0x${base.toString(16).padStart(2, '0')}`;
  if ((code & PIC.PER_EVENT) === 0) return name;
  return base === 0 ? 'PER event' : `${name} + PER event`;
}

/**
 * Nullifying exceptions leave the old PSW pointing at the instruction
 * (PoP "Types of Instruction Ending"): the translation exceptions and zhint's
 * discard fault. All others used here suppress, terminate or complete, and the
 * old PSW points past the instruction.
 */
export function isNullifying(code: number): boolean {
  switch (code & 0x7f) {
    case 0x10: case 0x11: case 0x1a: case 0x38: case 0x39: case 0x3a: case 0x3b:
      return true;
    default:
      return false;
  }
}

export class ProgramException {
  /**
   * @param code program-interruption code
   * @param teid translation-exception identification stored at lowcore 0xA8
   *             (for translation, protection and discard faults), or -1
   * @param early early exception (PSW invalid): ILC 0, old PSW = the bad PSW
   */
  constructor(
    readonly code: number,
    readonly teid: number = -1,
    readonly early = false,
  ) {}
}

/** Throw a program exception (never returns). */
export function pgm(code: number, teid = -1): never {
  throw new ProgramException(code, teid);
}
