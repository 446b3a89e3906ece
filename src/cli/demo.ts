/**
 * `zhint demo` (what `npm start` runs): the guest kernel of programs/kernel/
 * twice on the same host, with page hinting and without (CMMA off), then one
 * side-by-side table, sparklines, optionally JSON and an SVG chart.
 */
import { writeFileSync } from 'node:fs';
import { DEMO_DEFAULTS, runDemo, type DemoOptions } from '../demo/run.js';
import { renderSvg, renderText, toJson } from '../demo/render.js';
import { processIo, type Io } from './io.js';
import { parseArgs, UsageError, type OptionSpec } from './options.js';

export const DEMO_HELP = `usage: zhint demo [options]

Runs zhint's guest kernel (programs/kernel/) twice on the same host: once with
guest page hinting (the kernel issues ESSA, the host discards volatile and
unused frames instead of paging them out) and once with CMMA off (every frame
stable: each eviction is a host page-out). Every page the guest reads is
checked against the virtual disk's pattern; both runs must end with the
success PSW. Prints one side-by-side table and sparklines over guest time.

options:
  --guest-mem SIZE     guest storage (default ${DEMO_DEFAULTS.guestMem / 1048576}M, at most 64M)
  --host-mem SIZE      host memory backing the guest (default ${DEMO_DEFAULTS.hostMem / 1048576}M)
  --working-set SIZE   size of the file the workload sweeps (default ${DEMO_DEFAULTS.workingSet / 1048576}M)
  --passes N           passes over the file (default ${DEMO_DEFAULTS.passes})
  --check N            256-byte chunks checked per page read by the workload:
                       1, 2, 4, 8 or 16 (default 16: whole pages; every disk
                       read is always checked whole)
  --json               print the results as JSON instead of the table
  --plot FILE.svg      also draw page-outs, page-ins and discards over guest time
  -h, --help           this text
Sizes: 65536, 256K, 16M.
`;

/** The options DEMO_HELP describes (parsed as the other commands' are; the help text is written out above). */
const DEMO_OPTIONS: OptionSpec[] = [
  { name: 'guest-mem', kind: 'size', arg: 'SIZE', help: 'guest storage' },
  { name: 'host-mem', kind: 'size', arg: 'SIZE', help: 'host memory backing the guest' },
  { name: 'working-set', kind: 'size', arg: 'SIZE', help: 'size of the file the workload sweeps' },
  { name: 'passes', kind: 'int', arg: 'N', help: 'passes over the file' },
  { name: 'check', kind: 'int', arg: 'N', help: '256-byte chunks checked per page read' },
  { name: 'json', kind: 'flag', help: 'JSON instead of the table' },
  { name: 'plot', kind: 'string', arg: 'FILE.svg', help: 'also draw an SVG chart' },
  { name: 'help', kind: 'flag', short: 'h', help: 'this text' },
];

/** DemoOptions fields and the options that set them. */
const NUMERIC: [keyof DemoOptions, string][] = [
  ['guestMem', 'guest-mem'], ['hostMem', 'host-mem'], ['workingSet', 'working-set'], ['passes', 'passes'], ['check', 'check'],
];

/** A mistake is a UsageError. */
function demoArgs(argv: string[]): { opts: Partial<DemoOptions>; json: boolean; plot?: string; help: boolean } {
  const p = parseArgs('demo', argv, DEMO_OPTIONS);
  if (p.args.length > 0) throw new UsageError(`demo: unknown option '${p.args[0]}' (see zhint demo --help)`);
  const opts: Partial<DemoOptions> = {};
  for (const [key, name] of NUMERIC) {
    const v = p.opts.get(name) as number | undefined;
    if (v !== undefined) opts[key] = v;
  }
  return { opts, json: p.opts.get('json') === true, plot: p.opts.get('plot') as string | undefined, help: p.opts.get('help') === true };
}

/** A one-line progress bar on stderr, redrawn in place (TTY only). */
function progressBar(io: Io, enabled: boolean): ((run: number, label: string, f: number) => void) | undefined {
  if (!enabled) return undefined;
  let last = '';
  return (run, label, f) => {
    const width = 30;
    const fill = Math.round(f * width);
    const line = `\r  run ${run + 1}/2 ${label.padEnd(10)} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${Math.round(f * 100).toString().padStart(3)}%`;
    if (line === last) return;
    last = line;
    io.err(line + (run === 1 && f >= 1 ? '\r\x1b[K' : ''));
  };
}

export async function demoCommand(argv: string[], io: Io = processIo, tty = process.stderr.isTTY === true): Promise<number> {
  let args: ReturnType<typeof demoArgs>;
  try {
    args = demoArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`zhint ${e.message}\n`); return 2; }
    throw e;
  }
  if (args.help) { io.out(DEMO_HELP); return 0; }
  let report;
  try {
    report = runDemo(args.opts, progressBar(io, tty && !args.json));
  } catch (e) {
    if (e instanceof RangeError) { io.err(`zhint demo: ${e.message}\n`); return 2; }
    throw e;
  }
  if (tty && !args.json) io.err('\r\x1b[K');
  if (args.json) io.out(JSON.stringify(toJson(report), null, 2) + '\n');
  else io.out(renderText(report));
  if (args.plot !== undefined) {
    writeFileSync(args.plot, renderSvg(report));
    if (!args.json) io.out(`chart written to ${args.plot}\n`);
  }
  return report.runs.every((r) => r.ok) ? 0 : 1;
}
