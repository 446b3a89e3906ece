/**
 * zhint's s390 assembler and disassembler (GNU as / objdump syntax).
 *
 * ## Assembling
 * ```ts
 * import { assemble, formatError } from './asm/index.js';
 * const r = assemble(source, { file: 'prog.s', origin: 0x10000, resolve: fsResolver('.') });
 * if (!r.ok) for (const e of r.errors) console.error(formatError(e));
 * // r.image: Uint8Array loaded at r.origin; r.entry: `_start` or origin
 * // r.symbols: Map name → { value, section, kind, global, file, line }
 * // r.lineMap: [{ addr, len, file, line }] sorted by addr (see lineAt)
 * // r.listing: [{ addr, bytes, file, line, source }] (see formatListing)
 * // r.sections: [{ name, addr, size, align, code }]
 * ```
 * `assemble` never throws. Every rejection is an `AsmError` located as
 * `file:line:col` (1-based) with its source line; `formatError` renders
 * `file:line:col: message`, the line and a caret. All errors of a file are
 * reported, not just the first.
 *
 * ### Image layout (a flat image, as GNU as plus a simple linker)
 * `.text` starts at `origin`; every other section follows in order of first
 * use, each at the next multiple of its alignment. `.text`, `.data` and
 * `.bss` are at least 4-byte aligned (as in GNU as), other sections 1; the
 * largest `.align` used in a section raises its alignment. Each section's
 * size is rounded up to its alignment, code sections padded with 0x07
 * (`nopr %r7`) like GNU as, data sections with zeros. `.org` is relative to
 * the start of the current section. `.bss` is laid out like `.data` (zero
 * filled, it takes room in the image). The image is at most 64 MiB. Labels have their final absolute
 * addresses; a PC-relative operand given as a plain number (`j 8`) is a byte
 * offset from the instruction (as GNU as treats absolute expressions).
 *
 * ### Syntax
 * Labels `name:`, numeric local labels `1:` with `1b`/`1f`, comments `#` and
 * `/* *\/`, `;` between statements; registers `%rN` (or plain numbers),
 * `%cN`, `%aN`; `D(X,B)`, `D(B)`, `D(L,B)`; expressions with
 * `+ - * / % << >> & | ^ ! !! ~ ( )`, the comparisons `== != <> < <= > >=`
 * (-1 true, 0 false), `&& ||` and unary `!` (1 or 0), `.`, symbols and
 * character constants `'A'` (GNU as precedence, see grammar.ts). Directives:
 * .text .data .bss .section .previous .org .align .balign .p2align .byte
 * .short .hword .word .long .int .quad .ascii .asciz .string .space .skip
 * .fill .equ .set `=` .global .globl .include .macro/.endm (`\param`,
 * defaults `p=1`) .insn .end; conditional assembly .if .ifdef .ifndef
 * .ifnotdef .ifeq .ifne .ifge .ifgt .ifle .iflt .ifb .ifnb .ifc .ifnc .else
 * .elseif .endif; repetition .rept .irp .irpc ... .endr (`\sym`). A
 * condition or repeat count must be absolute and known where it is reached
 * (symbols defined above it; see source.ts). .type .size .file .ident and
 * .cfi_* are accepted and ignored. Every mnemonic of the instruction table
 * plus the extended mnemonics of extended.ts.
 *
 * ## Disassembling
 * ```ts
 * const lines = disassemble(bytes, origin, { symbols: new Map([['_start', 0x10000]]) });
 * lines[0].mnemonic, lines[0].operands   // "j", "10008 <_start+0x8>"
 * formatObjdump(lines)                   // objdump -d layout
 * ```
 * Text is byte-identical to s390x-linux-gnu-objdump's mnemonic and operand
 * columns (ESSA excepted: objdump does not know it).
 */
export { assemble, Assembler } from './assembler.js';
export type { AssembleOptions, AssembleResult, SymbolInfo, LineEntry, ListingEntry, SectionInfo } from './assembler.js';
export type { AsmError } from './errors.js';
export { formatError } from './errors.js';
export type { IncludeResolver } from './source.js';
export {
  disassemble, disassembleOne, formatObjdump, formatObjdumpLine, insnText, symbolLookup,
} from './disassembler.js';
export type { DisasmLine, DisasmOptions, SymbolLookup } from './disassembler.js';

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { assemble } from './assembler.js';
import type { LineEntry, ListingEntry } from './assembler.js';
import type { AsmError } from './errors.js';
import type { IncludeResolver } from './source.js';

/**
 * Assemble one statement at `addr` (for the debugger's "assemble here"):
 * its bytes, or the first located error. Labels are not available; PC-relative
 * operands take absolute targets only through `.`-relative expressions (`.+8`).
 */
export function assembleOne(text: string, addr = 0): { bytes: Uint8Array } | { error: AsmError } {
  const r = assemble(text, { file: '<line>', origin: addr, listing: false });
  if (!r.ok) return { error: r.errors[0] };
  const e = r.lineMap[0];
  return { bytes: e ? r.image.slice(e.addr - addr, e.addr - addr + e.len) : new Uint8Array(0) };
}

/** The line-map entry covering `addr` (binary search), or undefined. */
export function lineAt(lineMap: readonly LineEntry[], addr: number): LineEntry | undefined {
  let lo = 0, hi = lineMap.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = lineMap[mid];
    if (addr < e.addr) hi = mid - 1;
    else if (addr >= e.addr + e.len) lo = mid + 1;
    else return e;
  }
  return undefined;
}

/** A classic listing: address, up to 8 bytes per line in hex, source line. */
export function formatListing(listing: readonly ListingEntry[]): string {
  const out: string[] = [];
  for (const e of listing) {
    for (let i = 0; i < e.bytes.length; i += 8) {
      const hexs = Array.from(e.bytes.subarray(i, i + 8), (b) => b.toString(16).padStart(2, '0')).join('');
      out.push(`${(e.addr + i).toString(16).padStart(8, '0')}  ${hexs.padEnd(16)}  ${i === 0 ? `${e.line.toString().padStart(5)}  ${e.source}` : ''}`.trimEnd());
    }
  }
  return out.join('\n');
}

/**
 * An include resolver over the file system: `.include "x.s"` is looked up
 * relative to the including file, then in each of `dirs`.
 */
export function fsResolver(...dirs: string[]): IncludeResolver {
  return (name, from) => {
    const cands = [resolve(dirname(from), name), ...dirs.map((d) => resolve(d, name))];
    for (const c of cands) {
      try {
        return { file: c, text: readFileSync(c, 'utf8') };
      } catch { /* try the next */ }
    }
    return undefined;
  };
}
