// Generic traversal of the Expr AST and small queries over it (children, innermost node at an offset).
import type { Expr } from './ast';

/** Calls `fn` on each direct child expression of `e`, in source order. */
export function forEachChild(e: Expr, fn: (child: Expr) => void): void {
  switch (e.kind) {
    case 'string': case 'path': for (const p of e.parts) if (typeof p !== 'string') fn(p); break;
    case 'list': e.items.forEach(fn); break;
    case 'attrs': case 'let':
      for (const i of e.inherits) if (i.from) fn(i.from);
      for (const b of e.bindings) {
        for (const k of b.path) if (k.kind === 'dynamic') fn(k.expr);
        fn(b.value);
      }
      if (e.kind === 'let') fn(e.body);
      break;
    case 'lambda':
      for (const f of e.formals ?? []) if (f.default) fn(f.default);
      fn(e.body);
      break;
    case 'apply': fn(e.fn); fn(e.arg); break;
    case 'select':
      fn(e.expr);
      for (const k of e.path) if (k.kind === 'dynamic') fn(k.expr);
      if (e.default) fn(e.default);
      break;
    case 'hasAttr':
      fn(e.expr);
      for (const k of e.path) if (k.kind === 'dynamic') fn(k.expr);
      break;
    case 'binary': fn(e.left); fn(e.right); break;
    case 'unary': fn(e.arg); break;
    case 'if': fn(e.cond); fn(e.then); fn(e.else); break;
    case 'with': fn(e.env); fn(e.body); break;
    case 'assert': fn(e.cond); fn(e.body); break;
    default: break;
  }
}

/** Pre-order walk; `fn` returns false to skip a subtree. The explicit stack keeps deep files from overflowing. */
export function walk(root: Expr, fn: (e: Expr) => boolean | void): void {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (fn(e) === false) continue;
    const kids: Expr[] = [];
    forEachChild(e, (c) => kids.push(c));
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** The chain of expressions enclosing `offset`, outermost first. */
export function pathToOffset(root: Expr, offset: number): Expr[] {
  const chain: Expr[] = [];
  let cur: Expr | undefined = root;
  while (cur && cur.span.start <= offset && offset <= cur.span.end) {
    chain.push(cur);
    let next: Expr | undefined;
    forEachChild(cur, (c) => { if (!next && c.span.start <= offset && offset <= c.span.end) next = c; });
    cur = next;
  }
  return chain;
}

/** The literal text of a string or path without interpolations, or null when it has any. */
export function literalText(e: Expr): string | null {
  if (e.kind !== 'string' && e.kind !== 'path') return null;
  return e.parts.every((p) => typeof p === 'string') ? e.parts.join('') : null;
}
