/**
 * `zhint run FILE`: load a program, run it until it stops, print its console
 * output (or the final state as JSON, or a trace) and exit with its status.
 */
import { existsSync, statSync } from 'node:fs';
import { Machine, type MachineOptions, type RunResult } from '../machine.js';
import { Tracer } from '../trace/trace.js';
import { CliError, formatOptions, parseArgs, UsageError, type OptionSpec, type Parsed } from './options.js';
import type { Io } from './io.js';
import { DEFSYM_OPTION, loadProgram, readProgram, sourceOptions } from './program.js';
import { finalState } from './state.js';
import { DEFAULT_ORIGIN, traceDisassembler } from './assemble.js';

export const DEFAULT_MAX_STEPS = 100_000_000;

/** Options of the machine (hypervisor), shared by `run` and other commands that build a machine. */
export const MACHINE_OPTIONS: OptionSpec[] = [
  { name: 'guest-mem', kind: 'size', arg: 'SIZE', help: 'guest storage size (default 16M; e.g. 256K, 64M, 4G)' },
  { name: 'host-mem', kind: 'size', arg: 'SIZE', help: 'host memory backing the guest, at least 16K (default: as much as the guest: no pressure)' },
  { name: 'cmma', kind: 'enum', values: ['on', 'off'], help: 'collaborative memory management (ESSA) installed (default on)' },
  { name: 'unused-access', kind: 'enum', values: ['addressing', 'fault', 'zero'], help: 'guest access to a discarded unused page: addressing exception (default; alias fault) or a zero page' },
  { name: 'reclaim', kind: 'enum', values: ['state-aware', 'clock', 'hinting', 'lru'], help: 'host reclaim policy: state-aware (default; alias hinting) or clock (alias lru)' },
  { name: 'disk', kind: 'string', arg: 'FILE', help: 'virtual disk image for DIAGNOSE 0x250 (default: a generated pattern disk)' },
  { name: 'no-jit', kind: 'flag', help: 'interpreter only: do not compile hot blocks of guest code to JavaScript (same results, slower)' },
];

const RUN_OPTIONS: OptionSpec[] = [
  { name: 'load', kind: 'addr', arg: 'ADDR', help: `load address of a raw image (.bin; entry = ADDR), or of .text of a source file (default 0x${DEFAULT_ORIGIN.toString(16)})` },
  DEFSYM_OPTION,
  { name: 'max-steps', kind: 'int', arg: 'N', help: `stop after N instructions (default ${DEFAULT_MAX_STEPS})` },
  { name: 'trace', kind: 'flag', help: 'print one line per instruction and per interruption/event (stdout; stderr with --json)' },
  { name: 'explain', kind: 'flag', help: 'with the trace: explain each instruction and interruption in plain language (implies --trace)' },
  { name: 'json', kind: 'flag', help: 'print the final state as JSON instead of the console output' },
  ...MACHINE_OPTIONS,
  { name: 'help', kind: 'flag', short: 'h', help: 'show this help' },
];

export const RUN_HELP = `usage: zhint run FILE [options]

Run a program until it stops: a disabled wait (exit status 0 when the PSW
address ends in 0xfff, else 1), the step limit, an enabled wait nothing can
end, or a program-interruption loop (status 1). The program's console output
(DIAGNOSE 0x008) goes to stdout; why it stopped goes to stderr unless it
succeeded.

FILE is assembly source (.s/.S, assembled by zhint at --load ADDR, default
0x${DEFAULT_ORIGIN.toString(16)}, entered at _start or its first byte), a static ELF64 s390x
executable, or a raw image (.bin, or any file with --load ADDR).

options:
${formatOptions(RUN_OPTIONS)}

Trace lines: ADDRESS  BYTES  INSTRUCTION  changed registers (rN=, cN=, cc=, psw=);
interruptions start with '***', other machine events (console, ESSA, host paging) with '---';
with --explain, an indented '#' line after each explains it in words.
`;

/** MachineOptions from the parsed command line (only what was given). */
export function machineOptions(p: Parsed, cmd: string): MachineOptions {
  const o: Record<string, unknown> = {};
  const guestMem = p.opts.get('guest-mem') as number | undefined;
  if (guestMem !== undefined) {
    if (guestMem < 8192 || guestMem % 4096 !== 0) {
      throw new UsageError(`${cmd}: --guest-mem must be a multiple of 4K and at least 8K, got ${guestMem}`);
    }
    o.guestMem = guestMem;
  }
  const hostMem = p.opts.get('host-mem') as number | undefined;
  if (hostMem !== undefined) {
    if (hostMem < 16384 || hostMem % 4096 !== 0) throw new UsageError(`${cmd}: --host-mem must be a multiple of 4K and at least 16K, got ${hostMem}`);
    o.hostMem = hostMem;
  }
  const cmma = p.opts.get('cmma');
  if (cmma !== undefined) o.cmma = cmma === 'on';
  if (p.opts.has('unused-access')) o.unusedAccess = p.opts.get('unused-access');
  if (p.opts.has('reclaim')) o.reclaim = p.opts.get('reclaim');
  const disk = p.opts.get('disk') as string | undefined;
  if (disk !== undefined) {
    if (!existsSync(disk)) throw new CliError(`${disk}: no such file (--disk)`);
    if (statSync(disk).isDirectory()) throw new CliError(`${disk}: is a directory (--disk)`);
    o.disk = disk;
  }
  if (p.opts.has('no-jit')) o.jit = false;
  return o as MachineOptions;
}

/** Build a machine, turning a constructor refusal (bad size, unreadable disk) into a one-line error. */
export function makeMachine(o: MachineOptions): Machine {
  try {
    return new Machine(o);
  } catch (e) {
    if (e instanceof RangeError || (e instanceof Error && 'code' in e)) throw new CliError(e.message);
    throw e;
  }
}

/** Run fast (no trace): slices of the step budget, printing console output as it appears. */
function runFast(m: Machine, maxSteps: number, onConsole: ((s: string) => void) | null): RunResult {
  if (onConsole === null) return m.run(maxSteps);
  const SLICE = 1 << 22;
  let printed = 0;
  let done = 0;
  const flush = () => {
    const c = m.console;
    if (c.length > printed) { onConsole(c.slice(printed)); printed = c.length; }
  };
  for (;;) {
    const n = Math.min(SLICE, maxSteps - done);
    const r = m.run(n);
    done += r.steps;
    flush();
    if (r.reason !== 'step-limit' || done >= maxSteps) {
      if (r.reason === 'step-limit') {
        r.steps = done;
        r.message = `step limit reached after ${done} instructions (PSW address 0x${m.cpu.ia.toString(16)})`;
        m.cpu.stop('step-limit', r.message);
      }
      return r;
    }
  }
}

export async function runCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs('run', argv, RUN_OPTIONS);
  if (p.args.length === 0) throw new UsageError('run: no program file given (usage: zhint run FILE [options])');
  if (p.args.length > 1) throw new UsageError(`run: one program file expected, got ${p.args.length}: ${p.args.join(' ')}`);
  const file = p.args[0];
  const maxSteps = (p.opts.get('max-steps') as number | undefined) ?? DEFAULT_MAX_STEPS;
  if (maxSteps === 0) throw new UsageError('run: --max-steps must be at least 1');
  const json = p.opts.get('json') === true;
  const explain = p.opts.get('explain') === true;
  const trace = p.opts.get('trace') === true || explain;
  const mo = machineOptions(p, 'run');

  const prog = readProgram(file, { ...sourceOptions(p), warn: (s) => io.err(s) });
  const m = makeMachine(mo);
  loadProgram(m.storage, prog);
  m.start(prog.entry);

  let r: RunResult;
  if (trace) {
    const write = json ? (s: string) => io.err(s) : (s: string) => io.out(s);
    r = new Tracer(m, write, traceDisassembler(prog.symbols), explain).run(maxSteps);
  } else {
    r = runFast(m, maxSteps, json ? null : (s) => io.out(s));
  }

  if (json) {
    io.out(JSON.stringify(finalState(file, m, r), null, 2) + '\n');
  } else if (r.exitCode !== 0) {
    const c = m.console;
    const sep = c.length > 0 && !c.endsWith('\n') && !trace ? '\n' : '';
    io.err(`${sep}zhint: ${file}: ${r.message}\n`);
  }
  return r.exitCode;
}
