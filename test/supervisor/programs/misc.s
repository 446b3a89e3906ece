# misc.s: MONITOR CALL (CR8 class masks), SIGP on a one-CPU machine, SAR/EAR,
# TS, and self-modifying code (a store into the very next instruction).
        .include "head.s"
_start:
        larl    %r9,data
        CHECK   1                       # MC with class 3 disabled: no interruption
        ARM     1f
        mc      0x123,3
1:      cghi    %r11,0
        jne     fail
        CHECK   2                       # class 3 enabled in CR8 bit 51: monitor event 0x40
        lctlg   %c8,%c8,cr8-data(%r9)
        ARM     2f
        mc      0x123,3
2:      CHKPGM  0x40,4,2b
        llgh    %r1,0x94
        cghi    %r1,3
        jne     fail
        lg      %r1,0xb0
        cghi    %r1,0x123
        jne     fail
        CHECK   3                       # MC class field above 15: specification
        ARM     3f
        mc      0,0x13
3:      CHKPGM  6,4,3b
        CHECK   4                       # SIGP sense CPU 0: cc 0; CPU 1: cc 3 not operational
        lghi    %r3,0
        sigp    %r2,%r3,1
        jnz     fail
        lghi    %r3,1
        sigp    %r2,%r3,1
        jno     fail
        CHECK   5                       # SAR / EAR
        iilf    %r3,0x12345678
        sar     %a5,%r3
        ear     %r4,%a5
        crjne   %r3,%r4,fail
        CHECK   6                       # TS
        mvi     0(%r9),0
        ts      0(%r9)
        jnz     fail
        cli     0(%r9),0xff
        jne     fail
        ts      0(%r9)
        jno     .+8
        j       fail
        CHECK   7                       # store into the next instruction: the new one executes
        larl    %r1,patch
        lghi    %r2,0
        mvi     3(%r1),2
patch:  lghi    %r2,1
        cghi    %r2,2
        jne     fail
        CHECK   8                       # patch a loop body between two runs of it
        lghi    %r5,2
        lghi    %r6,0
loop:   aghi    %r6,1
        larl    %r7,loop
        mvi     3(%r7),5                # second pass adds 5
        brct    %r5,loop
        cghi    %r6,6
        jne     fail
        CHECK   9                       # SIGP: privileged in problem state
        ARM     9f
        larl    %r1,prob_psw
        lpswe   0(%r1)
prob:   sigp    %r2,%r3,1
9:      CHKPGM  2,4,9b
        j       success
        .align  8
data:   .quad   0
cr8:    .quad   0x1000
prob_psw:
        .quad   0x0001000180000000, prob
        .include "tail.s"
