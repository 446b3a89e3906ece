# families.s: bare-metal checks of the arithmetic, logical and compare families
# that user-mode QEMU cannot make: program interruptions (compare and trap with
# its DXC, overflow under the program mask, divide, specification for odd
# pairs, misalignment and R0 of CLST) and CLST/CKSM register updates in the
# 31-bit mode. Uses head.s/tail.s of test/supervisor/programs (assemble with
# -I there). Passes under Hercules 3.13 (z/Arch) as under zhint: the success
# wait is at 0xfff; on failure r13 holds the check number.
        .include "head.s"
_start:
        larl    %r9,data
        CHECK   1                       # compare and trap: DXC FF at 0x93, ILC 2 (crt is 4 bytes -> ILC 2)
        lghi    %r1,5
        lghi    %r2,5
        ARM     1f
        crt     %r1,%r2,8
1:      CHKPGM  7,4,1b
        l       %r1,0x90
        cfi     %r1,0xff
        jne     fail
        CHECK   2                       # cit not taken: falls through
        ARM     2f
        cit     %r1,-1,4
        cghi    %r11,0
        jne     fail
2:      CHECK   3                       # clst r0 bits 32-55 nonzero: specification
        lghi    %r0,0x100
        ARM     3f
        clst    %r4,%r6
3:      CHKPGM  6,4,3b
        CHECK   4                       # cksm odd r2: specification
        ARM     4f
        cksm    %r1,%r5
4:      CHKPGM  6,4,4b
        CHECK   5                       # cksm: 1 + ffffffff end-around, padding
        lghi    %r1,1
        la      %r4,ck-data(%r9)
        lghi    %r5,10
        cksm    %r1,%r4
        jnz     fail
        cfi     %r1,0x06080305
        jne     fail
        CHECK   6                       # clst: first shorter -> cc 1, regs at the end char
        lghi    %r0,0
        la      %r4,s1-data(%r9)
        la      %r6,s2-data(%r9)
        clst    %r4,%r6
        jnl     fail
        la      %r7,s1+4-data(%r9)
        cgr     %r4,%r7
        jne     fail
        CHECK   7                       # cs misaligned
        ARM     7f
        cs      %r1,%r2,2(%r9)
7:      CHKPGM  6,4,7b
        CHECK   8                       # dsgr most negative / -1
        llihh   %r3,0x8000
        lghi    %r4,-1
        ARM     8f
        dsgr    %r2,%r4
8:      CHKPGM  9,4,8b
        CHECK   9                       # cgrl misaligned
        ARM     9f
        cgrl    %r1,data+4
9:      CHKPGM  6,6,9b
        CHECK   10                      # alsi -1 on 5 -> 4, cc 3
        mvhi    0(%r9),5
        alsi    0(%r9),-1
        jno     fail
        CHECK   11                      # clm mask 0 -> cc 0
        clm     %r1,0,0(%r9)
        jnz     fail
        CHECK   12                      # crb to 0(r14) conditional return
        larl    %r14,12f
        lghi    %r1,3
        crbe    %r1,%r1,0(%r14)
        j       fail
12:     CHECK   13                      # AR overflow under program mask 8: result stored, code 8, PSW past it
        llilh   %r1,0x0800
        spm     %r1
        llilf   %r6,0x7fffffff
        lghi    %r7,1
        ARM     13f
        ar      %r6,%r7
13:     CHKPGM  8,2,13b
        clfi    %r6,0x80000000
        jne     fail
        CHECK   14                      # ASI overflow: the sum is stored before the interruption
        mvhi    0(%r9),-1
        oi      0(%r9),0x7f             # 0x7fffffff
        ni      0(%r9),0x7f
        llilh   %r1,0x0800              # the program new PSW cleared the mask: set it again
        spm     %r1
        ARM     14f
        asi     0(%r9),1
14:     CHKPGM  8,6,14b
        clc     0(4,%r9),minint-data(%r9)
        jne     fail
        lghi    %r1,0
        spm     %r1
        CHECK   15                      # D by zero; MR odd R1; CDS odd R1
        llilh   %r2,0x8000
        lghi    %r3,1
        ARM     15f
        d       %r2,0(%r9)
15:     CHKPGM  9,4,15b                 # (-2^63 + 1) / -2^31: the quotient does not fit
        lghi    %r4,0
        ARM     16f
        dr      %r2,%r4
16:     CHKPGM  9,2,16b
        ARM     17f
        .byte   0x1c,0x34               # mr %r3,%r4 (GNU as refuses an odd pair)
17:     CHKPGM  6,2,17b
        ARM     18f
        .byte   0xbb,0x34,0x90,0x00     # cds %r3,%r4,0(%r9)
18:     CHKPGM  6,4,18b
        CHECK   16                      # CLST and CKSM in the 31-bit mode: bits 0-31 unchanged, bit 32 zero
        sam31
        lghi    %r0,0
        la      %r4,s1-data(%r9)
        la      %r6,s2-data(%r9)
        iihf    %r4,0xaaaaaaaa
        iihf    %r6,0xbbbbbbbb
        clst    %r4,%r6
        jnl     fail
        srlg    %r1,%r4,32
        clfi    %r1,0xaaaaaaaa
        jne     fail
        llgfr   %r1,%r4
        la      %r7,s1+4-data(%r9)
        cgr     %r1,%r7
        jne     fail
        lghi    %r1,1
        la      %r4,ck-data(%r9)
        iihf    %r4,0xcccccccc
        lghi    %r5,10
        iihf    %r5,0xdddddddd          # ignored in the 31-bit mode
        cksm    %r1,%r4
        jnz     fail
        srlg    %r2,%r5,32
        clfi    %r2,0xdddddddd
        jne     fail
        cfi     %r5,0
        jne     fail
        cfi     %r1,0x06080305
        jne     fail
        sam64
        j       success
        .align  8
data:   .quad   0,0
minint: .long   0x80000000
ck:     .byte   0xff,0xff,0xff,0xff,1,2,3,4,5,6
s1:     .asciz  "hell"
s2:     .asciz  "hello"
        .align  8
        .include "tail.s"
