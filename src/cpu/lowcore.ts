/**
 * Lowcore (prefix area) offsets, z/Architecture (PoP "Assigned Storage
 * Locations"; Linux arch/s390/include/asm/lowcore.h). All are real addresses
 * in the 8 KB prefix area; the CPU stores them at prefix + offset (absolute).
 */
export const LC = {
  EXT_PARAMS: 0x080,
  CPU_ADDRESS: 0x084,
  EXT_INT_CODE: 0x086,
  SVC_ILC: 0x088,
  SVC_CODE: 0x08a,
  PGM_ILC: 0x08c,
  PGM_CODE: 0x08e,
  DATA_EXC_CODE: 0x090,
  MON_CLASS_NUM: 0x094,
  PER_CODE: 0x096,
  PER_ADDRESS: 0x098,
  EXC_ACCESS_ID: 0x0a0,
  PER_ACCESS_ID: 0x0a1,
  OP_ACCESS_ID: 0x0a2,
  AR_MODE_ID: 0x0a3,
  TEID: 0x0a8,
  MONITOR_CODE: 0x0b0,
  STFL_FAC_LIST: 0x0c8,
  RESTART_OLD_PSW: 0x120,
  EXTERNAL_OLD_PSW: 0x130,
  SVC_OLD_PSW: 0x140,
  PROGRAM_OLD_PSW: 0x150,
  MCCK_OLD_PSW: 0x160,
  IO_OLD_PSW: 0x170,
  RESTART_NEW_PSW: 0x1a0,
  EXTERNAL_NEW_PSW: 0x1b0,
  SVC_NEW_PSW: 0x1c0,
  PROGRAM_NEW_PSW: 0x1d0,
  MCCK_NEW_PSW: 0x1e0,
  IO_NEW_PSW: 0x1f0,
  STORE_STATUS: 0x1200,
} as const;
