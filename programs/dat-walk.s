# dat-walk.s — dynamic address translation, one virtual address table by table.
#
# The virtual address 0x1_0030_4567 is split by DAT (PoP "Translation
# Process") into indexes, one per table level of a region-third ASCE:
#
#   region-third index  RTX = bits 22-32 = 2
#   segment index       SX  = bits 33-43 = 3
#   page index          PX  = bits 44-51 = 4
#   byte index          BX  = bits 52-63 = 0x567
#
#   CR1 (primary ASCE) 0x11004: region-third table at 0x11000, DT 01, TL 0
#   region-third table 0x11000, entry 2 at 0x11010: 0x13004 → segment table 0x13000
#   segment table      0x13000, entry 3 at 0x13018: 0x14800 → page table 0x14800
#   page table         0x14800, entry 4 at 0x14820: 0x15000 → page frame 0x15000
#   real address = 0x15000 + 0x567 = 0x15567
#
# The program loads CR1, lets LRAG do the walk (its result is r3), then turns
# DAT on and prints the text at the virtual address through DIAGNOSE 0x008,
# whose address is logical. The code's own pages are mapped one to one
# (RTX 0, SX 0, PX 0x10-0x15) so that instructions can still be fetched with
# DAT on. Every other entry is invalid. Assemble at 0x10000 (the default):
#   zhint run programs/dat-walk.s --trace --explain
#   zhint asm programs/dat-walk.s --listing

        .equ    INVALID_RT, 0x24        # region-third entry: I bit (0x20) + TT 01 (0x04)
        .equ    INVALID_ST, 0x20        # segment-table entry: I bit
        .equ    INVALID_PT, 0x400       # page-table entry: I bit (bit 53)

        .text
        .globl  _start
_start:
        larl    %r1,asce
        lctlg   %c1,%c1,0(%r1)          # CR1 := the primary ASCE
        lgrl    %r2,vaddr               # r2 := 0x1_0030_4567
        lrag    %r3,0(%r2)              # r3 := its real address (cc 0: translated)
        jnz     fail
        larl    %r5,mask_save
        stosm   0(%r5),0x04             # DAT on (PSW bit 5)
        lghi    %r4,msg_end-msg
        diag    %r2,%r4,0x008           # print the text at the virtual address
        stnsm   0(%r5),0xfb             # DAT off again
        larl    %r1,success_psw
        lpswe   0(%r1)
fail:   larl    %r1,failure_psw
        lpswe   0(%r1)

        .align  8
asce:   .quad   rtt + 0x04              # region-third table origin, DT 01, TL 0
vaddr:  .quad   0x100304567
success_psw:
        .quad   0x0002000180000000, 0x0000000000000fff
failure_psw:
        .quad   0x0002000180000000, 0x0000000000000bad
mask_save:
        .byte   0

# ---- region-third table: 512 entries (TL 0); entries 0 and 2 valid ----
        .align  4096
rtt:    .quad   st0 + 0x04              # RTX 0 → segment table st0 (TT 01, TF 0, TL 0)
        .quad   INVALID_RT
        .quad   st2 + 0x04              # RTX 2 → segment table st2
        .fill   509, 8, INVALID_RT

# ---- segment table for RTX 0 (the program itself) ----
        .align  4096
st0:    .quad   pt0                     # SX 0 → page table pt0 (TT 00)
        .fill   511, 8, INVALID_ST

# ---- segment table for RTX 2 ----
        .align  4096
st2:    .fill   3, 8, INVALID_ST
        .quad   pt2                     # SX 3 → page table pt2
        .fill   508, 8, INVALID_ST

# ---- page tables: 256 entries, 2 KB each ----
        .align  4096
pt0:    .fill   16, 8, INVALID_PT
        .quad   0x10000, 0x11000, 0x12000, 0x13000, 0x14000, 0x15000   # PX 0x10-0x15: one to one
        .fill   234, 8, INVALID_PT
pt2:    .fill   4, 8, INVALID_PT
        .quad   0x15000                 # PX 4 → frame 0x15000
        .fill   251, 8, INVALID_PT

# ---- the frame: the text at byte index 0x567 ----
        .align  4096
frame:  .fill   0x567, 1, 0
msg:    .ascii  "found through DAT: virtual 0x100304567 = real 0x15567\n"
msg_end:
