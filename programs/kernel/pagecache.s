# pagecache.s: the page cache over the virtual disk. PCACHE holds one word
# per disk block: PC_READ<<16 once the block has been read, plus the frame
# number caching it (0 = not cached).

# pc_get: %r2 = block number -> %r2 = frame caching it (read if needed).
# On a hit the frame is made stable with "set stable if resident" (ORC 6);
# if its old state was Vz the host discarded it: take the discard path and
# read the block again.
pc_get:
        ENTER
        lgr     %r6,%r2                 # block
        sllg    %r7,%r6,2
        agfi    %r7,PCACHE              # its page-cache entry
        llgf    %r8,0(%r7)
        lgr     %r2,%r8
        nilh    %r2,0x00ff              # frame number
        ltgr    %r2,%r2
        jz      miss
        cliy    KVARS+K_HINT,0
        je      hit
        sllg    %r3,%r2,12
        .insn   rrf,0xb9ab0000,%r0,%r3,ORC_IFRES,0
        lghi    %r1,0x0f
        ngr     %r1,%r0                 # old usage and content state
        chi     %r1,0x0f                # V (0x0c) + logically zero (0x03): discarded
        jne     hit
        COUNT   R_STALE
        brasl   %r14,discard_frame
        llgf    %r8,0(%r7)
        j       miss
hit:    COUNT   R_CACHEHITS
        LEAVE
miss:   brasl   %r14,alloc_frame
        lgr     %r9,%r2
        lgr     %r4,%r6                 # DIAG 0x250: R1 pair = block, real address
        sllg    %r5,%r9,12
        lghi    %r3,1                   # R3 = 1: read
        DISKIO
        je      1f
        lgr     %r3,%r6
        FAIL    E_DISKREAD
1:      lghi    %r0,0                   # clean: clear the change bit the read set
        sske    %r0,%r5
        lgr     %r2,%r5                 # check the block against the disk pattern
        lgr     %r3,%r6
        mghi    %r3,131
        lghi    %r1,0xff
        ngr     %r3,%r1
        brasl   %r14,verify
        ltgr    %r2,%r2
        je      2f
        lgr     %r3,%r6
        FAIL    E_READCHECK
2:      COUNT   R_DISKREADS
        tmlh    %r8,PC_READ
        jz      3f
        COUNT   R_REREADS
3:      lgr     %r1,%r9
        oilh    %r1,PC_READ
        st      %r1,0(%r7)
        FTE     %r1,%r9
        mvhi    FT_FLAGS(%r1),F_CACHE
        st      %r6,FT_BLOCK(%r1)
        lgr     %r2,%r9
        LEAVE
