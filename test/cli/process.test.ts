/**
 * The built `zhint` executable as a child process: shebang, exit statuses,
 * stdout/stderr separation, and no stack trace for any failure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GREETING, HELLO, buildCli, writeTmp, zhintProcess } from './helpers.js';

let main = '';
beforeAll(() => {
  main = buildCli();
});

describe('zhint as a process', () => {
  it('starts with a node shebang', () => {
    expect(readFileSync(main, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('runs hello.s: greeting on stdout, nothing on stderr, exit 0', () => {
    const r = zhintProcess(main, 'run', HELLO);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(GREETING);
    expect(r.code).toBe(0);
  });

  it('--json is valid JSON with the exit code', () => {
    const r = zhintProcess(main, 'run', HELLO, '--json', '--max-steps', '100');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stop.code).toBe(0);
  });

  it('a usage error: exit 2, one line, no stack trace', () => {
    const r = zhintProcess(main, 'run', HELLO, '--bogus');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("zhint: run: unknown option '--bogus' (see zhint run --help)\n");
    expect(r.stdout).toBe('');
  });

  it('bad input: exit 1, one line', () => {
    for (const argv of [['run', '/nonexistent.elf'], ['run', writeTmp('x.txt', 'x')], ['disasm', writeTmp('y.elf', '\x7fELF\x02')]]) {
      const r = zhintProcess(main, ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^zhint: /);
    }
  });

  it('assembly errors: exit 1, located, no stack trace', () => {
    const r = zhintProcess(main, 'run', writeTmp('e.s', ' lhi %r1,\n bogus\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/e\.s:1:\d+: /);
    expect(r.stderr).toMatch(/e\.s:2:\d+: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help for each command', () => {
    for (const cmd of ['run', 'asm', 'disasm']) {
      const r = zhintProcess(main, cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: zhint ${cmd}`));
    }
  });
});
