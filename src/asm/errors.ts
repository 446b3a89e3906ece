/**
 * Assembler diagnostics: every rejection is located (`file:line:col`) and
 * shown with its source line and a caret, never as a stack trace.
 */
export interface AsmError {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based column */
  col: number;
  message: string;
  /** the source line the error points into (a macro expansion shows the expanded text) */
  source: string;
  /** "macro m at a.s:3" when the statement came from a macro expansion */
  macro?: string;
}

/** `file:line:col: message`, then the source line and a caret under the column. */
export function formatError(e: AsmError): string {
  const head = `${e.file}:${e.line}:${e.col}: ${e.message}${e.macro ? ` (in expansion of macro ${e.macro})` : ''}`;
  const src = e.source.replace(/\t/g, ' ');
  const caret = ' '.repeat(Math.max(0, Math.min(e.col - 1, src.length))) + '^';
  return `${head}\n  ${src}\n  ${caret}`;
}

/** Internal: thrown inside one statement's processing, caught and recorded by the assembler. */
export class StmtError extends Error {
  constructor(message: string, readonly col: number) {
    super(message);
  }
}
