/**
 * Source preprocessing: comments, statement splitting, `.include`,
 * `.macro`/`.endm` expansion, conditional assembly (`.if` and its family,
 * `.else`, `.elseif`, `.endif`) and repetition (`.rept`, `.irp`, `.irpc`
 * ... `.endr`). Produces a flat list of statements, each with the place it
 * came from so every later error can be reported as `file:line:col`.
 *
 * As in GNU as, a condition or a repeat count is evaluated when it is
 * reached: the assembler (CondHost) first runs its first pass over every
 * statement produced so far, so the symbols defined above are known. Text in
 * a branch not taken is dropped unparsed (only the nesting of conditionals is
 * followed there), so a macro invoked, a file included or a macro defined in
 * it is not. A conditional may span included files; one opened inside a macro
 * expansion must end in it. `.rept`/`.irp` bodies are collected raw (like a
 * macro body) and replayed, `.irp` with `\sym` replaced by each value.
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

/**
 * What conditional assembly and repetition need from the assembler: values
 * as they are where the directive is reached.
 */
export interface CondHost {
  /**
   * The value of the absolute expression `text`, which starts at offset `off`
   * of statement `s`'s text; null once an error (located) has been reported.
   * `what` names the directive for messages.
   */
  value(s: Stmt, text: string, off: number, what: string): bigint | null;
  /** Is `name` defined (a label, `.equ`/`.set`/`=`) above this point? */
  defined(name: string): boolean;
}

/** One open conditional (`.if` ... `.endif`). */
interface Cond {
  /** the `.if` statement, the column of its directive and the directive */
  stmt: Stmt;
  col: number;
  dir: string;
  /** the current branch is assembled */
  on: boolean;
  /** a branch has been taken (or the whole conditional lies in skipped text): later branches are off */
  taken: boolean;
  /** the `.else` seen, if any */
  elseAt: Stmt | null;
  /** the macro expansion it was opened in (0: none) */
  frame: number;
}

/** A `.rept`/`.irp`/`.irpc` whose body is being collected. */
interface Repeat {
  kind: string;
  stmt: Stmt;
  col: number;
  /** iterations: a count (`.rept`) or the values of the symbol (`.irp`, `.irpc`) */
  count: number;
  sym: string;
  values: string[];
  body: Stmt[];
  /** nesting of repeat directives inside the body */
  depth: number;
  frame: number;
}

/** Where a statement is processed: include depth, macro depth, the macro expansion (0: none). */
interface Ctx { inc: number; macro: number; frame: number }

const IF_DIRECTIVES = new Set(['.if', '.ifdef', '.ifndef', '.ifnotdef', '.ifeq', '.ifne', '.ifge', '.ifgt', '.ifle', '.iflt',
  '.ifb', '.ifnb', '.ifc', '.ifnc', '.ifeqs', '.ifnes']);
const REPEATS = new Set(['.rept', '.irp', '.irpc']);
const NAME_CHAR = /^[A-Za-z0-9_.$]$/;

/** Index of the `"` that closes the string opening at `s[i]` (past the end when there is none). */
function closingQuote(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return j;
}

/** Length of the blanks `s` starts with. */
const leading = (s: string): number => s.length - s.trimStart().length;

const MAX_INCLUDE_DEPTH = 32;
const MAX_MACRO_DEPTH = 64;
const MAX_REPEAT_DEPTH = 64;
const MAX_STATEMENTS = 2_000_000;

/** Blank comments with spaces (keeping columns and newlines). */
function stripComments(src: string): string {
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
      i = closingQuote(line, i);
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

/**
 * Split macro arguments and `.irp` values as GNU as does: at top-level
 * commas, and at blanks between two name characters (`.irp r, 1 2 3` has
 * three values; `1 + 1` is one); a value in double quotes is the text
 * between them.
 */
function splitValues(s: string): string[] {
  const t = s.trim();
  if (t === '') return [];
  const out: string[] = [];
  let depth = 0, cur = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      const j = closingQuote(t, i);
      cur += t.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ',' && depth <= 0) { out.push(cur.trim()); cur = ''; continue; }
    if ((c === ' ' || c === '\t') && depth <= 0 && cur.trim() !== '') {
      let j = i;
      while (j < t.length && (t[j] === ' ' || t[j] === '\t')) j++;
      if (NAME_CHAR.test(cur.trimEnd().slice(-1)) && NAME_CHAR.test(t[j] ?? '')) {
        out.push(cur.trim());
        cur = '';
        i = j - 1;
        continue;
      }
    }
    cur += c;
  }
  out.push(cur.trim());
  return out.map((v) => (/^"(?:[^"\\]|\\.)*"$/.test(v) ? v.slice(1, -1) : v));
}

/**
 * One operand of `.ifc`/`.ifnc` (GNU as): a string in single quotes (`''` is
 * a quote) or the text up to `stop`, trailing blanks dropped. Returns the
 * string and where it ended.
 */
function ifcOperand(s: string, at: number, stop: string): [string, number] {
  let i = at;
  while (s[i] === ' ' || s[i] === '\t') i++;
  if (s[i] === "'") {
    let out = '';
    i++;
    while (i < s.length) {
      if (s[i] === "'") {
        if (s[i + 1] === "'") { out += "'"; i += 2; continue; }
        i++;
        break;
      }
      out += s[i++];
    }
    while (s[i] === ' ' || s[i] === '\t') i++;
    return [out, i];
  }
  let j = i;
  while (j < s.length && s[j] !== stop) j++;
  return [s.slice(i, j).trimEnd(), j];
}

/** Blanks as GNU as's input scrubber leaves them: one space between two name characters, none elsewhere. */
function scrub(s: string): string {
  return s.replace(/[ \t]+/g, (blanks: string, at: number) =>
    (at > 0 && NAME_CHAR.test(s[at - 1]) && NAME_CHAR.test(s[at + blanks.length] ?? '') ? ' ' : ''));
}

export class Preprocessor {
  readonly out: Stmt[] = [];
  private macros = new Map<string, Macro>();
  /** macro being defined (collecting its body) */
  private defining: Macro | null = null;
  private defDepth = 0;
  private expansionCount = 0;
  /** GNU as's `\@`: macro expansions so far (the first one sees 0) */
  private macroNumber = 0;
  /** the frame of a macro expansion whose `.exitm` was reached (-1: none) */
  private exitFrame = -1;
  /** open conditionals, innermost last */
  private conds: Cond[] = [];
  /** repeat whose body is being collected */
  private repeat: Repeat | null = null;
  /** macro expansions so far (each one's frame number) */
  private frames = 0;
  /** repeats being replayed, one inside the other */
  private replayDepth = 0;
  private tooMany = false;
  /** more than MAX_STATEMENTS statements were produced (reported; the rest is dropped) */
  get overflow(): boolean { return this.tooMany; }

  constructor(private errors: AsmError[], private resolve: IncludeResolver | undefined,
    private mkErr: (s: Stmt, col: number, msg: string) => AsmError, private host: CondHost) {}

  /** Preprocess a file; `depth`, `frame`: of the `.include` that reads it (0: the main file). */
  addFile(file: string, text: string, depth = 0, frame = 0): void {
    const src = text.replace(/\r\n?/g, '\n');
    const lines = stripComments(src).split('\n');
    const raw = src.split('\n');
    const ctx: Ctx = { inc: depth, macro: 0, frame };
    for (let ln = 0; ln < lines.length; ln++) {
      for (const [t, col] of splitStatements(lines[ln])) {
        if (t.trim() === '') continue;
        this.statement({ text: t, file, line: ln + 1, col, lineText: raw[ln] ?? '' }, ctx);
      }
    }
    if (depth === 0) {
      if (this.defining) {
        const m = this.defining;
        this.errors.push(this.mkErr({ text: '', file: m.file, line: m.line, col: 0, lineText: raw[m.line - 1] ?? '' }, 0,
          `.macro ${m.name} has no matching .endm`));
        this.defining = null;
      }
      this.closeFrame(-1, 'end of file');
    }
  }

  /** Report (unless `quiet`) and drop the conditionals and the repeat opened in `frame` (-1: any), which ends here. */
  private closeFrame(frame: number, where: string, quiet = false): void {
    if (this.repeat && (frame < 0 || this.repeat.frame === frame)) {
      const r = this.repeat;
      if (!quiet) this.errors.push(this.mkErr(r.stmt, r.col, `${r.kind} without .endr (${where} reached inside it)`));
      this.repeat = null;
    }
    while (this.conds.length > 0 && (frame < 0 || this.conds[this.conds.length - 1].frame === frame)) {
      const c = this.conds.pop()!;
      if (!quiet) this.errors.push(this.mkErr(c.stmt, c.col, `${c.dir} without .endif (${where} reached inside it)`));
    }
  }

  /** Text is being assembled (not inside a conditional branch that is off). */
  private get on(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1].on;
  }

  private statement(s: Stmt, ctx: Ctx): void {
    if (this.out.length > MAX_STATEMENTS) {
      if (!this.tooMany) this.errors.push(this.mkErr(s, 0, `more than ${MAX_STATEMENTS} statements after expanding macros and repeats`));
      this.tooMany = true;
      return;
    }
    const lab = LABELS_RE.exec(s.text)![0];
    const rest = s.text.slice(lab.length);
    const w = WORD_RE.exec(rest);
    const word = w ? w[1].toLowerCase() : '';
    const argText = w ? rest.slice(w[1].length) : '';
    const wordCol = lab.length;
    const argCol = lab.length + (w ? w[1].length : 0);

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
    if (this.repeat) {
      const r = this.repeat;
      if (REPEATS.has(word)) r.depth++;
      else if (word === '.endr') {
        if (r.depth === 0) {
          this.repeat = null;
          this.replay(r, ctx);
          return;
        }
        r.depth--;
      }
      r.body.push(s);
      return;
    }
    if (IF_DIRECTIVES.has(word) || word === '.else' || word === '.elseif' || word === '.endif') {
      this.conditional(s, word, lab, argText, wordCol, argCol, ctx);
      return;
    }
    if (!this.on) return;
    if (REPEATS.has(word)) {
      if (lab.trim() !== '') this.out.push({ ...s, text: lab });
      this.startRepeat(s, word, argText, wordCol, argCol, ctx);
      return;
    }
    if (word === '.endr') {
      this.errors.push(this.mkErr(s, wordCol, '.endr without .rept, .irp or .irpc'));
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
    if (word === '.exitm') {
      if (ctx.macro === 0) this.errors.push(this.mkErr(s, wordCol, '.exitm outside a macro'));
      else this.exitFrame = ctx.frame;
      return;
    }
    if (word === '.include') {
      const m = /^\s*"([^"]*)"\s*$/.exec(argText);
      if (!m) { this.errors.push(this.mkErr(s, wordCol, '.include needs a quoted file name')); return; }
      if (ctx.inc >= MAX_INCLUDE_DEPTH) { this.errors.push(this.mkErr(s, wordCol, '.include nested too deeply')); return; }
      const got = this.resolve ? this.resolve(m[1], s.file) : undefined;
      if (!got) { this.errors.push(this.mkErr(s, wordCol, `cannot include '${m[1]}': file not found`)); return; }
      if (lab.trim() !== '') this.out.push({ ...s, text: lab });
      this.addFile(got.file, got.text, ctx.inc + 1, ctx.frame);
      return;
    }
    const mac = word !== '' ? this.macros.get(word) : undefined;
    if (mac) {
      if (ctx.macro >= MAX_MACRO_DEPTH || ++this.expansionCount > 100_000) {
        this.errors.push(this.mkErr(s, wordCol, `macro '${mac.name}' expanded too deeply (recursive?)`));
        return;
      }
      if (lab.trim() !== '') this.out.push({ ...s, text: lab });
      const args = splitValues(argText);
      if (args.length > mac.params.length) {
        this.errors.push(this.mkErr(s, wordCol, `too many arguments for macro '${mac.name}' (${args.length} > ${mac.params.length})`));
        return;
      }
      const vals = new Map<string, string>();
      mac.params.forEach((p, i) => vals.set(p.name, args[i] !== undefined && args[i] !== '' ? args[i] : p.def));
      vals.set('@', String(this.macroNumber++));
      const where = `${mac.name} at ${s.file}:${s.line}`;
      const inner: Ctx = { inc: ctx.inc, macro: ctx.macro + 1, frame: ++this.frames };
      for (const b of mac.body) {
        this.substituted(b, vals, s.macro ? `${where}, ${s.macro}` : where, inner);
        if (this.exitFrame === inner.frame) break;
      }
      // after .exitm the rest of the body is dropped, with the conditionals it would have closed
      const exited = this.exitFrame === inner.frame;
      if (exited) this.exitFrame = -1;
      this.closeFrame(inner.frame, `end of macro '${mac.name}'`, exited);
      return;
    }
    this.out.push(s);
  }

  /**
   * Process body statement `b` with `\name` replaced by `vals` (and `\()`
   * removed). `keep`: a statement without any replacement keeps its place in
   * the source line.
   */
  private substituted(b: Stmt, vals: Map<string, string>, macro: string | undefined, ctx: Ctx, keep = false): void {
    const text = b.text.replace(/\\([A-Za-z_]\w*|\(\)|@)/g, (all, name: string) => {
      if (name === '()') return '';
      const v = vals.get(name);
      return v === undefined ? all : v;
    });
    if (keep && text === b.text) { this.statement(b, ctx); return; }
    for (const [t, col] of splitStatements(text)) {
      if (t.trim() === '') continue;
      this.statement({ text: t, file: b.file, line: b.line, col, lineText: text, macro }, ctx);
    }
  }

  /** `.if`, `.else`, `.elseif`, `.endif` and the other `.if*` forms. */
  private conditional(s: Stmt, word: string, lab: string, argText: string, wordCol: number, argCol: number, ctx: Ctx): void {
    const top = this.conds.length > 0 ? this.conds[this.conds.length - 1] : undefined;
    // a label before the directive belongs to the text around it
    if (lab.trim() !== '' && this.on) this.out.push({ ...s, text: lab });
    if (IF_DIRECTIVES.has(word)) {
      const outer = this.on;
      // a conditional in skipped text is only followed for its nesting, its operand is not looked at
      const on = outer ? this.test(s, word, argText, argCol) : false;
      this.conds.push({ stmt: s, col: wordCol, dir: word, on, taken: on || !outer, elseAt: null, frame: ctx.frame });
      return;
    }
    if (!top) {
      this.errors.push(this.mkErr(s, wordCol, `${word} without .if`));
      return;
    }
    if (word === '.endif') {
      this.conds.pop();
      return;
    }
    if (top.elseAt) {
      this.errors.push(this.mkErr(s, wordCol, `${word === '.else' ? 'duplicate .else' : '.elseif after .else'} (the .else is at ${top.elseAt.file}:${top.elseAt.line})`));
      top.on = false;
      return;
    }
    if (word === '.else') {
      top.elseAt = s;
      top.on = !top.taken;
      top.taken = true;
      return;
    }
    // .elseif: its expression is evaluated only when no branch has been taken yet
    if (top.taken) { top.on = false; return; }
    top.on = this.test(s, '.if', argText, argCol);
    top.taken = top.on;
  }

  /** Is the condition of `word` (an `.if*` directive) true? Errors are reported (and give false). */
  private test(s: Stmt, word: string, argText: string, argCol: number): boolean {
    switch (word) {
      case '.ifdef': case '.ifndef': case '.ifnotdef': {
        const m = /^\s*([A-Za-z_.$][\w.$]*)\s*$/.exec(argText);
        if (!m) {
          this.errors.push(this.mkErr(s, argCol + leading(argText), `${word} needs one symbol name`));
          return false;
        }
        return this.host.defined(m[1]) === (word === '.ifdef');
      }
      case '.ifb': case '.ifnb':
        return (argText.trim() === '') === (word === '.ifb');
      case '.ifeqs': case '.ifnes': {
        // two strings in double quotes (GNU as), compared as written
        const str = (at: number): [string, number] | null => {
          const i = at + leading(argText.slice(at));
          if (argText[i] !== '"') return null;
          const j = closingQuote(argText, i);
          return j < argText.length ? [argText.slice(i + 1, j), j + 1] : null;
        };
        const a = str(0);
        const comma = a === null ? -1 : a[1] + leading(argText.slice(a[1]));
        const b = a === null || argText[comma] !== ',' ? null : str(comma + 1);
        if (a === null || b === null || argText.slice(b[1]).trim() !== '') {
          this.errors.push(this.mkErr(s, argCol + leading(argText), `${word} needs two strings in double quotes separated by a comma`));
          return false;
        }
        return (a[0] === b[0]) === (word === '.ifeqs');
      }
      case '.ifc': case '.ifnc': {
        const [a, at] = ifcOperand(argText, 0, ',');
        if (argText[at] !== ',') {
          this.errors.push(this.mkErr(s, argCol + at, `${word} needs two strings separated by a comma`));
          return false;
        }
        const [b, end] = ifcOperand(argText, at + 1, '\n');
        if (argText.slice(end).trim() !== '') {
          this.errors.push(this.mkErr(s, argCol + end, `${word}: unexpected text after the second string`));
          return false;
        }
        return (scrub(a) === scrub(b)) === (word === '.ifc');
      }
    }
    const v = this.host.value(s, argText, argCol, word);
    if (v === null) return false;
    switch (word) {
      case '.ifeq': return v === 0n;
      case '.ifge': return v >= 0n;
      case '.ifgt': return v > 0n;
      case '.ifle': return v <= 0n;
      case '.iflt': return v < 0n;
      default: return v !== 0n; // .if, .ifne
    }
  }

  /** `.rept COUNT`, `.irp SYM,VALUES`, `.irpc SYM,CHARS`: start collecting the body. */
  private startRepeat(s: Stmt, word: string, argText: string, wordCol: number, argCol: number, ctx: Ctx): void {
    const r: Repeat = { kind: word, stmt: s, col: wordCol, count: 0, sym: '', values: [], body: [], depth: 0, frame: ctx.frame };
    this.repeat = r;
    if (word === '.rept') {
      const v = this.host.value(s, argText, argCol, '.rept');
      if (v === null) return;
      const at = argCol + leading(argText);
      if (v < 0n) this.errors.push(this.mkErr(s, at, `.rept count ${v} is negative`));
      else if (v > BigInt(MAX_STATEMENTS)) this.errors.push(this.mkErr(s, at, `.rept count ${v} is too large`));
      else r.count = Number(v);
      return;
    }
    const m = /^(\s*)([A-Za-z_]\w*)\s*(,?)(.*)$/.exec(argText);
    if (!m) {
      this.errors.push(this.mkErr(s, argCol + leading(argText), `${word} needs a symbol name: ${word} name,values`));
      return;
    }
    r.sym = m[2];
    let vals: string[];
    if (word === '.irp') vals = splitValues(m[4]);
    else {
      let t = m[4].trim();
      if (t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"') t = t.slice(1, -1);
      vals = [...t];
    }
    // no value: the body once, with the symbol empty
    r.values = vals.length > 0 ? vals : [''];
    r.count = r.values.length;
  }

  /** The collected body of `r`, `r.count` times. */
  private replay(r: Repeat, ctx: Ctx): void {
    if (r.body.length > 0 && r.count * r.body.length > MAX_STATEMENTS) {
      this.errors.push(this.mkErr(r.stmt, r.col, `${r.kind} would produce more than ${MAX_STATEMENTS} statements`));
      return;
    }
    if (this.replayDepth >= MAX_REPEAT_DEPTH) {
      this.errors.push(this.mkErr(r.stmt, r.col, `${r.kind} nested too deeply (more than ${MAX_REPEAT_DEPTH})`));
      return;
    }
    this.replayDepth++;
    for (let i = 0; i < r.count && !this.tooMany; i++) {
      if (r.kind === '.rept') {
        for (const b of r.body) this.statement(b, ctx);
      } else {
        const vals = new Map([[r.sym, r.values[i]]]);
        for (const b of r.body) this.substituted(b, vals, b.macro, ctx, true);
      }
    }
    this.replayDepth--;
  }
}
