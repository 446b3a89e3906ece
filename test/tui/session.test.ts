/**
 * The debugger session's branch hints: the hint shown at the current
 * instruction must agree with what the CPU then does (the oracle: step it and
 * see whether the PSW address left the next instruction).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debugSession } from '../../src/cli/debug.js';

const io = { out: () => {}, err: () => {} };

/** A program of one branch at _start (to `t`, 0x100 on), the registers set before it. */
async function hintAndOutcome(insn: string, regs: Record<number, string>, cc = 0): Promise<{ hint: string; taken: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'zhint-hint-'));
  const file = join(dir, 'b.s');
  writeFileSync(file, `\t.text\n\t.globl _start\n_start:\n\t${insn}\n\tnopr\n\t.org 0x100\nt:\tnopr\n`);
  const s = await debugSession([file], io as never);
  for (const [r, v] of Object.entries(regs)) await s.command(`set r${r} ${v}`);
  await s.command(`set cc ${cc}`);
  const ia = s.m.cpu.ia;
  const l = s.insnAt(ia);
  const hint = s.branchHint(l);
  s.step();
  return { hint, taken: s.m.cpu.ia !== ia + l.len };
}

const cases: [string, Record<number, string>, number?][] = [
  ['bctgr %r3,%r4', { 3: '1', 4: '10100' }],
  ['bctgr %r3,%r4', { 3: '5', 4: '10100' }],
  ['bctgr %r3,%r0', { 3: '5' }],
  ['bctr %r3,%r4', { 3: '2', 4: '10100' }],
  ['bctr %r3,%r0', { 3: '2' }],
  ['brct %r5,t', { 5: '1' }],
  ['brct %r5,t', { 5: '3' }],
  ['brctg %r5,t', { 5: '100000001' }],
  ['bctg %r5,0(%r4)', { 5: '1', 4: '10100' }],
  ['bcr 8,%r4', { 4: '10100' }, 0],
  ['bcr 8,%r4', { 4: '10100' }, 1],
  ['bcr 15,%r0', {}],
  ['jne t', {}, 0],
  ['jne t', {}, 2],
  ['jgh t', {}, 2],
];

describe('branch hints', () => {
  for (const [insn, regs, cc] of cases) {
    it(`${insn} with ${JSON.stringify(regs)} cc ${cc ?? 0}: the hint is what the CPU does`, async () => {
      const { hint, taken } = await hintAndOutcome(insn, regs, cc);
      expect(hint).toBe(taken ? 'taken' : 'not taken');
    });
  }
});
