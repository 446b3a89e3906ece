# head.s: the lowcore of a bare-metal test image (QEMU s390x bare-metal layout):
# linked at 0, new PSWs set with .org, _start at 0x200. Every new PSW is
# 64-bit, DAT off, disabled; tests replace the addresses (0x1a8 restart,
# 0x1b8 external, 0x1c8 SVC) when they expect that interruption.
# Program interruptions go to pgm_handler (tail.s): it counts them in r11
# and branches to r14, so a test sets r14 = continuation (macro ARM) and
# checks the lowcore afterwards (macro CHKPGM).
# r13 holds the number of the current check: the runner reports it on failure.
        .text
        .globl  _start
        .org    0x1a0
        .quad   0x0000000180000000, unexpected  # restart new PSW
        .quad   0x0000000180000000, unexpected  # external new PSW
        .quad   0x0000000180000000, unexpected  # SVC new PSW
        .quad   0x0000000180000000, pgm_handler # program new PSW
        .quad   0x0000000180000000, unexpected  # machine-check new PSW
        .quad   0x0000000180000000, unexpected  # I/O new PSW

        .macro  ARM cont
        larl    %r14,\cont
        lghi    %r11,0
        .endm

# one program interruption happened, with this code and ILC, old PSW address = addr
        .macro  CHKPGM code, ilc, addr
        cghi    %r11,1
        jne     fail
        llgh    %r1,0x8e
        cghi    %r1,\code
        jne     fail
        llgc    %r1,0x8d
        cghi    %r1,\ilc
        jne     fail
        lg      %r1,0x158
        larl    %r2,\addr
        cgr     %r1,%r2
        jne     fail
        .endm

        .macro  CHECK n
        lghi    %r13,\n
        .endm

        .org    0x200
