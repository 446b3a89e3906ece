# verify.s: the disk pattern. Byte k of block n is (n*131 + k*7 + (k>>8))
# & 0xff (docs/hypervisor-services.md), i.e. BASEPAT[k] + c bytewise with
# c = n*131 & 0xff. TRANSLATE with the table DTAB+256-c subtracts c from every
# byte, so a page is checked 256 bytes at a time with MVC, TR and CLC instead
# of byte by byte. Anonymous and mlocked pages use the same pattern with
# their own c. Leaf routines; they work with DAT on or off.

# verify: %r2 = page address, %r3 = c: check the whole page.
# verify_part: the same for %r0 chunks of 256 bytes from address %r2.
# Return %r2 = 0 when every byte matches, 1 otherwise. Clobber %r0-%r5.
verify:
        lghi    %r0,16
verify_part:
        llilf   %r4,DTAB+256
        sgr     %r4,%r3                 # TR table: subtract c
        llilf   %r5,SCRATCH
        lghi    %r1,0xfff               # the matching offset in BASEPAT
        ngr     %r1,%r2
        agfi    %r1,BASEPAT
1:      mvc     0(256,%r5),0(%r2)
        tr      0(256,%r5),0(%r4)
        clc     0(256,%r5),0(%r1)
        jne     2f
        la      %r2,256(%r2)
        la      %r1,256(%r1)
        brct    %r0,1b
        agsi    RES+R_VERIFIED,1
        lghi    %r2,0
        br      %r14
2:      lghi    %r2,1
        br      %r14

# fill: %r2 = page address, %r3 = c: store the pattern BASEPAT + c.
fill:
        llilf   %r4,DTAB
        agr     %r4,%r3                 # TR table: add c
        llilf   %r1,BASEPAT
        lghi    %r0,16
1:      mvc     0(256,%r2),0(%r1)
        tr      0(256,%r2),0(%r4)
        la      %r2,256(%r2)
        la      %r1,256(%r1)
        brct    %r0,1b
        br      %r14
