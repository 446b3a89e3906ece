/**
 * Statement text → AST, through the ohm grammar (grammar.ts). Positions are
 * 0-based offsets into the statement text.
 */
import type * as ohm from 'ohm-js';
import { grammar } from './grammar.js';
import { StmtError } from './errors.js';

export type Expr =
  | { k: 'num'; v: bigint; pos: number }
  | { k: 'sym'; name: string; pos: number; display?: string }
  /** numeric local label reference: `1b` / `1f` */
  | { k: 'local'; n: string; dir: 'b' | 'f'; pos: number }
  | { k: 'dot'; pos: number }
  | { k: 'un'; op: string; a: Expr; pos: number }
  | { k: 'bin'; op: string; a: Expr; b: Expr; pos: number };

export interface RegTok { k: 'reg'; cls: string; n: number; text: string; pos: number }

export type Operand =
  | RegTok
  | { k: 'expr'; e: Expr; pos: number }
  /** D(P1) or D(P1,P2): parts are registers or expressions */
  | { k: 'addr'; d: Expr | null; parts: (RegTok | { k: 'expr'; e: Expr; pos: number } | null)[]; pos: number }
  | { k: 'str'; bytes: number[]; pos: number }
  | { k: 'type'; name: string; pos: number };

export interface Label { name: string; local: boolean; pos: number }

export type Body =
  | { k: 'assign'; name: string; e: Expr; pos: number }
  | { k: 'dir'; name: string; args: Operand[]; pos: number; argPos: number }
  | { k: 'insn'; mnemonic: string; ops: Operand[]; pos: number; opsPos: number };

export interface ParsedStmt { labels: Label[]; body: Body | null }

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '\\': 92, '"': 34, "'": 39 };

/** Decode a string body with GNU-as escapes into bytes (UTF-8 for other characters). */
function stringBytes(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) out.push(b);
      continue;
    }
    const e = body[++i];
    if (e === undefined) break;
    if (e in ESCAPES) out.push(ESCAPES[e]);
    else if (e === 'x' || e === 'X') {
      let j = i + 1, v = 0;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j])) { v = (v * 16 + parseInt(body[j], 16)) & 0xff; j++; }
      out.push(v);
      i = j - 1;
    } else if (/[0-7]/.test(e)) {
      let j = i, v = 0;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j])) { v = v * 8 + Number(body[j]); j++; }
      out.push(v & 0xff);
      i = j - 1;
    } else for (const b of Buffer.from(e, 'utf8')) out.push(b);
  }
  return out;
}

function charValue(item: string): bigint {
  if (item[0] === '\\') {
    const b = stringBytes(item);
    return BigInt(b[0] ?? 0);
  }
  return BigInt(item.codePointAt(0) ?? 0);
}

const semantics = grammar.createSemantics();

/** operator spellings GNU as treats as another: `<>` is `!=`, binary `!!` is `^` */
const SAME_OP: Record<string, string> = { '<>': '!=', '!!': '^' };

/** binding strength of the binary operators (GNU as; higher binds tighter) */
const RANK: Record<string, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4,
  '|': 5, '&': 5, '^': 5, '!': 5, '*': 6, '/': 6, '%': 6, '<<': 6, '>>': 6,
};

/**
 * The flat chain `x0 op0 x1 op1 x2 ...` → nested binary nodes by precedence,
 * left-associative within a level. A node's position is where its left
 * operand starts.
 */
function chain(first: ohm.Node, ops: ohm.Node, rest: ohm.Node): Expr {
  const first0 = first.ast() as Expr;
  if (ops.children.length === 0) return first0;
  const xs: Expr[] = [first0, ...rest.children.map((r) => r.ast() as Expr)];
  const starts = [first, ...rest.children].map((n) => pos(n));
  const os = ops.children.map((o) => {
    const op = o.sourceString.replace(/[ \t]+/g, '');
    return SAME_OP[op] ?? op;
  });
  let at = 0;
  const climb = (min: number): Expr => {
    const start = starts[at];
    let lhs = xs[at];
    while (at < os.length && RANK[os[at]] >= min) {
      const op = os[at++];
      lhs = { k: 'bin', op, a: lhs, b: climb(RANK[op] + 1), pos: start };
    }
    return lhs;
  };
  return climb(1);
}
/** start of the statement being converted, within the matched text */
let stmtBase = 0;
let batchBases: number[] = [];
const pos = (n: ohm.Node) => n.source.startIdx - stmtBase;

semantics.addOperation('ast', {
  Program(first, _nl, rest) {
    const out: ParsedStmt[] = [];
    // statement i starts at batchBases[i] of the joined text (its node may start later: leading blanks are skipped)
    [first, ...rest.children].forEach((st, i) => {
      stmtBase = batchBases[i] ?? 0;
      out.push(st.ast());
    });
    stmtBase = 0;
    return out;
  },
  Stmt(labels, body) {
    return { labels: labels.children.map((l) => l.ast()), body: body.children.length ? body.children[0].ast() : null };
  },
  Label(name, _c) { return name.ast(); },
  labelName_local(d) { return { name: d.sourceString, local: true, pos: pos(this) }; },
  labelName(n) {
    const r = n.ast();
    return r.k === 'sym' ? { name: r.name, local: false, pos: pos(this) } : r;
  },
  Assign(n, _eq, e) { return { k: 'assign', name: n.sourceString, e: e.ast(), pos: pos(this) }; },
  Directive(name, args) {
    return { k: 'dir', name: name.sourceString.toLowerCase(), args: args.asIteration().children.map((a) => a.ast()),
      pos: pos(this), argPos: pos(args) };
  },
  DirArg_type(_at, s) { return { k: 'type', name: s.sourceString, pos: pos(this) }; },
  DirArg(a) { return a.ast(); },
  Instruction(m, ops) {
    return { k: 'insn', mnemonic: m.sourceString.toLowerCase(), ops: ops.asIteration().children.map((o) => o.ast()),
      pos: pos(this), opsPos: pos(ops) };
  },
  Operand(o) {
    const r = o.ast();
    return r.k === 'reg' || r.k === 'addr' ? r : { k: 'expr', e: r, pos: pos(this) };
  },
  Addr_two(d, _o, p1, _c, p2, _cl) {
    return { k: 'addr', d: d.children.length ? d.children[0].ast() : null,
      parts: [p1.children.length ? p1.children[0].ast() : null, p2.ast()], pos: pos(this) };
  },
  Addr_one(d, _o, p1, _cl) {
    return { k: 'addr', d: d.children.length ? d.children[0].ast() : null,
      parts: [p1.children.length ? p1.children[0].ast() : null], pos: pos(this) };
  },
  AddrPart(p) {
    const r = p.ast();
    return r.k === 'reg' ? r : { k: 'expr', e: r, pos: pos(this) };
  },
  reg(_p, l, rest) {
    const cls = l.sourceString.toLowerCase();
    const num = rest.sourceString;
    const n = /^\d+$/.test(num) ? Number(num) : -1;
    return { k: 'reg', cls, n, text: this.sourceString, pos: pos(this) };
  },
  Expr(first, ops, rest) { return chain(first, ops, rest); },
  Unary_neg(_o, a) { return { k: 'un', op: '-', a: a.ast(), pos: pos(this) }; },
  Unary_pos(_o, a) { return a.ast(); },
  Unary_not(_o, a) { return { k: 'un', op: '~', a: a.ast(), pos: pos(this) }; },
  Unary_lnot(_o, a) { return { k: 'un', op: '!', a: a.ast(), pos: pos(this) }; },
  Primary_paren(_o, e, _c) { return e.ast(); },
  localRef(d, dir) { return { k: 'local', n: d.sourceString, dir: dir.sourceString, pos: pos(this) }; },
  number_hex(_p, d) { return { k: 'num', v: BigInt('0x' + d.sourceString), pos: pos(this) }; },
  number_bin(_p, d) { return { k: 'num', v: BigInt('0b' + d.sourceString), pos: pos(this) }; },
  number_dec(d) {
    const s = d.sourceString;
    // GNU as: a leading 0 means octal
    const v = s.length > 1 && s[0] === '0' && /^[0-7]+$/.test(s) ? BigInt('0o' + s.slice(1)) : BigInt(s);
    return { k: 'num', v, pos: pos(this) };
  },
  charConst(_q, item, _q2) { return { k: 'num', v: charValue(item.sourceString), pos: pos(this) }; },
  dot(_d) { return { k: 'dot', pos: pos(this) }; },
  symbol(_s, _r) { return { k: 'sym', name: this.sourceString, pos: pos(this) }; },
  string(_o, items, _c) { return { k: 'str', bytes: stringBytes(items.sourceString), pos: pos(this) }; },
});

/**
 * Parse many statements (no newlines inside) in one match. Returns null if
 * any has a syntax error: then parse them one by one with parseStatement.
 */
export function parseStatements(texts: readonly string[]): ParsedStmt[] | null {
  if (texts.length === 0) return [];
  if (texts.some((t) => t.includes('\n'))) return null;
  const m = grammar.match(texts.join('\n'), 'Program');
  if (m.failed()) return null;
  batchBases = [];
  let at = 0;
  for (const t of texts) { batchBases.push(at); at += t.length + 1; }
  stmtBase = 0;
  const out = semantics(m).ast() as ParsedStmt[];
  return out.length === texts.length ? out : null;
}

function syntaxError(m: ohm.FailedMatchResult, text: string): StmtError {
  const at = m.getRightmostFailurePosition();
  let expected = '';
  try { expected = m.getExpectedText(); } catch { expected = ''; }
  const found = at < text.length ? `'${text.slice(at, at + 12).trimEnd()}'` : 'end of line';
  return new StmtError(`syntax error: unexpected ${found}${expected && expected.length <= 48 ? `, expected ${expected}` : ''}`, at);
}

/** Parse one statement; throws StmtError (located) on a syntax error. */
export function parseStatement(text: string): ParsedStmt {
  stmtBase = 0;
  const m = grammar.match(text, 'Stmt');
  if (m.failed()) throw syntaxError(m, text);
  return semantics(m).ast() as ParsedStmt;
}

/** Parse a lone expression (the operand of `.if`, `.rept`, ...); throws StmtError on a syntax error. */
export function parseExpr(text: string): Expr {
  stmtBase = 0;
  if (text.trim() === '') throw new StmtError('expected an expression', text.length);
  const m = grammar.match(text, 'Expr');
  if (m.failed()) throw syntaxError(m, text);
  return semantics(m).ast() as Expr;
}
