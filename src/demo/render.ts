/**
 * What `zhint demo` prints: one side-by-side table, sparklines of the host
 * counters over guest time, the JSON form, and a hand-written SVG chart.
 */
import type { DemoReport, RunReport, Sample } from './run.js';
import { formatSize } from '../machine.js';

const SPARK = '▁▂▃▄▅▆▇█';

/**
 * Per-interval rates of one counter resampled to `width` buckets over the
 * run's guest time (instructions), as sparkline characters. `max` is shared
 * by both runs so their heights compare.
 */
export function rates(samples: Sample[], key: keyof Omit<Sample, 'steps'>, width: number, endStep: number): number[] {
  const out = new Array<number>(width).fill(0);
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i][key] - samples[i - 1][key];
    if (d === 0) continue;
    const b = Math.min(width - 1, Math.floor((samples[i].steps / Math.max(1, endStep)) * width));
    out[b] += d;
  }
  return out;
}

export function sparkline(values: number[], max: number): string {
  return values.map((v) => (v <= 0 || max <= 0 ? ' ' : SPARK[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

interface Row { label: string; a: string; b: string }

function rows(d: DemoReport): Row[] {
  const [h, nh] = d.runs;
  const r = (label: string, f: (x: RunReport) => number): Row => ({ label, a: n(f(h)), b: n(f(nh)) });
  const io = (x: RunReport): number => x.stats.pageOuts + x.stats.pageIns;
  return [
    r('host page-outs (swap writes)', (x) => x.stats.pageOuts),
    r('host page-ins (swap reads)', (x) => x.stats.pageIns),
    r('discards of U frames', (x) => x.stats.discardsUnused),
    r('discards of V / clean P frames', (x) => x.stats.discardsVolatile),
    r('discard faults (PIC 0x1A)', (x) => x.stats.discardFaults),
    r('  found Vz by set-stable-if-resident', (x) => x.kernel.staleHits),
    r('guest disk reads', (x) => x.kernel.diskReads),
    r('  of which re-reads', (x) => x.kernel.reReads),
    r('guest dirty write-backs', (x) => x.kernel.writeBacks),
    r('ESSA executed', (x) => x.stats.essaTotal),
    r('guest instructions', (x) => x.steps),
    r('host I/O (page-outs + page-ins)', io),
    { label: 'result', a: h.ok ? 'data intact' : 'FAILED', b: nh.ok ? 'data intact' : 'FAILED' },
    { label: 'wall time', a: `${(h.ms / 1000).toFixed(1)} s`, b: `${(nh.ms / 1000).toFixed(1)} s` },
  ];
}

/** The side-by-side table, sparklines and the bottom line, as text. */
export function renderText(d: DemoReport, opts: { sparkWidth?: number } = {}): string {
  const o = d.options;
  const out: string[] = [];
  out.push(`zhint demo: guest ${formatSize(o.guestMem)}, host ${formatSize(o.hostMem)}, ` +
    `working set ${formatSize(d.params.fileBlocks * 4096)} (${d.params.writableBlocks} pages mapped writable), ` +
    `${o.passes} passes, ${o.anonPages} anonymous + ${o.mlockPages} mlocked pages`);
  out.push('');
  const rs = rows(d);
  const w0 = Math.max(...rs.map((r) => r.label.length));
  const w1 = Math.max('hinting'.length, ...rs.map((r) => r.a.length));
  const w2 = Math.max('no hinting'.length, ...rs.map((r) => r.b.length));
  out.push(`${''.padEnd(w0)}  ${'hinting'.padStart(w1)}  ${'no hinting'.padStart(w2)}`);
  out.push(`${''.padEnd(w0, '─')}  ${''.padEnd(w1, '─')}  ${''.padEnd(w2, '─')}`);
  for (const r of rs) out.push(`${r.label.padEnd(w0)}  ${r.a.padStart(w1)}  ${r.b.padStart(w2)}`);
  out.push('');
  // sparklines over guest time: both runs on the same time axis (the longer run)
  const width = opts.sparkWidth ?? 48;
  const end = Math.max(d.runs[0].steps, d.runs[1].steps);
  out.push(`over guest time (0 … ${n(end)} instructions, one column = ${n(Math.ceil(end / width))}):`);
  for (const key of ['pageOuts', 'pageIns', 'discards'] as const) {
    const series = d.runs.map((r) => rates(r.samples, key, width, end));
    const max = Math.max(1, ...series.flat());
    const name = key === 'pageOuts' ? 'page-outs' : key === 'pageIns' ? 'page-ins' : 'discards';
    d.runs.forEach((r, i) => out.push(`  ${name.padEnd(9)} ${r.label.padEnd(10)} │${sparkline(series[i], max)}│`));
  }
  out.push('');
  const [h, nh] = d.runs;
  if (h.ok && nh.ok) {
    const ratio = d.pageOutRatio === null ? `${n(nh.stats.pageOuts)} : 0` : `${d.pageOutRatio.toFixed(1)}×`;
    out.push(`host I/O saved by hinting: ${n(d.hostIoSaved)} page transfers ` +
      `(${n(nh.stats.pageOuts + nh.stats.pageIns)} → ${n(h.stats.pageOuts + h.stats.pageIns)}); page-outs ${ratio}. ` +
      `The price: ${n(h.kernel.reReads)} guest re-reads from its own disk and ${n(h.stats.discardFaults)} discard faults.`);
  }
  for (const r of d.runs) if (!r.ok) out.push(`${r.label}: FAILED: ${r.failure ?? r.stopMessage}`);
  return out.join('\n') + '\n';
}

/** The JSON form (`--json`): the same numbers, plus the samples. */
export function toJson(d: DemoReport): unknown {
  return {
    options: d.options,
    kernelParams: d.params,
    hostIoSaved: d.hostIoSaved,
    pageOutRatio: d.pageOutRatio,
    runs: d.runs.map((r) => ({
      label: r.label, cmma: r.cmma, ok: r.ok, failure: r.failure ?? null, steps: r.steps, ms: r.ms,
      host: {
        pageOuts: r.stats.pageOuts, pageIns: r.stats.pageIns, discardsUnused: r.stats.discardsUnused,
        discardsVolatile: r.stats.discardsVolatile, discardFaults: r.stats.discardFaults, zeroFills: r.stats.zeroFills,
        essaByOrc: r.stats.essaByOrc, census: r.stats.census,
      },
      guest: r.kernel,
      samples: r.samples,
    })),
  };
}

// ---------------------------------------------------------------- SVG chart

const COLORS = { pageOuts: '#d62728', pageIns: '#1f77b4', discards: '#2ca02c' } as const;
const NAMES = { pageOuts: 'host page-outs', pageIns: 'host page-ins', discards: 'discards (U+V)' } as const;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A nice round step for about `target` ticks over [0, max]. */
function niceStep(max: number, target: number): number {
  const raw = max / target;
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/**
 * Cumulative host page-outs, page-ins and discards over guest time for both
 * runs in one chart: solid lines with hinting, dashed without.
 */
export function renderSvg(d: DemoReport): string {
  const W = 900, H = 420, L = 70, R = 260, T = 40, B = 50;
  const pw = W - L - R, ph = H - T - B;
  const xmax = Math.max(1, ...d.runs.map((r) => r.steps));
  let ymax = 1;
  for (const r of d.runs) for (const s of r.samples) ymax = Math.max(ymax, s.pageOuts, s.pageIns, s.discards);
  const ys = niceStep(ymax, 5);
  ymax = Math.ceil(ymax / ys) * ys;
  const xs = niceStep(xmax, 6);
  const X = (v: number): string => (L + (v / xmax) * pw).toFixed(1);
  const Y = (v: number): string => (T + ph - (v / ymax) * ph).toFixed(1);
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${L}" y="22" font-size="15" font-weight="bold">${esc(`zhint demo: host paging with and without guest page hinting`)}</text>`);
  for (let v = 0; v <= ymax + 1e-9; v += ys) {
    o.push(`<line x1="${L}" x2="${L + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#e5e5e5"/>`);
    o.push(`<text x="${L - 6}" y="${Y(v)}" text-anchor="end" dominant-baseline="middle">${v.toLocaleString('en-US')}</text>`);
  }
  for (let v = 0; v <= xmax + 1e-9; v += xs) {
    o.push(`<line x1="${X(v)}" x2="${X(v)}" y1="${T}" y2="${T + ph}" stroke="#f0f0f0"/>`);
    o.push(`<text x="${X(v)}" y="${T + ph + 16}" text-anchor="middle">${v >= 1e6 ? `${(v / 1e6).toFixed(v % 1e6 === 0 ? 0 : 1)}M` : v >= 1e3 ? `${v / 1e3}k` : v}</text>`);
  }
  o.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  o.push(`<text x="${L + pw / 2}" y="${H - 12}" text-anchor="middle">guest time (instructions)</text>`);
  o.push(`<text x="16" y="${T + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${T + ph / 2})">frames (cumulative)</text>`);
  let ly = T + 8;
  d.runs.forEach((r, ri) => {
    for (const key of ['pageOuts', 'pageIns', 'discards'] as const) {
      const pts = r.samples.map((s) => `${X(s.steps)},${Y(s[key])}`).join(' ');
      const dash = ri === 0 ? '' : ' stroke-dasharray="6 4"';
      o.push(`<polyline fill="none" stroke="${COLORS[key]}" stroke-width="2"${dash} points="${pts}"/>`);
      o.push(`<line x1="${L + pw + 12}" x2="${L + pw + 40}" y1="${ly}" y2="${ly}" stroke="${COLORS[key]}" stroke-width="2"${dash}/>`);
      o.push(`<text x="${L + pw + 46}" y="${ly}" dominant-baseline="middle">${esc(`${NAMES[key]}, ${r.label}`)}</text>`);
      ly += 18;
    }
    ly += 8;
  });
  o.push(`<text x="${L + pw + 12}" y="${ly + 10}">${esc(`host I/O saved: ${d.hostIoSaved.toLocaleString('en-US')}`)}</text>`);
  o.push('</svg>');
  return o.join('\n') + '\n';
}
