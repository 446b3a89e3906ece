# dat.s: DAT with a segment-table ASCE and a region-third ASCE: translation,
# page/segment/length/ASCE-type/region-third/translation-specification
# exceptions with their TEID, page protection, LRA, IPTE, TPROT, LURA/STURA,
# home space via SAC, low-address protection.
# Tables: segment table 0x20000 (TL 0), page tables 0x24000 (segment 0,
# identity) and 0x24800 (segment 1: page 0 -> 0x30000, page 1 invalid,
# page 2 -> 0x31000 protected, page 3 bit 52 set); region-third table 0x28000.
        .include "head.s"
        .macro  DATON
        stosm   0x300,0x04
        .endm
_start:
        CHECK   1                       # build the tables (DAT off)
        llilf   %r2,0x20000
        lghi    %r3,512
        lghi    %r4,0x20                # invalid segment entries
1:      stg     %r4,0(%r2)
        aghi    %r2,8
        brct    %r3,1b
        llilf   %r2,0x24000             # identity page table for segment 0
        lghi    %r3,256
        lghi    %r4,0
2:      stg     %r4,0(%r2)
        aghi    %r4,4096
        aghi    %r2,8
        brct    %r3,2b
        llilf   %r2,0x24800             # segment 1: all invalid, then 4 entries
        lghi    %r3,256
        lghi    %r4,0x400
3:      stg     %r4,0(%r2)
        aghi    %r2,8
        brct    %r3,3b
        llilf   %r2,0x24800
        llilf   %r4,0x30000
        stg     %r4,0(%r2)
        llilf   %r4,0x31200             # protected
        stg     %r4,16(%r2)
        llilf   %r4,0x32800             # bit 52: translation specification
        stg     %r4,24(%r2)
        llilf   %r2,0x20000
        llilf   %r4,0x24000
        stg     %r4,0(%r2)              # segment 0
        llilf   %r4,0x24800
        stg     %r4,8(%r2)              # segment 1
        larl    %r9,data
        lctlg   %c1,%c1,asce_seg-data(%r9)

        CHECK   2                       # a store through DAT lands in frame 0x30000
        llilf   %r5,0x100010
        lghi    %r6,0x77
        DATON
        stg     %r6,0(%r5)
        stnsm   0x300,0xfb
        llilf   %r1,0x30010
        cg      %r6,0(%r1)
        jne     fail

        CHECK   3                       # page translation 0x11: nullifying, TEID page | fetch
        llilf   %r5,0x101008
        ARM     3f
        DATON
pt:     lg      %r6,0(%r5)
3:      CHKPGM  0x11,6,pt
        lg      %r1,0xa8
        clgfi   %r1,0x101800
        jne     fail
        CHECK   4                       # same page, a store: TEID store indication 0x400
        ARM     4f
        DATON
pts:    stg     %r6,0(%r5)
4:      CHKPGM  0x11,6,pts
        lg      %r1,0xa8
        clgfi   %r1,0x101400
        jne     fail

        CHECK   5                       # segment translation 0x10 (invalid entry)
        llilf   %r5,0x200000
        ARM     5f
        DATON
st1:    lg      %r6,0(%r5)
5:      CHKPGM  0x10,6,st1
        lg      %r1,0xa8
        clgfi   %r1,0x200800
        jne     fail
        CHECK   6                       # segment translation 0x10 (beyond the table length)
        llilf   %r5,0x20000000
        ARM     6f
        DATON
st2:    lg      %r6,0(%r5)
6:      CHKPGM  0x10,6,st2
        CHECK   7                       # ASCE type 0x38: 2G with a segment-table ASCE
        llilf   %r5,0x80000000
        ARM     7f
        DATON
at:     lg      %r6,0(%r5)
7:      CHKPGM  0x38,6,at
        CHECK   8                       # translation specification 0x12 (PTE bit 52): suppressed
        llilf   %r5,0x103000
        ARM     8f
        DATON
ts1:    lg      %r6,0(%r5)
8:      CHKPGM  0x12,6,8b
        CHECK   9                       # page protection: fetch works, store gives 0x04
        llilf   %r5,0x102000
        ARM     9f
        DATON
        lg      %r6,0(%r5)
pp:     stg     %r6,0(%r5)
9:      CHKPGM  4,6,9b
        lg      %r1,0xa8                # TEID: page address (zhint adds store 0x400 and ESOP bit 61 0x4;
        nill    %r1,0xf000              # Hercules 3.13 stores other low bits, so only bits 0-51 are checked)
        clgfi   %r1,0x102000
        jne     fail

        CHECK   10                      # LRA: cc 0 real address; cc 2 PTE address; cc 1 STE address; cc 3 code
        llilf   %r5,0x100123
        lra     %r1,0(%r5)
        jnz     fail
        clgfi   %r1,0x30123
        jne     fail
        llilf   %r5,0x101000
        lra     %r1,0(%r5)
        jnh     fail                    # cc 2
        jo      fail
        clgfi   %r1,0x24808
        jne     fail
        llilf   %r5,0x200000
        lrag    %r1,0(%r5)
        jnl     fail                    # cc 1
        clgfi   %r1,0x20010
        jne     fail
        llilf   %r5,0x20000000
        lra     %r1,0(%r5)
        jno     fail                    # cc 3
        clfi    %r1,0x80000010
        jne     fail

        CHECK   11                      # IPTE invalidates page 0 of segment 1
        llilf   %r1,0x24800
        llilf   %r2,0x100000
        ipte    %r1,%r2
        lg      %r3,0(%r1)
        tmll    %r3,0x400
        jno     fail
        ARM     11f
        DATON
ip:     lg      %r6,0(%r2)
11:     CHKPGM  0x11,6,ip
        llilf   %r4,0x30000             # map it again (CHKPGM used r1)
        llilf   %r1,0x24800
        stg     %r4,0(%r1)
        ptlb

        CHECK   12                      # TPROT: cc 0 / 1 (DAT-protected) / 3 (invalid)
        DATON
        llilf   %r5,0x100000
        tprot   0(%r5),0
        jnz     fail
        llilf   %r5,0x102000
        tprot   0(%r5),0
        jnl     fail
        llilf   %r5,0x101000
        tprot   0(%r5),0
        jno     fail
        stnsm   0x300,0xfb

        CHECK   13                      # LURA / STURA use real addresses
        llilf   %r2,0x31008
        iilf    %r3,0xcafef00d
        stura   %r3,%r2
        lura    %r4,%r2
        crjne   %r3,%r4,fail

        CHECK   14                      # home space (CR13 real-space ASCE) via SAC; IAC
        lctlg   %c13,%c13,asce_real-data(%r9)
        DATON
        sac     768
        iac     %r1
        jno     fail
        llilf   %r5,0x30010             # real 0x30010 = what primary 0x100010 maps to
        lg      %r6,0(%r5)
        sac     0
        cghi    %r6,0x77
        jne     fail
        stnsm   0x300,0xfb

        CHECK   15                      # region-third ASCE: 0x3B, and translation through it
        llilf   %r2,0x28000
        lghi    %r3,512
        lghi    %r4,0x24                # invalid, TT 01
15:     stg     %r4,0(%r2)
        aghi    %r2,8
        brct    %r3,15b
        llilf   %r2,0x28000
        llilf   %r4,0x20004             # region-third entry 0 -> segment table, TT 01
        stg     %r4,0(%r2)
        llilf   %r4,0x20008             # entry 2: TT 10 is wrong for this level
        stg     %r4,16(%r2)
        lctlg   %c1,%c1,asce_r3-data(%r9)
        llilf   %r5,0x100010
        DATON
        lg      %r6,0(%r5)
        cghi    %r6,0x77
        jne     fail
        llilf   %r5,0x80000000
        ARM     16f
r3x:    lg      %r6,0(%r5)
16:     CHKPGM  0x3b,6,r3x
        DATON
        llihl   %r5,1                   # 4G: region-third index 2
        ARM     17f
        lg      %r6,0(%r5)
17:     CHKPGM  0x12,6,17b

        CHECK   18                      # low-address protection (CR0 bit 35): store to 0x100
        lctlg   %c0,%c0,cr0_lap-data(%r9)
        ARM     18f
        mvi     0x100,1
18:     CHKPGM  4,4,18b
        lctlg   %c0,%c0,cr0_def-data(%r9)
        j       success

        .align  8
data:
asce_seg:  .quad 0x20000                # segment table, TL 0
asce_r3:   .quad 0x28004                # region-third table, DT 01, TL 0
asce_real: .quad 0x20                   # real-space designation
cr0_lap:   .quad 0x100000e0
cr0_def:   .quad 0xe0
        .include "tail.s"
