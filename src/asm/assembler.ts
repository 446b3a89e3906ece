/**
 * The assembler: statements (source.ts) → AST (parse.ts) → layout passes
 * until every label is stable → one emitting pass. Instructions are encoded
 * from the instruction table (BY_MNEMONIC, operand syntax from operands.ts,
 * field layouts from formats.ts via encode.ts); there is no second list of
 * instructions here.
 *
 * GNU as behaviour mirrored (checked against s390x-linux-gnu-as 2.40):
 *  - a PC-relative operand given as an absolute expression (`j 8`) is a byte
 *    offset from the instruction; a label (relocatable) expression is a target;
 *  - expression precedence and 64-bit arithmetic (`>>` is a logical shift);
 *  - `.align`/`.balign` count bytes; code sections are padded with 0x07
 *    (`nopr %r7`), others with zeros; `.text`/`.data`/`.bss` are at least
 *    4-byte aligned and every section's size is rounded up to its alignment;
 *  - a `.if` condition or `.rept` count is evaluated where it is reached (the
 *    first pass runs along with the preprocessor, see flush): it must be
 *    absolute and use only symbols defined above; the distance of two labels
 *    counts only when no alignment, `.org` or size not yet known lies between
 *    them (GNU as's "same frag" rule).
 */
import { BY_MNEMONIC } from '../cpu/isa/table.js';
import { parseSyntax, type Operand as SynOp } from '../cpu/isa/operands.js';
import { encode, slotLayout, type Fields } from '../cpu/isa/encode.js';
import { FORMATS, lengthFromFirstByte, type Slot } from '../cpu/isa/formats.js';
import { def, type InstructionDef } from '../cpu/isa/types.js';
import { aliasInfo, MIN_OPERANDS, type AliasInfo } from '../cpu/isa/extended.js';
import { StmtError, type AsmError } from './errors.js';
import { Preprocessor, type CondHost, type IncludeResolver, type Stmt } from './source.js';
import { parseExpr, parseStatement, parseStatements, type Body, type Expr, type Operand, type ParsedStmt } from './parse.js';

export interface AssembleOptions {
  /** file name used in messages and the line map (default "<input>") */
  file?: string;
  /** resolves `.include` (default: includes fail with a located error) */
  resolve?: IncludeResolver;
  /** load address of the image = address of `.text` (default 0) */
  origin?: number;
  /** build the listing (default true) */
  listing?: boolean;
  /** symbols set before the first line, as GNU as's `--defsym NAME=VALUE` */
  defsym?: Record<string, number | bigint>;
}

export interface SymbolInfo {
  name: string;
  value: number;
  /** section of a label; null for an absolute symbol (`.equ`, `=` of a constant) */
  section: string | null;
  kind: 'label' | 'equ';
  global: boolean;
  file: string;
  line: number;
}

export interface LineEntry { addr: number; len: number; file: string; line: number }

export interface ListingEntry { addr: number; bytes: Uint8Array; file: string; line: number; source: string }

export interface SectionInfo { name: string; addr: number; size: number; align: number; code: boolean }

export interface AssembleResult {
  ok: boolean;
  /** bytes from `origin` to the end of the last section */
  image: Uint8Array;
  origin: number;
  /** `_start` if defined, else `origin` */
  entry: number;
  symbols: Map<string, SymbolInfo>;
  /** one entry per statement that produced bytes, sorted by address */
  lineMap: LineEntry[];
  listing: ListingEntry[];
  sections: SectionInfo[];
  errors: AsmError[];
  warnings: AsmError[];
}

interface Value { v: bigint; rel: boolean }

interface SymDef {
  v: bigint;
  rel: boolean;
  kind: 'label' | 'equ';
  section: string | null;
  global: boolean;
  stmt: Stmt;
  /** pass in which it was last (re)defined */
  pass: number;
  /** a label's fragment: `section#n`, labels of one fragment have a known distance */
  frag?: string;
  /** its value used a symbol not yet defined (forward reference) when it was set */
  provisional?: boolean;
}

class Section {
  buf = new Uint8Array(256);
  offset = 0;
  size = 0;
  base = 0;
  /** fragment number: advanced where the size of what follows is not fixed yet (alignment, .org, a forward reference) */
  frag = 0;
  constructor(readonly name: string, public align: number, readonly code: boolean) {}
  reset(): void { this.offset = 0; this.size = 0; this.frag = 0; }
  ensure(n: number): void {
    if (n <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf);
    this.buf = b;
  }
  /** Advance by n bytes (filled with `fill` when emitting). */
  skip(n: number, fill: number, emit: boolean): void {
    if (emit) { this.ensure(this.offset + n); this.buf.fill(fill & 0xff, this.offset, this.offset + n); }
    this.offset += n;
    if (this.offset > this.size) this.size = this.offset;
  }
  bytes(b: ArrayLike<number>, emit: boolean): void {
    if (emit) { this.ensure(this.offset + b.length); this.buf.set(b, this.offset); }
    this.offset += b.length;
    if (this.offset > this.size) this.size = this.offset;
  }
  /** padded size: GNU as rounds a section up to its alignment */
  get paddedSize(): number { return Math.ceil(this.size / this.align) * this.align; }
}

/** bound on the image and on any single .space/.fill/.org, so hostile input cannot exhaust memory */
const MAX_IMAGE = 64 * 1024 * 1024;
const MAX_PASSES = 12;
const PARSE_CHUNK = 4096;
const LOCAL_SEP = '\u0002';
const DATA_SIZES: Record<string, number> = { '.byte': 1, '.short': 2, '.hword': 2, '.word': 2, '.long': 4, '.int': 4, '.quad': 8 };
const IGNORED = new Set(['.type', '.size', '.file', '.ident', '.weak', '.hidden', '.local', '.loc', '.machine', '.machinemode', '.gnu_attribute', '.cfi_startproc', '.cfi_endproc']);

/**
 * `.insn` formats (GNU as's names): the format of formats.ts that places the
 * operands and the operands in GNU as's order, in the instruction table's
 * syntax notation. Each is a pseudo-instruction with an all-zero opcode; the
 * statement's opcode is or-ed into its bytes (as GNU as does).
 */
const INSN_FORMATS = new Map<string, { def: InstructionDef; ops: SynOp[] }>();
for (const [name, format, syntax] of [
  ['e', 'E', ''], ['rr', 'RR', 'R1,R2'], ['rre', 'RRE', 'R1,R2'], ['rrf', 'RRF', 'R1,R2,R3,M4'],
  ['rx', 'RX', 'R1,D2(X2,B2)'], ['rxy', 'RXY', 'R1,D2(X2,B2)'], ['rs', 'RS', 'R1,R3,D2(B2)'], ['rsy', 'RSY', 'R1,R3,D2(B2)'],
  ['rsi', 'RSI', 'R1,R3,J2'], ['ri', 'RI', 'R1,I2'], ['ril', 'RIL', 'R1,J2'], ['rie', 'RIE', 'R1,R3,J2'],
  ['si', 'SI', 'D1(B1),U2'], ['siy', 'SIY', 'D1(B1),U2'], ['sil', 'SIL', 'D1(B1),I2'],
  ['ss', 'SS', 'D1(R1,B1),D2(B2),R3'], ['s', 'S', 'D2(B2)'],
] as const) {
  const ops = parseSyntax(syntax);
  const op = '0'.repeat(FORMATS[format].opDigits);
  INSN_FORMATS.set(name, { def: def(`.insn ${name}`, op, format, syntax, 'misc', '', () => {}), ops });
}

const slotName = (s: Slot) => s.toUpperCase();

interface Item { stmt: Stmt; parsed: ParsedStmt | null; size: number }

export class Assembler {
  private errors: AsmError[] = [];
  private warnings: AsmError[] = [];
  private items: Item[] = [];
  private syms = new Map<string, SymDef>();
  private sections = new Map<string, Section>();
  private order: Section[] = [];
  private cur!: Section;
  private prev!: Section;
  private pass = 0;
  private final = false;
  private changed = false;
  private lineMap: LineEntry[] = [];
  private listing: ListingEntry[] = [];
  private globals = new Set<string>();
  private errorKeys = new Set<string>();
  private pre!: Preprocessor;
  /** statements of pre.out parsed into items so far */
  private consumed = 0;
  /** `.end` reached in this pass */
  private ended = false;
  /** the current statement used a symbol not defined yet (pass 1's forward references) */
  private forward = false;

  constructor(private opts: AssembleOptions) {}

  private err(s: Stmt, off: number, message: string): AsmError {
    return { file: s.file, line: s.line, col: s.col + Math.max(0, off) + 1, message, source: s.lineText, macro: s.macro };
  }

  private record(e: AsmError, warn = false): void {
    const key = `${e.file}:${e.line}:${e.col}:${e.message}`;
    if (this.errorKeys.has(key)) return;
    this.errorKeys.add(key);
    (warn ? this.warnings : this.errors).push(e);
  }

  run(source: string): AssembleResult {
    const file = this.opts.file ?? '<input>';
    const host: CondHost = {
      value: (s, text, off, what) => this.condValue(s, text, off, what),
      defined: (name) => { this.flush(); return this.syms.has(name); },
    };
    this.pre = new Preprocessor(this.errors, this.opts.resolve, (s, col, m) => this.err(s, col, m), host);
    // pass 1 runs along with the preprocessor: flush() walks the statements produced so far
    this.pass = 1;
    this.changed = false;
    this.beginWalk();
    const defsym = Object.entries(this.opts.defsym ?? {});
    if (defsym.length > 0) this.pre.addFile('<defsym>', defsym.map(([n, v]) => `.set ${n},${v}`).join('\n'));
    this.pre.addFile(file, source);
    this.flush();
    // layout passes until labels and section sizes are stable
    let lastLayout = '';
    for (this.pass = 1; this.pass <= MAX_PASSES; this.pass++) {
      if (this.pass > 1) {
        this.changed = false;
        this.walk();
      }
      const layout = this.layout();
      if (!this.changed && layout === lastLayout) break;
      lastLayout = layout;
    }
    this.final = true;
    this.pass++;
    this.walk();
    return this.result();
  }

  /**
   * Parse the statements the preprocessor has produced since the last flush
   * and walk them in pass 1, so that a condition sees the symbols above it.
   */
  private flush(): void {
    const out = this.pre.out;
    // past the statement limit the result is an error: parse nothing more
    if (this.consumed === out.length || this.pre.overflow) return;
    const from = this.items.length;
    this.parseAll(out.slice(this.consumed));
    this.consumed = out.length;
    for (let i = from; i < this.items.length; i++) this.step(this.items[i]);
  }

  /** The value of a `.if` condition or `.rept` count where it is reached (CondHost.value). */
  private condValue(s: Stmt, text: string, off: number, what: string): bigint | null {
    let e = this.condExprs.get(text);
    if (e === undefined) {
      try {
        e = parseExpr(text);
      } catch (x) {
        e = x instanceof StmtError ? x : new StmtError(String(x), 0);
      }
      this.condExprs.set(text, e);
    }
    if (e instanceof StmtError) {
      this.record(this.err(s, off + e.col, `${what}: ${e.message}`));
      return null;
    }
    if (usesSymbols(e)) {
      this.flush();
      e = this.fixLocals(e, this.localCount);
    }
    try {
      const v = this.constEval(e, what);
      if (v.frag !== null) throw new StmtError(`${what} needs an absolute expression, this one is an address`, e.pos);
      return v.v;
    } catch (x) {
      if (!(x instanceof StmtError)) throw x;
      this.record(this.err(s, off + x.col, x.message));
      return null;
    }
  }

  /**
   * Evaluate an expression that must be known now (a condition): symbols
   * defined above only; a label is an address within its fragment, and only
   * the distance of two labels of one fragment is absolute.
   */
  private constEval(e: Expr, what: string): { v: bigint; frag: string | null } {
    switch (e.k) {
      case 'num': return { v: BigInt.asIntN(64, e.v), frag: null };
      case 'dot': return { v: BigInt(this.dot), frag: `${this.cur.name}#${this.cur.frag}` };
      case 'sym': {
        const d = this.syms.get(e.name);
        const shown = e.display ?? e.name;
        if (!d) throw new StmtError(`${e.display ? 'undefined local label' : 'undefined symbol'} '${shown}' (${what} needs symbols defined above it)`, e.pos);
        if (d.provisional) throw new StmtError(`the value of '${shown}' is not known yet here (it uses a symbol defined further down)`, e.pos);
        if (d.kind === 'label') return { v: d.v, frag: d.frag ?? null };
        if (d.rel) throw new StmtError(`${what} needs an absolute expression, '${shown}' is an address`, e.pos);
        return { v: d.v, frag: null };
      }
      case 'local': throw new StmtError('internal: unresolved local label', e.pos);
      case 'un': {
        const a = this.constEval(e.a, what);
        if (a.frag !== null) throw new StmtError(`${what} needs an absolute expression, this one is an address`, e.pos);
        return { v: unop(e.op, a.v), frag: null };
      }
      case 'bin': {
        const a = this.constEval(e.a, what), b = this.constEval(e.b, what);
        if (a.frag !== null && b.frag !== null) {
          if (a.frag !== b.frag) {
            throw new StmtError(`${what}: the distance between these addresses is not known here (an alignment, .org, another section or a size not yet known lies between them)`, e.pos);
          }
          if (e.op === '-' || CMP_OPS.has(e.op)) return { v: binop(e.op, a.v, b.v, e.pos), frag: null };
        } else if (a.frag !== null && (e.op === '+' || e.op === '-')) {
          return { v: binop(e.op, a.v, b.v, e.pos), frag: a.frag };
        } else if (b.frag !== null && e.op === '+') {
          return { v: binop(e.op, a.v, b.v, e.pos), frag: b.frag };
        } else if (a.frag === null && b.frag === null) {
          return { v: binop(e.op, a.v, b.v, e.pos), frag: null };
        }
        throw new StmtError(`${what} needs an absolute expression, this one is an address`, e.pos);
      }
    }
  }

  /** numeric local labels defined so far, by number */
  private localCount = new Map<string, number>();
  /** statement text → its parse (or syntax error); `local`: it defines or uses numeric local labels */
  private parsed = new Map<string, { p: ParsedStmt | StmtError; local: boolean }>();
  /** condition text → its parse (or syntax error) */
  private condExprs = new Map<string, Expr | StmtError>();

  /** Parse every statement once; resolve numeric local labels to unique names. */
  private parseAll(stmts: Stmt[]): void {
    const count = this.localCount;
    const cache = this.parsed;
    // each distinct text is parsed once (repetitions and macro expansions repeat theirs), in one ohm match per
    // PARSE_CHUNK texts when they are free of syntax errors (a match's memory grows with its text)
    const todo = [...new Set(stmts.map((s) => s.text).filter((t) => !cache.has(t)))];
    for (let i = 0; i < todo.length; i += PARSE_CHUNK) {
      const texts = todo.slice(i, i + PARSE_CHUNK);
      const batch = parseStatements(texts);
      texts.forEach((t, j) => {
        let p: ParsedStmt | StmtError;
        try {
          p = batch ? batch[j] : parseStatement(t);
        } catch (e) {
          p = e instanceof StmtError ? e : new StmtError(`cannot parse: ${String(e)}`, 0);
        }
        cache.set(t, { p, local: !(p instanceof StmtError) && hasLocals(p) });
      });
    }
    for (const s of stmts) {
      const c = cache.get(s.text)!;
      if (c.p instanceof StmtError) {
        this.record(this.err(s, c.p.col, c.p.message));
        continue;
      }
      // shared by every statement of this text, except when local labels are renamed in it
      const parsed = c.local ? structuredClone(c.p) : c.p;
      for (const l of parsed.labels) {
        if (!l.local) continue;
        const k = count.get(l.name) ?? 0;
        count.set(l.name, k + 1);
        l.name = `${l.name}${LOCAL_SEP}${k}`;
      }
      if (parsed.body) this.resolveLocals(parsed.body, count);
      this.items.push({ stmt: s, parsed, size: 0 });
    }
  }

  /** `1b`/`1f` → the unique name of that local label, counting the labels defined so far. */
  private fixLocals(e: Expr, count: Map<string, number>): Expr {
    switch (e.k) {
      case 'local': {
        const k = count.get(e.n) ?? 0;
        const idx = e.dir === 'b' ? k - 1 : k;
        return { k: 'sym', name: `${e.n}${LOCAL_SEP}${idx}`, display: `${e.n}${e.dir}`, pos: e.pos };
      }
      case 'un': return { ...e, a: this.fixLocals(e.a, count) };
      case 'bin': return { ...e, a: this.fixLocals(e.a, count), b: this.fixLocals(e.b, count) };
      default: return e;
    }
  }

  private resolveLocals(b: Body, count: Map<string, number>): void {
    const fix = (e: Expr): Expr => this.fixLocals(e, count);
    const fixOp = (o: Operand): Operand => {
      if (o.k === 'expr') return { ...o, e: fix(o.e) };
      if (o.k === 'addr') {
        return { ...o, d: o.d ? fix(o.d) : null, parts: o.parts.map((p) => (p && p.k === 'expr' ? { ...p, e: fix(p.e) } : p)) };
      }
      return o;
    };
    if (b.k === 'assign') b.e = fix(b.e);
    else if (b.k === 'dir') b.args = b.args.map(fixOp);
    else b.ops = b.ops.map(fixOp);
  }

  private section(name: string, flags = ''): Section {
    let s = this.sections.get(name);
    if (!s) {
      const std = name === '.text' || name === '.data' || name === '.bss';
      s = new Section(name, std ? 4 : 1, name === '.text' || name.startsWith('.text.') || flags.includes('x'));
      this.sections.set(name, s);
      this.order.push(s);
    }
    return s;
  }

  /** Assign section bases; returns a fingerprint of the layout. */
  private layout(): string {
    let addr = this.opts.origin ?? 0;
    const parts: string[] = [];
    for (const s of this.order) {
      addr = Math.ceil(addr / s.align) * s.align;
      if (s.base !== addr) this.changed = true;
      s.base = addr;
      addr += s.paddedSize;
      parts.push(`${s.name}@${s.base}+${s.size}`);
    }
    return parts.join(',');
  }

  private walk(): void {
    this.beginWalk();
    for (const it of this.items) {
      this.step(it);
      if (this.ended) break;
    }
  }

  private beginWalk(): void {
    this.section('.text');
    for (const s of this.order) s.reset();
    this.cur = this.prev = this.sections.get('.text')!;
    this.lineMap = [];
    this.listing = [];
    this.ended = false;
  }

  /** Process one statement in the current pass. */
  private step(it: Item): void {
    if (!it.parsed || this.ended) return;
    const start = this.cur.offset;
    const sec = this.cur;
    this.forward = false;
    try {
      for (const l of it.parsed.labels) this.defineLabel(it.stmt, l.name, l.pos);
      if (it.parsed.body) {
        const b = it.parsed.body;
        if (b.k === 'insn') this.instruction(it.stmt, b);
        else if (b.k === 'dir') { if (this.directive(it.stmt, b) === 'end') { this.ended = true; return; } }
        else this.assign(it.stmt, b);
        // a size computed from a forward reference is not known yet: a new fragment starts after it
        if (this.forward && b.k !== 'insn') this.cur.frag++;
      }
      if (!this.final && sec === this.cur) it.size = sec.offset - start;
    } catch (e) {
      if (this.final) {
        if (e instanceof StmtError) this.record(this.err(it.stmt, e.col, e.message));
        else this.record(this.err(it.stmt, 0, `internal error: ${e instanceof Error ? e.message : String(e)}`));
        // a rejected statement keeps the room it had in the layout passes, so later addresses stay put
        if (sec === this.cur && sec.offset < start + it.size) sec.skip(start + it.size - sec.offset, 0, true);
      }
    }
    if (this.final && sec === this.cur && sec.offset > start) {
      const addr = sec.base + start;
      const len = sec.offset - start;
      this.lineMap.push({ addr, len, file: it.stmt.file, line: it.stmt.line });
      if (this.opts.listing !== false) {
        this.listing.push({ addr, bytes: sec.buf.slice(start, sec.offset), file: it.stmt.file, line: it.stmt.line,
          source: it.stmt.macro ? it.stmt.text : it.stmt.lineText });
      }
    }
  }

  private get dot(): number { return this.cur.base + this.cur.offset; }

  private defineLabel(s: Stmt, name: string, pos: number): void {
    const v = BigInt(this.dot);
    const old = this.syms.get(name);
    if (old && old.pass === this.pass) {
      if (this.final) throw new StmtError(`symbol '${displayName(name)}' is already defined (at ${old.stmt.file}:${old.stmt.line})`, pos);
      return;
    }
    if (!old || old.v !== v || old.kind !== 'label') this.changed = true;
    this.syms.set(name, { v, rel: true, kind: 'label', section: this.cur.name, global: false, stmt: s, pass: this.pass,
      frag: `${this.cur.name}#${this.cur.frag}` });
  }

  private setSymbol(s: Stmt, name: string, val: Value, pos: number): void {
    const old = this.syms.get(name);
    if (old && old.kind === 'label') throw new StmtError(`symbol '${name}' is already defined as a label`, pos);
    if (!old || old.v !== val.v) this.changed = true;
    this.syms.set(name, { v: val.v, rel: val.rel, kind: 'equ', section: val.rel ? this.cur.name : null, global: false, stmt: s,
      pass: this.pass, provisional: this.forward });
  }

  private assign(s: Stmt, b: Extract<Body, { k: 'assign' }>): void {
    const val = this.eval(b.e);
    if (b.name === '.') this.org(val, 0, b.pos);
    else this.setSymbol(s, b.name, val, b.pos);
  }

  // ---------------------------------------------------------------- expressions

  private eval(e: Expr): Value {
    switch (e.k) {
      case 'num': return { v: BigInt.asIntN(64, e.v), rel: false };
      case 'dot': return { v: BigInt(this.dot), rel: true };
      case 'sym': {
        const d = this.syms.get(e.name);
        if (!d) {
          if (this.final) throw new StmtError(e.display ? `undefined local label '${e.display}'` : `undefined symbol '${e.name}'`, e.pos);
          this.forward = true;
          return { v: 0n, rel: false };
        }
        if (d.provisional) this.forward = true;
        return { v: d.v, rel: d.rel };
      }
      case 'local': throw new StmtError('internal: unresolved local label', e.pos);
      case 'un': return { v: unop(e.op, this.eval(e.a).v), rel: false };
      case 'bin': {
        const a = this.eval(e.a), b = this.eval(e.b);
        const rel = e.op === '+' ? a.rel !== b.rel : e.op === '-' ? a.rel && !b.rel : false;
        return { v: binop(e.op, a.v, b.v, e.pos), rel };
      }
    }
  }

  private absNumber(e: Expr, what: string): number {
    const v = this.eval(e).v;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new StmtError(`${what} ${v} is too large`, e.pos);
    return Number(v);
  }

  // ---------------------------------------------------------------- instructions

  private instruction(s: Stmt, b: Extract<Body, { k: 'insn' }>): void {
    const d = BY_MNEMONIC.get(b.mnemonic);
    if (!d) throw new StmtError(`unknown instruction '${b.mnemonic}'`, b.pos);
    const fmt = FORMATS[d.format];
    const pc = this.dot;
    if (this.cur.offset % 2 !== 0 && this.final) {
      this.record(this.err(s, b.pos, 'instruction is not on a halfword boundary'), true);
    }
    if (!this.final) { this.cur.skip(fmt.length, 0, false); return; }
    this.cur.bytes(encode(d, this.operands(s, d, b, pc)), true);
  }

  private operands(s: Stmt, d: InstructionDef, b: Extract<Body, { k: 'insn' }>, pc: number): Fields {
    const syn = parseSyntax(d.syntax);
    const min = MIN_OPERANDS.get(d.mnemonic) ?? syn.length;
    const ops = b.ops;
    if (ops.length > syn.length || ops.length < min) {
      const want = min === syn.length ? `${syn.length}` : `${min} to ${syn.length}`;
      const at = ops.length > syn.length ? ops[syn.length].pos : b.pos;
      throw new StmtError(`'${b.mnemonic}' takes ${want} operand${syn.length === 1 ? '' : 's'} (${d.syntax || 'none'}), got ${ops.length}`, at);
    }
    return this.fields(s, d, syn, ops, pc);
  }

  /** The fields of operands `ops` (fewer than `syn` when optional ones are left out) of statement `s`. */
  private fields(s: Stmt, d: InstructionDef, syn: readonly SynOp[], ops: readonly Operand[], pc: number): Fields {
    const fields: Fields = {};
    const info = aliasInfo(d);
    let firstErr: StmtError | null = null;
    for (let i = 0; i < syn.length; i++) {
      try {
        this.operand(d, syn[i], ops[i], fields, pc, info?.imm);
      } catch (e) {
        // report every bad operand of the statement, the first one is thrown
        if (!(e instanceof StmtError)) throw e;
        if (firstErr) this.record(this.err(s, e.col, e.message));
        else firstErr = e;
      }
    }
    if (firstErr) throw firstErr;
    return fields;
  }

  private operand(d: InstructionDef, so: SynOp, o: Operand | undefined, fields: Fields,
    pc: number, imm?: AliasInfo['imm']): void {
    const lay = slotLayout(d, so.slot);
    const width = lay ? lay.width : 4;
    const name = slotName(so.slot);
    if (o === undefined) {
      // omitted optional operand: 0
      fields[so.slot] = 0;
      return;
    }
    switch (so.kind) {
      case 'gpr': case 'pair': case 'cr': case 'ar': {
        const cls = so.kind === 'cr' ? 'c' : so.kind === 'ar' ? 'a' : 'r';
        const n = this.register(o, cls, name, so.kind);
        if (so.kind === 'pair' && n % 2 !== 0) {
          throw new StmtError(`${name} of '${d.mnemonic}' must be an even register (the even/odd pair), got ${n}`, o.pos);
        }
        fields[so.slot] = n;
        return;
      }
      case 'mask': {
        if (o.k !== 'expr') throw new StmtError(`${name} must be a mask value 0..15, got ${describe(o)}`, o.pos);
        fields[so.slot] = this.range(o.e, 0, 15, `mask ${name}`);
        return;
      }
      case 'simm': case 'uimm': {
        if (o.k !== 'expr') throw new StmtError(`${name} must be an immediate value, got ${describe(o)}`, o.pos);
        if (imm && imm.slot === so.slot) {
          fields[so.slot] = this.range(o.e, 0, imm.operandMax, `immediate ${name}`) | imm.value;
          return;
        }
        const lo = so.kind === 'simm' ? -(2 ** (width - 1)) : 0;
        const hi = so.kind === 'simm' ? 2 ** (width - 1) - 1 : 2 ** width - 1;
        fields[so.slot] = this.range(o.e, lo, hi, `immediate ${name}`);
        return;
      }
      case 'rel': {
        if (o.k !== 'expr') throw new StmtError(`${name} must be a branch target (label or expression), got ${describe(o)}`, o.pos);
        fields[so.slot] = this.relative(o.e, pc, width);
        return;
      }
      case 'addr': {
        this.address(d, so, o, fields);
        return;
      }
    }
  }

  private register(o: Operand, cls: string, name: string, kind: string): number {
    const what = kind === 'cr' ? 'a control register (%c0..%c15)' : kind === 'ar' ? 'an access register (%a0..%a15)'
      : 'a general register (%r0..%r15)';
    if (o.k === 'reg') {
      if (o.n < 0 || o.n > 15) throw new StmtError(`unknown register '${o.text}'`, o.pos);
      if (o.cls !== cls) throw new StmtError(`${name} must be ${what}, got '${o.text}'`, o.pos);
      return o.n;
    }
    if (o.k === 'expr') return this.range(o.e, 0, 15, `register number ${name}`);
    throw new StmtError(`${name} must be ${what}, got ${describe(o)}`, o.pos);
  }

  private range(e: Expr, lo: number, hi: number, what: string): number {
    const v = this.eval(e).v;
    if (v < BigInt(lo) || v > BigInt(hi)) throw new StmtError(`${what} out of range: ${v} is not between ${lo} and ${hi}`, e.pos);
    return Number(v);
  }

  /** PC-relative operand: a label is a target, an absolute value a byte offset (as GNU as). */
  private relative(e: Expr, pc: number, width: number): number {
    const val = this.eval(e);
    let off: bigint;
    if (val.rel) {
      off = val.v - BigInt(pc);
      if (off % 2n !== 0n) throw new StmtError(`branch target ${hex(val.v)} is not on a halfword boundary`, e.pos);
      off /= 2n;
    } else {
      off = val.v >> 1n;
    }
    const lim = 2n ** BigInt(width - 1);
    if (off < -lim || off >= lim) {
      throw new StmtError(`branch target out of range: ${off * 2n} bytes away, a ${width}-bit relative offset reaches ${-lim * 2n}..${(lim - 1n) * 2n}`, e.pos);
    }
    return Number(off);
  }

  private baseReg(p: Operand | null, what: string): number {
    if (p === null) return 0;
    return this.register(p, 'r', what, 'gpr');
  }

  private address(d: InstructionDef, so: SynOp, o: Operand, fields: Fields): void {
    const dl = slotLayout(d, so.slot);
    const dname = slotName(so.slot);
    const form = so.index ? `D(X,B)` : so.length ? `D(L,B)` : `D(B)`;
    let disp: Expr | null;
    let parts: (Operand | null)[];
    if (o.k === 'expr') { disp = o.e; parts = []; }
    else if (o.k === 'addr') { disp = o.d; parts = o.parts; }
    else throw new StmtError(`operand must be a storage address ${form}, got ${describe(o)}`, o.pos);
    let x: Operand | null = null, l: Operand | null = null, bse: Operand | null = null;
    if (parts.length === 2) {
      if (so.index) x = parts[0];
      else if (so.length) l = parts[0];
      else throw new StmtError(`'${d.mnemonic}' has no index register here: write ${dname}(B)`, parts[0]?.pos ?? o.pos);
      bse = parts[1];
    } else if (parts.length === 1) {
      if (so.length) l = parts[0];
      else bse = parts[0];
    }
    const long = dl?.hiPos !== undefined;
    const dv = disp ? this.range(disp, long ? -524288 : 0, long ? 524287 : 4095, `displacement ${dname}`) : 0;
    fields[so.slot] = dv;
    if (so.index) fields[so.index] = this.baseReg(x, slotName(so.index));
    if (so.length) {
      const lw = slotLayout(d, so.length)?.width ?? 8;
      if (l === null) throw new StmtError(`'${d.mnemonic}' needs a length: ${dname}(L,B)`, o.pos);
      if (l.k !== 'expr') throw new StmtError(`length must be a number 1..${2 ** lw}, got ${describe(l)}`, l.pos);
      fields[so.length] = this.range(l.e, 1, 2 ** lw, `length ${slotName(so.length)}`) - 1;
    }
    if (so.base) fields[so.base] = this.baseReg(bse, slotName(so.base));
  }

  // ---------------------------------------------------------------- directives

  private directive(s: Stmt, b: Extract<Body, { k: 'dir' }>): 'end' | void {
    const a = b.args;
    const exprArg = (i: number, what: string): Expr => {
      const o = a[i];
      if (!o) throw new StmtError(`${b.name} needs ${what}`, i === 0 ? b.argPos : b.pos);
      if (o.k !== 'expr') throw new StmtError(`${b.name}: ${what} must be an expression, got ${describe(o)}`, o.pos);
      return o.e;
    };
    const maxArgs = (n: number) => {
      if (a.length > n) throw new StmtError(`${b.name} takes at most ${n} argument${n === 1 ? '' : 's'}`, a[n].pos);
    };
    const name = b.name;
    if (name in DATA_SIZES) {
      const size = DATA_SIZES[name];
      if (a.length === 0) throw new StmtError(`${name} needs at least one value`, b.argPos);
      for (const o of a) {
        if (o.k !== 'expr') throw new StmtError(`${name}: value must be an expression, got ${describe(o)}`, o.pos);
        const v = this.final ? this.eval(o.e).v : 0n;
        if (this.final && size < 8) {
          const lim = 1n << BigInt(size * 8);
          if (v >= lim || v < -(lim >> 1n)) this.record(this.err(s, o.pos, `value ${v} truncated to ${size} byte${size > 1 ? 's' : ''}`), true);
        }
        this.cur.bytes(beBytes(v, size), this.final);
      }
      return;
    }
    switch (name) {
      case '.text': case '.data': case '.bss':
        maxArgs(0);
        this.switchTo(this.section(name));
        return;
      case '.section': {
        if (a.length === 0) throw new StmtError('.section needs a name', b.argPos);
        const n = a[0];
        const sname = n.k === 'expr' && n.e.k === 'sym' ? n.e.name : n.k === 'str' ? Buffer.from(n.bytes).toString('latin1') : null;
        if (sname === null) throw new StmtError('.section: bad section name', n.pos);
        const flags = a[1] && a[1].k === 'str' ? Buffer.from(a[1].bytes).toString('latin1') : '';
        this.switchTo(this.section(sname, flags));
        return;
      }
      case '.previous':
        this.switchTo(this.prev);
        return;
      case '.org': {
        maxArgs(2);
        const v = this.eval(exprArg(0, 'an address'));
        const fill = a[1] ? this.absNumber(exprArg(1, 'a fill value'), 'fill') : 0;
        this.org(v, fill, a[0].pos);
        return;
      }
      case '.align': case '.balign': case '.p2align': {
        maxArgs(3);
        let n = this.absNumber(exprArg(0, 'an alignment'), 'alignment');
        if (name === '.p2align') {
          if (n < 0 || n > 16) throw new StmtError(`.p2align ${n}: alignment out of range (0..16)`, a[0].pos);
          n = 2 ** n;
        }
        if (n <= 0 || n > 65536 || (n & (n - 1)) !== 0) throw new StmtError(`alignment ${n} is not a power of 2 in 1..65536`, a[0].pos);
        const fill = a[1] ? this.absNumber(exprArg(1, 'a fill value'), 'fill') : this.cur.code ? 0x07 : 0;
        const max = a[2] ? this.absNumber(exprArg(2, 'a maximum'), 'maximum') : n;
        if (n > this.cur.align) this.cur.align = n;
        const pad = (n - (this.dot % n)) % n;
        if (pad <= max) this.cur.skip(pad, fill, this.final);
        this.cur.frag++;
        return;
      }
      case '.ascii': case '.asciz': case '.string': {
        if (a.length === 0) throw new StmtError(`${name} needs a string`, b.argPos);
        for (const o of a) {
          if (o.k !== 'str') throw new StmtError(`${name}: expected a string in double quotes, got ${describe(o)}`, o.pos);
          this.cur.bytes(o.bytes, this.final);
          if (name !== '.ascii') this.cur.bytes([0], this.final);
        }
        return;
      }
      case '.space': case '.skip': {
        maxArgs(2);
        const n = this.absNumber(exprArg(0, 'a size'), 'size');
        if (n < 0) throw new StmtError(`${name} size ${n} is negative`, a[0].pos);
        if (n > MAX_IMAGE) throw new StmtError(`${name} size ${n} is too large`, a[0].pos);
        const fill = a[1] ? this.absNumber(exprArg(1, 'a fill value'), 'fill') : 0;
        this.cur.skip(n, fill, this.final);
        return;
      }
      case '.fill': {
        maxArgs(3);
        const rep = this.absNumber(exprArg(0, 'a repeat count'), 'repeat count');
        const size = a[1] ? this.absNumber(exprArg(1, 'a size'), 'size') : 1;
        const val = a[2] ? this.eval(exprArg(2, 'a value')).v : 0n;
        if (rep < 0) throw new StmtError(`.fill repeat count ${rep} is negative`, a[0].pos);
        if (size < 0 || size > 8) throw new StmtError(`.fill size ${size} is not between 0 and 8`, a[1].pos);
        if (rep * size > MAX_IMAGE) throw new StmtError(`.fill of ${rep * size} bytes is too large`, a[0].pos);
        const one = beBytes(size > 4 ? BigInt.asUintN(32, val) : val, size);
        if (this.final) for (let i = 0; i < rep; i++) this.cur.bytes(one, true);
        else this.cur.skip(rep * size, 0, false);
        return;
      }
      case '.equ': case '.set': {
        if (a.length !== 2) throw new StmtError(`${name} needs a symbol and a value: ${name} name, expr`, b.argPos);
        const n = a[0];
        if (n.k !== 'expr' || n.e.k !== 'sym') throw new StmtError(`${name}: expected a symbol name`, n.pos);
        this.setSymbol(s, n.e.name, this.eval(exprArg(1, 'a value')), n.pos);
        return;
      }
      case '.global': case '.globl': {
        if (a.length === 0) throw new StmtError(`${name} needs a symbol name`, b.argPos);
        for (const o of a) {
          if (o.k !== 'expr' || o.e.k !== 'sym') throw new StmtError(`${name}: expected a symbol name`, o.pos);
          this.globals.add(o.e.name);
        }
        return;
      }
      case '.insn':
        this.insn(s, b);
        return;
      case '.end':
        return 'end';
      default:
        if (IGNORED.has(name) || name.startsWith('.cfi_')) return;
        throw new StmtError(`unknown directive '${name}'`, b.pos);
    }
  }

  private switchTo(sec: Section): void {
    if (sec !== this.cur) { this.prev = this.cur; this.cur = sec; }
  }

  private org(v: Value, fill: number, pos: number): void {
    this.cur.frag++;
    const target = v.rel ? Number(v.v) - this.cur.base : Number(v.v);
    if (!Number.isSafeInteger(target) || target > MAX_IMAGE) throw new StmtError(`.org ${v.v} is out of range`, pos);
    if (target < this.cur.offset) {
      if (this.final) throw new StmtError(`.org cannot move the location counter backwards (from ${hex(BigInt(this.dot))} to ${hex(BigInt(this.cur.base + target))})`, pos);
      return;
    }
    this.cur.skip(target - this.cur.offset, fill, this.final);
  }

  /** `.insn fmt,opcode,operands`: GNU as's escape hatch for instructions it lacks. */
  private insn(s: Stmt, b: Extract<Body, { k: 'dir' }>): void {
    const a = b.args;
    const f = a[0];
    if (!f || f.k !== 'expr' || f.e.k !== 'sym') throw new StmtError('.insn needs a format name (rr, rre, rrf, rx, rxy, rs, rsy, ri, ril, si, siy, ss, s, ...)', f ? f.pos : b.argPos);
    const fmtName = f.e.name.toLowerCase();
    const form = INSN_FORMATS.get(fmtName);
    if (!form) throw new StmtError(`.insn: unknown format '${f.e.name}'`, f.pos);
    const { def: d, ops } = form;
    const len = FORMATS[d.format].length;
    const pc = this.dot;
    if (!this.final) { this.cur.skip(len, 0, false); return; }
    if (a.length !== ops.length + 2) {
      throw new StmtError(`.insn ${fmtName} takes an opcode and ${ops.length} operand${ops.length === 1 ? '' : 's'}, got ${Math.max(0, a.length - 1)} argument${a.length === 2 ? '' : 's'}`, a[Math.min(a.length - 1, ops.length + 2)]?.pos ?? b.pos);
    }
    const opE = a[1];
    if (opE.k !== 'expr') throw new StmtError('.insn: opcode must be an expression', opE.pos);
    const opv = this.eval(opE.e).v;
    if (opv < 0n || opv >= 1n << BigInt(len * 8)) throw new StmtError(`.insn ${fmtName}: opcode ${hex(opv)} does not fit in ${len} bytes`, opE.pos);
    const opBytes = beBytes(opv, len);
    if (lengthFromFirstByte(opBytes[0]) !== len) throw new StmtError(`.insn ${fmtName}: opcode ${hex(opv)} does not have the length code of a ${len}-byte instruction`, opE.pos);
    // any register (%a, %c too) or number 0..15 may fill a register field of .insn
    const anyClass = (o: Operand): Operand =>
      o.k === 'reg' ? { ...o, cls: 'r' } : o.k === 'addr' ? { ...o, parts: o.parts.map((p) => (p && p.k === 'reg' ? { ...p, cls: 'r' } : p)) } : o;
    const bytes = encode(d, this.fields(s, d, ops, a.slice(2).map(anyClass), pc));
    for (let i = 0; i < len; i++) bytes[i] |= opBytes[i];
    this.cur.bytes(bytes, true);
  }

  // ---------------------------------------------------------------- result

  private result(): AssembleResult {
    const origin = this.opts.origin ?? 0;
    let end = origin;
    const sections: SectionInfo[] = [];
    for (const s of this.order) {
      if (s.size === 0 && s.name !== '.text') continue;
      sections.push({ name: s.name, addr: s.base, size: s.paddedSize, align: s.align, code: s.code });
      end = Math.max(end, s.base + s.paddedSize);
    }
    let image = new Uint8Array(0);
    if (end - origin > MAX_IMAGE) {
      this.record({ file: this.opts.file ?? '<input>', line: 1, col: 1, message: `image of ${end - origin} bytes is too large`, source: '' });
    } else {
      image = new Uint8Array(end - origin);
      for (const s of this.order) {
        const pad = s.paddedSize - s.size;
        image.set(s.buf.subarray(0, s.size), s.base - origin);
        if (pad > 0 && s.code) image.fill(0x07, s.base - origin + s.size, s.base - origin + s.paddedSize);
      }
    }
    const symbols = new Map<string, SymbolInfo>();
    for (const [name, d] of this.syms) {
      if (name.includes(LOCAL_SEP)) continue;
      symbols.set(name, { name, value: Number(d.v),
        section: d.kind === 'label' ? d.section : d.rel ? d.section : null, kind: d.kind,
        global: this.globals.has(name), file: d.stmt.file, line: d.stmt.line });
    }
    for (const g of this.globals) {
      if (!this.syms.has(g)) this.warnings.push({ file: this.opts.file ?? '<input>', line: 1, col: 1, message: `global symbol '${g}' is never defined`, source: '' });
    }
    const errors = this.errors.slice().sort((x, y) => (x.file === y.file ? x.line - y.line || x.col - y.col : 0));
    this.lineMap.sort((x, y) => x.addr - y.addr);
    const start = this.syms.get('_start');
    return {
      ok: errors.length === 0, image, origin, entry: start && start.kind === 'label' ? Number(start.v) : origin,
      symbols, lineMap: this.lineMap, listing: this.listing, sections, errors, warnings: this.warnings,
    };
  }
}

function describe(o: Operand): string {
  switch (o.k) {
    case 'reg': return `register '${o.text}'`;
    case 'expr': return 'an expression';
    case 'addr': return 'a storage operand D(X,B)';
    case 'str': return 'a string';
    case 'type': return `'@${o.name}'`;
  }
}

function displayName(name: string): string {
  const parts = name.split(LOCAL_SEP);
  return parts[0];
}

function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

function beBytes(v: bigint, size: number): number[] {
  const u = BigInt.asUintN(64, v);
  const out: number[] = [];
  for (let i = size - 1; i >= 0; i--) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
  return out;
}

const CMP_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** A unary operator on a 64-bit value (GNU as: `!x` is 1 or 0). */
function unop(op: string, a: bigint): bigint {
  const v = op === '-' ? -a : op === '~' ? ~a : a === 0n ? 1n : 0n;
  return BigInt.asIntN(64, v);
}

/**
 * A binary operator on 64-bit values as GNU as computes it: `>>` is a
 * logical shift, comparisons are signed and give -1 (true) or 0, `&&`/`||`
 * give 1 or 0, binary `!` is or-not. (`<>` and `!!` arrive as `!=` and `^`: parse.ts)
 */
function binop(op: string, a: bigint, b: bigint, pos: number): bigint {
  let v: bigint;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/':
      if (b === 0n) throw new StmtError('division by zero', pos);
      v = a / b; break;
    case '%':
      if (b === 0n) throw new StmtError('division by zero', pos);
      v = a % b; break;
    case '<<': v = b < 0n || b >= 64n ? 0n : a << b; break;
    case '>>': v = b < 0n || b >= 64n ? 0n : BigInt.asUintN(64, a) >> b; break;
    case '|': v = a | b; break;
    case '&': v = a & b; break;
    case '^': v = a ^ b; break;
    case '!': v = a | ~b; break;
    case '==': v = a === b ? -1n : 0n; break;
    case '!=': v = a !== b ? -1n : 0n; break;
    case '<': v = a < b ? -1n : 0n; break;
    case '<=': v = a <= b ? -1n : 0n; break;
    case '>': v = a > b ? -1n : 0n; break;
    case '>=': v = a >= b ? -1n : 0n; break;
    case '&&': v = a !== 0n && b !== 0n ? 1n : 0n; break;
    case '||': v = a !== 0n || b !== 0n ? 1n : 0n; break;
    default: throw new StmtError(`unknown operator ${op}`, pos);
  }
  return BigInt.asIntN(64, v);
}

/** Does the statement define or use a numeric local label (`1:`, `1b`, `1f`)? */
function hasLocals(p: ParsedStmt): boolean {
  if (p.labels.some((l) => l.local)) return true;
  const b = p.body;
  if (!b) return false;
  const inExpr = (e: Expr): boolean => anyExpr(e, (x) => x.k === 'local');
  const inOp = (o: Operand | null): boolean =>
    o !== null && (o.k === 'expr' ? inExpr(o.e) : o.k === 'addr' ? (o.d !== null && inExpr(o.d)) || o.parts.some(inOp) : false);
  if (b.k === 'assign') return inExpr(b.e);
  return (b.k === 'dir' ? b.args : b.ops).some(inOp);
}

/** Does `p` hold for `e` or an expression inside it? */
function anyExpr(e: Expr, p: (x: Expr) => boolean): boolean {
  return p(e) || (e.k === 'un' ? anyExpr(e.a, p) : e.k === 'bin' ? anyExpr(e.a, p) || anyExpr(e.b, p) : false);
}

/** Does the expression read a symbol, a local label or `.`? */
function usesSymbols(e: Expr): boolean {
  return anyExpr(e, (x) => x.k === 'sym' || x.k === 'local' || x.k === 'dot');
}

/** Assemble `source`; never throws: every problem is a located entry of `errors`. */
export function assemble(source: string, opts: AssembleOptions = {}): AssembleResult {
  try {
    return new Assembler(opts).run(source);
  } catch (e) {
    // A bug in the assembler itself: still report it as a located error, never a stack trace.
    const file = opts.file ?? '<input>';
    return {
      ok: false, image: new Uint8Array(0), origin: opts.origin ?? 0, entry: opts.origin ?? 0, symbols: new Map(),
      lineMap: [], listing: [], sections: [], warnings: [],
      errors: [{ file, line: 1, col: 1, message: `internal assembler error: ${e instanceof Error ? e.message : String(e)}`, source: '' }],
    };
  }
}
