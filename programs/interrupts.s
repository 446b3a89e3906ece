# interrupts.s — two interruptions, step by step: a SUPERVISOR CALL and a
# program interruption (an operation exception), each handled through the
# lowcore and returned from with LPSWE of the old PSW.
#
#   zhint run programs/interrupts.s --trace --explain
#
# The lowcore (the first 8 KB of real storage, here prefix 0) holds, per
# interruption class, an old-PSW slot the CPU stores into and a new-PSW slot
# it loads from (PoP "Assigned Storage Locations"):
#   SVC:     old PSW 0x140, new PSW 0x1c0, ILC 0x88, SVC code 0x8a
#   program: old PSW 0x150, new PSW 0x1d0, ILC 0x8c, program-interruption code 0x8e
# Runs with DAT off in supervisor state; stops with the success PSW.

        .text
        .globl  _start
_start:
        # install the two new PSWs: 64-bit mode, everything disabled, DAT off
        larl    %r1,new_psws
        mvc     0x1c0(16,%r0),0(%r1)            # SVC new PSW → svc_handler
        mvc     0x1d0(16,%r0),16(%r1)           # program new PSW → pgm_handler

        svc     42                              # (1) SVC interruption, code 42
        .short  0                               # (2) opcode 0x00: operation exception (ILC 2)
        larl    %r1,success_psw
        lpswe   0(%r1)                          # stop, exit status 0

svc_handler:
        llgh    %r4,0x8a                        # r4 = the SVC code the CPU stored (42)
        lpswe   0x140                           # return: load the SVC old PSW

pgm_handler:
        llgh    %r5,0x8e                        # r5 = the program-interruption code (1)
        lpswe   0x150                           # return past the bad instruction

        .align  8
new_psws:
        .quad   0x0000000180000000, svc_handler
        .quad   0x0000000180000000, pgm_handler
success_psw:
        .quad   0x0002000180000000, 0x0000000000000fff
