// Where one module file defines, declares and reads NixOS/Home Manager options, as dotted paths: attrset nesting and
// dotted keys are the same option (`services.traefik = { enable = …; }` defines `services.traefik.enable`).
import type { Span } from '../base/text';
import type { AttrKey, Binding, Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { forEachChild } from '../syntax/walk';
import { calleeName, callArgs, staticKeys, unwrapBody } from './astQueries';

export type SiteKind = 'def' | 'decl' | 'read';

export interface OptionSite {
  kind: SiteKind;
  path: string[];
  /** `path` joined with `.`, for comparisons. */
  key: string;
  /** The last name of `path` as written here. */
  keySpan: Span;
  /** The whole binding (definitions and declarations). */
  bindingSpan: Span | null;
  /** The value given at exactly this path (a definition's right-hand side), when written here. */
  value: Expr | null;
}

export interface FileOptions {
  /** The file looks like a NixOS/Home Manager module (a set, or a function with formals returning one). */
  isModule: boolean;
  /** Sorted by position. */
  sites: OptionSite[];
}

export const OPTION_DECLARERS: ReadonlySet<string> = new Set(['mkOption', 'mkEnableOption', 'mkPackageOption', 'mkSinkUndeclaredOptions']);
const WRAPPERS = new Set(['mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'mkMerge']);
/** Module attributes that are not options. */
const NOT_OPTIONS = new Set(['imports', 'disabledModules', '_file', 'key', '_class', 'meta', 'freeformType']);

const cache = new WeakMap<ParsedFile, FileOptions>();

export function optionsOf(parsed: ParsedFile): FileOptions {
  let fo = cache.get(parsed);
  if (!fo) {
    fo = extract(parsed);
    cache.set(parsed, fo);
  }
  return fo;
}

/** A module's attribute sets once `mkIf`/`mkMerge` wrappers are looked through. */
function moduleSets(e: Expr): Expr[] {
  const body = unwrapBody(e);
  if (body.kind === 'attrs') return [body];
  if (body.kind === 'apply') {
    const callee = calleeName(body)?.name;
    if (callee === 'mkMerge') {
      const list = callArgs(body)[0];
      return list?.kind === 'list' ? list.items.flatMap(moduleSets) : [];
    }
    if (callee && WRAPPERS.has(callee)) {
      const last = callArgs(body).pop();
      return last ? moduleSets(last) : [];
    }
  }
  return [];
}

function moduleRoot(root: Expr): Expr[] | null {
  let e = root;
  if (e.kind === 'lambda') {
    if (!e.formals) return null;
    e = e.body;
  }
  const sets = moduleSets(e);
  if (sets.length === 1 && isModuleSet(sets[0]!)) return null;
  return sets.length > 0 ? sets : null;
}

/** `{ a = import ./a.nix; b = ./b.nix; }`: a set of modules (nixosModules), not a module. */
function isModuleSet(set: Expr): boolean {
  if (set.kind !== 'attrs' || set.bindings.length === 0) return false;
  return set.bindings.every((b) => b.value.kind === 'path' || (b.value.kind === 'apply' && calleeName(b.value)?.name === 'import'));
}

function extract(parsed: ParsedFile): FileOptions {
  const sites: OptionSite[] = [];
  const sets = moduleRoot(parsed.ast);
  if (sets) {
    const explicit = sets.some((s) => s.kind === 'attrs' && s.bindings.some((b) => {
      const k = b.path[0];
      return k?.kind === 'name' && (k.name === 'config' || k.name === 'options');
    }));
    for (const set of sets) {
      if (set.kind !== 'attrs') continue;
      for (const b of set.bindings) {
        const first = b.path[0];
        const head = first?.kind === 'name' ? first.name : '';
        if (!head || NOT_OPTIONS.has(head)) continue;
        if (explicit && head === 'options') {
          declarations(b.value, staticKeys(b.path).slice(1), b.span, sites);
        } else if (explicit && head === 'config') {
          if (b.path[1]?.kind !== 'name') for (const inner of moduleSets(b.value)) definitions(inner, NO_PATH, '', sites);
          else definitionBinding(b, 1, NO_PATH, '', sites);
        } else if (!explicit) {
          definitionBinding(b, 0, NO_PATH, '', sites);
        }
      }
      if (!explicit) definitionInherits(set, NO_PATH, '', sites);
    }
  }
  reads(parsed, sites);
  if (!sortedByStart(sites)) sites.sort((a, b) => a.keySpan.start - b.keySpan.start);
  return { isModule: sets !== null, sites };
}

/** Sites come mostly in source order; sorting an already sorted list still costs a comparison per pair and more. */
function sortedByStart(sites: readonly OptionSite[]): boolean {
  for (let i = 1; i < sites.length; i++) if (sites[i - 1]!.keySpan.start > sites[i]!.keySpan.start) return false;
  return true;
}

// A large module has thousands of sites: each path extends its parent's (one array and one string per site, no
// re-joining), and nothing is allocated for bindings that only recurse.
const NO_PATH: readonly string[] = [];

const keyOf = (prefix: readonly string[], prefixKey: string, name: string) => (prefix.length === 0 ? name : `${prefixKey}.${name}`);

/** `a.b.c = v` under `prefix`, from the attribute at `from` on: a definition per static name, then inside `v`. */
function definitionBinding(b: Binding, from: number, prefix: readonly string[], prefixKey: string, sites: OptionSite[]): void {
  const keys = b.path;
  let end = from;
  while (end < keys.length && keys[end]!.kind === 'name') end++;
  const whole = end === keys.length;
  let path = prefix;
  let key = prefixKey;
  for (let i = from; i < end; i++) {
    const k = keys[i] as AttrKey & { kind: 'name' };
    key = keyOf(path, key, k.name);
    path = [...path, k.name];
    sites.push({ kind: 'def', path: path as string[], key, keySpan: k.span, bindingSpan: b.span, value: i === end - 1 && whole ? b.value : null });
  }
  if (!whole) return;
  const body = unwrapBody(b.value);
  if (body.kind === 'attrs') definitions(body, path, key, sites);
  else if (body.kind === 'apply') for (const inner of moduleSets(body)) definitions(inner, path, key, sites);
}

function definitions(set: Expr, prefix: readonly string[], prefixKey: string, sites: OptionSite[]): void {
  if (set.kind !== 'attrs') return;
  for (const b of set.bindings) if (b.path[0]?.kind === 'name') definitionBinding(b, 0, prefix, prefixKey, sites);
  definitionInherits(set, prefix, prefixKey, sites);
}

function definitionInherits(set: Expr & { kind: 'attrs' }, prefix: readonly string[], prefixKey: string, sites: OptionSite[]): void {
  for (const inh of set.inherits) {
    for (const n of inh.names) {
      const key = keyOf(prefix, prefixKey, n.name);
      const path = [...prefix, n.name];
      const value: Expr = inh.from ? { kind: 'select', expr: inh.from, path: [{ kind: 'name', name: n.name, span: n.span }], default: null, span: n.span } : { kind: 'var', name: n.name, span: n.span };
      sites.push({ kind: 'def', path, key, keySpan: n.span, bindingSpan: inh.span, value });
    }
  }
}

function declarations(value: Expr, prefix: { name: string; span: Span }[], span: Span, sites: OptionSite[]): void {
  const callee = value.kind === 'apply' ? calleeName(value)?.name : undefined;
  if (callee && OPTION_DECLARERS.has(callee)) {
    const last = prefix[prefix.length - 1];
    if (last) {
      const path = prefix.map((k) => k.name);
      sites.push({ kind: 'decl', path, key: path.join('.'), keySpan: last.span, bindingSpan: span, value });
    }
    return;
  }
  const body = unwrapBody(value);
  if (body.kind !== 'attrs') return;
  for (const b of body.bindings) {
    const keys = staticKeys(b.path);
    if (keys.length === b.path.length && keys.length > 0) declarations(b.value, [...prefix, ...keys], b.span, sites);
  }
}

/**
 * `config.a.b` and, through an alias such as `cfg = config.a;`, `cfg.b`: reads of `a.b` (and of `a`). Names are
 * matched without scope resolution (a `config` or alias shadowed by another binder is rare in modules). Only
 * subtrees whose text holds `config` (then also an alias name) are entered: a large module is mostly definitions.
 */
function reads(parsed: ParsedFile, sites: OptionSite[]): void {
  const text = parsed.text;
  if (!text.includes('config')) return;
  const aliases = new Map<string, { path: readonly string[]; key: string }>();
  preorder(parsed.ast, mentions(text, ['config']), (e) => {
    if (e.kind !== 'let') return;
    for (const b of e.bindings) {
      const k = b.path[0];
      const v = b.value;
      if (b.path.length !== 1 || k?.kind !== 'name' || k.name === 'config' || v.kind !== 'select' || v.expr.kind !== 'var' || v.expr.name !== 'config') continue;
      const keys = staticKeys(v.path);
      if (keys.length === v.path.length && keys.length > 0) {
        const path = keys.map((x) => x.name);
        aliases.set(k.name, { path, key: path.join('.') });
      }
    }
  });
  const root = { path: NO_PATH, key: '' };
  preorder(parsed.ast, mentions(text, ['config', ...aliases.keys()]), (e) => {
    if (e.kind !== 'select' || e.expr.kind !== 'var') return;
    const prefix = e.expr.name === 'config' ? root : aliases.get(e.expr.name);
    if (!prefix) return;
    let { path, key } = prefix;
    for (const k of e.path) {
      if (k.kind !== 'name') break;
      key = keyOf(path, key, k.name);
      path = [...path, k.name];
      sites.push({ kind: 'read', path: path as string[], key, keySpan: k.span, bindingSpan: null, value: null });
    }
  });
}

/** Whether a span's text holds one of `names` (an expression using a variable holds its name). */
function mentions(text: string, names: readonly string[]): (span: Span) => boolean {
  const found = names.map((name) => {
    const at: number[] = [];
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) at.push(i);
    return { length: name.length, at };
  });
  return (span) => found.some(({ length, at }) => {
    let lo = 0;
    let hi = at.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (at[m]! < span.start) lo = m + 1; else hi = m; }
    return lo < at.length && at[lo]! + length <= span.end;
  });
}

/** `walk`'s pre-order, entering only subtrees `enter` accepts, without a children array per node. */
function preorder(root: Expr, enter: (span: Span) => boolean, fn: (e: Expr) => void): void {
  const stack: Expr[] = [root];
  const push = (c: Expr) => { if (enter(c.span)) stack.push(c); };
  if (!enter(root.span)) return;
  while (stack.length > 0) {
    const e = stack.pop()!;
    fn(e);
    // Children were pushed in source order: reverse them in place so the first is visited next.
    let lo = stack.length;
    forEachChild(e, push);
    for (let hi = stack.length - 1; lo < hi; lo++, hi--) {
      const t = stack[lo]!;
      stack[lo] = stack[hi]!;
      stack[hi] = t;
    }
  }
}

/** Whether `optionsOf` has already been worked out for this parse (it is then free to ask again). */
export function hasOptions(parsed: ParsedFile): boolean { return cache.has(parsed); }

/** The site whose key is under `offset`. */
export function siteAt(fo: FileOptions, offset: number): OptionSite | null {
  for (const s of fo.sites) {
    if (s.keySpan.start > offset) break;
    if (offset <= s.keySpan.end) return s;
  }
  return null;
}

/** A cheap text test before lowering a file: every name of the path must occur in it. */
export function mayMention(text: string, path: readonly string[]): boolean {
  return path.every((p) => text.includes(p));
}
