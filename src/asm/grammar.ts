/**
 * The ohm grammar of one assembler statement (GNU as s390 syntax). The
 * preprocessor (source.ts) has already removed comments, split `;`-separated
 * statements, expanded macros and includes. A whole file's statements
 * are matched at once (`Program`, one statement per line; ohm's fixed cost
 * per match is high), and only when that fails statement by statement, so
 * that every syntax error is reported.
 *
 * Operands are parsed generically (register, storage address `D(X,B)`,
 * expression); the instruction table decides what each operand must be.
 *
 * Expression precedence follows GNU as (not C!): unary operators bind
 * tightest, then `* / % << >>`, then `| & ^ ! !!` (binary `!` is or-not,
 * `!!` exclusive or), then `+ -`, then the comparisons `== != <> < <= > >=`
 * (true is -1, false 0; signed), then `&&`, then `||` (these two give 1 or
 * 0). Every level is left-associative. The grammar takes an expression as a
 * flat chain of operands and operators; parse.ts builds the tree by
 * precedence (one rule instead of one per level keeps the match fast). The
 * two characters of an operator may be separated by blanks (`< =`), as GNU
 * as's input scrubber drops blanks between punctuation.
 */
import * as ohm from 'ohm-js';

const GRAMMAR_SOURCE = String.raw`
S390Asm {
  Program = Stmt (nl Stmt)*
  nl = "\n"
  space := " " | "\t" | "\r" | "\x0b" | "\x0c"
  Stmt = Label* Body?
  Label = labelName ":"
  labelName = digit+ ~identPart  -- local
            | symbol
  Body = Assign | Directive | Instruction
  Assign = (symbol | dot) "=" Expr
  Directive = directiveName ListOf<DirArg, ",">
  directiveName = "." identStart identPart*
  DirArg = string | "@" symbol -- type
         | Operand
  Instruction = mnemonic ListOf<Operand, ",">
  mnemonic = letter identPart*

  Operand = Addr | reg | Expr
  Addr = Expr? "(" AddrPart? "," AddrPart ")"  -- two
       | Expr? "(" AddrPart ")"                 -- one
  AddrPart = reg | Expr

  Expr = Unary (binOp Unary)*
  binOp = "|" blank* "|"  -- lor
        | "&" blank* "&"  -- land
        | "=" blank* "="  -- eq
        | "!" blank* "="  -- ne
        | "<" blank* ">"  -- ne2
        | "<" blank* "="  -- le
        | ">" blank* "="  -- ge
        | "<" blank* "<"  -- shl
        | ">" blank* ">"  -- shr
        | "!" blank* "!"  -- xor2
        | "%" ~letter     -- mod
        | "+" | "-" | "*" | "/" | "|" | "&" | "^" | "!" | "<" | ">"
  blank = " " | "\t"
  Unary = "-" Unary  -- neg
        | "+" Unary  -- pos
        | "~" Unary  -- not
        | "!" Unary  -- lnot
        | Primary
  Primary = "(" Expr ")"  -- paren
          | localRef
          | number
          | charConst
          | dot
          | symbol

  reg = "%" letter alnum*
  localRef = digit+ ("b" | "f") ~identPart
  number = ("0x" | "0X") hexDigit+ ~identPart  -- hex
         | ("0b" | "0B") ("0" | "1")+ ~identPart  -- bin
         | digit+ ~identPart  -- dec
  charConst = "'" charItem "'"?
  charItem = "\\" ~"\n" any  -- esc
           | ~"\n" any  -- plain
  dot = "." ~identPart
  symbol = identStart identPart*
  letter := "a".."z" | "A".."Z"
  alnum := letter | digit
  identStart = letter | "_" | "." | "$"
  identPart = letter | digit | "_" | "." | "$"
  string = "\"" strItem* "\""
  strItem = "\\" ~"\n" any  -- esc
          | ~("\"" | "\n") any  -- plain
}
`;

export const grammar: ohm.Grammar = ohm.grammar(GRAMMAR_SOURCE);
