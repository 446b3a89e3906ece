/** `zhint demo`: options, JSON, the SVG chart, sparklines. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCommand } from '../../src/cli/demo.js';
import { BufferIo } from '../../src/cli/io.js';
import { sparkline, rates } from '../../src/demo/render.js';

const SMALL = ['--guest-mem', '4M', '--host-mem', '1M', '--working-set', '1M', '--passes', '2'];

describe('zhint demo', () => {
  it('--help', async () => {
    const io = new BufferIo();
    expect(await demoCommand(['--help'], io, false)).toBe(0);
    expect(io.stdout).toContain('--working-set');
  });

  it('rejects bad options with exit status 2', async () => {
    const io = new BufferIo();
    expect(await demoCommand(['--passes', 'x'], io, false)).toBe(2);
    expect(await demoCommand(['--bogus'], io, false)).toBe(2);
    expect(await demoCommand(['--guest-mem', '2M', '--working-set', '4M'], io, false)).toBe(2);
    expect(io.stderr).toContain('guest memory too small');
  });

  it('--json and --plot: both runs intact, hinting saves host I/O, an SVG chart', async () => {
    const io = new BufferIo();
    const svg = join(mkdtempSync(join(tmpdir(), 'zhd-')), 'd.svg');
    expect(await demoCommand([...SMALL, '--json', '--plot', svg], io, false)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.runs.map((r: { label: string }) => r.label)).toEqual(['hinting', 'no hinting']);
    expect(j.runs.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(j.runs[0].host.discardFaults).toBeGreaterThan(0);
    expect(j.hostIoSaved).toBeGreaterThan(0);
    expect(j.runs[0].samples.length).toBeGreaterThan(2);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text.match(/<polyline/g)?.length).toBe(6);
    expect(text.trimEnd().endsWith('</svg>')).toBe(true);
    expect(io.stderr).toBe(''); // no progress bar when not on a terminal
  }, 120_000);

  it('the table', async () => {
    const io = new BufferIo();
    expect(await demoCommand(SMALL, io, false)).toBe(0);
    for (const s of ['host page-outs', 'host page-ins', 'discard faults', 're-reads', 'guest instructions', 'host I/O saved', 'data intact']) {
      expect(io.stdout).toContain(s);
    }
  }, 120_000);
});

describe('sparklines', () => {
  it('scale to the shared maximum and leave idle columns blank', () => {
    expect(sparkline([0, 1, 2, 4, 8], 8)).toBe(' ▁▂▄█');
    const s = [{ steps: 0, pageOuts: 0, pageIns: 0, discards: 0, discardFaults: 0 },
      { steps: 50, pageOuts: 3, pageIns: 0, discards: 0, discardFaults: 0 },
      { steps: 100, pageOuts: 4, pageIns: 0, discards: 0, discardFaults: 0 }];
    expect(rates(s, 'pageOuts', 2, 100)).toEqual([0, 4]);
    expect(rates(s, 'pageOuts', 4, 100)).toEqual([0, 0, 3, 1]);
  });
});
