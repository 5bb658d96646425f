// Small shared questions about the AST that navigation asks of many files: a call's function name, a module's body,
// the attributes a file exports, and a cached line index per parsed file.
import { LineIndex, type Span } from '../base/text';
import type { AttrKey, Binding, Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';

/** The name a call is made by: `lib.mkIf c x` -> `mkIf`, `mkHost "a" []` -> `mkHost`; null for computed callees. */
export function calleeName(e: Expr): { name: string; span: Span } | null {
  let fn = e;
  while (fn.kind === 'apply') fn = fn.fn;
  if (fn.kind === 'var') return { name: fn.name, span: fn.span };
  if (fn.kind === 'select') {
    const last = fn.path[fn.path.length - 1];
    if (last?.kind === 'name') return { name: last.name, span: last.span };
  }
  return null;
}

/** The arguments of a call chain, first to last (`f a b` -> [a, b]). */
export function callArgs(e: Expr): Expr[] {
  const args: Expr[] = [];
  let fn = e;
  while (fn.kind === 'apply') { args.unshift(fn.arg); fn = fn.fn; }
  return args;
}

/** Names of an attrpath while they are static: `a.b.${c}.d` -> [a, b]. */
export function staticKeys(path: readonly AttrKey[]): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  for (const k of path) {
    if (k.kind !== 'name') break;
    out.push({ name: k.name, span: k.span });
  }
  return out;
}

/** Strips `let … in`, `with …;` and `assert …;` off an expression. */
export function unwrapBody(e: Expr): Expr {
  let cur = e;
  for (;;) {
    if (cur.kind === 'let' || cur.kind === 'with' || cur.kind === 'assert') cur = cur.body;
    else return cur;
  }
}

/** The attrset a file evaluates to once its functions are applied: `{…}: final: prev: { a = …; }` -> that set. */
export function exportedAttrs(root: Expr): Expr & { kind: 'attrs' } | null {
  let cur = unwrapBody(root);
  for (let i = 0; i < 8; i++) {
    if (cur.kind === 'lambda') cur = unwrapBody(cur.body);
    else break;
  }
  return cur.kind === 'attrs' ? cur : null;
}

/** A binding's first name, when it is static. */
export function firstName(b: Binding): { name: string; span: Span } | null {
  const k = b.path[0];
  return k?.kind === 'name' ? { name: k.name, span: k.span } : null;
}

const lineIndexes = new WeakMap<ParsedFile, LineIndex>();

export function lineIndexOf(parsed: ParsedFile): LineIndex {
  let li = lineIndexes.get(parsed);
  if (!li) {
    li = new LineIndex(parsed.text);
    lineIndexes.set(parsed, li);
  }
  return li;
}

/** Short source text of an expression for hovers: whitespace collapsed, long values cut. */
export function snippet(text: string, e: Expr, max = 60): string {
  if (e.kind === 'attrs') return e.bindings.length + e.inherits.length === 0 ? '{ }' : '{ … }';
  if (e.kind === 'list' && e.span.end - e.span.start > max) return '[ … ]';
  const s = text.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
