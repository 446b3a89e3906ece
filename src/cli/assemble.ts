/**
 * The CLI's bridge to zhint's assembler and disassembler (src/asm): assemble
 * a file into a Program, print diagnostics the way the CLI promises, and
 * disassemble for the trace and `zhint disasm`.
 */
import { lookup } from '../cpu/isa/decode.js';
import { CliError } from './options.js';
import type { Program } from './program.js';

/** Assemble `file`; every error (file:line:col, source line, caret) becomes one CliError, exit 1. */
export function assembleFile(file: string, _listing: boolean): Program {
  throw new CliError(`${file}: the assembler is not available yet`);
}

/** One instruction for the trace: mnemonic and operands as objdump prints them. */
export function disassembleOne(bytes: Uint8Array, _addr: number): string {
  const h0 = (bytes[0] << 8) | bytes[1];
  const h1 = bytes.length > 2 ? (bytes[2] << 8) | bytes[3] : 0;
  const h2 = bytes.length > 4 ? (bytes[4] << 8) | bytes[5] : 0;
  const d = lookup(h0, h1, h2);
  return d ? d.mnemonic : '(unknown)';
}
