/**
 * The documentation cannot rot: every command shown in README.md and docs/*.md
 * is run here and its output compared with what the page shows.
 *
 * A page shows a command in a ```console block:
 *
 *     $ zhint run programs/hello.s
 *     Hello from zhint, an s390 guest!
 *
 * Lines after a `$ zhint ...` line, up to the next `$` line or the end of the
 * block, are the expected output (stdout, then stderr). In the expected text:
 *   - a line `...` stands for any number of lines (also none);
 *   - a last line `(exit status N)` expects that status (otherwise 0);
 *   - durations like `5.0 s` and runs of spaces are compared loosely (wall time varies).
 * A command may be piped through `grep [-E] [-v] 'RE'`, `head [-n] N` and
 * `tail [-n] N`, which are applied here (no shell): `head` stops the run once
 * it has its lines, as a closed pipe would.
 *
 * Commands in ```sh blocks are examples for the reader: each must also be run
 * in some console block, unless it holds an upper-case placeholder (FILE, ADDR).
 *
 * The CLI runs in-process (`cli()` from src/cli/cli.ts) from the repository
 * root, so paths in the pages are relative to it.
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../../src/cli/cli.js';
import type { Io } from '../../src/cli/io.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Example { page: string; line: number; command: string; expected: string[] }

/** Split a command line into words, honouring '...' and "..." quotes. */
export function words(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:'([^']*)'|"((?:\\.|[^"\\])*)"|([^\s'"|]+)|(\|))/y;
  let m: RegExpExecArray | null;
  let cur: string | null = null;
  let pos = 0;
  while (pos < s.length && (m = re.exec(s)) !== null) {
    const gap = m[0].length !== m[0].trimStart().length;
    if (m[4] !== undefined) { if (cur !== null) out.push(cur); out.push('|'); cur = null; pos = re.lastIndex; continue; }
    const w = m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
    if (cur !== null && !gap) cur += w;
    else { if (cur !== null) out.push(cur); cur = w; }
    pos = re.lastIndex;
  }
  if (cur !== null) out.push(cur);
  return out;
}

/** The ```console examples of a page. */
export function examples(page: string, text: string): Example[] {
  const out: Example[] = [];
  const lines = text.split('\n');
  let inConsole = false;
  let cur: Example | null = null;
  lines.forEach((l, i) => {
    if (/^```/.test(l)) {
      if (!inConsole && /^```console\s*$/.test(l)) { inConsole = true; return; }
      if (inConsole) { inConsole = false; cur = null; }
      return;
    }
    if (!inConsole) return;
    if (l.startsWith('$ ')) {
      cur = { page, line: i + 1, command: l.slice(2).trim(), expected: [] };
      out.push(cur);
    } else if (cur !== null) {
      (cur as Example).expected.push(l);
    }
  });
  return out;
}

/** zhint command lines in ```sh blocks (reader's examples). */
function shellCommands(text: string): { line: number; command: string }[] {
  const out: { line: number; command: string }[] = [];
  let inSh = false;
  text.split('\n').forEach((l, i) => {
    if (/^```/.test(l)) { inSh = !inSh && /^```(sh|bash|shell)\s*$/.test(l); return; }
    if (!inSh) return;
    const m = /^\s*(zhint\s.*?)\s*(#.*)?$/.exec(l);
    if (m) out.push({ line: i + 1, command: m[1] });
  });
  return out;
}

class HeadDone extends Error {}

type Filter = (line: string) => 'keep' | 'drop' | 'stop';

function makeFilters(stages: string[][]): { filters: Filter[]; tails: number[] } {
  const filters: Filter[] = [];
  const tails: number[] = [];
  for (const st of stages) {
    const [cmd, ...args] = st;
    if (cmd === 'grep') {
      let invert = false;
      let after = 0;
      const pats: string[] = [];
      for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (a === '-v') invert = true;
        else if (a === '-E') continue;
        else if (a === '-A') after = Number(args[++k]);
        else if (/^-A\d+$/.test(a)) after = Number(a.slice(2));
        else pats.push(a);
      }
      const re = new RegExp(pats[0]);
      let left = 0; // lines of trailing context still to print (grep -A N)
      filters.push((l) => {
        if (re.test(l) !== invert) { left = after; return 'keep'; }
        if (left > 0) { left--; return 'keep'; }
        return 'drop';
      });
    } else if (cmd === 'head' || cmd === 'tail') {
      const n = Number(args[0] === '-n' ? args[1] : args[0].replace(/^-/, ''));
      if (!Number.isInteger(n)) throw new Error(`bad ${cmd} arguments: ${args.join(' ')}`);
      if (cmd === 'tail') { tails.push(n); continue; }
      let seen = 0;
      filters.push(() => (++seen <= n ? (seen === n ? 'stop' : 'keep') : 'drop'));
    } else {
      throw new Error(`unsupported filter '${cmd}' (grep, head, tail)`);
    }
  }
  return { filters, tails };
}

const cache = new Map<string, Promise<{ lines: string[]; code: number }>>();

/** Run one example's command (memoized: the same command on two pages runs once). */
function run(command: string): Promise<{ lines: string[]; code: number }> {
  const hit = cache.get(command);
  if (hit) return hit;
  const p = (async () => {
    const w = words(command);
    const stages: string[][] = [[]];
    for (const x of w) if (x === '|') stages.push([]); else stages[stages.length - 1].push(x);
    const [argv0, ...pipes] = stages;
    if (argv0[0] !== 'zhint') throw new Error(`a console example must run zhint: ${command}`);
    const { filters, tails } = makeFilters(pipes);
    const kept: string[] = [];
    let partOut = '';
    let partErr = '';
    // a line through the filters; throws HeadDone when a head is satisfied
    let headDone = false;
    const feed = (line: string): void => {
      if (headDone) return;
      let stop = false;
      for (const f of filters) {
        const r = f(line);
        if (r === 'drop') return;
        if (r === 'stop') stop = true;
      }
      kept.push(line);
      if (stop) { headDone = true; throw new HeadDone(); }
    };
    const split = (buf: string, s: string): string => {
      const all = buf + s;
      const parts = all.split('\n');
      const rest = parts.pop()!;
      for (const l of parts) feed(l);
      return rest;
    };
    // stdout lines stream through the filters; stderr follows at the end (as 2>&1 after the run)
    const io: Io = {
      out: (s) => { partOut = split(partOut, s); },
      err: (s) => { partErr += s; },
    };
    let code: number;
    try {
      code = await cli(argv0.slice(1), io);
      if (!headDone && partOut !== '') feed(partOut);
      if (filters.length === 0 && partErr !== '') for (const l of partErr.replace(/\n$/, '').split('\n')) kept.push(l);
    } catch (e) {
      if (!(e instanceof HeadDone)) throw e;
      code = 0; // like a closed pipe: the command did not fail
    }
    // cli() catches the HeadDone itself and reports an internal error: that is only the pipe closing
    if (headDone) code = 0;
    let lines = kept;
    for (const n of tails) lines = lines.slice(-n);
    return { lines, code };
  })();
  cache.set(command, p);
  return p;
}

/** Loose comparison of one line: trailing space, runs of spaces and durations do not matter. */
export function norm(l: string): string {
  return l.replace(/\d+(\.\d+)? s\b/g, '<t> s').replace(/\s+/g, ' ').trim();
}

/** Does `actual` match `expected` with `...` lines as wildcards? */
export function matches(expected: string[], actual: string[]): boolean {
  const e = expected.map(norm);
  const a = actual.map(norm);
  // dynamic programming over (i, j): e[0..i) matched a[0..j)
  let prev = new Array<boolean>(a.length + 1).fill(false);
  prev[0] = true;
  for (let i = 0; i < e.length; i++) {
    const cur = new Array<boolean>(a.length + 1).fill(false);
    if (e[i] === '...') {
      let any = false;
      for (let j = 0; j <= a.length; j++) { any = any || prev[j]; cur[j] = any; }
    } else {
      for (let j = 1; j <= a.length; j++) cur[j] = prev[j - 1] && e[i] === a[j - 1];
    }
    prev = cur;
  }
  return prev[a.length];
}

const all: Example[] = [];
for (const page of PAGES) all.push(...examples(page, readFileSync(join(ROOT, page), 'utf8')));

describe('the harness', () => {
  test('quotes, pipes, wildcards', () => {
    expect(words(`zhint run x --trace | grep -E '^(---|\\*\\*\\*)' | head -3`)).toEqual(
      ['zhint', 'run', 'x', '--trace', '|', 'grep', '-E', '^(---|\\*\\*\\*)', '|', 'head', '-3']);
    expect(matches(['a', '...', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(matches(['a', '...'], ['a'])).toBe(true);
    expect(matches(['a', 'c'], ['a', 'b'])).toBe(false);
    expect(matches(['wall time   5.0 s'], ['wall time 12.3 s'])).toBe(true);
  });

  test('the pages hold examples', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  test('every zhint command in a sh block is run by some console example (or is a placeholder)', () => {
    const run = new Set(all.map((e) => words(e.command).join(' ')));
    const missing: string[] = [];
    for (const page of PAGES) {
      for (const c of shellCommands(readFileSync(join(ROOT, page), 'utf8'))) {
        if (/\b[A-Z]{2,}\b/.test(c.command)) continue;
        if (!run.has(words(c.command).join(' '))) missing.push(`${page}:${c.line}: ${c.command}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

for (const page of PAGES) {
  const ex = all.filter((e) => e.page === page);
  if (ex.length === 0) continue;
  describe(page, () => {
    for (const e of ex) {
      test(`${page}:${e.line}: $ ${e.command}`, async () => {
        const expected = [...e.expected];
        while (expected.length > 0 && expected[expected.length - 1].trim() === '') expected.pop();
        let status = 0;
        const last = expected.length > 0 ? /^\(exit status (\d+)\)$/.exec(expected[expected.length - 1].trim()) : null;
        if (last) { status = Number(last[1]); expected.pop(); }
        const r = await run(e.command);
        const actual = [...r.lines];
        while (actual.length > 0 && actual[actual.length - 1].trim() === '') actual.pop();
        if (!matches(expected, actual)) {
          // show the real output so the page can be fixed by copying it
          expect(actual.join('\n'), `${page}:${e.line}: output of '${e.command}' differs from the page`).toBe(expected.join('\n'));
        }
        expect(r.code, `${page}:${e.line}: exit status of '${e.command}'`).toBe(status);
      });
    }
  });
}
