# hinting-demo.s — guest page hinting under host memory pressure.
#
# The guest marks its frames with ESSA the way a hinting kernel does
# (free → unused, clean cache → volatile, mapped-writable cache → potentially
# volatile, everything else stable), then runs four "jobs" that each
# allocate, use and free frames of their own: together more than the host holds. The host must reclaim: it
# drops unused and volatile frames without I/O and pages out only the rest.
# Afterwards the guest
#   - checks every stable and potentially-volatile (changed) frame kept its data,
#   - loads from a volatile frame the host dropped: a discard fault
#     (program interruption 0x1A) arrives, and the handler checks that the
#     translation-exception identification at lowcore 0xA8 holds that
#     frame's absolute address, re-creates the page and returns to the load,
#     which is retried and now sees the re-created data,
#   - asks ESSA "set stable if resident" on the other volatile frame and learns
#     from the old state (Vz) that it was discarded, without a fault,
#   - compares the host's discard-fault count (DIAGNOSE 0x2FC) with its own,
# and stops with the success PSW. Any failed check prints why and stops with
# a disabled wait at 0xbad (exit status 1).
#
# Without CMMA (zhint run --cmma=off) ESSA is an operation exception: the
# guest probes for it once (as Linux and kvm-unit-tests do), then runs the
# same jobs without hints and checks that every frame kept its data. The
# host statistics of the two runs show the page-outs hinting avoided:
#   zhint run programs/hinting-demo.s --guest-mem 1M --host-mem 64K --json
#   zhint run programs/hinting-demo.s --guest-mem 1M --host-mem 64K --cmma=off --json
#
# Runs with DAT off (real = absolute; prefix 0). Position independent code;
# assembles with zhint and with GNU as:
#   s390x-linux-gnu-as -o demo.o programs/hinting-demo.s
#   s390x-linux-gnu-ld -Ttext=0x10000 -o demo.elf demo.o

        .equ    VARS, 0x3000            # the guest's variables (own frame)
        .equ    V_CMMA, 0               #   byte: 1 = ESSA is installed
        .equ    V_PROBE, 1              #   byte: 1 while probing for ESSA
        .equ    V_EXPECT, 8             #   address the next discard fault must report
        .equ    V_FAULTS, 16            #   discard faults handled
        .equ    STATS, 0x100            #   DIAGNOSE 0x2FC buffer (0xC8 bytes)
        .equ    SAVE, 0x200             # lowcore save area of the program-interruption handler
        .equ    DATA, 0x40000           # 16 data frames, kinds by frame number: S U V P S U V P ...
        .equ    NDATA, 16
        .equ    PRESS, 0x80000          # the jobs' frames: 4 jobs of 8 frames each
        .equ    NJOBS, 4
        .equ    JOBFRAMES, 8

        .equ    ORC_STABLE, 1
        .equ    ORC_UNUSED, 2
        .equ    ORC_VOLATILE, 3
        .equ    ORC_POTVOL, 4
        .equ    ORC_STABLE_IF_RESIDENT, 6

        .text
        .globl  _start
_start:
        lghi    %r12,VARS
        xc      0(256,%r12),0(%r12)
        larl    %r1,pgm_new_psw
        mvc     0x1d0(16,%r0),0(%r1)    # program new PSW → pgm_handler

# ---- is ESSA installed? (an operation exception says no) ----
        mvi     V_PROBE(%r12),1
        mvi     V_CMMA(%r12),1
        lghi    %r2,0
        .insn   rrf,0xb9ab0000,%r3,%r2,0,0      # essa %r3,%r2,0 (get state)
        mvi     V_PROBE(%r12),0
        larl    %r2,msg_on
        lghi    %r3,msg_on_end-msg_on
        cli     V_CMMA(%r12),0
        jne     1f
        larl    %r2,msg_off
        lghi    %r3,msg_off_end-msg_off
1:      diag    %r2,%r3,0x008

# ---- the data frames: word 0 = own address, last word = address + 1 ----
        llilf   %r2,DATA
        lghi    %r5,NDATA
2:      brasl   %r14,fill
        aghi    %r2,4096
        brctg   %r5,2b
# ... and their hints: stable, unused, volatile, potentially volatile (changed)
        llilf   %r2,DATA
        lghi    %r5,NDATA/4
3:      brasl   %r14,hint_stable
        aghi    %r2,4096
        brasl   %r14,hint_unused
        aghi    %r2,4096
        brasl   %r14,hint_volatile
        aghi    %r2,4096
        brasl   %r14,hint_potvol
        aghi    %r2,4096
        brctg   %r5,3b

# ---- four jobs, each on its own 8 frames: allocate (set stable), use, free (set unused) ----
        llilf   %r7,PRESS
        lghi    %r6,NJOBS
4:      lgr     %r2,%r7
        lghi    %r5,JOBFRAMES
5:      brasl   %r14,hint_stable
        brasl   %r14,fill
        aghi    %r2,4096
        brctg   %r5,5b
        lgr     %r2,%r7
        lghi    %r5,JOBFRAMES
6:      brasl   %r14,hint_unused
        aghi    %r2,4096
        brctg   %r5,6b
        agfi    %r7,JOBFRAMES*4096
        brctg   %r6,4b

# ---- stable and potentially-volatile frames kept their data (all frames without CMMA) ----
        llilf   %r2,DATA
        lghi    %r5,NDATA
7:      cli     V_CMMA(%r12),0
        je      8f
        lgr     %r1,%r2
        srlg    %r1,%r1,12
        nill    %r1,3                   # kind: 0 S, 1 U, 2 V, 3 P
        chi     %r1,1
        je      9f
        chi     %r1,2
        je      9f
8:      brasl   %r14,check
9:      aghi    %r2,4096
        brctg   %r5,7b

        cli     V_CMMA(%r12),0
        je      done

# ---- a volatile frame the host dropped: the load takes a discard fault ----
        llilf   %r2,DATA+2*4096
        stg     %r2,V_EXPECT(%r12)
        lg      %r3,0(%r2)              # discard fault; the handler re-creates; retried
        cgr     %r3,%r2
        jne     fail_refault
        lg      %r3,V_FAULTS(%r12)
        cghi    %r3,1
        jne     fail_count

# ---- the other one: "set stable if resident" tells without a fault ----
        llilf   %r2,DATA+6*4096
        .insn   rrf,0xb9ab0000,%r4,%r2,ORC_STABLE_IF_RESIDENT,0
        cghi    %r4,0x0f                # old state Vz: volatile, discarded
        jne     fail_orc6
        brasl   %r14,recreate
        brasl   %r14,check

# ---- the host counted the same discard faults ----
        la      %r2,STATS(%r12)
        lghi    %r3,0xc8
        diag    %r2,%r3,0x2fc
        lg      %r3,STATS+0x28(%r12)    # discard faults delivered
        clg     %r3,V_FAULTS(%r12)
        jne     fail_count
        lg      %r3,STATS+0x18(%r12)    # V discards: at least our two volatile frames
        cghi    %r3,2
        jl      fail_count

done:   larl    %r2,msg_ok
        lghi    %r3,msg_ok_end-msg_ok
        diag    %r2,%r3,0x008
        larl    %r1,success_psw
        lpswe   0(%r1)

# ---- subroutines: %r2 = frame address, return by %r14 ----
fill:   stg     %r2,0(%r2)
        la      %r1,1(%r2)
        stg     %r1,0xff8(%r2)
        br      %r14

check:  lg      %r3,0(%r2)
        cgr     %r3,%r2
        jne     fail_data
        lg      %r3,0xff8(%r2)
        la      %r1,1(%r2)
        cgr     %r3,%r1
        jne     fail_data
        br      %r14

# re-create a discarded page: make it stable again (Vz → Sz) and refill it
recreate:
        .insn   rrf,0xb9ab0000,%r4,%r2,ORC_STABLE,0
        j       fill

# hint_stable, hint_unused, hint_volatile, hint_potvol: ESSA with that ORC
# on the frame at %r2 (nothing without CMMA)
        .macro  HINTSUB name,orc
\name:
        cli     V_CMMA(%r12),0
        ber     %r14
        .insn   rrf,0xb9ab0000,%r4,%r2,\orc,0
        br      %r14
        .endm
        HINTSUB hint_stable,ORC_STABLE
        HINTSUB hint_unused,ORC_UNUSED
        HINTSUB hint_volatile,ORC_VOLATILE
        HINTSUB hint_potvol,ORC_POTVOL

# ---- program interruptions ----
pgm_handler:
        stmg    %r0,%r15,SAVE
        lghi    %r12,VARS
        llgh    %r1,0x8e                # program-interruption code
        chi     %r1,0x01
        je      pgm_operation
        chi     %r1,0x1a
        jne     fail_pgm
        # discard fault: the TEID (lowcore 0xA8) is the absolute address of the block
        lg      %r2,0xa8
        clg     %r2,V_EXPECT(%r12)
        jne     fail_teid
        lg      %r1,V_FAULTS(%r12)
        aghi    %r1,1
        stg     %r1,V_FAULTS(%r12)
        brasl   %r14,recreate
        j       pgm_return
pgm_operation:                          # only expected while probing for ESSA
        cli     V_PROBE(%r12),1
        jne     fail_pgm
        mvi     V_CMMA(%r12),0
pgm_return:
        lmg     %r0,%r15,SAVE
        lpswe   0x150                   # the program old PSW: retry (nullified) or go on

# ---- failures: print why, stop at 0xbad ----
# fail_NAME: msg_NAME to the console, then fail (the last one falls through)
        .macro  FAILMSG why
fail_\why:
        larl    %r2,msg_\why
        lghi    %r3,msg_\why\()_end-msg_\why
        j       fail
        .endm
        FAILMSG data
        FAILMSG refault
        FAILMSG count
        FAILMSG orc6
        FAILMSG teid
fail_pgm:
        larl    %r2,msg_pgm
        lghi    %r3,msg_pgm_end-msg_pgm
fail:   diag    %r2,%r3,0x008
        larl    %r1,fail_psw
        lpswe   0(%r1)

        .align  8
pgm_new_psw:
        .quad   0x0000000180000000, pgm_handler        # 64-bit, all interruptions off
success_psw:
        .quad   0x0002000180000000, 0x0000000000000fff # disabled wait at ...fff: success
fail_psw:
        .quad   0x0002000180000000, 0x0000000000000bad

        .balign 2                       # LARL needs an even address
msg_on:       .ascii "hinting-demo: CMMA on, hinting\n"
msg_on_end:
        .balign 2                       # LARL needs an even address
msg_off:      .ascii "hinting-demo: CMMA off, no hints (baseline)\n"
msg_off_end:
        .balign 2                       # LARL needs an even address
msg_ok:       .ascii "hinting-demo: ok\n"
msg_ok_end:
        .balign 2                       # LARL needs an even address
msg_data:     .ascii "hinting-demo: FAIL: a frame lost its data\n"
msg_data_end:
        .balign 2                       # LARL needs an even address
msg_refault:  .ascii "hinting-demo: FAIL: the retried load did not see the re-created page\n"
msg_refault_end:
        .balign 2                       # LARL needs an even address
msg_count:    .ascii "hinting-demo: FAIL: discard fault / discard counts\n"
msg_count_end:
        .balign 2                       # LARL needs an even address
msg_orc6:     .ascii "hinting-demo: FAIL: set-stable-if-resident did not report Vz\n"
msg_orc6_end:
        .balign 2                       # LARL needs an even address
msg_teid:     .ascii "hinting-demo: FAIL: discard fault TEID is not the block's absolute address\n"
msg_teid_end:
        .balign 2                       # LARL needs an even address
msg_pgm:      .ascii "hinting-demo: FAIL: unexpected program interruption\n"
msg_pgm_end:
