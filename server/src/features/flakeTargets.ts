// Where flake-level names are defined: inputs (flake.nix), outputs (`overlays.x`, `nixosModules.x`), packages
// (`pkgs/`, overlays, external package sets) and names exported by an external source (`inputs.m3ta-home.lib.mkHome`).
import type { Span } from '../base/text';
import { exportedAttrs, firstName, staticKeys, unwrapBody } from '../index/astQueries';
import { FLAKE } from '../index/flake';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { walk } from '../syntax/walk';
import { outputsLambda } from './anchors';
import { targetAt, uniqueTargets, type FileRef, type NavContext, type NavTarget } from './navContext';

export function inputTarget(ctx: NavContext, name: string): NavTarget | null {
  const decl = ctx.snap.flake.inputs.find((i) => i.name === name);
  return decl ? targetAt(ctx, { file: FLAKE, root: null }, decl.span) : null;
}

/** Names an exported attrset binds, one level into overlay-like functions (`final: prev: { x = …; }`). */
export function exportedNames(root: Expr, depth = 2): { name: string; span: Span }[] {
  const set = exportedAttrs(root);
  if (!set) return [];
  const out: { name: string; span: Span }[] = [];
  for (const b of set.bindings) {
    const n = firstName(b);
    if (n) out.push(n);
    if (depth > 1 && b.path.length === 1) out.push(...exportedNames(b.value, depth - 1));
  }
  for (const inh of set.inherits) out.push(...inh.names.map((n) => ({ name: n.name, span: n.span })));
  return out;
}

/** The outputs attrset of flake.nix (inside `outputs = { … }: let … in { … }`). */
function outputsBody(ctx: NavContext): Expr | null {
  const lambda = outputsLambda(ctx.snap.parsed(FLAKE));
  return lambda ? unwrapBody(lambda.body) : null;
}

/** `outputs.<set>` / `outputs.<set>.<name>`: the binding in flake.nix and the exported binding in the files it reads. */
export function outputTargets(ctx: NavContext, set: string, name: string | null): NavTarget[] {
  const out: (NavTarget | null)[] = [];
  const flakeRef = { file: FLAKE, root: null };
  const body = outputsBody(ctx);
  if (body?.kind === 'attrs') {
    for (const b of body.bindings) {
      const keys = staticKeys(b.path);
      if (keys[0]?.name !== set) continue;
      if (name === null) out.push(targetAt(ctx, flakeRef, keys[0].span));
      else if (keys[1]?.name === name) out.push(targetAt(ctx, flakeRef, keys[1].span));
    }
  }
  if (name !== null) {
    for (const file of [...(ctx.snap.flake.outputRefs.get(set) ?? [])].sort()) {
      const parsed = file.endsWith('.nix') ? ctx.snap.parsed(file) : null;
      if (!parsed || !parsed.text.includes(name)) continue;
      for (const n of exportedNames(parsed.ast, 1)) if (n.name === name) out.push(targetAt(ctx, { file, root: null }, n.span));
    }
  }
  return uniqueTargets(out);
}

const PACKAGE_FILES = ['pkgs/default.nix', 'overlays/default.nix'];

/** `pkgs.<name>` (or a `with pkgs;` name) provided by the repo's packages and overlays, or an external source's. */
export function packageTargets(ctx: NavContext, name: string): NavTarget[] {
  const files = new Set<string>(PACKAGE_FILES);
  for (const set of ['packages', 'overlays']) for (const f of ctx.snap.flake.outputRefs.get(set) ?? []) files.add(f);
  const out: (NavTarget | null)[] = [];
  for (const file of [...files].sort()) {
    const parsed = file.endsWith('.nix') ? ctx.snap.parsed(file) : null;
    if (!parsed || !parsed.text.includes(name)) continue;
    for (const n of exportedNames(parsed.ast)) if (n.name === name) out.push(targetAt(ctx, { file, root: null }, n.span));
  }
  // Overlays written inline in flake.nix: `overlays.default = final: prev: { x = …; };`.
  const body = outputsBody(ctx);
  if (body?.kind === 'attrs') {
    for (const b of body.bindings) {
      if (firstName(b)?.name !== 'overlays') continue;
      for (const n of exportedNames(b.value, b.path.length === 1 ? 2 : 1)) if (n.name === name) out.push(targetAt(ctx, { file: FLAKE, root: null }, n.span));
    }
  }
  for (const ext of ctx.externals) {
    for (const file of PACKAGE_FILES) {
      const parsed = ext.text(file)?.includes(name) ? ext.parsed(file) : null;
      for (const n of parsed ? exportedNames(parsed.ast) : []) if (n.name === name) out.push(targetAt(ctx, { file, root: ext.root }, n.span));
    }
  }
  return uniqueTargets(out);
}

/** Bindings named `name` anywhere in a file: `mkHome = …;` in a library file. */
function bindingsNamed(parsed: ParsedFile, name: string): Span[] {
  const out: Span[] = [];
  walk(parsed.ast, (e) => {
    if (e.kind !== 'attrs' && e.kind !== 'let') return;
    for (const b of e.bindings) {
      const keys = staticKeys(b.path);
      const last = keys[keys.length - 1];
      if (last?.name === name && keys.length === b.path.length) out.push(last.span);
    }
  });
  return out;
}

/** `inputs.<input>.….<member>` inside an external source indexed for that input. */
export function externalMemberTargets(ctx: NavContext, input: string | null, member: string): NavTarget[] {
  const out: (NavTarget | null)[] = [];
  for (const ext of ctx.externals) {
    if (input !== null && ext.input !== input) continue;
    for (const file of ext.files) {
      const parsed = ext.text(file)?.includes(member) ? ext.parsed(file) : null;
      if (!parsed) continue;
      const ref: FileRef = { file, root: ext.root };
      for (const span of bindingsNamed(parsed, member)) out.push(targetAt(ctx, ref, span));
    }
  }
  return uniqueTargets(out);
}
