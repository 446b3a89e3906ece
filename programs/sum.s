# sum.s — a loop: r2 := 1 + 2 + 3 + 4 + 5, with the condition code and a
# branch on count. Small enough to read whole in the explained trace:
#   zhint run programs/sum.s --trace --explain
# Stops with the success PSW when the sum is 15, otherwise at 0xbad.

        .text
        .globl  _start
_start:
        lghi    %r2,0                   # the sum
        lghi    %r3,5                   # the counter: 5, 4, ..., 1
loop:
        agr     %r2,%r3                 # sum += counter (sets the cc)
        brctg   %r3,loop                # counter -= 1; again while not zero
        cghi    %r2,15                  # compare: cc 0 equal, 1 low, 2 high
        larl    %r1,success_psw
        je      done                    # branch if the cc is 0 (mask 8)
        larl    %r1,failure_psw
done:
        lpswe   0(%r1)

        .align  8
success_psw:
        .quad   0x0002000180000000, 0x0000000000000fff
failure_psw:
        .quad   0x0002000180000000, 0x0000000000000bad
