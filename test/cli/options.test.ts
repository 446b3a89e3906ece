import { describe, expect, it } from 'vitest';
import { parseArgs, parseSize, parseUint, UsageError, type OptionSpec } from '../../src/cli/options.js';

const SPECS: OptionSpec[] = [
  { name: 'max-steps', kind: 'int', help: '' },
  { name: 'guest-mem', kind: 'size', help: '' },
  { name: 'cmma', kind: 'enum', values: ['on', 'off'], help: '' },
  { name: 'trace', kind: 'flag', help: '' },
  { name: 'output', short: 'o', kind: 'string', help: '' },
  { name: 'load', kind: 'addr', help: '' },
  { name: 'defsym', kind: 'defsym', help: '' },
];

describe('option parser', () => {
  it('parses sizes with binary suffixes', () => {
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('256K')).toBe(262144);
    expect(parseSize('16M')).toBe(16 * 1024 * 1024);
    expect(parseSize('4G')).toBe(2 ** 32);
    expect(parseSize('1T')).toBe(2 ** 40);
    expect(parseSize('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseSize('2k')).toBe(2048);
    expect(parseSize('0x1000')).toBe(4096);
    expect(parseSize('1.5M')).toBeNull();
    expect(parseSize('M')).toBeNull();
    expect(parseSize('-4K')).toBeNull();
    expect(parseSize('16X')).toBeNull();
  });

  it('parses integers and addresses', () => {
    expect(parseUint('1000000')).toBe(1000000);
    expect(parseUint('1_000_000')).toBe(1000000);
    expect(parseUint('0x10000')).toBe(0x10000);
    expect(parseUint('12abc')).toBeNull();
    expect(parseUint('')).toBeNull();
  });

  it('takes --opt value, --opt=value, short options and positionals anywhere', () => {
    const p = parseArgs('run', ['a.s', '--max-steps', '10', '--guest-mem=64M', '--cmma', 'off', '--trace', '-o', 'x', '--load=0x2000'], SPECS);
    expect(p.args).toEqual(['a.s']);
    expect(p.opts.get('max-steps')).toBe(10);
    expect(p.opts.get('guest-mem')).toBe(64 * 1024 * 1024);
    expect(p.opts.get('cmma')).toBe('off');
    expect(p.opts.get('trace')).toBe(true);
    expect(p.opts.get('output')).toBe('x');
    expect(p.opts.get('load')).toBe(0x2000);
    expect(parseArgs('asm', ['-oout.bin', 'x.s'], SPECS).opts.get('output')).toBe('out.bin');
    expect(parseArgs('run', ['--', '--trace'], SPECS).args).toEqual(['--trace']);
  });

  it('rejects mistakes with one-line messages', () => {
    const err = (argv: string[]) => {
      try { parseArgs('run', argv, SPECS); } catch (e) { expect(e).toBeInstanceOf(UsageError); return (e as Error).message; }
      throw new Error('no error');
    };
    expect(err(['--frobnicate'])).toBe("run: unknown option '--frobnicate' (see zhint run --help)");
    expect(err(['-x'])).toBe("run: unknown option '-x' (see zhint run --help)");
    expect(err(['--max-steps'])).toBe('run: --max-steps needs a value');
    expect(err(['--max-steps', 'lots'])).toBe("run: --max-steps: expected a non-negative integer, got 'lots'");
    expect(err(['--guest-mem', '12Q'])).toBe("run: --guest-mem: expected a size like 4096, 256K, 16M or 4G, got '12Q'");
    expect(err(['--cmma=maybe'])).toBe("run: --cmma: expected one of on, off, got 'maybe'");
    expect(err(['--trace=yes'])).toBe('run: --trace takes no value');
    expect(err(['--max-steps', '1', '--max-steps', '2'])).toBe('run: --max-steps given twice');
    for (const m of [err(['--frobnicate']), err(['--cmma=maybe'])]) expect(m).not.toContain('\n');
  });

  it('collects repeated --defsym NAME=VALUE into one record (GNU as syntax); bad ones are one-line errors', () => {
    const p = parseArgs('asm', ['--defsym', 'PEER=1', '--defsym=N=0x10', '--defsym', 'NEG=-5', '--defsym', 'PEER=2'], SPECS);
    expect(p.opts.get('defsym')).toEqual({ PEER: 2, N: 16, NEG: -5 });
    for (const bad of ['PEER', '=1', '1X=2', 'A=b', 'A=1.5', 'A=']) {
      expect(() => parseArgs('asm', ['--defsym', bad], SPECS)).toThrow(/asm: --defsym: expected NAME=VALUE with an integer VALUE/);
    }
  });
});
