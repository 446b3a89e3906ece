# defs.s: storage layout, data-structure offsets and macros of the zhint
# guest kernel. Every address here is absolute = real (prefix 0). The first
# megabyte (segment 0) is also identity-mapped so the workload, which runs
# with DAT on, can reach its code and the pattern pages at the same addresses.

# ---- fixed storage layout (absolute) ----------------------------------
        .set    PARM,        0x2000     # parameter block (input, written by the demo)
        .set    RES,         0x2100     # result block (output, read by the demo)
        .set    SAVE_PGM,    0x2200     # GPRs of the interrupted code, per class
        .set    SAVE_EXT,    0x2280
        .set    SAVE_SVC,    0x2300
        .set    SAVE_RD,     0x2380     # GPRs around the peer build's RAM disk (ramdisk.s)
        .set    KVARS,       0x2400     # kernel variables
        .set    TMP,         0x800      # scratch doublewords (below 4 KB: S-format operands)
        .set    CODE,        0x4000     # kernel text starts here
        .set    SEGTAB,      0x10000    # segment table, 2048 entries (16 KB)
        .set    PTAB_ID,     0x14000    # page table of segment 0 (identity)
        .set    PTAB_POOL,   0x14800    # page tables of the VMAs, 2 KB each
        .set    PTAB_END,    0x40000
        .set    BASEPAT,     0x40000    # 4 KB: byte k = (k*7 + (k>>8)) & 0xff (disk block 0)
        .set    DTAB,        0x41000    # 512 B: byte i = i & 0xff (TR tables: +c / -c)
        .set    SCRATCH,     0x42000    # 4 KB scratch page for verification
        .set    WSTACK,      0x43000    # workload stack top (grows down)
        .set    KSTACK,      0x48000    # kernel stack top (grows down, 0x44000..)
        .set    PCACHE,      0x48000    # page-cache index: 4 bytes per disk block
        .set    FTAB,        0x58000    # frame table: 32 bytes per absolute frame
        .set    FIRST_PFN,   0x100      # first allocatable frame (1 MiB)
        .set    MAX_FRAMES,  16384      # 64 MiB of guest storage at most
        .set    MAX_BLOCKS,  16384      # 64 MiB file at most

# ---- parameter block (PARM) -------------------------------------------
        .set    P_MAGIC,     0x00       # 'ZHK1'
        .set    P_GUESTMEM,  0x08       # guest storage in bytes
        .set    P_FILE,      0x10       # file size in 4 KB blocks (disk blocks 0..)
        .set    P_WRITABLE,  0x18       # how many of them (the tail) are mapped writable
        .set    P_PASSES,    0x20       # passes over the file
        .set    P_ANON,      0x28       # anonymous pages written and read back per pass
        .set    P_MLOCK,     0x30       # mlocked pages
        .set    P_TICK,      0x38       # instructions between clock-comparator ticks
        .set    P_FLAGS,     0x40       # bit value 1: never issue ESSA
        .set    P_CHECK,     0x48       # 256-byte chunks the workload checks per page read: 1, 2, 4, 8 or 16

# ---- result block (RES) -----------------------------------------------
        .set    R_STATUS,    0x00       # 0 running, 1 success, 2 failure
        .set    R_FAILCODE,  0x08
        .set    R_FAILINFO,  0x10       # e.g. the address or frame involved
        .set    R_HINTING,   0x18       # 1 when the kernel issued ESSA
        .set    R_DISKREADS, 0x20       # blocks read from the virtual disk
        .set    R_REREADS,   0x28       # ... of which re-reads of a block read before
        .set    R_DFAULTS,   0x30       # discard faults handled (PIC 0x1A)
        .set    R_STALE,     0x38       # cache hits found Vz by set-stable-if-resident
        .set    R_DRAINED,   0x40       # frames returned from the discarded-page list
        .set    R_TICKS,     0x48       # clock-comparator interruptions
        .set    R_PFAULTS,   0x50       # page faults (PIC 0x10/0x11)
        .set    R_WBACKS,    0x58       # dirty pages written back
        .set    R_VERIFIED,  0x60       # pages verified against the disk pattern
        .set    R_ALLOCS,    0x68
        .set    R_FREES,     0x70
        .set    R_PASS,      0x78       # current pass (progress)
        .set    R_CHECKED,   0x80       # frames checked by the final self-check
        .set    R_CACHEHITS, 0x88       # page faults served from the page cache

# ---- kernel variables (KVARS) -----------------------------------------
        .set    K_NFRAMES,   0x00
        .set    K_FREEHEAD,  0x08       # free list head (frame number, 0 = empty)
        .set    K_DISCHEAD,  0x10       # discarded-page list head
        .set    K_DISCCOUNT, 0x18
        .set    K_HINT,      0x20       # byte: 1 = ESSA is used
        .set    K_PROBE,     0x21       # byte: 1 while probing for ESSA
        .set    K_NEXTTICK,  0x28       # TOD of the next tick
        .set    K_RAMDISK,   0x30       # peer build: absolute address of the RAM disk (ramdisk.s)
        .set    K_VMAS,      0x40       # 4 VMAs of VMA_SIZE bytes

# ---- VMAs ---------------------------------------------------------------
        .set    VMA_SIZE,    48
        .set    V_START,     0          # virtual address (segment aligned)
        .set    V_PAGES,     8
        .set    V_KIND,      16
        .set    V_BLOCK,     24         # first disk block (file VMAs)
        .set    V_PTBASE,    32         # real address of its first page table
        .set    KIND_FILE_RO, 1
        .set    KIND_FILE_RW, 2
        .set    KIND_ANON,   3
        .set    KIND_MLOCK,  4
        .set    VA_FILE_RO,  0x10000000
        .set    VA_FILE_RW,  0x20000000
        .set    VA_ANON,     0x30000000
        .set    VA_MLOCK,    0x38000000

# ---- frame table entry (32 bytes, indexed by absolute frame number) ----
        .set    FT_FLAGS,    0          # 4 bytes
        .set    FT_BLOCK,    4          # 4 bytes: disk block it caches
        .set    FT_VA,       8          # virtual address of its mapping, 0 = unmapped
        .set    FT_NEXT,     16         # next frame on the free or discarded list
        .set    FT_PTO,      24         # page-table origin of its mapping (for IPTE)
        .set    F_FREE,      0x01
        .set    F_CACHE,     0x02       # page cache
        .set    F_ANON,      0x04
        .set    F_MLOCK,     0x08
        .set    F_WMAP,      0x10       # has a writable mapping
        .set    F_DISC,      0x20       # discarded, on the discarded-page list
        .set    F_KERN,      0x40       # kernel storage (below FIRST_PFN)

        .set    PC_READ,     0x8000     # high halfword flag of a page-cache entry: block read before

# ---- DAT entry bits -------------------------------------------------------
        .set    PTE_I,       0x400
        .set    PTE_P,       0x200
        .set    STE_I,       0x20

# ---- ESSA operation request codes (page-hinting.md §2) ----------------------
        .set    ORC_GET,     0
        .set    ORC_STABLE,  1
        .set    ORC_UNUSED,  2
        .set    ORC_VOLATILE, 3
        .set    ORC_POTVOL,  4
        .set    ORC_IFRES,   6

# ---- failure codes (RES+R_FAILCODE; the failure wait PSW address is 0xbad000 + code*16)
        .set    E_VERIFY,    1          # workload read wrong data
        .set    E_DISKREAD,  2
        .set    E_READCHECK, 3          # a block just read does not match the pattern
        .set    E_NOMEM,     4
        .set    E_NOTFREE,   5          # allocator found a frame that is not free (e.g. discarded)
        .set    E_PGM,       6          # unexpected program interruption
        .set    E_SEGV,      7
        .set    E_PTEVALID,  8
        .set    E_DISCNOTCACHE, 9
        .set    E_DISCRANGE, 10
        .set    E_EXT,       11
        .set    E_SVC,       12
        .set    E_DRAIN,     13
        .set    E_CHK_FREE,  14         # self-check: a free frame is not U
        .set    E_CHK_MLOCK, 15         # self-check: an mlocked frame is not S
        .set    E_CHK_WMAP,  16         # self-check: a writable-mapped frame is V
        .set    E_CHK_DISC,  17         # self-check: a discarded frame is not V
        .set    E_PARAMS,    18
        .set    E_MLOCKFAULT, 19
        .set    E_DISKWRITE, 20
        .set    E_CHK_CACHE, 21         # self-check: a clean cached frame is not V

# HINT r1,r2,orc: ESSA when the kernel uses hinting (skipped on a machine
# without CMMA, where ESSA is an operation exception). GNU as has no ESSA
# mnemonic: .insn rrf,0xb9ab0000,R1,R2,M3,0 (the way Linux writes it).
        .macro  HINT r1,r2,orc
        cliy    KVARS+K_HINT,0
        je      99f
        .insn   rrf,0xb9ab0000,\r1,\r2,\orc,0
99:
        .endm

# DISKIO: DIAGNOSE 0x250, block I/O on the virtual disk, with the registers
# every caller uses: %r4 = block, %r5 = real buffer address, %r3 = function.
# The peer build (PEER defined; for machines without zhint's hypervisor
# services, such as Hercules) calls the RAM disk of ramdisk.s instead, with
# the same results: cc, and %r5 = block count for the size query.
        .macro  DISKIO
        .ifdef  PEER
        stmg    %r0,%r15,SAVE_RD
        brasl   %r14,ramdisk_io
        lmg     %r0,%r15,SAVE_RD        # (the condition code stays)
        .else
        diag    %r4,%r3,0x250
        .endif
        .endm

# FAIL code: stop with the failure wait PSW (kfail keeps %r3 as extra info)
        .macro  FAIL code
        lghi    %r2,\code
        jg      kfail
        .endm

# FTE rd,rpfn: rd := address of the frame-table entry of frame rpfn
        .macro  FTE rd,rpfn
        sllg    \rd,\rpfn,5
        agfi    \rd,FTAB
        .endm

# COUNT field: add one to a result counter
        .macro  COUNT field
        agsi    RES+\field,1
        .endm

# ENTER / LEAVE: non-leaf kernel routines save %r6-%r14 on the kernel stack.
        .macro  ENTER
        aghi    %r15,-80
        stmg    %r6,%r14,0(%r15)
        .endm
        .macro  LEAVE
        lmg     %r6,%r14,0(%r15)
        aghi    %r15,80
        br      %r14
        .endm
