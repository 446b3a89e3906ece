# frames.s: the frame allocator, the discarded-page list.
# Leaf routines: they clobber %r0-%r5 only.

# alloc_frame: %r2 := a free frame number, made stable (ESSA set stable:
# the host must keep whatever we store from now on).
alloc_frame:
        lg      %r2,KVARS+K_FREEHEAD
        ltgr    %r2,%r2
        jnz     1f
        FAIL    E_NOMEM
1:      FTE     %r1,%r2
        l       %r3,FT_FLAGS(%r1)
        chi     %r3,F_FREE              # never hand out a frame that is in use
        je      2f                      # or still on the discarded-page list
        lgr     %r3,%r2
        FAIL    E_NOTFREE
2:      lg      %r3,FT_NEXT(%r1)
        stg     %r3,KVARS+K_FREEHEAD
        xc      0(32,%r1),0(%r1)
        sllg    %r3,%r2,12
        HINT    %r0,%r3,ORC_STABLE
        COUNT   R_ALLOCS
        br      %r14

# free_frame: %r2 = frame number. Set unused: its content is worthless, the
# host may drop it without any I/O.
free_frame:
        FTE     %r1,%r2
        xc      0(32,%r1),0(%r1)
        mvhi    FT_FLAGS(%r1),F_FREE
        lg      %r3,KVARS+K_FREEHEAD
        stg     %r3,FT_NEXT(%r1)
        stg     %r2,KVARS+K_FREEHEAD
        sllg    %r3,%r2,12
        HINT    %r0,%r3,ORC_UNUSED
        COUNT   R_FREES
        br      %r14

# discard_frame: %r2 = frame number of a page-cache frame whose content the
# host discarded (found by a discard fault or by set-stable-if-resident).
# Invalidate its mapping, drop it from the page cache and put it on the
# discarded-page list. Idempotent: a frame already discarded is left alone.
discard_frame:
        FTE     %r1,%r2
        l       %r3,FT_FLAGS(%r1)
        tmll    %r3,F_DISC
        jnz     9f
        tmll    %r3,F_CACHE
        jnz     1f
        lgr     %r3,%r2
        FAIL    E_DISCNOTCACHE
1:      lg      %r4,FT_VA(%r1)
        ltgr    %r4,%r4
        jz      2f
        lg      %r3,FT_PTO(%r1)
        ipte    %r3,%r4                 # invalidate the PTE and purge it from the TLB
        mvghi   FT_VA(%r1),0
2:      llgf    %r3,FT_BLOCK(%r1)       # page-cache entry: no frame any more
        sllg    %r3,%r3,2
        agfi    %r3,PCACHE
        llilh   %r4,PC_READ
        st      %r4,0(%r3)
        mvhi    FT_FLAGS(%r1),F_DISC
        lg      %r3,KVARS+K_DISCHEAD
        stg     %r3,FT_NEXT(%r1)
        stg     %r2,KVARS+K_DISCHEAD
        agsi    KVARS+K_DISCCOUNT,1
9:      br      %r14

# drain_discarded: (tick only) every frame on the discarded-page list goes
# back to the allocator, set unused.
drain_discarded:
        ENTER
1:      lg      %r2,KVARS+K_DISCHEAD
        ltgr    %r2,%r2
        jz      9f
        FTE     %r1,%r2
        l       %r3,FT_FLAGS(%r1)
        chi     %r3,F_DISC
        je      2f
        lgr     %r3,%r2
        FAIL    E_DRAIN
2:      lg      %r3,FT_NEXT(%r1)
        stg     %r3,KVARS+K_DISCHEAD
        agsi    KVARS+K_DISCCOUNT,-1
        brasl   %r14,free_frame
        COUNT   R_DRAINED
        j       1b
9:      LEAVE
