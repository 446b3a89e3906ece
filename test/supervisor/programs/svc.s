# svc.s: SUPERVISOR CALL interruption code, ILC and old PSW, directly and under EX/EXRL.
        .include "head.s"
_start:
        larl    %r1,svc_h
        stg     %r1,0x1c8               # SVC new PSW address
        CHECK   1
        larl    %r14,1f
        svc     0x42
after_svc:
        j       fail
1:      llgh    %r1,0x8a
        cghi    %r1,0x42
        jne     fail
        llgh    %r1,0x88                # SVC interruption identification: ILC 2
        cghi    %r1,2
        jne     fail
        lg      %r1,0x148
        larl    %r2,after_svc
        cgr     %r1,%r2
        jne     fail
        l       %r1,0x140               # old PSW mask: 64-bit, disabled
        clfi    %r1,0x00000001
        jne     fail

        CHECK   2                       # under EX: code OR-ed in, ILC 4, old PSW past the EX
        larl    %r14,2f
        lghi    %r3,0x17
        larl    %r4,svc_tmpl
        ex      %r3,0(%r4)
after_ex:
        j       fail
2:      llgh    %r1,0x8a
        cghi    %r1,0x17
        jne     fail
        llgc    %r1,0x89
        cghi    %r1,4
        jne     fail
        lg      %r1,0x148
        larl    %r2,after_ex
        cgr     %r1,%r2
        jne     fail

        CHECK   3                       # under EXRL: ILC 6
        larl    %r14,3f
        lghi    %r3,0x99
        exrl    %r3,svc_tmpl
after_exrl:
        j       fail
3:      llgh    %r1,0x8a
        cghi    %r1,0x99
        jne     fail
        llgc    %r1,0x89
        cghi    %r1,6
        jne     fail
        lg      %r1,0x148
        larl    %r2,after_exrl
        cgr     %r1,%r2
        jne     fail
        j       success

svc_h:  br      %r14
svc_tmpl:
        svc     0
        .include "tail.s"
