// Go-to-definition (F12 and peek) across hosts: variables to their binder or `with`, paths to files (an interpolated
// path to each host's resolved target), options to their declaration or every definition on the affected hosts,
// flags per host, secrets, flake inputs and outputs, packages, host names.
import { dirname, join, normalize } from '../base/paths';
import { FLAKE } from '../index/flake';
import type { ExprOf } from '../syntax/ast';
import { anchorAt, type Anchor } from './anchors';
import { externalMemberTargets, inputTarget, outputTargets, packageTargets } from './flakeTargets';
import { flagModel } from './hostFlags';
import { entryFile } from './hostNames';
import { optionSites } from './optionSearch';
import { registryTargetsFor, secretTargets } from './secrets';
import {
  affectedHosts, allHosts, byHost, fileStart, targetAt, uniqueTargets, type NavContext, type NavTarget,
} from './navContext';

export function definition(ctx: NavContext, file: string, offset: number): NavTarget[] {
  const anchor = anchorAt(ctx, file, offset);
  return anchor ? definitionOf(ctx, file, anchor) : [];
}

export function definitionOf(ctx: NavContext, file: string, a: Anchor): NavTarget[] {
  const here = { file, root: null };
  switch (a.kind) {
    case 'path': return pathTargets(ctx, file, a.expr);
    case 'option': {
      const hosts = affectedHosts(ctx, file);
      const { decls, defs } = optionSites(ctx, hosts, a.path);
      if (decls.length > 0) return uniqueTargets(decls.map((d) => targetAt(ctx, d, d.site.keySpan)));
      return byHost(uniqueTargets(defs.map((d) => targetAt(ctx, d, d.site.keySpan, d.hosts))));
    }
    case 'flag': return flagTargets(ctx, a.name);
    case 'secret': return secretTargets(ctx, file, a.name);
    case 'registry': return a.entry.target && ctx.snap.files.isFile(a.entry.target) ? [fileStart(a.entry.target)] : [];
    case 'input': {
      if (a.member) {
        const ext = externalMemberTargets(ctx, a.name, a.member);
        if (ext.length > 0) return ext;
      }
      const t = inputTarget(ctx, a.name);
      return t ? [t] : [];
    }
    case 'output': return outputTargets(ctx, a.set, a.name);
    case 'package': {
      const pkgs = packageTargets(ctx, a.name);
      return pkgs.length > 0 || !a.withSpan ? pkgs : uniqueTargets([targetAt(ctx, here, a.withSpan)]);
    }
    case 'host': {
      const entry = entryFile(ctx.snap, a.host);
      return entry ? [fileStart(entry, [a.host.name])] : [];
    }
    case 'mkHome': return externalMemberTargets(ctx, null, a.name);
    case 'binder': return uniqueTargets([targetAt(ctx, here, a.binder.span)]);
    case 'var': {
      if (a.use.binder) return uniqueTargets([targetAt(ctx, here, a.use.binder.span)]);
      const w = a.use.withExpr;
      if (!w) return [];
      // A name only a `with` can supply: our own package when `with pkgs;` provides one, else the `with` itself.
      const pkgs = packageTargets(ctx, a.use.name);
      return pkgs.length > 0 ? pkgs : uniqueTargets([targetAt(ctx, here, { start: w.span.start, end: w.env.span.end })]);
    }
  }
}

/** A flag's definition on each host (and its declaration in an external source or the repo). */
export function flagTargets(ctx: NavContext, flag: string): NavTarget[] {
  const model = flagModel(ctx);
  const byPlace = new Map<string, { file: string; span: { start: number; end: number }; hosts: string[] }>();
  for (const d of model.defs.filter((x) => x.flag === flag)) {
    const k = `${d.file}\0${d.keySpan.start}`;
    const entry = byPlace.get(k) ?? { file: d.file, span: d.keySpan, hosts: [] };
    entry.hosts.push(d.host);
    byPlace.set(k, entry);
  }
  const defs = [...byPlace.values()].map((p) => targetAt(ctx, { file: p.file, root: null }, p.span, p.hosts.sort()));
  const decls = ctx.settings.optionPrefixes.flatMap((prefix) => optionSites(ctx, allHosts(ctx), [...prefix.split('.').filter(Boolean), flag]).decls);
  return uniqueTargets([...byHost(uniqueTargets(defs)), ...decls.map((d) => targetAt(ctx, d, d.site.keySpan))]);
}

/** A path's file; `dir` means `dir/default.nix`; an interpolated path means each host's resolved target. */
export function pathTargets(ctx: NavContext, file: string, expr: ExprOf<'path'>): NavTarget[] {
  if (expr.home) return [];
  const resolved = resolvePathPattern(file, expr);
  if (resolved === null) return [];
  if (typeof resolved === 'string') {
    const target = asFile(ctx, resolved);
    if (!target) return [];
    const out = [fileStart(target)];
    if (target.endsWith('.age')) out.push(...registryTargetsFor(ctx, target));
    return out;
  }
  const found = new Map<string, string[]>();
  // In flake.nix, a builder's path (`./hosts/${hostname}` in mkHost) answers for the hosts built with it.
  const built = file === FLAKE ? ctx.snap.flake.hosts.filter((h) => h.argsSite?.file === FLAKE && h.argsSite.span.start <= expr.span.start && expr.span.end <= h.argsSite.span.end).map((h) => h.name) : [];
  for (const host of built.length > 0 ? built : affectedHosts(ctx, file)) {
    const def = ctx.snap.flake.hosts.find((h) => h.name === host);
    const candidates = [
      ...(def?.modules.flatMap((m) => (m.kind === 'file' ? [m.path] : [])) ?? []),
      ...(def?.builderRefs ?? []),
      ...(ctx.snap.graph.closures.get(host)?.files.keys() ?? []),
    ];
    for (const c of candidates) {
      if (!resolved.test(c)) continue;
      const target = asFile(ctx, c);
      if (!target) continue;
      found.set(target, [...new Set([...(found.get(target) ?? []), host])]);
    }
  }
  return byHost([...found].map(([target, hosts]) => fileStart(target, hosts.sort())));
}

function asFile(ctx: NavContext, p: string): string | null {
  if (ctx.snap.files.isFile(p)) return p;
  const def = join(p, 'default.nix');
  return ctx.snap.files.isFile(def) ? def : null;
}

const HOLE = '\u0000';

/** A static path's workspace-relative target, or a pattern matching what an interpolated one can be. */
function resolvePathPattern(file: string, expr: ExprOf<'path'>): string | RegExp | null {
  const spelled = expr.parts.map((p) => (typeof p === 'string' ? p : HOLE)).join('');
  if (spelled.startsWith('/')) return null;
  const rel = normalize(join(dirname(file), spelled));
  if (rel === null) return null;
  if (!rel.includes(HOLE)) return rel;
  const pattern = rel.split(HOLE).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}$`);
}
