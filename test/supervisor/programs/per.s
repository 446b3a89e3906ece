# per.s: program-event recording (PoP "Program-Event Recording"): CR9 event
# masks, the CR10-CR11 range (also wrapping), PSW bit 1. For each event: the
# interruption code 0x0080 at 0x8E, the ILC, the old PSW (the next
# instruction; for a branch the target), the PER code at 0x96, the ATMID at
# 0x97 and the PER address at 0x98. PER is turned on with STOSM 0x40; the
# program new PSW has it off, so every interruption turns it off again.
# Hercules 3.13 runs the same image (per.test.ts): checks 1-9, 11, 13, 14 agree;
# at checks 10 and 12 it departs from the PoP (noted there), zhint follows the PoP.
# r9 = data area throughout; r5 is the payload (CHKPGM uses r1 and r2).
        .include "head.s"

        # PER interruption: CHKPGM, then PER code, ATMID and PER address
        .macro  CHKPER code, ilc, addr, perc, atmid, peraddr
        CHKPGM  \code,\ilc,\addr
        llgc    %r1,0x96
        cghi    %r1,\perc
        jne     fail
        llgc    %r1,0x97
        cghi    %r1,\atmid
        jne     fail
        lg      %r1,0x98
        larl    %r2,\peraddr
        cgr     %r1,%r2
        jne     fail
        .endm

        .macro  PERON
        stosm   savemask-data(%r9),0x40
        .endm

_start:
        larl    %r9,data

        CHECK   1                       # CR9 armed but PSW bit 1 off: no event
        lctlg   %c9,%c11,cr_if-data(%r9)
        ARM     1f
        lghi    %r5,0
        brasl   %r14,if_insn            # runs if_insn (in range) with PER off, returns to 1f
1:      cghi    %r11,0
        jne     fail
        cghi    %r5,2
        jne     fail

        CHECK   2                       # instruction fetch: the instruction completes first
        ARM     2f
        lghi    %r5,0
        PERON
        lghi    %r3,1                   # outside the range: no event
        brasl   %r14,if_insn
2:      CHKPER  0x80,4,if_after,0x40,0xe0,if_insn
        cghi    %r5,2                   # if_insn completed
        jne     fail
        l       %r1,0x150               # old PSW mask: PER (bit 1) and 64-bit
        clfi    %r1,0x40000001
        jne     fail

        CHECK   3                       # branch, branch-address control on: only into the range
        lctlg   %c9,%c11,cr_bra-data(%r9)
        ARM     3f
        PERON
        j       br_skip                 # target outside the range: no event
        j       fail
br_skip:
        lghi    %r5,0
br_insn:
        j       br_target               # into the range: event, old PSW = the target
        j       fail
3:      CHKPER  0x80,4,br_target,0x80,0xe0,br_insn
        cghi    %r5,0                   # the target did not run
        jne     fail

        CHECK   4                       # branch, branch-address control off: any taken branch
        lctlg   %c9,%c11,cr_b-data(%r9)
        ARM     4f
        lghi    %r3,0
        PERON
        cghi    %r3,1
        je      fail                    # not taken: no event
br_any:
        brc     15,br_far               # taken: event, old PSW = br_far
        j       fail
4:      CHKPER  0x80,4,br_far,0x80,0xe0,br_any

        CHECK   5                       # storage alteration: a store touching the range
        lctlg   %c9,%c11,cr_sa-data(%r9)
        ARM     5f
        lghi    %r5,0x55
        PERON
        mvi     sa_below-data(%r9),1    # outside the range: no event
        stg     %r5,sa_word+8-data(%r9) # outside the range: no event
sa_insn:
        stg     %r5,sa_word-data(%r9)   # event after the store is done
sa_after:
        j       fail
5:      CHKPER  0x80,6,sa_after,0x20,0xe0,sa_insn
        lg      %r1,sa_word-data(%r9)
        cghi    %r1,0x55
        jne     fail

        CHECK   6                       # storage alteration by MVC overlapping the range's first byte
        ARM     6f
        PERON
mvc_insn:
        mvc     sa_word-12-data(16,%r9),src16-data(%r9)
mvc_after:
        j       fail
6:      CHKPER  0x80,6,mvc_after,0x20,0xe0,mvc_insn
        l       %r1,sa_word-data(%r9)   # all 16 bytes were moved
        clfi    %r1,0xc1c2c3c4
        jne     fail

        CHECK   7                       # range wrapping (CR10 > CR11): CR10 = wr_insn, CR11 = 0x100
        lctlg   %c9,%c11,cr_wrap-data(%r9)
        ARM     7f
        PERON
        lghi    %r5,0                   # below CR10, above CR11: no event
wr_insn:
        lghi    %r5,7
wr_after:
        j       fail
7:      CHKPER  0x80,4,wr_after,0x40,0xe0,wr_insn

        CHECK   8                       # wrapping range, low part: CR10 = 2^64-4096, CR11 = sa_word+7
        lctlg   %c9,%c11,cr_wrap2-data(%r9)
        ARM     8f
        PERON
sa2_insn:
        stg     %r5,sa_word-data(%r9)
sa2_after:
        j       fail
8:      CHKPER  0x80,6,sa2_after,0x20,0xe0,sa2_insn

        CHECK   9                       # concurrent operation exception: code 0x0081, suppressed
        lctlg   %c9,%c11,cr_op-data(%r9)
        ARM     9f
        PERON
op_insn:
        .short  0x0300                  # opcode 03: unassigned
9:      CHKPER  0x81,2,9b,0x40,0xe0,op_insn

        # Hercules 3.13 takes the SVC interruption and loses the PER event (its SVC
        # handler runs); the PoP, and Linux's entry code, have the PER interruption follow.
        CHECK   10                      # SVC with an instruction-fetch event: the SVC
        lctlg   %c9,%c11,cr_svc-data(%r9) # interruption first, then PER with old PSW = SVC new PSW
        larl    %r1,svc_handler
        stg     %r1,0x1c8
        ARM     10f
        PERON
svc_insn:
        svc     0x21
svc_after:
        j       fail
10:     CHKPER  0x80,2,svc_handler,0x40,0xe0,svc_insn
        lg      %r1,0x148               # SVC old PSW: past the SVC, PER on
        larl    %r5,svc_after
        cgr     %r1,%r5
        jne     fail
        l       %r1,0x140
        clfi    %r1,0x40000001
        jne     fail
        l       %r1,0x150               # program old PSW: the SVC new PSW
        clfi    %r1,0x00000001
        jne     fail
        larl    %r1,unexpected
        stg     %r1,0x1c8

        CHECK   11                      # instruction fetch of the target of EXECUTE
        lctlg   %c9,%c11,cr_ex-data(%r9)
        ARM     11f
        lghi    %r5,0
        larl    %r4,ex_target
        PERON
ex_insn:
        ex      %r0,0(%r4)
ex_after:
        j       fail
11:     CHKPER  0x80,4,ex_after,0x40,0xe0,ex_insn
        cghi    %r5,3                   # the target ran
        jne     fail

        # Hercules 3.13 agrees but stores ILC 0; the PoP's ILC is that of the
        # instruction at the PER address (4), as zhint stores.
        CHECK   12                      # CR9 bit 39: instruction-fetch nullification
        lctlg   %c9,%c11,cr_nul-data(%r9)
        ARM     12f
        lghi    %r5,0
        PERON
nul_insn:
        lghi    %r5,12                  # nullified: not executed, old PSW = this instruction
        j       fail
12:     CHKPER  0x80,4,nul_insn,0x41,0xe0,nul_insn
        cghi    %r5,0
        jne     fail

        CHECK   13                      # STURA with CR9 bit 34 alone: no event (not a logical store)
        lctlg   %c9,%c11,cr_sa-data(%r9)
        ARM     13f
        lghi    %r5,0x13
        larl    %r6,sa_word
        PERON
        stura   %r5,%r6                 # into the range
        ssm     zero-data(%r9)          # PER off again
13:     cghi    %r11,0
        jne     fail
        l       %r1,sa_word-data(%r9)
        chi     %r1,0x13
        jne     fail

        # store using real address: Hercules 3.13 (and QEMU) recognize it for
        # every STURA/STURG once CR9 bits 34 and 36 are on, without the range check
        CHECK   14                      # STURA with CR9 bits 34 and 36, outside the range
        lctlg   %c9,%c11,cr_sra-data(%r9)
        ARM     14f
        PERON
sra_insn:
        stura   %r5,%r6                 # sa_word: not in the range 0x10000-0x10003
sra_after:
        j       fail
14:     CHKPER  0x80,4,sra_after,0x28,0xe0,sra_insn

        lctlg   %c9,%c11,cr_off-data(%r9)
        j       success

if_insn:
        lghi    %r5,2
if_after:
        br      %r14
br_target:
        lghi    %r5,3
        j       fail
br_far:
        j       fail
svc_handler:
        j       fail
ex_target:
        lghi    %r5,3

        .align  8
data:
        # CR9, CR10, CR11
cr_if:  .quad   0x40000000, if_insn, if_insn
cr_bra: .quad   0x80800000, br_target, br_target
cr_b:   .quad   0x80000000, 0, 0
cr_sa:  .quad   0x20000000, sa_word, sa_word+7
cr_wrap: .quad  0x40000000, wr_insn, 0x100
cr_wrap2: .quad 0x20000000, 0xfffffffffffff000, sa_word+7
cr_op:  .quad   0x40000000, op_insn, op_insn
cr_svc: .quad   0x40000000, svc_insn, svc_insn
cr_ex:  .quad   0x40000000, ex_target, ex_target
cr_nul: .quad   0x41000000, nul_insn, nul_insn
cr_off: .quad   0, 0, 0
cr_sra: .quad   0x28000000, 0x10000, 0x10003
src16:  .long   0xa1a2a3a4, 0xb1b2b3b4, 0xb5b6b7b8, 0xc1c2c3c4
sa_below: .quad 0, 0
sa_word: .quad  0
        .quad   0
savemask: .quad 0
zero:   .quad   0
        .include "tail.s"
