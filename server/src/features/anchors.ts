// What the cursor is on, in fleet terms: a path, an option path, a host flag, a secret, a flake input or output, a
// package, a host name, or a variable and its binder. Definition, references and hover all start here.
import type { Span } from '../base/text';
import { staticKeys } from '../index/astQueries';
import { FLAKE } from '../index/flake';
import { optionsOf, siteAt, type OptionSite } from '../index/optionIndex';
import { binderAt, scopeOf, useAt, type Binder, type VarUse } from '../index/scope';
import { REGISTRY_FILES, registryEntries, secretName, type SecretEntry } from '../index/secretsRegistry';
import type { HostDef } from '../index/flake';
import type { Expr, ExprOf } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { literalText, pathToOffset } from '../syntax/walk';
import { flagModel, flagSiteAt } from './hostFlags';
import { hostByKey } from './hostNames';
import { mayDefineOptions, type NavContext } from './navContext';

export type Anchor =
  | { kind: 'path'; span: Span; expr: ExprOf<'path'> }
  | { kind: 'option'; span: Span; path: string[]; site: OptionSite }
  | { kind: 'flag'; span: Span; name: string }
  | { kind: 'secret'; span: Span; name: string }
  | { kind: 'registry'; span: Span; entry: SecretEntry }
  | { kind: 'input'; span: Span; name: string; member: string | null }
  | { kind: 'output'; span: Span; set: string; name: string | null }
  | { kind: 'package'; span: Span; name: string; withSpan?: Span }
  | { kind: 'host'; span: Span; host: HostDef }
  | { kind: 'mkHome'; span: Span; name: string }
  | { kind: 'binder'; span: Span; binder: Binder }
  | { kind: 'var'; span: Span; use: VarUse };

const PKGS_NAMES = new Set(['pkgs', 'final', 'prev']);

/** The formals of flake.nix's `outputs` function: each names an input. */
export function outputsLambda(parsed: ParsedFile | null): ExprOf<'lambda'> | null {
  const root = parsed?.ast;
  if (root?.kind !== 'attrs') return null;
  const b = root.bindings.find((x) => x.path.length === 1 && x.path[0]?.kind === 'name' && x.path[0].name === 'outputs');
  return b?.value.kind === 'lambda' ? b.value : null;
}

function inputFormal(ctx: NavContext, file: string, binder: Binder | null): string | null {
  if (file !== FLAKE || !binder?.lambda || binder.kind !== 'formal' || binder.name === 'self') return null;
  return binder.lambda === outputsLambda(ctx.snap.parsed(FLAKE)) ? binder.name : null;
}

export function anchorAt(ctx: NavContext, file: string, offset: number): Anchor | null {
  const parsed = ctx.snap.parsed(file);
  if (!parsed) return null;
  const chain = pathToOffset(parsed.ast, offset);
  const inner = chain[chain.length - 1];
  if (inner?.kind === 'path') return { kind: 'path', span: inner.span, expr: inner };

  const flag = flagSiteAt(flagModel(ctx), file, offset);
  if (flag) return { kind: 'flag', span: flag.keySpan, name: flag.flag };
  const row = flagModel(ctx).rows.find((r) => r.file === file && r.keySpan.start <= offset && offset <= r.keySpan.end);
  if (row) { const host = hostByKey(ctx.snap, row.host); if (host) return { kind: 'host', span: row.keySpan, host }; }

  if ((REGISTRY_FILES as readonly string[]).includes(file)) {
    const entry = registryEntries(parsed, file).find((e) => e.keySpan.start <= offset && offset <= e.keySpan.end);
    if (entry) return { kind: 'registry', span: entry.keySpan, entry };
  }

  if (file === FLAKE) {
    const input = ctx.snap.flake.inputs.find((i) => i.span.start <= offset && offset <= i.span.end);
    if (input) return { kind: 'input', span: input.span, name: input.name, member: null };
    const host = ctx.snap.flake.hosts.find((h) => h.nameSpan && h.nameSpan.start <= offset && offset <= h.nameSpan.end);
    if (host?.nameSpan) return { kind: 'host', span: host.nameSpan, host };
  }

  if (mayDefineOptions(ctx, file)) {
    const site = siteAt(optionsOf(parsed), offset);
    // A lone top-level name (`services`, `boot`) is a namespace, not an option: asking the fleet about it is moot.
    if (site && site.path.length >= 2) return optionAnchor(ctx, site);
  }

  const scope = scopeOf(parsed);
  const select = selectAt(chain, offset);
  if (select) {
    const a = selectAnchor(ctx, file, scope, select.expr, select.index);
    if (a) return a;
  }

  if (inner?.kind === 'string') {
    const lit = literalText(inner);
    const host = lit !== null ? hostByKey(ctx.snap, lit) : null;
    if (host) return { kind: 'host', span: inner.span, host };
  }

  const use = useAt(scope, offset);
  if (use) {
    const input = inputFormal(ctx, file, use.binder);
    if (input) return { kind: 'input', span: use.span, name: input, member: null };
    const w = use.withExpr;
    if (!use.binder && w && isPkgs(w.env)) return { kind: 'package', span: use.span, name: use.name, withSpan: { start: w.span.start, end: w.env.span.end } };
    return { kind: 'var', span: use.span, use };
  }
  const binder = binderAt(scope, offset);
  if (binder) {
    const input = inputFormal(ctx, file, binder);
    if (input) return { kind: 'input', span: binder.span, name: input, member: null };
    return { kind: 'binder', span: binder.span, binder };
  }
  return null;
}

function optionAnchor(ctx: NavContext, site: OptionSite): Anchor {
  const secret = secretName(site.path);
  if (secret !== null && (site.path.length === 3 || (site.path.length === 4 && site.path[3] === 'file'))) {
    return { kind: 'secret', span: site.keySpan, name: secret };
  }
  for (const prefix of ctx.settings.optionPrefixes) {
    const parts = prefix.split('.').filter(Boolean);
    if (site.path.length === parts.length + 1 && parts.every((p, i) => site.path[i] === p)) {
      return { kind: 'flag', span: site.keySpan, name: site.path[parts.length]! };
    }
  }
  return { kind: 'option', span: site.keySpan, path: site.path, site };
}

function isPkgs(e: Expr): boolean {
  return (e.kind === 'var' && PKGS_NAMES.has(e.name)) || (e.kind === 'select' && e.path.length === 1 && e.path[0]?.kind === 'name' && e.path[0].name === 'pkgs');
}

/** The select expression whose attribute under `offset` is the cursor's, and that attribute's index. */
function selectAt(chain: readonly Expr[], offset: number): { expr: ExprOf<'select'>; index: number } | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i]!;
    if (e.kind !== 'select') continue;
    const index = e.path.findIndex((k) => k.span.start <= offset && offset <= k.span.end);
    if (index >= 0) return { expr: e, index };
  }
  return null;
}

function selectAnchor(ctx: NavContext, file: string, scope: ReturnType<typeof scopeOf>, e: ExprOf<'select'>, index: number): Anchor | null {
  const keys = staticKeys(e.path);
  const key = keys[index];
  if (!key) return null;
  const base = e.expr;
  if (base.kind !== 'var') return null;
  const binder = useAt(scope, base.span.start)?.binder ?? null;
  const formalInput = inputFormal(ctx, file, binder);
  if (base.name === 'inputs' || formalInput) {
    const name = formalInput ?? keys[0]?.name;
    if (!name) return null;
    const member = formalInput ? key.name : index === 0 ? null : key.name;
    return { kind: 'input', span: key.span, name, member };
  }
  if (base.name === 'outputs' || base.name === 'self') {
    const set = keys[0]?.name;
    if (!set) return null;
    return { kind: 'output', span: key.span, set, name: index >= 1 ? keys[1]?.name ?? null : null };
  }
  if (PKGS_NAMES.has(base.name) && index === 0) return { kind: 'package', span: key.span, name: key.name };
  if (key.name.endsWith('mkHome') && index === keys.length - 1) return { kind: 'mkHome', span: key.span, name: key.name };
  return null;
}
