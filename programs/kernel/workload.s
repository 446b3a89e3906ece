# workload.s: runs with DAT on, external interruptions enabled. Per pass:
#   1. write every anonymous page with a pass-dependent pattern
#   2. read the whole read-only file mapping, checking every page
#   3. (from pass 2 on) munmap the writable mapping first, so its pages are
#      found again through the page cache; read it all, checking every page,
#      and store into every 8th page (the same bytes: the page is dirty but
#      its content still matches the disk)
#   4. read back the anonymous pages and the mlocked pages
#   5. munmap the anonymous memory (its frames are freed, set unused)
# then svc 1: the kernel checks the page states and stops with the success
# PSW. Any mismatch: svc 4 with E_VERIFY and the virtual address.
# Each page read is checked against its pattern (wverify).
# Registers: %r6 pass, %r7 index, %r8 count, %r9 address, %r10 c

# PAGEVA rd,va: rd := address of page %r7 of the mapping at va (clobbers %r1)
        .macro  PAGEVA rd,va
        llilh   \rd,\va>>16
        sllg    %r1,%r7,12
        agr     \rd,%r1
        .endm
# MLOCK_C: %r3 := (i*3 + 200) & 0xff for i = %r7, the mlocked pages' c
        .macro  MLOCK_C
        lgr     %r3,%r7
        mghi    %r3,3
        aghi    %r3,200
        lghi    %r1,0xff
        ngr     %r3,%r1
        .endm
# CHECKPAGE: the page at %r9 must hold c = %r3 (wverify), else bad
        .macro  CHECKPAGE
        lgr     %r2,%r9
        brasl   %r14,wverify
        ltgr    %r2,%r2
        jnz     bad
        .endm

workload:
        llilf   %r15,WSTACK
        lghi    %r6,0
# mlocked pages: written once, c = i*3 + 200
        lg      %r8,PARM+P_MLOCK
        lghi    %r7,0
1:      cgr     %r7,%r8
        jhe     pass
        PAGEVA  %r2,VA_MLOCK
        MLOCK_C
        brasl   %r14,fill
        aghi    %r7,1
        j       1b

pass:   stg     %r6,RES+R_PASS
# 1. anonymous pages: c = i*37 + pass*11
        lg      %r8,PARM+P_ANON
        lghi    %r7,0
1:      cgr     %r7,%r8
        jhe     2f
        PAGEVA  %r2,VA_ANON
        brasl   %r14,anon_c
        brasl   %r14,fill
        aghi    %r7,1
        j       1b
# 2. read-only file mapping: page j is block j
2:      lg      %r8,PARM+P_FILE
        sg      %r8,PARM+P_WRITABLE
        lghi    %r7,0
3:      cgr     %r7,%r8
        jhe     4f
        PAGEVA  %r9,VA_FILE_RO
        lgr     %r3,%r7
        brasl   %r14,block_c
        CHECKPAGE
        aghi    %r7,1
        j       3b
# 3. writable file mapping: page j is block file-writable+j
4:      ltgr    %r6,%r6
        jz      5f
        lghi    %r2,1
        svc     2                       # munmap the writable mapping
5:      lg      %r8,PARM+P_WRITABLE
        lg      %r11,PARM+P_FILE
        sgr     %r11,%r8                # first block
        lghi    %r7,0
6:      cgr     %r7,%r8
        jhe     7f
        PAGEVA  %r9,VA_FILE_RW
        lgr     %r3,%r11
        agr     %r3,%r7
        brasl   %r14,block_c
        CHECKPAGE
        tmll    %r7,7
        jnz     61f
        mvc     0(8,%r9),0(%r9)         # store the same bytes: dirty, still correct
61:     aghi    %r7,1
        j       6b
# 4. anonymous pages read back, then the mlocked pages
7:      lg      %r8,PARM+P_ANON
        lghi    %r7,0
71:     cgr     %r7,%r8
        jhe     8f
        PAGEVA  %r9,VA_ANON
        brasl   %r14,anon_c
        CHECKPAGE
        aghi    %r7,1
        j       71b
8:      lg      %r8,PARM+P_MLOCK
        lghi    %r7,0
81:     cgr     %r7,%r8
        jhe     9f
        PAGEVA  %r9,VA_MLOCK
        MLOCK_C
        CHECKPAGE
        aghi    %r7,1
        j       81b
# 5. free the anonymous memory
9:      lghi    %r2,2
        svc     2
        aghi    %r6,1
        clg     %r6,PARM+P_PASSES
        jl      pass
        svc     1                       # done: the kernel checks and stops

bad:    lghi    %r2,E_VERIFY
        lgr     %r3,%r9
        svc     4

# wverify: %r2 = page, %r3 = c: check P_CHECK chunks of 256 bytes of the
# page (all 16 by default); with fewer, which chunks rotates with the page
# index %r7 and the pass %r6, so every part of every page gets checked over
# the passes. (Every block read from the disk is checked whole, by the kernel.)
wverify:
        lg      %r0,PARM+P_CHECK
        cghi    %r0,16
        jhe     verify
        lghi    %r5,16
        lgr     %r1,%r0
        dsgr    %r4,%r1                 # %r5 = 16 / chunks (slots per page)
        lgr     %r4,%r7
        agr     %r4,%r6
        lgr     %r1,%r5
        lgr     %r5,%r4
        dsgr    %r4,%r1                 # %r4 = (index + pass) mod slots
        msgr    %r4,%r0                 # ... times chunks
        sllg    %r4,%r4,8
        agr     %r2,%r4
        j       verify_part

# anon_c: %r3 := (i*37 + pass*11) & 0xff for i = %r7, pass = %r6
anon_c:
        lgr     %r3,%r7
        mghi    %r3,37
        lgr     %r1,%r6
        mghi    %r1,11
        agr     %r3,%r1
        lghi    %r1,0xff
        ngr     %r3,%r1
        br      %r14

# block_c: %r3 = block -> %r3 := block*131 & 0xff
block_c:
        mghi    %r3,131
        lghi    %r1,0xff
        ngr     %r3,%r1
        br      %r14
