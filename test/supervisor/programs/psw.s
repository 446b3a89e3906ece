# psw.s: EPSW, IPM, SPM, LPSW (8-byte form), LPSWE, SSM/STOSM/STNSM, early
# specification exceptions, privileged-operation in problem state.
        .include "head.s"
_start:
        CHECK   1                       # initial PSW: 64-bit, disabled, key 0
        epsw    %r1,%r2
        clfi    %r1,0x00000001
        jne     fail
        clfi    %r2,0x80000000
        jne     fail

        CHECK   2                       # IPM: cc 1 and program mask 0 into bits 34-39
        lghi    %r3,-1
        ltgr    %r3,%r3
        lghi    %r4,-1
        ipm     %r4
        clfi    %r4,0x10ffffff
        jne     fail
        CHECK   3                       # SPM: cc 2, program mask 0xF
        iilf    %r5,0x2f000000
        spm     %r5
        ipm     %r6
        llilf   %r7,0x2f000000
        nilf    %r6,0xff000000
        crjne   %r6,%r7,fail
        lghi    %r5,0
        spm     %r5

        CHECK   4                       # LPSW: valid ESA/390 PSW, 31-bit mode
        larl    %r1,short_ok
        lpsw    0(%r1)
        j       fail
lpsw_target:
        epsw    %r1,%r2
        clfi    %r1,0
        jne     fail
        clfi    %r2,0x80000000
        jne     fail
        sam64

        CHECK   5                       # LPSW with bit 12 = 0: early specification, ILC 0
        ARM     5f
        larl    %r1,short_bad
        lpsw    0(%r1)
        j       fail
5:      CHKPGM  6,0,lpsw_target
        l       %r1,0x150               # old PSW mask: Hercules 3.13 stores it without bit 12
        clfi    %r1,0x00000000
        jne     fail

        CHECK   6                       # LPSW operand not on a doubleword: specification, ILC 4
        ARM     6f
        larl    %r1,short_ok
        lpsw    4(%r1)
6:      CHKPGM  6,4,6b

        CHECK   7                       # LPSWE with PSW bit 24 one: early, old PSW = that PSW
        ARM     7f
        larl    %r1,long_bad
        lpswe   0(%r1)
        j       fail
7:      CHKPGM  6,0,lpsw_target
        l       %r1,0x150
        clfi    %r1,0x00000081
        jne     fail

        CHECK   8                       # problem state: privileged operation, ILC 4, past it
        ARM     8f
        larl    %r1,problem_psw
        lpswe   0(%r1)
        j       fail
problem:
        ptlb
pastptlb:
        j       fail
8:      CHKPGM  2,4,pastptlb
        l       %r1,0x150               # old PSW: problem state bit 15
        clfi    %r1,0x00010001
        jne     fail

        CHECK   9                       # STOSM / STNSM
        larl    %r3,save
        stosm   0(%r3),0x03             # I/O and external masks on
        epsw    %r1,%r2
        clfi    %r1,0x03000001
        jne     fail
        cli     0(%r3),0
        jne     fail
        stnsm   0(%r3),0xfc
        cli     0(%r3),0x03
        jne     fail
        epsw    %r1,%r2
        clfi    %r1,0x00000001
        jne     fail
        CHECK   10                      # SSM
        mvi     0(%r3),0x02
        ssm     0(%r3)
        epsw    %r1,%r2
        clfi    %r1,0x02000001
        jne     fail
        mvi     0(%r3),0
        ssm     0(%r3)

        CHECK   11                      # operation exception: ILC 2, suppressed (past it)
        ARM     11f
        .short  0x0300                  # opcode 03: unassigned
11:     CHKPGM  1,2,11b

        j       success

        .align  8
short_ok:
        .long   0x00080000, 0x80000000 + lpsw_target
short_bad:
        .long   0x00000000, 0x80000000 + lpsw_target
long_bad:
        .quad   0x0000008180000000, lpsw_target
problem_psw:
        .quad   0x0001000180000000, problem
save:   .quad   0
        .include "tail.s"
