/**
 * The benchmark guest loops, as GNU-as source. Each loop body runs `count`
 * times; `perIter` is the number of instructions per iteration, so
 * instructions = count * perIter (+ a few for the prologue).
 *
 * Two wrappers: bare metal (zhint, Hercules: lowcore at 0, `_start` at 0x200,
 * success = disabled wait at 0xfff) and Linux user space (qemu-s390x-static:
 * exit system call).
 */
export interface BenchLoop {
  name: string;
  what: string;
  perIter: number;
  /** prologue: registers the body needs (r1 = count is loaded by the wrapper) */
  setup: string;
  body: string;
}

export const LOOPS: BenchLoop[] = [
  {
    name: 'alu',
    what: 'agr, aghi, ngr, xgr, brctg',
    perIter: 5,
    setup: 'lghi %r2,0\n        lghi %r3,3',
    body: 'agr %r2,%r3\n        aghi %r2,1\n        ngr %r4,%r2\n        xgr %r5,%r4',
  },
  {
    name: 'load-store',
    what: 'lg, aghi, stg, lgf, st, brctg',
    perIter: 6,
    setup: 'larl %r6,data',
    body: 'lg %r2,0(%r6)\n        aghi %r2,1\n        stg %r2,8(%r6)\n        lgf %r3,16(%r6)\n        st %r2,20(%r6)',
  },
  {
    name: 'branchy',
    what: 'lgr, ngr, cgije, aghi, ltgr, jne, brctg (7 per iteration on average; count is a multiple of 4)',
    perIter: 7,
    setup: 'lghi %r7,0\n        lghi %r8,3',
    body: 'lgr %r2,%r1\n        ngr %r2,%r8\n        cgije %r2,1,1f\n        aghi %r7,1\n1:      ltgr %r2,%r2\n        jne 2f\n        aghi %r7,2\n2:',
  },
];

/** The measured part, the same in both wrappers: r1 = count, the loop's setup, the loop. */
function measured(loop: BenchLoop): string {
  return `_start:
        larl %r9,count
        lg %r1,0(%r9)
        ${loop.setup}
loop:   ${loop.body}
        brctg %r1,loop`;
}

/** The count and the loops' data page. */
function countAndData(count: number): string {
  return `count:  .quad ${count}
        .align 4096
data:   .fill 256,1,0
`;
}

/** Bare-metal program (zhint, Hercules). */
export function bareMetal(loop: BenchLoop, count: number): string {
  return `# zhint benchmark '${loop.name}' (bare metal)
        .text
        .org 0x1d0
        .quad 0x0002000180000000, 0xdead
        .org 0x200
        .globl _start
${measured(loop)}
        lpswe done
        .align 8
done:   .quad 0x0002000180000000, 0xfff
${countAndData(count)}`;
}

/** Linux user-space program (qemu-s390x-static). */
export function linuxUser(loop: BenchLoop, count: number): string {
  return `# zhint benchmark '${loop.name}' (Linux user space)
        .text
        .globl _start
${measured(loop)}
        lghi %r2,0
        svc 1
        .data
        .align 8
${countAndData(count)}`;
}
