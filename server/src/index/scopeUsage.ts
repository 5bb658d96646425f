// Liveness on top of index/scope.ts: how each use resolves (binder, `with`, global, undefined) and which let
// bindings, formals and arguments are dead by deadnix's rules (a self-reference or a use inside dead code is no use).
import { contains, type Span } from '../base/text';
import type { Expr, ExprOf } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { walk } from '../syntax/walk';
import { GLOBALS, scopeOf, type Binder, type ScopeInfo, type VarUse } from './scope';

export type Resolution = 'binder' | 'with' | 'builtin' | 'undefined';

/** Nix 2.8's global names missing from scope.ts's list; every `__name` builtin is global too (`__add`, `__findFile`). */
const MORE_GLOBALS: ReadonlySet<string> = new Set(['fetchMercurial']);

export function isGlobalName(name: string): boolean {
  return GLOBALS.has(name) || MORE_GLOBALS.has(name) || name.startsWith('__');
}

export function resolutionOf(use: VarUse): Resolution {
  if (use.binder) return 'binder';
  if (use.withExpr) return 'with';
  return isGlobalName(use.name) ? 'builtin' : 'undefined';
}

/** Which kind of dead code deadnix would call it; rec attributes are never dead (they are exported). */
export type DeadKind = 'let' | 'let-inherit' | 'formal' | 'argument' | 'at-binding';

export interface BindingGroup {
  name: string;
  kind: DeadKind;
  /** Binders of one name in one let (`a.b = 1; a.c = 2;` binds `a` twice); one binder otherwise. */
  binders: Binder[];
  /** The let or lambda that binds it. */
  owner: ExprOf<'let'> | ExprOf<'lambda'>;
  /** Uses that count: outside the binding's own definition and outside dead code. */
  uses: number;
}

export interface Liveness {
  groups: BindingGroup[];
  dead: BindingGroup[];
}

const cache = new WeakMap<ParsedFile, Liveness>();

export function livenessOf(parsed: ParsedFile): Liveness {
  let live = cache.get(parsed);
  if (!live) {
    live = liveness(parsed.ast, scopeOf(parsed));
    cache.set(parsed, live);
  }
  return live;
}

export function liveness(ast: Expr, info: ScopeInfo): Liveness {
  const groups = bindingGroups(ast, info);
  const groupOf = new Map<Binder, BindingGroup>();
  for (const g of groups) for (const b of g.binders) groupOf.set(b, g);
  const usesOf = new Map<BindingGroup, VarUse[]>();
  for (const u of info.uses) {
    const g = u.binder ? groupOf.get(u.binder) : undefined;
    // A use inside the group's own definition (`f = x: f x;`, a formal's own default) keeps nothing alive.
    if (!g || g.binders.some((b) => contains(ownSpan(b), u.span))) continue;
    const list = usesOf.get(g);
    if (list) list.push(u); else usesOf.set(g, [u]);
  }
  // Uses inside a dead sibling's definition do not count (`let a = b; b = 1;` leaves both dead): deadnix's fixpoint.
  // Uses deeper inside dead code do: an argument of a dead function is not reported on its own.
  const deadSites = new Map<Expr, Span[]>();
  const dead = new Set<BindingGroup>();
  for (let changed = true; changed;) {
    changed = false;
    for (const g of groups) {
      if (dead.has(g)) continue;
      const siblings = deadSites.get(g.owner) ?? [];
      const live = (usesOf.get(g) ?? []).filter((u) => !siblings.some((s) => contains(s, u.span)));
      g.uses = live.length;
      if (live.length === 0) {
        dead.add(g);
        deadSites.set(g.owner, [...siblings, ...g.binders.map(ownSpan)]);
        changed = true;
      }
    }
  }
  return { groups, dead: groups.filter((g) => dead.has(g)) };
}

/** What a binder's own definition covers: an `inherit` statement's other names and source are not its own. */
function ownSpan(b: Binder): Span {
  return b.kind === 'param' || b.kind === 'inherit' ? b.span : b.site;
}

/** Let bindings grouped by name per let, and every formal, argument and `@` name, with the expression owning them. */
function bindingGroups(ast: Expr, info: ScopeInfo): BindingGroup[] {
  const byStart = new Map<number, Binder>();
  for (const b of info.binders) byStart.set(b.span.start, b);
  const groups: BindingGroup[] = [];
  walk(ast, (e) => {
    if (e.kind === 'let') {
      const byName = new Map<string, BindingGroup>();
      const add = (name: string, span: Span, kind: DeadKind) => {
        const binder = byStart.get(span.start);
        if (!binder) return;
        const g = byName.get(name);
        if (g) { g.binders.push(binder); return; }
        const group: BindingGroup = { name, kind, binders: [binder], owner: e, uses: 0 };
        byName.set(name, group);
        groups.push(group);
      };
      for (const b of e.bindings) {
        const first = b.path[0];
        if (first?.kind === 'name') add(first.name, first.span, 'let');
      }
      for (const inh of e.inherits) for (const n of inh.names) add(n.name, n.span, 'let-inherit');
    } else if (e.kind === 'lambda') {
      const one = (span: Span, kind: DeadKind) => {
        const binder = byStart.get(span.start);
        if (binder) groups.push({ name: binder.name, kind, binders: [binder], owner: e, uses: 0 });
      };
      if (e.param) one(e.param.span, e.formals ? 'at-binding' : 'argument');
      for (const f of e.formals ?? []) one(f.name.span, 'formal');
    }
  });
  return groups;
}
