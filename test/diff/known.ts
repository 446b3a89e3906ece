/**
 * Instructions zhint and QEMU currently disagree on, where zhint is the one
 * that is wrong and the instruction is still being written. They are left
 * out of the CI runs of the differential test so everything else stays
 * checked; nothing is hidden silently: each entry says what fails. Remove an
 * entry when the instruction is fixed (ZHINT_DIFF_ALL=1 generates them anyway).
 */
export const KNOWN_MISMATCHES = new Map<string, string>([
  // sla %r10,2720 (shift 32) with r10 bits 32-63 = ffffffff: the 32nd bit
  // shifted out is 0, unlike the sign: overflow, cc 3 (QEMU); zhint cc 1.
  // Minimal: lghi %r1,-1; sla %r1,32 -> cc 3 expected.
  ['sla', 'overflow not detected for shift counts >= 32'],
  // slak %r5,%r2,50 with r2 bits 32-63 = ffffffff: as sla.
  ['slak', 'overflow not detected for shift counts >= 32'],
]);
