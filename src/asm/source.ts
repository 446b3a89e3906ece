/**
 * Source preprocessing: comments, statement splitting, `.include` and
 * `.macro`/`.endm` expansion. Produces a flat list of statements, each with
 * the place it came from so every later error can be reported as
 * `file:line:col`.
 *
 * GNU as conventions for s390: `#` starts a comment to the end of the line,
 * C comments `/* ... *\/` may span lines, `;` separates statements.
 */
import type { AsmError } from './errors.js';

export interface Stmt {
  /** statement text (comments blanked, no newline) */
  text: string;
  file: string;
  /** 1-based line of the statement in `file` */
  line: number;
  /** 0-based column of `text[0]` in the source line */
  col: number;
  /** the full source line (for the caret display) */
  lineText: string;
  /** macro expansion chain, innermost first ("m1 at a.s:3") */
  macro?: string;
}

/** Resolves `.include "name"` (relative to the including file): undefined = not found. */
export type IncludeResolver = (name: string, fromFile: string) => { file: string; text: string } | undefined;

interface Macro { name: string; params: { name: string; def: string }[]; body: Stmt[]; file: string; line: number }

const MAX_INCLUDE_DEPTH = 32;
const MAX_MACRO_DEPTH = 64;
const MAX_STATEMENTS = 2_000_000;

/** Blank comments with spaces (keeping columns and newlines). */
export function stripComments(src: string): string {
  const out: string[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === '"') {
      // string literal up to the closing quote or end of line
      let j = i + 1;
      while (j < n && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' && src[j + 1] !== '\n' ? 2 : 1;
      if (j < n && src[j] === '"') j++;
      out.push(src.slice(i, j));
      i = j;
    } else if (c === "'") {
      // character constant: the quote and the next (possibly escaped) character
      let j = i + 1;
      if (j < n && src[j] === '\\') j++;
      if (j < n && src[j] !== '\n') j++;
      out.push(src.slice(i, j));
      i = j;
    } else if (c === '#') {
      let j = i;
      while (j < n && src[j] !== '\n') j++;
      out.push(' '.repeat(j - i));
      i = j;
    } else if (c === '/' && src[i + 1] === '*') {
      let j = src.indexOf('*/', i + 2);
      j = j < 0 ? n : j + 2;
      out.push(src.slice(i, j).replace(/[^\n]/g, ' '));
      i = j;
    } else {
      out.push(c);
      i++;
    }
  }
  return out.join('');
}

/** Split one line at `;` outside strings and character constants: [text, col] pairs. */
function splitStatements(line: string): [string, number][] {
  const parts: [string, number][] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
    } else if (c === "'") {
      i += line[i + 1] === '\\' ? 2 : 1;
    } else if (c === ';') {
      parts.push([line.slice(start, i), start]);
      start = i + 1;
    }
  }
  parts.push([line.slice(start), start]);
  return parts;
}

const LABELS_RE = /^\s*(?:(?:[A-Za-z_.$][\w.$]*|\d+)\s*:\s*)*/;
const WORD_RE = /^([A-Za-z_.$][\w.$]*)/;

/** Split macro arguments at top-level commas (outside parentheses and strings). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { i++; while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1; }
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { out.push(s.slice(start, i).trim()); start = i + 1; }
  }
  const last = s.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

export class Preprocessor {
  readonly out: Stmt[] = [];
  private macros = new Map<string, Macro>();
  /** macro being defined (collecting its body) */
  private defining: Macro | null = null;
  private defDepth = 0;
  private expansionCount = 0;

  constructor(private errors: AsmError[], private resolve: IncludeResolver | undefined,
    private mkErr: (s: Stmt, col: number, msg: string) => AsmError) {}

  addFile(file: string, text: string, depth = 0): void {
    const lines = stripComments(text.replace(/\r\n?/g, '\n')).split('\n');
    const raw = text.replace(/\r\n?/g, '\n').split('\n');
    for (let ln = 0; ln < lines.length; ln++) {
      for (const [t, col] of splitStatements(lines[ln])) {
        if (t.trim() === '') continue;
        this.statement({ text: t, file, line: ln + 1, col, lineText: raw[ln] ?? '' }, depth, 0);
      }
    }
    if (depth === 0 && this.defining) {
      const m = this.defining;
      this.errors.push(this.mkErr({ text: '', file: m.file, line: m.line, col: 0, lineText: raw[m.line - 1] ?? '' }, 0,
        `.macro ${m.name} has no matching .endm`));
      this.defining = null;
    }
  }

  private statement(s: Stmt, incDepth: number, macroDepth: number): void {
    if (this.out.length > MAX_STATEMENTS) return;
    const lab = LABELS_RE.exec(s.text)![0];
    const rest = s.text.slice(lab.length);
    const w = WORD_RE.exec(rest);
    const word = w ? w[1].toLowerCase() : '';
    const argText = w ? rest.slice(w[1].length) : '';
    const wordCol = lab.length;

    if (this.defining) {
      if (word === '.macro') this.defDepth++;
      if (word === '.endm') {
        if (this.defDepth === 0) {
          this.macros.set(this.defining.name, this.defining);
          this.defining = null;
          return;
        }
        this.defDepth--;
      }
      this.defining.body.push(s);
      return;
    }
    if (word === '.macro') {
      if (lab.trim() !== '') this.errors.push(this.mkErr(s, 0, 'a label cannot precede .macro'));
      const m = /^\s*([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/.exec(argText);
      if (!m) {
        this.errors.push(this.mkErr(s, wordCol, '.macro needs a name'));
        this.defining = { name: '', params: [], body: [], file: s.file, line: s.line };
        this.defDepth = 0;
        return;
      }
      const params: Macro['params'] = [];
      for (const p of m[2].split(/[\s,]+/).filter((x) => x !== '')) {
        const [name, def] = p.split('=');
        if (!/^[A-Za-z_][\w]*$/.test(name)) this.errors.push(this.mkErr(s, wordCol, `bad macro parameter name '${name}'`));
        params.push({ name, def: def ?? '' });
      }
      this.defining = { name: m[1].toLowerCase(), params, body: [], file: s.file, line: s.line };
      this.defDepth = 0;
      return;
    }
    if (word === '.endm') {
      this.errors.push(this.mkErr(s, wordCol, '.endm without .macro'));
      return;
    }
    if (word === '.include') {
      const m = /^\s*"([^"]*)"\s*$/.exec(argText);
      if (!m) { this.errors.push(this.mkErr(s, wordCol, '.include needs a quoted file name')); return; }
      if (incDepth >= MAX_INCLUDE_DEPTH) { this.errors.push(this.mkErr(s, wordCol, '.include nested too deeply')); return; }
      const got = this.resolve ? this.resolve(m[1], s.file) : undefined;
      if (!got) { this.errors.push(this.mkErr(s, wordCol, `cannot include '${m[1]}': file not found`)); return; }
      if (lab.trim() !== '') this.out.push({ ...s, text: lab });
      this.addFile(got.file, got.text, incDepth + 1);
      return;
    }
    const mac = word !== '' ? this.macros.get(word) : undefined;
    if (mac) {
      if (macroDepth >= MAX_MACRO_DEPTH || ++this.expansionCount > 100_000) {
        this.errors.push(this.mkErr(s, wordCol, `macro '${mac.name}' expanded too deeply (recursive?)`));
        return;
      }
      if (lab.trim() !== '') this.out.push({ ...s, text: lab });
      const args = splitArgs(argText);
      if (args.length > mac.params.length) {
        this.errors.push(this.mkErr(s, wordCol, `too many arguments for macro '${mac.name}' (${args.length} > ${mac.params.length})`));
        return;
      }
      const vals = new Map<string, string>();
      mac.params.forEach((p, i) => vals.set(p.name, args[i] !== undefined && args[i] !== '' ? args[i] : p.def));
      const where = `${mac.name} at ${s.file}:${s.line}`;
      for (const b of mac.body) {
        const text = b.text.replace(/\\([A-Za-z_]\w*|\(\))/g, (all, name: string) => {
          if (name === '()') return '';
          const v = vals.get(name);
          return v === undefined ? all : v;
        });
        for (const [t, col] of splitStatements(text)) {
          if (t.trim() === '') continue;
          this.statement({ text: t, file: b.file, line: b.line, col, lineText: text,
            macro: s.macro ? `${where}, ${s.macro}` : where }, incDepth, macroDepth + 1);
        }
      }
      return;
    }
    this.out.push(s);
  }
}
