# handlers.s: the interruption handlers. Each runs with DAT off and all
# interruptions disabled (see the new PSWs), saves the interrupted GPRs in
# its own save area, switches to the kernel stack and returns with LPSWE of
# its old PSW. Handlers never nest: none of them touches a page that can be
# discarded or is unmapped.

restart_handler:
        FAIL    E_PGM

# ---- program interruptions -------------------------------------------------------
pgm_handler:
        stmg    %r0,%r15,SAVE_PGM
        llilf   %r15,KSTACK
        llgh    %r1,0x8e                # program-interruption code
        nill    %r1,0xff7f              # ignore the PER bit
        chi     %r1,0x1a
        je      discard_fault
        chi     %r1,0x11
        je      page_fault
        chi     %r1,0x10
        je      page_fault
        chi     %r1,0x01
        jne     1f
        cliy    KVARS+K_PROBE,1         # operation exception while probing ESSA:
        jne     1f                      # no CMMA here, run without hinting
        mviy    KVARS+K_HINT,0
        j       pgm_return              # suppressing: the old PSW is past ESSA
1:      lg      %r3,0x158               # old PSW address as information
        sllg    %r1,%r1,32
        ogr     %r3,%r1                 # ... with the code in the high word
        FAIL    E_PGM
pgm_return:
        lmg     %r0,%r15,SAVE_PGM
        lpswe   0x150

# ---- discard fault (PIC 0x1A) ------------------------------------------------------
# The host dropped the content of a volatile frame and the guest touched it.
# The TEID holds the *absolute* address of the frame: no reverse mapping is
# needed, the frame table is indexed by it. Mark the frame discarded, cut it
# out of the page tables (IPTE) and the page cache, and park it on the
# discarded-page list; the nullified instruction is retried, now takes a
# page-translation exception, and the page-fault handler re-reads the block.
discard_fault:
        COUNT   R_DFAULTS
        lg      %r2,0xa8
        srlg    %r2,%r2,12              # frame number
        lgr     %r3,%r2
        clg     %r2,KVARS+K_NFRAMES
        jl      1f
        FAIL    E_DISCRANGE
1:      brasl   %r14,discard_frame
        j       pgm_return

# ---- page faults (PIC 0x10 segment, 0x11 page translation) -------------------------
page_fault:
        COUNT   R_PFAULTS
        lg      %r2,0xa8
        lghi    %r1,-4096
        ngr     %r2,%r1                 # faulting page (TEID bits 0-51)
        brasl   %r14,fault_in
        j       pgm_return

# ---- external interruptions: the clock-comparator tick -----------------------------
# The discarded-page list is drained here, never in the fault path: by the
# time a tick is taken, no discard fault for a listed frame can be in flight
# (the page-hinting patches used the same rule: a timer tick / every CPU
# passing an enabled point).
ext_handler:
        stmg    %r0,%r15,SAVE_EXT
        llilf   %r15,KSTACK
        llgh    %r1,0x86
        chi     %r1,0x1004
        je      1f
        lgr     %r3,%r1
        FAIL    E_EXT
1:      COUNT   R_TICKS
        brasl   %r14,drain_discarded
        brasl   %r14,arm_timer
        lmg     %r0,%r15,SAVE_EXT
        lpswe   0x130

# ---- supervisor calls ------------------------------------------------------------------
#   svc 1: exit (self-check, then the success wait PSW)
#   svc 2: munmap VMA %r2 (file: write back dirty pages, then volatile; anon: free)
#   svc 4: fail with code %r2, information %r3
svc_handler:
        stmg    %r0,%r15,SAVE_SVC
        llilf   %r15,KSTACK
        llgh    %r1,0x8a
        lg      %r2,SAVE_SVC+16
        lg      %r3,SAVE_SVC+24
        chi     %r1,2
        jne     1f
        brasl   %r14,munmap
        lmg     %r0,%r15,SAVE_SVC
        lpswe   0x140
1:      chi     %r1,1
        je      kexit
        chi     %r1,4
        jne     2f
        jg      kfail
2:      lgr     %r3,%r1
        FAIL    E_SVC
