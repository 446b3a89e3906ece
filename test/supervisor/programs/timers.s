# timers.s: STCK, SCKC/STCKC, SPT/STPT, clock-comparator (0x1004) and CPU-timer
# (0x1005) external interruptions under the CR0 subclass masks (bits 52, 53),
# enabled wait, and priority (clock comparator before CPU timer).
        .include "head.s"
_start:
        larl    %r1,ext_h
        stg     %r1,0x1b8               # external new PSW address
        larl    %r9,data

        CHECK   1                       # STCK: cc 0, the clock advances
        stck    0(%r9)
        jnz     fail
        stck    8(%r9)
        lg      %r1,0(%r9)
        lg      %r2,8(%r9)
        clgr    %r2,%r1
        jnh     fail

        CHECK   2                       # SCKC / STCKC round trip
        mvc     16(8,%r9),pattern-data(%r9)
        sckc    16(%r9)
        stckc   24(%r9)
        clc     16(8,%r9),24(%r9)
        jne     fail

        CHECK   3                       # clock comparator 100 us ahead, busy loop until 0x1004
        stck    0(%r9)
        lg      %r1,0(%r9)
        agfi    %r1,100*4096
        stg     %r1,16(%r9)
        sckc    16(%r9)
        lctlg   %c0,%c0,cr0_ckc-data(%r9)
        larl    %r14,3f
        stosm   32(%r9),0x01            # enable external interruptions
spin:   j       spin
3:      llgh    %r1,0x86
        cghi    %r1,0x1004
        jne     fail
        llgh    %r1,0x84                # CPU address 0
        jnz     fail
        lg      %r1,0x138
        larl    %r2,spin
        cgr     %r1,%r2
        jne     fail
        l       %r1,0x130               # old PSW: external mask on
        nilf    %r1,0xffffcfff          # ignore the condition code
        clfi    %r1,0x01000001
        jne     fail
        stck    8(%r9)                  # the clock passed the comparator
        clc     8(8,%r9),16(%r9)
        jnh     fail

        CHECK   4                       # enabled wait: time advances to the comparator
        stck    0(%r9)
        lg      %r1,0(%r9)
        agfi    %r1,5000*4096
        stg     %r1,16(%r9)
        sckc    16(%r9)
        larl    %r14,4f
        larl    %r1,wait_psw
        lpswe   0(%r1)
        j       fail
4:      llgh    %r1,0x86
        cghi    %r1,0x1004
        jne     fail
        l       %r1,0x130               # old PSW: wait state, external mask
        nilf    %r1,0xffffcfff          # ignore the condition code
        clfi    %r1,0x01020001
        jne     fail
        lg      %r1,0x138
        larl    %r2,waitaddr
        cgr     %r1,%r2
        jne     fail
        stck    8(%r9)
        clc     8(8,%r9),16(%r9)
        jnh     fail

        CHECK   5                       # CPU timer: STPT decreases, 0x1005 when negative
        lctlg   %c0,%c0,cr0_cpt-data(%r9)
        mvc     16(8,%r9),cpt_start-data(%r9)
        spt     16(%r9)
        stpt    24(%r9)
        clc     24(8,%r9),16(%r9)
        jnl     fail
        larl    %r14,5f
        stosm   32(%r9),0x01
spin2:  j       spin2
5:      llgh    %r1,0x86
        cghi    %r1,0x1005
        jne     fail
        stpt    24(%r9)
        tm      24(%r9),0x80            # negative now
        jno     fail

        CHECK   6                       # both pending: the clock comparator comes first
        xc      16(8,%r9),16(%r9)
        sckc    16(%r9)                 # comparator 0: pending
        lctlg   %c0,%c0,cr0_both-data(%r9)
        larl    %r14,6f
        stosm   32(%r9),0x01
        j       fail
6:      llgh    %r1,0x86
        cghi    %r1,0x1004
        jne     fail
        lctlg   %c0,%c0,cr0_none-data(%r9)
        j       success

ext_h:  br      %r14
waitaddr:
        j       fail
        .align  8
data:   .quad   0,0,0,0,0
pattern:.quad   0x0123456789abc000
cpt_start:
        .quad   200*4096                # 200 us
cr0_ckc:.quad   0x8e0                   # CR0 bit 52
cr0_cpt:.quad   0x4e0                   # CR0 bit 53
cr0_both:.quad  0xce0
cr0_none:.quad  0xe0
wait_psw:
        .quad   0x0102000180000000, waitaddr
        .include "tail.s"
