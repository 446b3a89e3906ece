# zhint guest kernel: a small memory manager that uses guest page hinting
# (ESSA), handles discard faults through a discarded-page list, and runs a
# workload whose every read is checked against the virtual disk's pattern.
# See README.md in this directory for the design, the parameter block and
# the failure codes; docs/page-life.md for the life of one page.
#
# The image is flat and starts at absolute 0: lowcore (new PSWs), the
# parameter block with its defaults, the result block, then the code at 0x4000.

        .include "defs.s"

        .text
        .globl  _start
image:
# ---- lowcore: new PSWs (machine.md; all handlers run with DAT off, disabled)
        .org    image+0x1a0
        .quad   0x0000000180000000, restart_handler    # restart
        .quad   0x0000000180000000, ext_handler        # external
        .quad   0x0000000180000000, svc_handler        # SVC
        .quad   0x0000000180000000, pgm_handler        # program
        .quad   0x0002000180000000, 0xbad0e0           # machine check: stop
        .quad   0x0002000180000000, 0xbad0f0           # I/O: stop

# ---- wait PSWs (kept below 4 KB: LPSWE has a 12-bit displacement)
        .org    image+0x840
psw_success:
        .quad   0x0002000000000000, 0xfff
psw_failure:
        .quad   0x0002000000000000, 0xbad000
psw_workload:   # DAT on, external interruptions enabled, 64-bit, supervisor
        .quad   0x0500000180000000, workload

# ---- parameter block with defaults (the demo overwrites it before start)
        .org    image+PARM
        .ascii  "ZHK1"
        .long   1
        .ifdef  PEER
        .quad   0x800000            # P_GUESTMEM: 8 MiB; the RAM disk follows (ramdisk.s)
        .else
        .quad   0                   # P_GUESTMEM: 0 = as the host reports it
        .endif
        .quad   768                 # P_FILE: 3 MiB (the default generated disk has 1024 blocks)
        .quad   128                 # P_WRITABLE
        .quad   3                   # P_PASSES
        .quad   64                  # P_ANON
        .quad   32                  # P_MLOCK
        .quad   20000               # P_TICK
        .quad   0                   # P_FLAGS
        .quad   16                  # P_CHECK

        .org    image+CODE
        .include "boot.s"
        .include "handlers.s"
        .include "frames.s"
        .include "pagecache.s"
        .include "mm.s"
        .include "verify.s"
        .include "workload.s"
        .ifdef  PEER
        .include "ramdisk.s"
        .endif
kernel_end:
