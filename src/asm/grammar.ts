/**
 * The ohm grammar of one assembler statement (GNU as s390 syntax). The
 * preprocessor (source.ts) has already removed comments, split `;`-separated
 * statements, expanded macros and includes, so the grammar sees one
 * statement's text at a time.
 *
 * Operands are parsed generically (register, storage address `D(X,B)`,
 * expression); the instruction table decides what each operand must be.
 *
 * Expression precedence follows GNU as (not C!): unary operators bind
 * tightest, then `* / % << >>`, then `| & ^`, then `+ -`.
 */
import * as ohm from 'ohm-js';

export const GRAMMAR_SOURCE = String.raw`
S390Asm {
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

  Expr = Expr "+" BitExpr  -- add
       | Expr "-" BitExpr  -- sub
       | BitExpr
  BitExpr = BitExpr "|" MulExpr  -- or
          | BitExpr "&" MulExpr  -- and
          | BitExpr "^" MulExpr  -- xor
          | MulExpr
  MulExpr = MulExpr "*" Unary     -- mul
          | MulExpr "/" Unary     -- div
          | MulExpr modOp Unary   -- mod
          | MulExpr "<<" Unary    -- shl
          | MulExpr ">>" Unary    -- shr
          | Unary
  modOp = "%" ~letter
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
  charItem = "\\" any  -- esc
           | ~"\n" any  -- plain
  dot = "." ~identPart
  symbol = identStart identPart*
  identStart = letter | "_" | "." | "$"
  identPart = alnum | "_" | "." | "$"
  string = "\"" strItem* "\""
  strItem = "\\" any  -- esc
          | ~"\"" any  -- plain
}
`;

export const grammar: ohm.Grammar = ohm.grammar(GRAMMAR_SOURCE);
