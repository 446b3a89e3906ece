# hello.s — zhint's first guest program.
#
# Prints a greeting on the console through the hypervisor's console service
# (DIAGNOSE code 0x008: R1 = address of the text, R3 = its length; see
# docs/hypervisor-services.md), then stops by loading the success PSW: a
# disabled wait (PSW bit 14 set, I/O, external and machine-check masks off)
# at an address ending in 0xfff (docs/../machine.md: exit status 0).
#
# Position independent (LARL), so it runs wherever it is loaded; assembles
# with zhint and with GNU as:
#   zhint run programs/hello.s
#   s390x-linux-gnu-as -o hello.o programs/hello.s
#   s390x-linux-gnu-ld -Ttext=0x10000 -o hello.elf hello.o && zhint run hello.elf

        .text
        .globl  _start
_start:
        larl    %r2,greeting            # r2 = address of the text
        lghi    %r3,greeting_end-greeting   # r3 = its length
        diag    %r2,%r3,0x008           # console output
        larl    %r1,success_psw
        lpswe   0(%r1)                  # stop: disabled wait, exit status 0

        .align  8
success_psw:
        # 16-byte PSW: wait (bit 14) + 64-bit addressing (EA bit 31, BA bit 32),
        # all interruptions disabled; instruction address 0xfff means success
        .quad   0x0002000180000000, 0x0000000000000fff

greeting:
        .ascii  "Hello from zhint, an s390 guest!\n"
greeting_end:
