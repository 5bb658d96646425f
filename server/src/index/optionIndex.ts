// Where one module file defines, declares and reads NixOS/Home Manager options, as dotted paths: attrset nesting and
// dotted keys are the same option (`services.traefik = { enable = …; }` defines `services.traefik.enable`).
import type { Span } from '../base/text';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { walk } from '../syntax/walk';
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
    const add = (kind: SiteKind, path: string[], keySpan: Span, bindingSpan: Span | null, value: Expr | null) =>
      sites.push({ kind, path, key: path.join('.'), keySpan, bindingSpan, value });
    const explicit = sets.some((s) => s.kind === 'attrs' && s.bindings.some((b) => {
      const k = b.path[0];
      return k?.kind === 'name' && (k.name === 'config' || k.name === 'options');
    }));
    for (const set of sets) {
      if (set.kind !== 'attrs') continue;
      for (const b of set.bindings) {
        const keys = staticKeys(b.path);
        const head = keys[0]?.name;
        if (!head || NOT_OPTIONS.has(head)) continue;
        if (explicit && head === 'options') {
          declarations(b.value, keys.slice(1), b.span, add);
        } else if (explicit && head === 'config') {
          const rest = keys.slice(1);
          if (rest.length === 0) for (const inner of moduleSets(b.value)) definitions(inner, [], add);
          else definitionBinding(rest, b.path.length === keys.length, b.value, b.span, [], add);
        } else if (!explicit) {
          definitionBinding(keys, b.path.length === keys.length, b.value, b.span, [], add);
        }
      }
      if (!explicit) definitionInherits(set, [], add);
    }
  }
  reads(parsed, (path, keySpan) => sites.push({ kind: 'read', path, key: path.join('.'), keySpan, bindingSpan: null, value: null }));
  sites.sort((a, b) => a.keySpan.start - b.keySpan.start);
  return { isModule: sets !== null, sites };
}

type Add = (kind: SiteKind, path: string[], keySpan: Span, bindingSpan: Span | null, value: Expr | null) => void;

function definitionBinding(keys: { name: string; span: Span }[], whole: boolean, value: Expr, span: Span, prefix: string[], add: Add): void {
  const path = [...prefix];
  keys.forEach((k, i) => {
    path.push(k.name);
    add('def', [...path], k.span, span, i === keys.length - 1 && whole ? value : null);
  });
  if (!whole) return;
  for (const inner of moduleSets(value)) definitions(inner, path, add);
}

function definitions(set: Expr, prefix: string[], add: Add): void {
  if (set.kind !== 'attrs') return;
  for (const b of set.bindings) {
    const keys = staticKeys(b.path);
    if (keys.length > 0) definitionBinding(keys, b.path.length === keys.length, b.value, b.span, prefix, add);
  }
  definitionInherits(set, prefix, add);
}

function definitionInherits(set: Expr & { kind: 'attrs' }, prefix: string[], add: Add): void {
  for (const inh of set.inherits) {
    for (const n of inh.names) add('def', [...prefix, n.name], n.span, inh.span, inh.from ? { kind: 'select', expr: inh.from, path: [{ kind: 'name', name: n.name, span: n.span }], default: null, span: n.span } : { kind: 'var', name: n.name, span: n.span });
  }
}

function declarations(value: Expr, prefix: { name: string; span: Span }[], span: Span, add: Add): void {
  const callee = value.kind === 'apply' ? calleeName(value)?.name : undefined;
  if (callee && OPTION_DECLARERS.has(callee)) {
    const last = prefix[prefix.length - 1];
    if (last) add('decl', prefix.map((k) => k.name), last.span, span, value);
    return;
  }
  const body = unwrapBody(value);
  if (body.kind !== 'attrs') return;
  for (const b of body.bindings) {
    const keys = staticKeys(b.path);
    if (keys.length === b.path.length && keys.length > 0) declarations(b.value, [...prefix, ...keys], b.span, add);
  }
}

/**
 * `config.a.b` and, through an alias such as `cfg = config.a;`, `cfg.b`: reads of `a.b` (and of `a`). Names are
 * matched without scope resolution (a `config` or alias shadowed by another binder is rare in modules) so that a
 * large file costs one walk.
 */
function reads(parsed: ParsedFile, add: (path: string[], keySpan: Span) => void): void {
  if (!parsed.text.includes('config')) return;
  const aliases = new Map<string, string[]>();
  walk(parsed.ast, (e) => {
    if (e.kind !== 'let') return;
    for (const b of e.bindings) {
      const k = b.path[0];
      const v = b.value;
      if (b.path.length !== 1 || k?.kind !== 'name' || k.name === 'config' || v.kind !== 'select' || v.expr.kind !== 'var' || v.expr.name !== 'config') continue;
      const keys = staticKeys(v.path);
      if (keys.length === v.path.length && keys.length > 0) aliases.set(k.name, keys.map((x) => x.name));
    }
  });
  walk(parsed.ast, (e) => {
    if (e.kind !== 'select' || e.expr.kind !== 'var') return;
    const prefix = e.expr.name === 'config' ? [] : aliases.get(e.expr.name);
    if (!prefix) return;
    const path = [...prefix];
    for (const k of staticKeys(e.path)) {
      path.push(k.name);
      add([...path], k.span);
    }
  });
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
