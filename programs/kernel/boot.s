# boot.s: from the initial PSW (DAT off, disabled) to the workload.
#   1. check the parameter block, build the pattern pages
#   2. probe for ESSA (operation exception = no CMMA on this machine)
#   3. frame table and free list: every allocatable frame is set unused
#   4. address space: segment table, identity page table for segment 0,
#      empty page tables for the four VMAs; CR1
#   5. clock comparator (CR0 subclass mask), mlocked region populated
#   6. LPSWE into the workload with DAT on and external interruptions enabled

_start:
        llilf   %r15,KSTACK
# ---- 1. parameters ------------------------------------------------------
        ly      %r1,PARM+P_MAGIC
        cfi     %r1,0x5a484b31          # 'ZHK1'
        je      1f
        FAIL    E_PARAMS
1:      lg      %r1,PARM+P_GUESTMEM
        ltgr    %r1,%r1                 # 0: ask the host (DIAGNOSE 0x2FC, guest frames at +0x80)
        jnz     11f
        lghi    %r4,0x900
        lghi    %r5,0x88
        diag    %r4,%r5,0x2fc
        lg      %r1,0x980
        sllg    %r1,%r1,12
        stg     %r1,PARM+P_GUESTMEM
11:     srlg    %r1,%r1,12
        stg     %r1,KVARS+K_NFRAMES
        cgfi    %r1,MAX_FRAMES
        jh      9f
        # frames needed: kernel + file + anon + mlock + 64 spare <= frames
        lg      %r2,PARM+P_FILE
        cgfi    %r2,MAX_BLOCKS
        jh      9f
        clg     %r2,PARM+P_WRITABLE
        jl      9f
        ag      %r2,PARM+P_ANON
        ag      %r2,PARM+P_MLOCK
        aghi    %r2,FIRST_PFN+64
        cgr     %r2,%r1
        jh      9f
        lg      %r1,PARM+P_TICK
        cghi    %r1,100
        jl      9f
        lghi    %r4,0                   # the file must fit on the disk:
        lghi    %r3,3                   # DIAG 0x250 function 3, size query
        DISKIO
        clg     %r5,PARM+P_FILE
        jl      9f
        j       2f
9:      FAIL    E_PARAMS
2:
# BASEPAT: byte k = (k*7 + (k>>8)) & 0xff, the pattern of disk block 0
        llilf   %r2,BASEPAT
        lghi    %r3,0                   # k
3:      lgr     %r4,%r3
        mghi    %r4,7
        srlg    %r5,%r3,8
        agr     %r4,%r5
        stc     %r4,0(%r3,%r2)
        aghi    %r3,1
        cghi    %r3,4096
        jl      3b
# DTAB: byte i = i & 0xff for i in 0..511; DTAB+c is the TR table "add c",
# DTAB+256-c the table "subtract c" (bytewise, modulo 256)
        llilf   %r2,DTAB
        lghi    %r3,0
4:      stc     %r3,0(%r3,%r2)
        aghi    %r3,1
        cghi    %r3,512
        jl      4b
        .ifdef  PEER
        brasl   %r14,ramdisk_init       # the file's blocks, in storage (ramdisk.s)
        .endif

# ---- 2. probe for ESSA ----------------------------------------------------
        mviy    KVARS+K_HINT,1
        lg      %r1,PARM+P_FLAGS
        tmll    %r1,1
        jz      5f
        mviy    KVARS+K_HINT,0
        j       6f
5:      mviy    KVARS+K_PROBE,1
        lghi    %r2,0
        .insn   rrf,0xb9ab0000,%r0,%r2,ORC_GET,0   # operation exception: pgm_handler clears K_HINT
        mviy    KVARS+K_PROBE,0
6:      llgc    %r1,KVARS+K_HINT
        stg     %r1,RES+R_HINTING

# ---- 3. frame table and free list -----------------------------------------
# Kernel frames are marked F_KERN. Allocatable frames are pushed from the
# top down so that the allocator hands out low frames first; each is set
# unused: it holds nothing and the host may take it back at no cost.
        lg      %r6,KVARS+K_NFRAMES
        lghi    %r7,0                   # pfn
7:      FTE     %r1,%r7
        xc      0(32,%r1),0(%r1)
        mvhi    FT_FLAGS(%r1),F_KERN
        aghi    %r7,1
        cghi    %r7,FIRST_PFN
        jl      7b
        lgr     %r7,%r6
8:      aghi    %r7,-1
        FTE     %r1,%r7
        xc      0(32,%r1),0(%r1)
        mvhi    FT_FLAGS(%r1),F_FREE
        lg      %r2,KVARS+K_FREEHEAD
        stg     %r2,FT_NEXT(%r1)
        stg     %r7,KVARS+K_FREEHEAD
        sllg    %r3,%r7,12
        HINT    %r0,%r3,ORC_UNUSED
        cghi    %r7,FIRST_PFN
        jh      8b

# ---- 4. address space -------------------------------------------------------
# segment table: every entry invalid, then segment 0 -> identity page table
        llilf   %r2,SEGTAB
        lghi    %r3,2048
10:     mvghi   0(%r2),STE_I
        la      %r2,8(%r2)
        brct    %r3,10b
        llilf   %r2,PTAB_ID
        stg     %r2,SEGTAB              # STE: page-table origin, valid, TT 00
        lghi    %r3,0
11:     sllg    %r4,%r3,12
        stg     %r4,0(%r2)              # PTE: frame = page (identity)
        la      %r2,8(%r2)
        aghi    %r3,1
        cghi    %r3,256
        jl      11b
# the four VMAs
        llilf   %r7,KVARS+K_VMAS
        llilf   %r8,PTAB_POOL           # next free page table
        # 0: read-only file mapping, blocks 0 .. file-writable-1
        llilh   %r1,VA_FILE_RO>>16
        stg     %r1,V_START(%r7)
        lg      %r1,PARM+P_FILE
        sg      %r1,PARM+P_WRITABLE
        stg     %r1,V_PAGES(%r7)
        mvghi   V_KIND(%r7),KIND_FILE_RO
        mvghi   V_BLOCK(%r7),0
        brasl   %r14,setup_vma
        # 1: writable file mapping, the last P_WRITABLE blocks
        la      %r7,VMA_SIZE(%r7)
        llilh   %r1,VA_FILE_RW>>16
        stg     %r1,V_START(%r7)
        lg      %r1,PARM+P_WRITABLE
        stg     %r1,V_PAGES(%r7)
        mvghi   V_KIND(%r7),KIND_FILE_RW
        lg      %r1,PARM+P_FILE
        sg      %r1,PARM+P_WRITABLE
        stg     %r1,V_BLOCK(%r7)
        brasl   %r14,setup_vma
        # 2: anonymous memory
        la      %r7,VMA_SIZE(%r7)
        llilh   %r1,VA_ANON>>16
        stg     %r1,V_START(%r7)
        lg      %r1,PARM+P_ANON
        stg     %r1,V_PAGES(%r7)
        mvghi   V_KIND(%r7),KIND_ANON
        brasl   %r14,setup_vma
        # 3: mlocked memory
        la      %r7,VMA_SIZE(%r7)
        llilh   %r1,VA_MLOCK>>16
        stg     %r1,V_START(%r7)
        lg      %r1,PARM+P_MLOCK
        stg     %r1,V_PAGES(%r7)
        mvghi   V_KIND(%r7),KIND_MLOCK
        brasl   %r14,setup_vma
# CR1: primary ASCE = segment table origin, DT 00 (segment table), TL 3 (4 x 4 KB)
        llilf   %r1,SEGTAB+3
        stg     %r1,TMP
        lctlg   %c1,%c1,TMP

# ---- 5. clock comparator, mlocked region ----------------------------------
        stctg   %c0,%c0,TMP
        lg      %r1,TMP
        oill    %r1,0x800               # CR0 bit 52: clock-comparator subclass mask
        stg     %r1,TMP
        lctlg   %c0,%c0,TMP
        brasl   %r14,arm_timer
        lghi    %r2,3
        brasl   %r14,mlock_populate

# ---- 6. into the workload ------------------------------------------------------
        lpswe   psw_workload-image

# setup_vma: %r7 = VMA, %r8 = next free page table (advanced). Points the
# VMA's segment-table entries at fresh page tables whose entries are all
# invalid, so every first touch is a page-translation exception.
setup_vma:
        stg     %r8,V_PTBASE(%r7)
        lg      %r2,V_PAGES(%r7)
        aghi    %r2,255
        srlg    %r2,%r2,8               # segments
        ltgr    %r2,%r2
        jz      3f
        lg      %r3,V_START(%r7)
        srlg    %r3,%r3,20-3            # segment index * 8
        agfi    %r3,SEGTAB
1:      stg     %r8,0(%r3)              # STE
        la      %r3,8(%r3)
        lghi    %r4,256
2:      mvghi   0(%r8),PTE_I
        la      %r8,8(%r8)
        brct    %r4,2b
        cgfi    %r8,PTAB_END
        jh      4f
        brct    %r2,1b
3:      br      %r14
4:      FAIL    E_PARAMS

# arm_timer: next tick = now + P_TICK microseconds (TOD bit 51 = 1 us)
arm_timer:
        stck    TMP
        lg      %r1,PARM+P_TICK
        sllg    %r1,%r1,12
        ag      %r1,TMP
        stg     %r1,KVARS+K_NEXTTICK
        stg     %r1,TMP+8
        sckc    TMP+8
        br      %r14

# kfail: %r2 = failure code, %r3 = information. Store them and stop with a
# disabled wait at 0xbad000 + code*16 (any address not ending in fff fails).
kfail:
        stg     %r2,RES+R_FAILCODE
        stg     %r3,RES+R_FAILINFO
        lghi    %r1,2
        stg     %r1,RES+R_STATUS
        sllg    %r2,%r2,4
        agfi    %r2,0xbad000
        stg     %r2,psw_failure-image+8
        lpswe   psw_failure-image
