# mm.s: the address space: page faults, munmap, mlock, and the final
# self-check.

# find_vma: %r2 = virtual address -> %r7 = its VMA, %r8 = page index in it.
# Fails with E_SEGV when no VMA holds it.
find_vma:
        llilf   %r7,KVARS+K_VMAS
        lghi    %r0,4
1:      lg      %r3,V_START(%r7)
        clgr    %r2,%r3
        jl      2f
        lg      %r4,V_PAGES(%r7)
        sllg    %r4,%r4,12
        agr     %r4,%r3
        clgr    %r2,%r4
        jl      3f
2:      la      %r7,VMA_SIZE(%r7)
        brct    %r0,1b
        lgr     %r3,%r2
        FAIL    E_SEGV
3:      lgr     %r8,%r2
        sgr     %r8,%r3
        srlg    %r8,%r8,12
        br      %r14

# fault_in: %r2 = virtual page address whose PTE is invalid. Map a frame:
# file pages through the page cache (volatile when mapped read-only,
# potentially volatile when mapped writable), anonymous pages zeroed.
fault_in:
        ENTER
        lgr     %r6,%r2                 # virtual page
        brasl   %r14,find_vma           # %r7 VMA, %r8 page index
        lg      %r10,V_PTBASE(%r7)
        sllg    %r1,%r8,3
        agr     %r10,%r1                # PTE address
        lg      %r1,0(%r10)
        tmll    %r1,PTE_I
        jnz     1f
        lgr     %r3,%r6
        FAIL    E_PTEVALID
1:      lg      %r11,V_PTBASE(%r7)
        srlg    %r1,%r8,8
        sllg    %r1,%r1,11
        agr     %r11,%r1                # page-table origin (for IPTE later)
        lg      %r1,V_KIND(%r7)
        chi     %r1,KIND_ANON
        je      fi_anon
        chi     %r1,KIND_MLOCK
        jne     2f
        lgr     %r3,%r6
        FAIL    E_MLOCKFAULT
2:      lg      %r2,V_BLOCK(%r7)
        agr     %r2,%r8
        brasl   %r14,pc_get             # frame caching the block, stable now
        lgr     %r9,%r2
        FTE     %r12,%r9
        stg     %r6,FT_VA(%r12)
        stg     %r11,FT_PTO(%r12)
        sllg    %r3,%r9,12
        lg      %r1,V_KIND(%r7)
        chi     %r1,KIND_FILE_RW
        je      3f
        lgr     %r4,%r3                 # read-only mapping: page-protected PTE
        oill    %r4,PTE_P
        stg     %r4,0(%r10)
        HINT    %r0,%r3,ORC_VOLATILE    # clean, read-only: the host may drop it
        LEAVE
3:      l       %r4,FT_FLAGS(%r12)      # writable mapping: potentially volatile,
        oill    %r4,F_WMAP              # the change bit protects what gets stored
        st      %r4,FT_FLAGS(%r12)
        stg     %r3,0(%r10)
        HINT    %r0,%r3,ORC_POTVOL
        LEAVE
fi_anon:
        brasl   %r14,alloc_frame
        lgr     %r9,%r2
        FTE     %r12,%r9
        mvhi    FT_FLAGS(%r12),F_ANON
        stg     %r6,FT_VA(%r12)
        stg     %r11,FT_PTO(%r12)
        sllg    %r3,%r9,12
        lgr     %r4,%r3
        lghi    %r0,16
4:      xc      0(256,%r4),0(%r4)
        la      %r4,256(%r4)
        brct    %r0,4b
        stg     %r3,0(%r10)
        LEAVE

# munmap: %r2 = VMA index. Invalidate every mapped page. Anonymous frames
# are freed (set unused). File frames stay in the page cache: a page the
# workload stored into (change bit on) is written back first and its change
# bit cleared; then, clean and no longer writable-mapped, it is volatile.
munmap:
        ENTER
        mghi    %r2,VMA_SIZE
        agfi    %r2,KVARS+K_VMAS
        lgr     %r7,%r2
        lghi    %r8,0                   # page index
1:      clg     %r8,V_PAGES(%r7)
        jhe     9f
        lg      %r10,V_PTBASE(%r7)
        sllg    %r1,%r8,3
        agr     %r10,%r1
        lg      %r1,0(%r10)
        tmll    %r1,PTE_I
        jnz     8f
        srlg    %r9,%r1,12              # frame number
        lg      %r3,V_START(%r7)
        sllg    %r4,%r8,12
        agr     %r3,%r4                 # virtual address
        lg      %r4,V_PTBASE(%r7)
        srlg    %r5,%r8,8
        sllg    %r5,%r5,11
        agr     %r4,%r5                 # page-table origin
        ipte    %r4,%r3
        FTE     %r12,%r9
        mvghi   FT_VA(%r12),0
        lg      %r1,V_KIND(%r7)
        chi     %r1,KIND_ANON
        jne     2f
        lgr     %r2,%r9
        brasl   %r14,free_frame
        j       8f
2:      l       %r1,FT_FLAGS(%r12)
        nill    %r1,0xffff-F_WMAP
        st      %r1,FT_FLAGS(%r12)
        sllg    %r5,%r9,12
        iske    %r0,%r5
        tmll    %r0,0x02                # change bit: dirty
        jz      3f
        llgf    %r4,FT_BLOCK(%r12)      # write back: DIAG 0x250 function 2
        lghi    %r3,2
        DISKIO
        je      4f
        lgr     %r3,%r4
        FAIL    E_DISKWRITE
4:      lghi    %r0,0
        sske    %r0,%r5
        COUNT   R_WBACKS
3:      HINT    %r0,%r5,ORC_VOLATILE
8:      aghi    %r8,1
        j       1b
9:      LEAVE

# mlock_populate: %r2 = VMA index of the mlocked region: every page gets a
# frame now and keeps it; mlocked frames are never hinted (they stay stable).
mlock_populate:
        ENTER
        mghi    %r2,VMA_SIZE
        agfi    %r2,KVARS+K_VMAS
        lgr     %r7,%r2
        lghi    %r8,0
1:      clg     %r8,V_PAGES(%r7)
        jhe     9f
        brasl   %r14,alloc_frame
        lgr     %r9,%r2
        lg      %r10,V_PTBASE(%r7)
        sllg    %r1,%r8,3
        agr     %r10,%r1
        FTE     %r12,%r9
        mvhi    FT_FLAGS(%r12),F_MLOCK
        lg      %r3,V_START(%r7)
        sllg    %r4,%r8,12
        agr     %r3,%r4
        stg     %r3,FT_VA(%r12)
        lg      %r4,V_PTBASE(%r7)
        srlg    %r5,%r8,8
        sllg    %r5,%r5,11
        agr     %r4,%r5
        stg     %r4,FT_PTO(%r12)
        sllg    %r3,%r9,12
        stg     %r3,0(%r10)
        aghi    %r8,1
        j       1b
9:      LEAVE

# kexit: the workload finished and verified everything. With hinting, check
# every allocatable frame's usage state (ESSA get state) against the frame
# table, then stop with the success PSW.
kexit:
        cliy    KVARS+K_HINT,0
        je      8f
        lghi    %r6,FIRST_PFN
1:      clg     %r6,KVARS+K_NFRAMES
        jhe     8f
        FTE     %r7,%r6
        sllg    %r3,%r6,12
        .insn   rrf,0xb9ab0000,%r0,%r3,ORC_GET,0
        lghi    %r1,0x0c
        ngr     %r1,%r0                 # usage: 0 S, 4 U, 8 P, 0xc V
        l       %r2,FT_FLAGS(%r7)
        lgr     %r3,%r6
        tmll    %r2,F_FREE
        jz      2f
        chi     %r1,0x04
        je      7f
        FAIL    E_CHK_FREE
2:      tmll    %r2,F_MLOCK
        jz      3f
        chi     %r1,0x00
        je      7f
        FAIL    E_CHK_MLOCK
3:      tmll    %r2,F_WMAP
        jz      4f
        chi     %r1,0x0c                # the guest never hints V here; only the
        jne     7f                      # host may turn a clean P into Vz
        lghi    %r1,0x03
        ngr     %r1,%r0
        chi     %r1,0x03
        je      7f
        FAIL    E_CHK_WMAP
4:      tmll    %r2,F_CACHE
        jz      5f
        chi     %r1,0x0c                # clean, not writable-mapped: volatile
        je      7f
        FAIL    E_CHK_CACHE
5:      tmll    %r2,F_DISC
        jz      7f
        chi     %r1,0x0c
        je      7f
        FAIL    E_CHK_DISC
7:      COUNT   R_CHECKED
        aghi    %r6,1
        j       1b
8:      lghi    %r1,1
        stg     %r1,RES+R_STATUS
        lpswe   psw_success-image
