/**
 * `zhint debug FILE`: the instruction-level debugger in the terminal
 * (src/tui). Loads the program the way `zhint run` does (same loader, same
 * machine options), or the guest kernel of programs/kernel with `--kernel`.
 */
import { readFileSync } from 'node:fs';
import { formatOptions, parseArgs, UsageError, type OptionSpec } from './options.js';
import type { Io } from './io.js';
import { DEFSYM_OPTION, loadProgram, readProgram, sourceOptions } from './program.js';
import { DEFAULT_ORIGIN, labelSymbols } from './assemble.js';
import { MACHINE_OPTIONS, machineOptions, makeMachine } from './run.js';
import type { LineEntry } from '../asm/index.js';
import { Session, type SourceInfo } from '../tui/session.js';
import type { Machine } from '../machine.js';

const DEBUG_OPTIONS: OptionSpec[] = [
  { name: 'load', kind: 'addr', arg: 'ADDR', help: `load address of a raw image, or of .text of a source file (default 0x${DEFAULT_ORIGIN.toString(16)})` },
  DEFSYM_OPTION,
  { name: 'kernel', kind: 'flag', help: "debug the guest kernel of programs/kernel with the demo's parameters (no FILE)" },
  { name: 'break', kind: 'string', arg: 'ADDR', help: 'set a breakpoint (address or symbol) before starting' },
  ...MACHINE_OPTIONS,
  { name: 'help', kind: 'flag', short: 'h', help: 'show this help' },
];

export const DEBUG_HELP = `usage: zhint debug FILE [options]
       zhint debug --kernel [options]

Step through a program in the terminal: disassembly with source lines,
registers, the PSW, memory, the page states of every guest frame, the
event log (interruptions, ESSA, discards, host paging, discard faults),
hypervisor statistics and console output. Forward and reverse execution
(step, next, continue; reverse step, next, continue). Press ? for the keys.

options:
${formatOptions(DEBUG_OPTIONS)}
`;

/** Build the session for `argv` (also used by tests, without a terminal). */
export async function debugSession(argv: string[], io: Io): Promise<Session> {
  const p = parseArgs('debug', argv, DEBUG_OPTIONS);
  const kernel = p.opts.get('kernel') === true;
  if (!kernel && p.args.length === 0) throw new UsageError('debug: no program file given (usage: zhint debug FILE [options])');
  if (p.args.length > 1 || (kernel && p.args.length > 0)) throw new UsageError(`debug: one program file expected, got ${p.args.join(' ')}`);
  const mo = machineOptions(p, 'debug');
  let m: Machine;
  let session: Session;
  if (kernel) {
    if (p.opts.has('defsym')) throw new UsageError('debug --kernel: --defsym applies to a source FILE only');
    const { kernelParams, DEMO_DEFAULTS } = await import('../demo/run.js');
    const { loadKernel, checkParams } = await import('../demo/kernel.js');
    const { PatternDisk } = await import('../hv/disk.js');
    const o = { ...DEMO_DEFAULTS, guestMem: mo.guestMem ?? DEMO_DEFAULTS.guestMem, hostMem: mo.hostMem ?? DEMO_DEFAULTS.hostMem };
    const params = kernelParams(o);
    const bad = checkParams(params);
    if (bad !== null) throw new UsageError(`debug --kernel: ${bad}`);
    m = makeMachine({ ...mo, guestMem: o.guestMem, hostMem: o.hostMem, disk: mo.disk ?? new PatternDisk(params.fileBlocks) });
    const k = loadKernel(m, params);
    session = new Session(m, { file: 'programs/kernel', symbols: labelSymbols(k), source: sourceInfo(k.lineMap) });
  } else {
    const file = p.args[0];
    const prog = readProgram(file, { ...sourceOptions(p), warn: () => {} });
    m = makeMachine(mo);
    loadProgram(m.storage, prog);
    m.start(prog.entry);
    const source: SourceInfo = prog.lineMap !== undefined ? sourceInfo(prog.lineMap) : {};
    session = new Session(m, { file, symbols: prog.symbols, source });
  }
  const bp = p.opts.get('break') as string | undefined;
  if (bp !== undefined) session.toggleBreak(session.parseAddr(bp));
  void io;
  return session;
}

function sourceInfo(lineMap: readonly LineEntry[]): SourceInfo {
  const files = new Map<string, string[]>();
  for (const e of lineMap) {
    if (files.has(e.file)) continue;
    try { files.set(e.file, readFileSync(e.file, 'utf8').split('\n')); } catch { files.set(e.file, []); }
  }
  return { lineMap, files };
}

export async function debugCommand(argv: string[], io: Io): Promise<number> {
  const session = await debugSession(argv, io);
  const out = process.stdout;
  const tty = out.isTTY === true;
  // ink decides once, when it is first imported, whether it is "in CI" (the
  // CI or CONTINUOUS_INTEGRATION variable) and then draws nothing until exit.
  // A real terminal is interactive whatever the environment says, so clear
  // them before ink is loaded: that is why ink and the app are imported here.
  if (tty) for (const v of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[v];
  const [{ default: React }, { render }, { App }] = await Promise.all([import('react'), import('ink'), import('../tui/app.js')]);
  if (tty) out.write('\x1b[?1049h\x1b[H'); // alternate screen: the shell's screen comes back on quit
  const inst = render(React.createElement(App, { session }), { exitOnCtrlC: false, patchConsole: false });
  try {
    await inst.waitUntilExit();
  } finally {
    if (tty) out.write('\x1b[?1049l');
  }
  return 0;
}
