# tail.s: common handlers and the final PSWs (see head.s)
pgm_handler:
        aghi    %r11,1
        br      %r14
unexpected:
        lghi    %r12,0x999
fail:
        larl    %r1,fail_psw
        lpswe   0(%r1)
success:
        larl    %r1,success_psw
        lpswe   0(%r1)
        .align  8
success_psw:
        .quad   0x0002000000000000,0xfff        # disabled wait, address 0xfff: success
fail_psw:
        .quad   0x0002000000000000,0xbad        # disabled wait elsewhere: failure
