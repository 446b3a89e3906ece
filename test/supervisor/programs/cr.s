# cr.s: LCTL/LCTLG/STCTL/STCTG (wrap, alignment), SPX/STPX with the prefix
# swap, STAP, STIDP (zhint's fixed id), STFL, STFLE.
        .include "head.s"
_start:
        larl    %r9,data
        CHECK   1                       # LCTLG/STCTG
        lctlg   %c1,%c1,val64-data(%r9)
        stctg   %c1,%c1,0(%r9)
        clc     0(8,%r9),val64-data(%r9)
        jne     fail
        CHECK   2                       # LCTL wraps c15 -> c0 -> c1, only bits 32-63
        lctl    %c15,%c1,words-data(%r9)
        stctl   %c15,%c1,16(%r9)
        clc     16(12,%r9),words-data(%r9)
        jne     fail
        stctg   %c1,%c1,0(%r9)          # high half of c1 kept from check 1
        clc     0(4,%r9),val64-data(%r9)
        jne     fail
        CHECK   3                       # alignment: LCTL word, LCTLG doubleword
        ARM     3f
        lctl    %c1,%c1,2(%r9)
3:      CHKPGM  6,4,3b
        ARM     4f
        lctlg   %c1,%c1,4(%r9)
4:      CHKPGM  6,6,4b
        ARM     5f
        stctg   %c1,%c1,4(%r9)
5:      CHKPGM  6,6,5b
        CHECK   4                       # STAP, STIDP
        mvhhi   0(%r9),-1
        stap    0(%r9)
        lh      %r1,0(%r9)
        chi     %r1,0
        jne     fail
        stidp   0(%r9)
        lg      %r1,0(%r9)
        lg      %r2,cpuid-data(%r9)
        cgrjne  %r1,%r2,fail
        CHECK   5                       # STFL at lowcore 0xC8, STFLE
        stfl    0
        l       %r1,0xc8
        clfi    %r1,0x61802440          # facilities 1 2 7 8 18 21 25
        jne     fail
        lghi    %r0,0
        stfle   0(%r9)
        jno     fail                    # cc 3: more doublewords exist
        cghi    %r0,2                   # zhint reports 3 doublewords
        jne     fail
        l       %r1,0(%r9)
        clfi    %r1,0x61802440
        jne     fail
        l       %r1,4(%r9)
        clfi    %r1,0x30000000          # facilities 34 35
        jne     fail
        CHECK   6                       # SPX / STPX: copy the low 8K to 0x10000, then move the prefix there
        lghi    %r2,0
        llilf   %r3,0x10000
        lghi    %r4,0x2000
        lgr     %r5,%r4
        lgr     %r6,%r2
        lgr     %r7,%r4
        lgr     %r4,%r3
        lgr     %r5,%r7
        # move 8K from 0 to 0x10000: r4/r5 target, r6/r7 source
        mvcle   %r4,%r6,0
        jo      .-4
        spx     newpfx-data(%r9)
        stpx    0(%r9)
        l       %r1,0(%r9)
        clfi    %r1,0x10000
        jne     fail
        xc      0x8c(4,%r0),0x8c(%r0)   # real 0x8c = absolute 0x1008c
        ARM     6f
        .short  0x0300                  # operation exception, stored in the moved lowcore
6:      CHKPGM  1,2,6b
        llilf   %r1,0x10700
        mvi     0(%r1),0x5a             # real 0x10700 = absolute 0x700
        spx     zero-data(%r9)
        cli     0x700,0x5a
        jne     fail
        llilf   %r1,0x1008e
        lh      %r1,0(%r1)              # the interruption code went to absolute 0x1008e
        chi     %r1,1
        jne     fail
        CHECK   7                       # SPX alignment
        ARM     7f
        spx     2(%r9)
7:      CHKPGM  6,4,7b
        j       success
        .align  8
data:   .quad   0,0,0,0
val64:  .quad   0x1234567800005000
words:  .long   0x11111111,0x000000e0,0x22222000
        .align  8
cpuid:  .quad   0x0000000120640000
newpfx: .long   0x10000
zero:   .long   0
        .include "tail.s"
