/**
 * `zhint run`, `asm`, `disasm` in-process: exit codes, console output, the
 * JSON state, the trace, and one-line errors for every failure class.
 * Programs are assembled by GNU binutils (the oracle) and, for source input,
 * by zhint's own assembler.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINUTILS_SKIP, GREETING, HELLO, ROOT, gnuBin, gnuElf, tmp, writeTmp, zhint } from './helpers.js';
import { haveBinutils } from '../../src/testing/tools.js';
import { report } from '../../src/cli/cli.js';
import { BufferIo } from '../../src/cli/io.js';

const FIX = join(ROOT, 'test/cli/fixtures');
const binutils = haveBinutils();
if (!binutils) console.warn(`test/cli: ELF tests skipped: ${BINUTILS_SKIP}`);
const withBinutils = it.skipIf(!binutils);

/** An error message is one line, names zhint, and has no stack trace. */
function oneLine(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^zhint: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('zhint run: programs built by GNU as/ld', () => {
  withBinutils('hello.s as an ELF prints the greeting and exits 0', async () => {
    const r = await zhint('run', gnuElf(HELLO));
    expect(r.stdout).toBe(GREETING);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  withBinutils('hello.s as a raw image with --load', async () => {
    const bin = gnuBin(gnuElf(HELLO));
    // objcopy -O binary starts at the lowest loaded address: the text at 0x10000
    const r = await zhint('run', bin, '--load', '0x10000');
    expect(r.stdout).toBe(GREETING);
    expect(r.code).toBe(0);
    const noLoad = await zhint('run', bin);
    expect(noLoad.code).toBe(1);
    oneLine(noLoad.stderr);
    expect(noLoad.stderr).toContain('needs a load address');
  });

  withBinutils('a disabled wait elsewhere than ...fff exits 1 and says why', async () => {
    const r = await zhint('run', gnuElf(join(FIX, 'fail.s')));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^zhint: .*fail\.elf: disabled wait, PSW address 0xbad\n$/);
  });

  withBinutils('the step limit stops a runaway program', async () => {
    const r = await zhint('run', gnuElf(join(FIX, 'loop.s')), '--max-steps', '1000');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/step limit reached after 1000 instructions/);
    const j = JSON.parse((await zhint('run', gnuElf(join(FIX, 'loop.s')), '--max-steps=1001', '--json')).stdout);
    expect(j.steps).toBe(1001);
    expect(j.stop.reason).toBe('step-limit');
    // lghi, then 500 rounds of aghi + j
    expect(j.gprs[2]).toBe('0x00000000000001f4');
  });

  withBinutils('a program-interruption loop is reported', async () => {
    const r = await zhint('run', gnuElf(join(FIX, 'pgmloop.s')));
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/program interruption loop: code 0x0001/);
  });

  withBinutils('--json: PSW, 16 GPRs and CRs as hex, cc, steps, stop, console', async () => {
    const r = await zhint('run', gnuElf(HELLO), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.psw).toEqual({ mask: '0x0002000180000000', address: '0x0000000000000fff' });
    expect(j.gprs).toHaveLength(16);
    expect(j.crs).toHaveLength(16);
    for (const v of [...j.gprs, ...j.crs]) expect(v).toMatch(/^0x[0-9a-f]{16}$/);
    expect(j.gprs[2]).toBe('0x0000000000010028');
    expect(j.gprs[3]).toBe('0x0000000000000021');
    expect(j.gprs[1]).toBe('0x0000000000010018');
    expect(j.crs[0]).toBe('0x00000000000000e0');
    expect(j.crs[14]).toBe('0x00000000c2000000');
    expect(j.cc).toBe(0);
    expect(j.steps).toBe(5);
    expect(j.stop).toEqual({ reason: 'disabled-wait', code: 0, message: 'disabled wait, PSW address 0xfff' });
    expect(j.console).toBe(GREETING);
  });

  withBinutils('--trace: one line per instruction with the changed registers', async () => {
    const r = await zhint('run', gnuElf(HELLO), '--trace');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^00010000  c02000000014  larl\s.*\sr2=0000000000010028$/);
    expect(lines[1]).toMatch(/^00010006  a7390021      lghi\s.*\sr3=0000000000000021$/);
    expect(lines[2]).toMatch(/^0001000a  83230008      diag\b/);
    expect(lines[3]).toBe('--- console "Hello from zhint, an s390 guest!\\n"');
    expect(lines[4]).toMatch(/^0001000e  c01000000005  larl\s.*\sr1=0000000000010018$/);
    expect(lines[5]).toMatch(/^00010014  b2b21000      lpswe\s.*psw=0002000180000000$/);
    expect(lines[6]).toBe('*** stop: disabled wait, PSW address 0xfff');
    expect(lines).toHaveLength(7);
  });

  withBinutils('--trace shows an interruption as its own line, between the instructions', async () => {
    const r = await zhint('run', gnuElf(join(FIX, 'interrupt.s')), '--trace');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const k = lines.findIndex((l) => l.startsWith('***'));
    expect(lines[k - 1]).toMatch(/^00010010  0000 .*\(interrupted\)/);
    expect(lines[k]).toBe('*** program interruption code 0x0001 (operation): old PSW address 00010012 -> new PSW address 00010016 psw=0000000180000000');
    expect(lines[k + 1]).toMatch(/^00010016  e340008e0015  lgh\s.*\sr4=0000000000000001$/);
    expect(lines.at(-1)).toBe('*** stop: disabled wait, PSW address 0xfff');
  });

  it('--trace: an SVC completes, then its interruption, then the handler (each instruction once)', async () => {
    const r = await zhint('run', join(FIX, 'svc.s'), '--trace');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').filter((l) => !l.startsWith('---'));
    expect(lines.map((l) => l.slice(0, 8))).toEqual(['00010000', '00010006', '0001000c', '00010010', '*** svc ', '00010016', '0001001c', '00010022', '*** stop']);
    expect(lines[3]).toBe('00010010  0a05          svc     5');
    expect(lines[4]).toBe('*** svc interruption code 0x0005: old PSW address 00010012 -> new PSW address 00010016 psw=0000000180000000');
    expect(lines[5]).toMatch(/^00010016  e350008a0015  lgh     %r5,138 +r5=0000000000000005$/);
  });

  it('--trace: hypervisor events (ESSA) follow the instruction that caused them', async () => {
    const r = await zhint('run', join(FIX, 'essa.s'), '--trace');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('00010006  b9ab2012      essa    %r1,%r2,2');
    expect(lines[2]).toBe('--- essa abs=00011000 orc=2 Sr -> Ur');
    expect(lines[3]).toMatch(/^0001000a  b9ab0012      essa    %r1,%r2,0 +r1=0000000000000004$/);
    expect(lines[4]).toBe('--- essa abs=00011000 orc=0 Ur -> Ur');
  });

  withBinutils('--trace with --json: the trace goes to stderr, stdout is pure JSON', async () => {
    const r = await zhint('run', gnuElf(HELLO), '--trace', '--json');
    expect(JSON.parse(r.stdout).stop.code).toBe(0);
    expect(r.stderr).toMatch(/^00010000  c02000000014  larl/);
  });

  withBinutils('trace and fast run end in the same state', async () => {
    const elf = gnuElf(join(FIX, 'interrupt.s'));
    const fast = JSON.parse((await zhint('run', elf, '--json')).stdout);
    const traced = JSON.parse((await zhint('run', elf, '--json', '--trace')).stdout);
    expect(traced).toEqual(fast);
  });

  withBinutils('hypervisor options pass through (guest storage size)', async () => {
    const elf = gnuElf(HELLO);
    expect((await zhint('run', elf, '--guest-mem', '1M', '--cmma=off')).code).toBe(0);
    // the ELF's segment at 0xf000.. does not fit in 32K of guest storage
    const r = await zhint('run', elf, '--guest-mem', '32K');
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/lies outside guest storage/);
  });
});

describe('zhint run: source assembled by zhint', () => {
  it('--defsym NAME=VALUE sets symbols before the first line (the kernel\'s peer build runs to success)', async () => {
    const src = writeTmp('defsym.s', ` .org 0x1d0\n .quad 0x0002000180000000,0xdead\n .org 0x200\n_start:\n .ifdef GOOD\n lpswe ok\n .endif\n lpswe bad
 .align 8\nok: .quad 0x0002000180000000,0xfff\nbad: .quad 0x0002000180000000,0xbad\n`);
    expect((await zhint('run', src, '--load', '0')).code).toBe(1);
    expect((await zhint('run', src, '--load', '0', '--defsym', 'GOOD=1')).code).toBe(0);
    const k = await zhint('run', join(ROOT, 'programs/kernel/kernel.s'), '--load', '0', '--defsym', 'PEER=1', '--guest-mem', '12M', '--json');
    expect(k.code).toBe(0);
    expect(JSON.parse(k.stdout).stats.diskReads).toBe(0); // its RAM disk, not DIAGNOSE 0x250
  });

  it('--defsym on a file that is not source is a one-line usage error', async () => {
    const r = await zhint('run', writeTmp('x.bin', new Uint8Array(16)), '--defsym', 'A=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zhint: --defsym: .*x\.bin is not assembly source \(\.s or \.S\)\n$/);
  });

  it('hello.s prints the greeting and exits 0', async () => {
    const r = await zhint('run', HELLO);
    expect(r.stdout).toBe(GREETING);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  withBinutils('hello.s built by GNU as/ld gives the same final state as zhint-assembled hello.s', async () => {
    const mine = JSON.parse((await zhint('run', HELLO, '--json')).stdout);
    const gnu = JSON.parse((await zhint('run', gnuElf(HELLO), '--json')).stdout);
    expect(mine.stop.code).toBe(0);
    // the ELF's loadable segment also holds its headers (one more host frame): compare the machine state
    for (const k of ['file', 'stats']) { delete mine[k]; delete gnu[k]; }
    expect(mine).toEqual(gnu);
  });

  withBinutils('the other fixtures too: same state from zhint source and GNU ELF', async () => {
    for (const f of ['fail.s', 'interrupt.s', 'pgmloop.s', 'svc.s']) {
      const src = join(FIX, f);
      const mine = JSON.parse((await zhint('run', src, '--json', '--max-steps', '500')).stdout);
      const gnu = JSON.parse((await zhint('run', gnuElf(src), '--json', '--max-steps', '500')).stdout);
      for (const k of ['file', 'stats']) { delete mine[k]; delete gnu[k]; }
      expect(mine, f).toEqual(gnu);
    }
  });

  it('--load places a source file elsewhere', async () => {
    const j = JSON.parse((await zhint('run', HELLO, '--load', '0x20000', '--json')).stdout);
    expect(j.stop.code).toBe(0);
    expect(j.gprs[2]).toBe('0x0000000000020028');
  });

  it('--trace names labels in relative targets', async () => {
    const r = await zhint('run', HELLO, '--trace');
    expect(r.stdout.split('\n')[0]).toBe('00010000  c02000000014  larl    %r2,10028 <greeting>         r2=0000000000010028');
  });

  it('assembly errors: all of them, located, with source line and caret, exit 1', async () => {
    const f = writeTmp('bad.s', 'start:  lhi %r1,70000\n        foo %r2\n        j nowhere\n');
    const r = await zhint('run', f);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${f.replace(/[.\\/]/g, '\\$&')}:1:\\d+: .*70000`));
    expect(lines[1]).toBe('  start:  lhi %r1,70000');
    expect(lines[2]).toMatch(/^ +\^$/);
    expect(lines[3]).toMatch(/bad\.s:2:\d+: .*foo/);
    expect(lines[4]).toBe('          foo %r2');
    expect(lines[5]).toMatch(/^ +\^$/);
    expect(lines[6]).toMatch(/bad\.s:3:\d+: .*nowhere/);
    expect(lines.at(-1)).toBe(`zhint: ${f}: 3 errors`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('zhint asm', () => {
  it('writes a raw image that runs with --load, and a listing', async () => {
    const out = join(tmp(), 'hello.bin');
    const r = await zhint('asm', HELLO, '-o', out, '--listing');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`zhint: wrote ${out}: 80 bytes, load address 0x10000\n`);
    expect(r.stdout.split('\n')[0]).toMatch(/^00010000  c02000000014 +\d+ +larl +%r2,greeting/);
    const run = await zhint('run', out, '--load', '0x10000');
    expect(run.stdout).toBe(GREETING);
    expect(run.code).toBe(0);
  });

  withBinutils('the image is byte-identical to GNU as + objcopy', async () => {
    const out = join(tmp(), 'hello.bin');
    expect((await zhint('asm', HELLO, '-o', out)).code).toBe(0);
    const gnu = readFileSync(gnuBin(gnuElf(HELLO)));
    // objcopy -O binary starts at .text (0x10000), as zhint's raw image does
    expect(Buffer.compare(readFileSync(out), gnu)).toBe(0);
  });

  it('assembly errors exit 1', async () => {
    const f = writeTmp('oops.s', '  lghi %r99,1\n');
    const r = await zhint('asm', f, '-o', join(tmp(), 'x.bin'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/oops\.s:1:\d+: /);
  });

  it('refuses a file that is not source', async () => {
    const r = await zhint('asm', writeTmp('x.bin', new Uint8Array(4)), '-o', join(tmp(), 'y.bin'));
    expect(r.code).toBe(1);
    oneLine(r.stderr);
  });
});

describe('zhint run: hypervisor options reach the machine', () => {
  it('--host-mem, --reclaim, --cmma, --unused-access show in the statistics', async () => {
    const j = JSON.parse((await zhint('run', HELLO, '--json', '--guest-mem=1M', '--host-mem', '64K', '--reclaim', 'lru', '--cmma=off', '--unused-access', 'zero')).stdout);
    expect(j.stop.code).toBe(0);
    expect(j.stats.hostFrames).toBe(16);
    expect(j.stats.guestFrames).toBe(256);
    expect(j.stats.reclaimPolicy).toBe('clock');
    expect(j.stats.steps).toBe(5);
    const d = JSON.parse((await zhint('run', HELLO, '--json')).stdout);
    expect(d.stats.reclaimPolicy).toBe('state-aware');
    expect(d.stats.guestFrames).toBe(4096);
  });

  it('a missing --disk file is one line', async () => {
    const r = await zhint('run', HELLO, '--disk', '/nonexistent/disk.img');
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toBe('zhint: /nonexistent/disk.img: no such file (--disk)\n');
  });

  it('--host-mem below 16K is a usage error', async () => {
    const r = await zhint('run', HELLO, '--host-mem', '8K');
    expect(r.code).toBe(2);
    oneLine(r.stderr);
  });
});

describe('zhint run: bad input, one line each', () => {
  it('a missing file', async () => {
    const r = await zhint('run', '/nonexistent/prog.elf');
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toBe('zhint: /nonexistent/prog.elf: no such file\n');
  });

  it('an unknown file type', async () => {
    const f = writeTmp('notes.txt', 'hello\n');
    const r = await zhint('run', f);
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toContain('unknown file type');
    expect(r.stderr).toContain(f);
  });

  withBinutils('a truncated ELF', async () => {
    const bytes = readFileSync(gnuElf(HELLO));
    const f = writeTmp('cut.elf', bytes.subarray(0, 100));
    const r = await zhint('run', f);
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/cut\.elf: truncated ELF/);
  });

  it('a foreign ELF (little-endian, another machine)', async () => {
    const f = join(tmp(), 'node.elf');
    copyFileSync(process.execPath, f);
    const r = await zhint('run', f);
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/node\.elf: foreign ELF/);
  });

  it('an empty raw image', async () => {
    const f = writeTmp('empty.bin', new Uint8Array(0));
    const r = await zhint('run', f, '--load', '0x1000');
    expect(r.code).toBe(1);
    oneLine(r.stderr);
  });

  it('a directory', async () => {
    const r = await zhint('run', tmp());
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/is a directory/);
  });
});

describe('zhint command line mistakes: exit 2, one line', () => {
  const cases: [string[], RegExp][] = [
    [['run'], /no program file/],
    [['run', 'a.s', 'b.s'], /one program file expected/],
    [['run', 'x.elf', '--frobnicate'], /unknown option '--frobnicate'/],
    [['run', 'x.elf', '--max-steps', 'many'], /--max-steps: expected a non-negative integer/],
    [['run', 'x.elf', '--max-steps', '0'], /--max-steps must be at least 1/],
    [['run', 'x.elf', '--guest-mem', '3Q'], /--guest-mem: expected a size/],
    [['run', 'x.elf', '--guest-mem', '5000'], /multiple of 4K/],
    [['run', 'x.elf', '--cmma=perhaps'], /expected one of on, off/],
    [['run', 'x.elf', '--load'], /--load needs a value/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['frobnicate'], /commands: run, asm, disasm, demo, debug;/],
    [['help', 'frobnicate'], /no help for 'frobnicate': commands are run, asm, disasm, demo, debug$/m],
    [['asm', 'x.s'], /no output/],
    [['disasm'], /one file expected/],
  ];
  for (const [argv, re] of cases) {
    it(argv.join(' '), async () => {
      const r = await zhint(...argv);
      expect(r.code).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
    });
  }

  it('--help for every command', async () => {
    for (const cmd of ['run', 'asm', 'disasm']) {
      const r = await zhint(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: zhint ${cmd} `));
      expect(r.stdout).toContain('--help');
      expect((await zhint('help', cmd)).stdout).toBe(r.stdout);
    }
    expect((await zhint('run', '--help')).stdout).toContain('--max-steps N');
    expect((await zhint('run', '--help')).stdout).toContain('--guest-mem SIZE');
    const top = await zhint('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/run FILE/);
    expect((await zhint()).code).toBe(2);
  });

  it('zhint demo is dispatched to the demo command (its own --help)', async () => {
    const r = await zhint('demo', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: zhint demo/);
    expect((await zhint('help', 'demo')).stdout).toBe(r.stdout);
    const bad = await zhint('demo', '--frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    // its options are parsed as the other commands' are: a flag takes no value, an option comes once
    for (const argv of [['--json=yes'], ['--passes', '2', '--passes', '3'], ['--passes', 'x'], ['stray']]) {
      const r = await zhint('demo', ...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^zhint demo: [^\n]*\n$/);
      expect(r.stdout).toBe('');
    }
  });
});

describe('internal errors', () => {
  it('an unexpected exception is one line with exit 70', () => {
    const io = new BufferIo();
    const e = new TypeError('x is undefined');
    expect(report(e, io)).toBe(70);
    expect(io.stderr).toBe('zhint: internal error: TypeError: x is undefined\n');
  });
});

describe('zhint disasm', () => {
  withBinutils('disassembles a raw image in objdump -d layout', async () => {
    const bin = gnuBin(gnuElf(HELLO));
    const r = await zhint('disasm', bin, '--load', '0x10000');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('0000000000010000:');
    expect(lines[1]).toMatch(/^ {3}10000:\tc0 20 00 00 00 14 \tlarl\b/);
    expect(lines[2]).toMatch(/^ {3}10006:\ta7 39 00 21 {7}\tlghi\b/);
  });

  withBinutils('the code of hello.s reads exactly as objdump -d shows it', async () => {
    const elf = gnuElf(HELLO);
    const objdump = execFileSync('s390x-linux-gnu-objdump', ['-d', elf], { encoding: 'utf8' });
    const block = (t: string) => t.slice(t.indexOf('0000000000010000 <_start>:'), t.indexOf('\n\n', t.indexOf('<_start>:')));
    const fromSource = (await zhint('disasm', HELLO)).stdout;
    const fromElf = (await zhint('disasm', elf)).stdout;
    expect(block(fromSource)).toBe(block(objdump));
    expect(block(fromElf)).toBe(block(objdump));
    expect(block(objdump).split('\n')).toHaveLength(6);
  });

  withBinutils('an ELF starts at its first symbol, with symbol headers', async () => {
    const r = await zhint('disasm', gnuElf(HELLO));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^0000000000010000 <_start>:\n {3}10000:\tc0 20 00 00 00 14 \tlarl/);
    expect(r.stdout).toContain('\n0000000000010018 <success_psw>:\n');
  });
});

// keep the fixture writer honest: the helper writes where it says
it('writeTmp writes the file', () => {
  const f = writeTmp('x.txt', 'abc');
  expect(readFileSync(f, 'utf8')).toBe('abc');
  writeFileSync(f, 'def');
});
