// Find all references, in fleet terms: an option path's definitions and reads on the affected hosts (by host), a
// file's importers, a binding's uses, a host's mentions, a secret's users, a flag's rows and reads, an input's uses.
import { scopeOf, usesOf } from '../index/scope';
import { FLAKE } from '../index/flake';
import { staticKeys } from '../index/astQueries';
import type { Span } from '../base/text';
import { literalText, walk } from '../syntax/walk';
import { anchorAt, outputsLambda } from './anchors';
import { definitionOf, flagTargets, pathTargets } from './definition';
import { flagModel } from './hostFlags';
import { hostnameOf } from './hostNames';
import { optionSites } from './optionSearch';
import { registryTargetsFor, secretUses } from './secrets';
import {
  affectedHosts, allHosts, byHost, targetAt, uniqueTargets, workspaceFiles, type NavContext, type NavTarget,
} from './navContext';

export function references(ctx: NavContext, file: string, offset: number, includeDeclaration: boolean): NavTarget[] {
  const a = anchorAt(ctx, file, offset);
  if (!a) return [];
  const here = { file, root: null };
  const withDecl = (decl: NavTarget[], uses: NavTarget[]) => uniqueTargets([...(includeDeclaration ? decl : []), ...uses]);
  switch (a.kind) {
    case 'option': {
      const found = optionSites(ctx, affectedHosts(ctx, file), a.path);
      const decls = found.decls.map((h) => targetAt(ctx, h, h.site.keySpan, h.hosts.length > 0 ? h.hosts : undefined));
      return withDecl(uniqueTargets(decls), byHost(uniqueTargets([...found.defs, ...found.reads].map((h) => targetAt(ctx, h, h.site.keySpan, h.hosts)))));
    }
    case 'path': {
      const targets = pathTargets(ctx, file, a.expr);
      return uniqueTargets(targets.flatMap((t) => importersOf(ctx, t.file)));
    }
    case 'binder':
    case 'var': {
      const parsed = ctx.snap.parsed(file)!;
      const scope = scopeOf(parsed);
      const binder = a.kind === 'binder' ? a.binder : a.use.binder;
      if (binder) {
        return withDecl([targetAt(ctx, here, binder.span)].filter((t): t is NavTarget => !!t),
          usesOf(scope, binder).map((u) => targetAt(ctx, here, u.span)).filter((t): t is NavTarget => !!t));
      }
      const w = a.kind === 'var' ? a.use.withExpr : null;
      const name = a.kind === 'var' ? a.use.name : '';
      return uniqueTargets(scope.uses.filter((u) => !u.binder && u.name === name && u.withExpr === w).map((u) => targetAt(ctx, here, u.span)));
    }
    case 'host': {
      const keys = new Set([a.host.name, hostnameOf(a.host)]);
      const out: (NavTarget | null)[] = [];
      if (a.host.nameSpan) out.push(targetAt(ctx, { file: FLAKE, root: null }, a.host.nameSpan));
      for (const row of flagModel(ctx).rows) if (row.host === a.host.name) out.push(targetAt(ctx, { file: row.file, root: null }, row.keySpan));
      for (const f of workspaceFiles(ctx, (t) => [...keys].some((k) => t.includes(`"${k}"`)))) {
        walk(ctx.snap.parsed(f)!.ast, (e) => {
          if (e.kind !== 'string') return;
          const lit = literalText(e);
          if (lit !== null && keys.has(lit)) out.push(targetAt(ctx, { file: f, root: null }, e.span));
        });
      }
      return uniqueTargets(out);
    }
    case 'secret': {
      const found = optionSites(ctx, allHosts(ctx), ['age', 'secrets', a.name]);
      const hits = [...found.defs, ...found.reads];
      const decl = definitionOf(ctx, file, a).filter((t) => t.file.endsWith('.nix'));
      return withDecl(decl, byHost(uniqueTargets(hits.map((h) => targetAt(ctx, h, h.site.keySpan, h.hosts)))));
    }
    case 'registry': {
      const uses = a.entry.target ? secretUses(ctx, a.entry.target) : [];
      return withDecl(a.entry.target ? registryTargetsFor(ctx, a.entry.target) : [], byHost(uses));
    }
    case 'flag': {
      const model = flagModel(ctx);
      const reads = model.sites.filter((s) => s.flag === a.name && s.role === 'read').map((s) => targetAt(ctx, { file: s.file, root: null }, s.keySpan));
      return uniqueTargets([...flagTargets(ctx, a.name).filter((t) => includeDeclaration || t.root === null), ...reads]);
    }
    case 'input': return withDecl(definitionOf(ctx, file, { ...a, member: null }), inputUses(ctx, a.name));
    case 'output': return withDecl(definitionOf(ctx, file, a), selectUses(ctx, ['outputs', 'self'], a.set, a.name));
    case 'package': return withDecl(definitionOf(ctx, file, a), selectUses(ctx, ['pkgs'], a.name, null));
    case 'mkHome': return [];
  }
}

/** Who references `target`: the path literals naming it (or its folder), and flake.nix for hosts it is the entry of. */
export function importersOf(ctx: NavContext, target: string): NavTarget[] {
  const dir = target.endsWith('/default.nix') ? target.slice(0, -'/default.nix'.length) : null;
  const out: (NavTarget | null)[] = [];
  for (const f of [...ctx.snap.files.files].sort()) {
    if (!f.endsWith('.nix')) continue;
    const summary = ctx.snap.summary(f);
    for (const r of summary?.refs ?? []) {
      if (r.target === target || (dir !== null && r.target === dir)) out.push(targetAt(ctx, { file: f, root: null }, r.span, ctx.snap.hostsOf(f)));
    }
  }
  for (const h of ctx.snap.flake.hosts) {
    if (!h.nameSpan || !h.modules.some((m) => m.kind === 'file' && (m.path === target || m.path === dir))) continue;
    out.push(targetAt(ctx, { file: FLAKE, root: null }, h.nameSpan, [h.name]));
  }
  return uniqueTargets(out);
}

/** `inputs.<name>` in every file, and the `outputs` formal of that name in flake.nix with its uses. */
function inputUses(ctx: NavContext, name: string): NavTarget[] {
  const out: NavTarget[] = selectUses(ctx, ['inputs'], name, null);
  const flake = ctx.snap.parsed(FLAKE);
  const lambda = outputsLambda(flake);
  if (flake && lambda) {
    const scope = scopeOf(flake);
    const binder = scope.binders.find((b) => b.lambda === lambda && b.kind === 'formal' && b.name === name);
    if (binder) {
      for (const s of [binder.span, ...usesOf(scope, binder).map((u) => u.span)]) {
        const t = targetAt(ctx, { file: FLAKE, root: null }, s);
        if (t) out.push(t);
      }
    }
  }
  return uniqueTargets(out);
}

/** `<base>.<first>[.<second>]` selects across the workspace, pointing at the attribute that names it. */
function selectUses(ctx: NavContext, bases: string[], first: string, second: string | null): NavTarget[] {
  const out: (NavTarget | null)[] = [];
  for (const f of workspaceFiles(ctx, (t) => t.includes(first) && (second === null || t.includes(second)) && bases.some((b) => t.includes(b)))) {
    const spans: Span[] = [];
    walk(ctx.snap.parsed(f)!.ast, (e) => {
      if (e.kind !== 'select' || e.expr.kind !== 'var' || !bases.includes(e.expr.name)) return;
      const keys = staticKeys(e.path);
      if (keys[0]?.name !== first) return;
      if (second === null) spans.push(keys[0].span);
      else if (keys[1]?.name === second) spans.push(keys[1].span);
    });
    for (const s of spans) out.push(targetAt(ctx, { file: f, root: null }, s, ctx.snap.hostsOf(f)));
  }
  return uniqueTargets(out);
}

