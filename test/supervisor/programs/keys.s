# keys.s: SSKE, ISKE, RRBE (cc from R and C), change/reference recording,
# key-controlled protection with PSW key 2, PFMF set key + clear frame, TB.
        .include "head.s"
_start:
        llilf   %r2,0x40000
        CHECK   1                       # a store sets R and C
        mvi     0(%r2),1
        iske    %r1,%r2
        nilf    %r1,0xff
        clfi    %r1,0x06
        jne     fail
        CHECK   2                       # SSKE key 3; RRBE cc 0; a fetch sets R (cc 2); a store, cc 3
        lghi    %r1,0x30
        sske    %r1,%r2
        iske    %r3,%r2
        nilf    %r3,0xff
        clfi    %r3,0x30
        jne     fail
        rrbe    %r0,%r2
        jnz     fail
        cli     0(%r2),1
        rrbe    %r0,%r2
        jnh     fail                    # cc 2
        jo      fail
        mvi     0(%r2),2
        rrbe    %r0,%r2
        jno     fail                    # cc 3
        rrbe    %r0,%r2
        jnl     fail                    # cc 1: C kept, R reset
        CHECK   3                       # PSW key 2: store into key-3 frame: protection, ILC 4, past
        ARM     3f
        larl    %r1,key2_psw
        lpswe   0(%r1)
k2:     cli     0(%r2),2                # fetch allowed (no fetch protection)
        jne     fail
        mvi     0(%r2),3
3:      CHKPGM  4,4,3b
        CHECK   4                       # PFMF: clear frame and set key 5
        llilf   %r2,0x40000             # (CHKPGM used r2)
        iilf    %r1,0x00030050
        pfmf    %r1,%r2
        iske    %r3,%r2
        nilf    %r3,0xff
        clfi    %r3,0x50
        jne     fail
        cli     0(%r2),0
        jne     fail
        CHECK   5                       # TB clears the block, cc 0
        mvi     0(%r2),9
        tb      %r0,%r2
        jnz     fail
        cli     0(%r2),0
        jne     fail
        j       success
        .align  8
key2_psw:
        .quad   0x0020000180000000, k2
        .include "tail.s"
