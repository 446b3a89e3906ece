/**
 * End to end in a real terminal: tmux runs the built `zhint debug
 * programs/hello.s` in an 80×24 window, keys go in with send-keys, the
 * screen comes back with capture-pane. Needs tmux (Debian package tmux) and
 * `npm run build`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const built = existsSync('dist/cli/main.js');
const SESSION = `zhint-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function screenUntil(re: RegExp, ms = 8000): Promise<string> {
  const t0 = Date.now();
  let s = '';
  while (Date.now() - t0 < ms) {
    s = tmux('capture-pane', '-p', '-t', SESSION);
    if (re.test(s)) return s;
    await sleep(100);
  }
  throw new Error(`screen never matched ${re}:\n${s}`);
}

async function keys(...k: string[]): Promise<void> {
  tmux('send-keys', '-t', SESSION, ...k);
  await sleep(250);
}

describe.skipIf(!hasTmux || !built)('zhint debug in tmux (80x24)', () => {
  if (!hasTmux) console.warn('skipped: tmux not installed (Debian package tmux)');
  if (!built) console.warn('skipped: run npm run build first');
  afterAll(() => { try { tmux('kill-session', '-t', SESSION); } catch { /* gone */ } });

  it('step, breakpoint, continue, reverse step, reverse continue, quit', async () => {
    // CI=true as on a CI runner: ink must still draw in a real terminal
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-e', 'CI=true', 'node dist/cli/main.js debug programs/hello.s; sleep 5');
    let s = await screenUntil(/=> 00010000 .*larl/);
    expect(s).toContain('step 0');
    expect(s).toContain('r15 0000000000000000');
    expect(s).toMatch(/s step +n next +c cont/);
    // step
    await keys('s');
    s = await screenUntil(/=> 00010006 .*lghi/);
    expect(s).toMatch(/r2 +0000000000010028/);
    expect(s).toContain('step 1');
    // breakpoint on the diag (cursor down one), continue to it
    await keys('Down');
    await keys('b');
    s = await screenUntil(/●\s+0001000a .*diag/);
    await keys('c');
    s = await screenUntil(/●=> 0001000a .*diag/);
    expect(s).toContain('breakpoint at 0x1000a');
    // step over the diag: the console prints
    await keys('s');
    await keys('Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab');
    s = await screenUntil(/Hello from zhint, an s390 guest!/);
    // reverse step: back on the breakpoint, console empty again
    await keys('S');
    s = await screenUntil(/●=> 0001000a .*diag/);
    expect(s).not.toContain('Hello from zhint, an s390 guest!');
    // continue to the end (disabled wait), reverse continue back to the breakpoint
    await keys('c');
    await keys('c');
    s = await screenUntil(/disabled-wait/);
    await keys('C');
    s = await screenUntil(/●=> 0001000a .*diag/);
    expect(s).toContain('step 2');
    // help screen, then quit
    await keys('?');
    s = await screenUntil(/zhint debug — keys/);
    await keys('Escape');
    await keys('q');
    s = await screenUntil(/^\s*$/s, 4000).catch(() => tmux('capture-pane', '-p', '-t', SESSION));
    expect(s).not.toContain('registers');
  });
});
