# ramdisk.s: the virtual disk of the peer build, assembled only when PEER is
# defined. A machine without zhint's hypervisor services (Hercules, for
# `npm run bench`) has no DIAGNOSE 0x250: this build keeps the file's blocks
# in storage above the guest's frames, from absolute P_GUESTMEM on, built at
# boot with the disk's pattern. zhint and the peer then run the very same
# instructions, so their speeds compare. Everything here runs with DAT off.

# ramdisk_init: block n = block 0's pattern plus c = n*131 (bytewise,
# modulo 256), stored by verify.s's fill.
ramdisk_init:
        ENTER
        lg      %r1,PARM+P_GUESTMEM
        stg     %r1,KVARS+K_RAMDISK
        lg      %r6,PARM+P_FILE         # blocks
        lghi    %r7,0                   # n
1:      sllg    %r2,%r7,12
        ag      %r2,KVARS+K_RAMDISK     # block n
        lgr     %r3,%r7
        mghi    %r3,131
        lghi    %r1,0xff
        ngr     %r3,%r1                 # c
        brasl   %r14,fill
        aghi    %r7,1
        cgr     %r7,%r6
        jl      1b
        LEAVE

# ramdisk_io: what DIAGNOSE 0x250 does (docs/hypervisor-services.md), for
# the DISKIO macro, which saved every register at SAVE_RD and restores them
# after: %r4 = block, %r5 = real buffer address, %r3 = 1 read, 2 write,
# 3 size query (block count into the saved %r5). cc 0 done, cc 3 block
# outside the disk.
ramdisk_io:
        lg      %r1,PARM+P_FILE
        chi     %r3,3
        jne     1f
        stg     %r1,SAVE_RD+5*8         # size query: %r5 = block count
        j       9f
1:      clgr    %r4,%r1
        jnl     8f                      # block outside the disk
        sllg    %r2,%r4,12
        ag      %r2,KVARS+K_RAMDISK     # the block
        lgr     %r6,%r5                 # the buffer
        chi     %r3,1
        je      2f
        lgr     %r6,%r2                 # write: buffer -> block
        lgr     %r2,%r5
2:      lghi    %r7,16                  # read: block -> buffer
3:      mvc     0(256,%r6),0(%r2)
        la      %r2,256(%r2)
        la      %r6,256(%r6)
        brct    %r7,3b
9:      cr      %r0,%r0                 # cc 0
        br      %r14
8:      larl    %r1,ones
        tm      0(%r1),0xff             # cc 3: selected bits all ones
        br      %r14
ones:   .byte   0xff
        .balign 2
