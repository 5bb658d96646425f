// Lexical scope of one file, like nil: every variable use resolved to its binder (let, `rec`, formal, `@`, inherit)
// or, failing that, to the innermost `with` that may supply it. Cached per parsed file (a new one per edit).
import type { Span } from '../base/text';
import type { Expr, ExprOf } from '../syntax/ast';
import { forEachChild } from '../syntax/walk';
import type { ParsedFile } from '../syntax/parsedFile';

export type BinderKind = 'let' | 'rec' | 'formal' | 'param' | 'inherit';

export interface Binder {
  name: string;
  /** The name where it is bound. */
  span: Span;
  kind: BinderKind;
  /** The whole binding (`x = …;`, `inherit x;`, the formal) for hovers and removal. */
  site: Span;
  /** The bound expression, when there is one (`x = value;`, `inherit (from) x;` gives `from`). */
  value: Expr | null;
  /** For formals and `@` names: the function they belong to. */
  lambda: ExprOf<'lambda'> | null;
}

export interface VarUse {
  name: string;
  span: Span;
  binder: Binder | null;
  /** When no lexical binder has the name: the innermost `with` that could supply it. */
  withExpr: ExprOf<'with'> | null;
}

export interface ScopeInfo {
  binders: Binder[];
  uses: VarUse[];
}

/** Names Nix provides without a binder (the global scope). */
export const GLOBALS: ReadonlySet<string> = new Set([
  'builtins', 'true', 'false', 'null', 'import', 'toString', 'map', 'throw', 'abort', 'baseNameOf', 'dirOf', 'isNull',
  'removeAttrs', 'derivation', 'derivationStrict', 'fetchTarball', 'fetchGit', 'fetchurl', 'fetchTree', 'placeholder',
  'scopedImport', 'fromTOML', '__curPos', '__nixPath', '__storeDir', '__currentSystem', '__currentTime',
]);

interface Frame { vars: Map<string, Binder> | null; withExpr: ExprOf<'with'> | null; parent: Frame | null }

const cache = new WeakMap<ParsedFile, ScopeInfo>();

export function scopeOf(parsed: ParsedFile): ScopeInfo {
  let info = cache.get(parsed);
  if (!info) {
    info = resolveScopes(parsed.ast);
    cache.set(parsed, info);
  }
  return info;
}

function lookup(frame: Frame | null, name: string): { binder: Binder | null; withExpr: ExprOf<'with'> | null } {
  let withExpr: ExprOf<'with'> | null = null;
  for (let f = frame; f; f = f.parent) {
    const b = f.vars?.get(name);
    if (b) return { binder: b, withExpr: null };
    if (f.withExpr && !withExpr) withExpr = f.withExpr;
  }
  return { binder: null, withExpr };
}

/** Walks the AST once with an explicit stack (deep files must not overflow) and records binders and uses. */
export function resolveScopes(root: Expr): ScopeInfo {
  const binders: Binder[] = [];
  const uses: VarUse[] = [];
  const stack: [Expr, Frame | null][] = [[root, null]];
  const use = (name: string, span: Span, frame: Frame | null) => {
    const r = lookup(frame, name);
    uses.push({ name, span, binder: r.binder, withExpr: r.withExpr });
  };
  const bind = (vars: Map<string, Binder>, b: Binder) => {
    binders.push(b);
    if (!vars.has(b.name)) vars.set(b.name, b);
  };
  while (stack.length > 0) {
    const [e, frame] = stack.pop()!;
    const push = (child: Expr, f: Frame | null = frame) => { stack.push([child, f]); };
    switch (e.kind) {
      case 'var':
        use(e.name, e.span, frame);
        break;
      case 'attrs':
      case 'let': {
        const recursive = e.kind === 'let' || e.rec;
        const vars = new Map<string, Binder>();
        const inner: Frame | null = recursive ? { vars, withExpr: null, parent: frame } : frame;
        const kind: BinderKind = e.kind === 'let' ? 'let' : 'rec';
        for (const b of e.bindings) {
          const first = b.path[0];
          if (recursive && first?.kind === 'name') {
            bind(vars, { name: first.name, span: first.span, kind, site: b.span, value: b.path.length === 1 ? b.value : null, lambda: null });
          }
          for (const k of b.path) if (k.kind === 'dynamic') push(k.expr, inner);
          push(b.value, inner);
        }
        for (const inh of e.inherits) {
          if (inh.from) push(inh.from, inner);
          for (const n of inh.names) {
            // `inherit x;` reads x from the enclosing scope, in a let as in a plain attrset.
            if (!inh.from) use(n.name, n.span, frame);
            if (recursive) bind(vars, { name: n.name, span: n.span, kind: 'inherit', site: inh.span, value: inh.from, lambda: null });
          }
        }
        if (e.kind === 'let') push(e.body, inner);
        break;
      }
      case 'lambda': {
        const vars = new Map<string, Binder>();
        const inner: Frame = { vars, withExpr: null, parent: frame };
        if (e.param) bind(vars, { name: e.param.name, span: e.param.span, kind: 'param', site: e.param.span, value: null, lambda: e });
        for (const f of e.formals ?? []) {
          const site = f.default ? { start: f.name.span.start, end: f.default.span.end } : f.name.span;
          bind(vars, { name: f.name.name, span: f.name.span, kind: 'formal', site, value: f.default, lambda: e });
        }
        for (const f of e.formals ?? []) if (f.default) push(f.default, inner);
        push(e.body, inner);
        break;
      }
      case 'with':
        push(e.env);
        push(e.body, { vars: null, withExpr: e, parent: frame });
        break;
      default:
        forEachChild(e, (c) => push(c));
    }
  }
  binders.sort((a, b) => a.span.start - b.span.start);
  uses.sort((a, b) => a.span.start - b.span.start);
  return { binders, uses };
}

const inside = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

/** The variable use under `offset`, if any. */
export function useAt(info: ScopeInfo, offset: number): VarUse | null {
  return bsearch(info.uses, offset);
}

/** The binder whose name is under `offset`, if any. */
export function binderAt(info: ScopeInfo, offset: number): Binder | null {
  return bsearch(info.binders, offset);
}

export function usesOf(info: ScopeInfo, binder: Binder): VarUse[] {
  return info.uses.filter((u) => u.binder === binder);
}

function bsearch<T extends { span: Span }>(items: readonly T[], offset: number): T | null {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = items[mid]!;
    if (inside(it.span, offset)) return it;
    if (it.span.start > offset) hi = mid - 1; else lo = mid + 1;
  }
  return null;
}
