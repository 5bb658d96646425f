// The Nix syntax tree the rest of Hostlens reads: plain data lowered from tree-sitter, so no other layer knows node types.
import type { Span } from '../base/text';

export interface Name { name: string; span: Span }

/** One attribute of an attrpath: a plain name (identifier or constant string) or an interpolated key. */
export type AttrKey = { kind: 'name'; name: string; span: Span } | { kind: 'dynamic'; expr: Expr; span: Span };

export interface Binding { path: AttrKey[]; value: Expr; span: Span }
export interface Inherit { from: Expr | null; names: Name[]; span: Span }
export interface Formal { name: Name; default: Expr | null }

/** A string or path is a list of literal text and interpolated expressions. */
export type Part = string | Expr;

export type Expr =
  | { kind: 'var'; name: string; span: Span }
  | { kind: 'int'; value: number; span: Span }
  | { kind: 'float'; value: number; span: Span }
  | { kind: 'string'; parts: Part[]; span: Span }
  /** `./a/${b}.nix`, `/abs`, `~/x`; `text` is the source spelling with interpolations left in place. */
  | { kind: 'path'; parts: Part[]; home: boolean; span: Span }
  | { kind: 'spath'; name: string; span: Span }
  | { kind: 'uri'; value: string; span: Span }
  | { kind: 'list'; items: Expr[]; span: Span }
  | { kind: 'attrs'; rec: boolean; bindings: Binding[]; inherits: Inherit[]; span: Span }
  | { kind: 'let'; bindings: Binding[]; inherits: Inherit[]; body: Expr; span: Span }
  | { kind: 'lambda'; param: Name | null; formals: Formal[] | null; ellipsis: boolean; body: Expr; span: Span }
  | { kind: 'apply'; fn: Expr; arg: Expr; span: Span }
  | { kind: 'select'; expr: Expr; path: AttrKey[]; default: Expr | null; span: Span }
  | { kind: 'hasAttr'; expr: Expr; path: AttrKey[]; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'unary'; op: '!' | '-'; arg: Expr; span: Span }
  | { kind: 'if'; cond: Expr; then: Expr; else: Expr; span: Span }
  | { kind: 'with'; env: Expr; body: Expr; span: Span }
  | { kind: 'assert'; cond: Expr; body: Expr; span: Span }
  /** Unparseable or missing code; evaluation treats it as unknown, never as a crash. */
  | { kind: 'error'; span: Span };

export type BinaryOp =
  | '++' | '//' | '+' | '-' | '*' | '/' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||' | '->' | '|>' | '<|';

export type ExprKind = Expr['kind'];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;
