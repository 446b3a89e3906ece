/**
 * The debugger's panes and keys (ink-testing-library): hello.s in an 80×24
 * and a 160×50 terminal.
 */
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { App, HELP_LINE } from '../../src/tui/app.js';
import { debugSession } from '../../src/cli/debug.js';
import type { Session } from '../../src/tui/session.js';

const io = { out: () => {}, err: () => {} };
const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));

async function hello(): Promise<Session> {
  return debugSession(['programs/hello.s'], io as never);
}

async function press(stdin: { write: (s: string) => void }, keys: string): Promise<void> {
  for (const k of keys) { stdin.write(k); await tick(); }
}

afterEach(() => cleanup());

describe('debugger UI', () => {
  it('80x24: code, registers, PSW, help line; fits the terminal', async () => {
    const s = await hello();
    const { lastFrame } = render(<App session={s} cols={80} rows={24} />);
    const f = lastFrame()!;
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(f).toMatch(/=> 00010000 c02000000014 +larl +%r2,10028 <greeting>/);
    expect(f).toContain('_start:');
    expect(f).toContain('r15 0000000000000000');
    expect(f).toMatch(/PSW 0000000180000000/);
    expect(f).toContain(HELP_LINE.slice(0, 40));
    expect(f).toContain('events');
  });

  it('s steps (changed register highlighted), b sets a breakpoint, c continues, S reverse steps', async () => {
    const s = await hello();
    const { lastFrame, stdin } = render(<App session={s} cols={80} rows={24} />);
    await tick();
    await press(stdin, 's');
    let f = lastFrame()!;
    expect(f).toMatch(/=> 00010006 /);
    expect(f).toContain('step 1');
    expect(s.changed.has(2)).toBe(true);
    expect(f).toMatch(/r2 +0000000000010028/);
    // breakpoint on the diag: cursor down once (from lghi), b
    stdin.write('\u001b[B'); await tick();
    await press(stdin, 'b');
    f = lastFrame()!;
    expect(f, f).toMatch(/●\s+0001000a .*diag/);
    await press(stdin, 'c');
    await tick(150);
    f = lastFrame()!;
    expect(f).toMatch(/●=> 0001000a .*diag/);
    expect(f).toContain('breakpoint at 0x1000a');
    expect(s.m.console).toBe('');
    await press(stdin, 's');
    expect(s.m.console).toContain('Hello from zhint');
    await press(stdin, 'S');
    f = lastFrame()!;
    expect(f).toMatch(/●=> 0001000a .*diag/);
    expect(s.m.console).toBe('');
    await press(stdin, 'S');
    expect(lastFrame()!).toMatch(/=> 00010006 /);
    // continue to the end: the success PSW
    await press(stdin, 'c');
    await tick(150);
    await press(stdin, 'c');
    await tick(150);
    f = lastFrame()!;
    expect(f).toContain('disabled-wait');
    // reverse continue: back at the breakpoint
    await press(stdin, 'C');
    expect(lastFrame()!).toMatch(/●=> 0001000a .*diag/);
  });

  it('Tab cycles panes; the lower pane shows memory, pages, console; ? shows the keys', async () => {
    const s = await hello();
    const { lastFrame, stdin } = render(<App session={s} cols={80} rows={24} />);
    await tick();
    await press(stdin, '\t\t');
    expect(lastFrame()!).toContain('memory virtual');
    expect(lastFrame()!).toMatch(/00010000 c0200000 0014a739 \|/);
    await press(stdin, '\t');
    expect(lastFrame()!).toMatch(/page states: 4096 frames/);
    expect(lastFrame()!).toContain('host pool');
    await press(stdin, '\t\t\t');
    expect(lastFrame()!, lastFrame()).toContain(' console ');
    await press(stdin, '?');
    expect(lastFrame()!).toContain('zhint debug — keys');
    await press(stdin, 'x');
    expect(lastFrame()!).not.toContain('zhint debug — keys');
  });

  it(': command line: break, x, set, info, trace; g goes to a symbol', async () => {
    const s = await hello();
    const { lastFrame, stdin } = render(<App session={s} cols={80} rows={24} />);
    await tick();
    await press(stdin, ':');
    stdin.write('x greeting 5'); await tick();
    stdin.write('\r'); await tick(100);
    expect(lastFrame()!).toContain('48656c6c 6f');
    await press(stdin, ':');
    stdin.write('set r5 0x1234'); await tick();
    stdin.write('\r'); await tick(100);
    expect(lastFrame()!).toMatch(/r5 +0000000000001234/);
    expect(s.message).toContain('reverse history restarts');
    await press(stdin, ':');
    stdin.write('break success_psw-4'); await tick();
    stdin.write('\r'); await tick(100);
    expect([...s.tl.breakpoints]).toEqual([0x10014]);
    await s.command('info break');
    expect(s.message).toContain('0x10014');
    await s.command('trace on');
    await s.command('step 2');
    expect(s.log.filter((e) => e.kind === 'trace').length).toBe(2);
    await press(stdin, 'g');
    stdin.write('greeting'); await tick();
    stdin.write('\r'); await tick(100);
    expect(s.cursor).toBe(s.symbols.get('greeting'));
    await s.command('bogus');
    expect(s.message).toContain('unknown command');
  });

  it('160x50 shows pages, stats, events and console at once', async () => {
    const s = await hello();
    const { lastFrame } = render(<App session={s} cols={160} rows={50} />);
    s.step(4);
    await tick();
    const f = lastFrame()!;
    expect(f.split('\n').length).toBeLessThanOrEqual(50);
    for (const p of ['page states', 'hypervisor', 'events', 'console', 'memory', 'control registers']) expect(f).toContain(p);
    expect(f).toContain('Hello from zhint');
  });
});
