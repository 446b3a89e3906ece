/**
 * The `zhint` command line: dispatch to the commands, `--help`, and the
 * top-level guard that turns every failure into one line on stderr and an
 * exit status (2 usage, 1 input/program failure, 70 internal error), never a
 * stack trace.
 */
import { CliError, UsageError } from './options.js';
import { processIo, type Io } from './io.js';
import { runCommand, RUN_HELP } from './run.js';
import { asmCommand, ASM_HELP } from './asm.js';
import { disasmCommand, DISASM_HELP } from './disasm.js';
import { demoCommand, DEMO_HELP } from './demo.js';
import { debugCommand, DEBUG_HELP } from './debug.js';

/** EX_SOFTWARE from sysexits.h: an internal error (a bug in zhint). */
export const EXIT_INTERNAL = 70;
export const EXIT_USAGE = 2;

export const MAIN_HELP = `zhint — an instruction-level s390 (z/Architecture) emulator for guest page hinting (CMMA)

usage: zhint <command> [options]

commands:
  run FILE       run a program (.s/.S source, ELF executable, or raw .bin with --load ADDR)
  asm FILE       assemble a source file into a raw image (-o OUT, --listing)
  disasm FILE    disassemble a raw image (--load ADDR), an ELF executable or a source file
  debug FILE     the instruction-level debugger in the terminal (reverse execution too)
  demo           the page-hinting demo: the guest kernel with and without hinting (what \`npm start\` runs)
  help [CMD]     show help for a command

Run \`zhint <command> --help\` for the options of a command.
`;

const HELP: Record<string, string> = { run: RUN_HELP, asm: ASM_HELP, disasm: DISASM_HELP, demo: DEMO_HELP, debug: DEBUG_HELP };

type Command = (argv: string[], io: Io) => Promise<number> | number;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  asm: asmCommand,
  disasm: disasmCommand,
  demo: (argv, io) => demoCommand(argv, io),
  debug: debugCommand,
};

const COMMAND_LIST = Object.keys(COMMANDS).join(', ');

function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** Run the CLI with `argv` (without node and script); returns the exit status. */
export async function cli(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '--help' || cmd === '-h') {
      io.out(MAIN_HELP);
      return cmd === undefined ? EXIT_USAGE : 0;
    }
    if (cmd === 'help') {
      const topic = rest[0];
      if (topic === undefined) { io.out(MAIN_HELP); return 0; }
      if (HELP[topic] !== undefined) { io.out(HELP[topic]); return 0; }
      throw new UsageError(`no help for '${topic}': commands are ${COMMAND_LIST}`);
    }
    if (cmd === '--version' || cmd === '-V') {
      io.out('zhint 0.1.0\n');
      return 0;
    }
    const command = COMMANDS[cmd];
    if (command === undefined) {
      throw new UsageError(`unknown command '${cmd}' (commands: ${COMMAND_LIST}; see zhint --help)`);
    }
    if (wantsHelp(rest)) {
      io.out(HELP[cmd]);
      return 0;
    }
    return await command(rest, io);
  } catch (e) {
    return report(e, io);
  }
}

/** Print a failure as the CLI does and return its exit status. */
export function report(e: unknown, io: Io): number {
  if (e instanceof UsageError) {
    io.err(`zhint: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (e instanceof CliError) {
    io.err(e.raw ? `${e.message}\n` : `zhint: ${e.message}\n`);
    return e.code;
  }
  // a bug in zhint: one line, no stack trace (ZHINT_DEBUG=1 shows it)
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  io.err(`zhint: internal error: ${msg.split('\n')[0]}\n`);
  if (process.env.ZHINT_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
  return EXIT_INTERNAL;
}
