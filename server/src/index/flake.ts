// Finds the hosts a flake defines by evaluating its `outputs` statically: each host's kind, entry modules,
// arguments and the helper files that build it; and what cannot be resolved, with the reason.
import type { Span } from '../base/text';
import type { Binding, Expr } from '../syntax/ast';
import type { PrunedBranch } from './eval/collected';
import { deepForce } from './eval/deepForce';
import { Evaluator, type EvalSources } from './eval/evaluator';
import { fn } from './eval/kit';
import { calling, describe, lazy, ready, str, type SystemKind, type Thunk, type Value } from './eval/values';

export const FLAKE = 'flake.nix';
export const HOST_SETS: Record<string, SystemKind> = {
  nixosConfigurations: 'nixos',
  homeConfigurations: 'home-manager',
  darwinConfigurations: 'darwin',
};

export type EntryModule =
  | { kind: 'file'; path: string }
  | { kind: 'inline'; value: Value; file: string; span: Span | null }
  | { kind: 'external'; name: string };

export interface HostDef {
  name: string;
  kind: SystemKind;
  /** Where the host is named in flake.nix (the attribute), when that can be pointed at. */
  nameSpan: Span | null;
  modules: EntryModule[];
  /** specialArgs / extraSpecialArgs: what module functions receive besides config, lib and pkgs. */
  args: Thunk | null;
  /** Files read while building this host: helper libraries, interpolated entry paths, snowfall conventions. */
  builderRefs: string[];
  /** Of those, the files whose function the builder called (`import ./lib { … }`), and the branches it ruled out. */
  builderCalls: { called: string[]; pruned: PrunedBranch[] };
  /** The expression given to the builder (`nixosSystem { … }`): what it reads (a `pkgs` with overlays) counts too. */
  argsSite: { file: string; span: Span } | null;
  /** Modules or arguments that could not be resolved; the host is still indexed with what is known. */
  notes: string[];
}

export interface Unresolved { what: string; reason: string; span: Span | null }

export interface InputDecl { name: string; span: Span }

export interface FlakeModel {
  hosts: HostDef[];
  unresolved: Unresolved[];
  /** For each flake output (`overlays`, `nixosModules`, …), the files its definition reads. */
  outputRefs: Map<string, Set<string>>;
  inputs: InputDecl[];
  /** Every file the flake evaluation read: editing one re-evaluates the flake. */
  evaluatedFiles: Set<string>;
  /** The files it evaluated as Nix (helpers): a host depends on them, but their own paths matter only through
   * what evaluation made of them (the modules), so the host graph does not follow them. */
  importedFiles: Set<string>;
}

export function evaluateFlake(sources: EvalSources): FlakeModel {
  const model: FlakeModel = { hosts: [], unresolved: [], outputRefs: new Map(), inputs: [], evaluatedFiles: new Set(), importedFiles: new Set() };
  const ast = sources.ast(FLAKE);
  if (!ast || ast.kind !== 'attrs') {
    model.unresolved.push({ what: FLAKE, reason: ast ? 'flake.nix is not an attribute set' : 'flake.nix is missing or unreadable', span: null });
    return model;
  }
  model.inputs = inputDecls(ast.bindings);
  const outputsExpr = ast.bindings.find((b) => b.path.length === 1 && keyIs(b, 0, 'outputs'))?.value;
  if (!outputsExpr) {
    model.unresolved.push({ what: 'outputs', reason: 'flake.nix has no outputs', span: ast.span });
    return model;
  }
  const ev = new Evaluator(sources);
  const env = { vars: null, with: null, parent: null };
  const inputs = new Map<string, Thunk>();
  for (const i of model.inputs) inputs.set(i.name, ready({ t: 'opaque', path: [i.name] }));
  const inputsThunk = ready({ t: 'attrs', attrs: inputs, partial: true, fallback: { t: 'opaque', path: [] } });
  const outputsThunk = calling(ready(asFlakeOutputs), calling(lazy(outputsExpr, env, FLAKE), inputsThunk));
  inputs.set('self', calling(ready(asFlakeSelf), outputsThunk, inputsThunk));

  const top = ev.collect(() => ev.force(outputsThunk));
  top.refs.forEach((r) => model.evaluatedFiles.add(r));
  const outputs = top.value;
  if (outputs.t !== 'attrs') {
    model.unresolved.push({ what: 'outputs', reason: `outputs evaluate to ${describe(outputs)}`, span: outputsExpr.span });
    return model;
  }
  for (const [setName, kind] of Object.entries(HOST_SETS)) {
    const set = outputs.attrs.get(setName);
    if (!set) continue;
    const got = ev.collect(() => ev.force(set));
    got.refs.forEach((r) => model.evaluatedFiles.add(r));
    // Every host of the set needs the files read to build the outputs and the set itself (flake-parts modules,
    // `import ./hosts { … }`), whichever host is built.
    const shared = [...top.refs, ...got.refs];
    const v = got.value;
    if (v.t !== 'attrs') {
      model.unresolved.push({ what: setName, reason: `cannot evaluate: ${describe(v)}`, span: attrSpan(outputsExpr, setName) });
      continue;
    }
    if (v.partial) {
      model.unresolved.push({ what: setName, reason: 'some host names are computed from values Hostlens cannot know', span: attrSpan(outputsExpr, setName) });
    }
    for (const [name, thunk] of [...v.attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const host = readHost(ev, name, kind, thunk, model);
      if (host) {
        host.nameSpan = attrSpan(outputsExpr, name);
        host.builderRefs = [...new Set([...host.builderRefs, ...shared])].sort();
        model.hosts.push(host);
      }
    }
  }
  for (const [name, thunk] of outputs.attrs) {
    if (name in HOST_SETS) continue;
    const got = ev.collect(() => { const v = ev.force(thunk); deepForce(ev, v, 4, 500); return v; });
    got.refs.forEach((r) => model.evaluatedFiles.add(r));
    model.outputRefs.set(name, got.refs);
  }
  model.importedFiles = ev.importedFiles();
  return model;
}

/** The outputs, marked as the flake's own: a module selecting from them reads a flake output. */
const asFlakeOutputs = fn('outputs', 1, (a, c) => {
  const v = c.force(a[0]!);
  return v.t === 'attrs' ? { ...v, flake: true } : v;
});

/** `self`, as Nix builds it: the outputs plus `outputs`, `inputs`, `outPath` (the flake's source) and `_type`. */
const asFlakeSelf = fn('self', 2, (a, c) => {
  const v = c.force(a[0]!);
  if (v.t !== 'attrs') return v;
  const attrs = new Map(v.attrs);
  attrs.set('outputs', a[0]!).set('inputs', a[1]!).set('outPath', ready({ t: 'path', v: '' })).set('_type', ready(str('flake')));
  return { t: 'attrs', attrs, partial: v.partial, flake: true };
});

function readHost(ev: Evaluator, name: string, setKind: SystemKind, thunk: Thunk, model: FlakeModel): HostDef | null {
  const notes: string[] = [];
  const modules: EntryModule[] = [];
  let args: Thunk | null = null;
  let kind = setKind;
  let argsSite: HostDef['argsSite'] = null;
  const got = ev.collect(() => {
    const v = ev.force(thunk);
    if (v.t !== 'system') return v;
    kind = v.kind;
    if (v.args.expr) argsSite = { file: v.args.file, span: v.args.expr.span };
    const given = ev.force(v.args);
    if (given.t !== 'attrs') { notes.push(`arguments of ${v.builder}: ${describe(given)}`); return v; }
    args = given.attrs.get(kind === 'home-manager' ? 'extraSpecialArgs' : 'specialArgs') ?? null;
    if (args) deepForce(ev, ev.force(args), 1, 200);
    const list = given.attrs.get('modules');
    const items = list ? ev.force(list) : null;
    if (items && items.t !== 'list') notes.push(`modules: ${describe(items)}`);
    for (const item of items?.t === 'list' ? items.items : []) addModule(ev, item, modules, notes);
    return v;
  });
  got.refs.forEach((r) => model.evaluatedFiles.add(r));
  if (got.value.t !== 'system') {
    model.unresolved.push({ what: name, reason: `not a recognised system builder: ${describe(got.value)}`, span: null });
    return null;
  }
  const builderRefs = [...got.refs, ...(got.value.extraRefs ?? [])].filter((r) => !modules.some((m) => m.kind === 'file' && m.path === r));
  const builderCalls = { called: [...got.called].sort(), pruned: got.pruned };
  return { name, kind, nameSpan: null, modules, args, argsSite, builderRefs: [...new Set(builderRefs)].sort(), builderCalls, notes };
}

function addModule(ev: Evaluator, item: Thunk, modules: EntryModule[], notes: string[]): void {
  const v = ev.force(item);
  switch (v.t) {
    case 'path':
      if (v.abs) notes.push(`module outside the workspace: ${v.v}`);
      else modules.push({ kind: 'file', path: v.v });
      return;
    case 'lambda':
      modules.push({ kind: 'inline', value: v, file: v.file, span: v.fn.span });
      return;
    case 'attrs':
      modules.push({ kind: 'inline', value: v, file: v.origin?.file ?? item.file, span: v.origin?.span ?? null });
      return;
    case 'opaque':
      modules.push({ kind: 'external', name: v.path.join('.') });
      return;
    case 'list':
      for (const i of v.items) addModule(ev, i, modules, notes);
      return;
    default:
      notes.push(`module ${describe(v)}`);
  }
}

function keyIs(b: Binding, i: number, name: string): boolean {
  const k = b.path[i];
  return k?.kind === 'name' && k.name === name;
}

function inputDecls(bindings: Binding[]): InputDecl[] {
  const out = new Map<string, Span>();
  for (const b of bindings) {
    if (!keyIs(b, 0, 'inputs')) continue;
    const k = b.path[1];
    if (k?.kind === 'name') { if (!out.has(k.name)) out.set(k.name, k.span); continue; }
    if (b.value.kind === 'attrs') {
      for (const ib of b.value.bindings) {
        const n = ib.path[0];
        if (n?.kind === 'name' && !out.has(n.name)) out.set(n.name, n.span);
      }
    }
  }
  return [...out].map(([name, span]) => ({ name, span }));
}

/** The first attribute named `name` anywhere in the outputs expression: a good place to point at a host or set. */
function attrSpan(root: Expr, name: string): Span | null {
  let found: Span | null = null;
  const stack: Expr[] = [root];
  while (stack.length && !found) {
    const e = stack.pop()!;
    if (e.kind === 'attrs' || e.kind === 'let') {
      for (const b of e.bindings) {
        for (const k of b.path) if (k.kind === 'name' && k.name === name) { found = k.span; break; }
        if (found) break;
        stack.push(b.value);
      }
      if (e.kind === 'let') stack.push(e.body);
    } else if (e.kind === 'lambda') stack.push(e.body);
    else if (e.kind === 'apply') { stack.push(e.arg, e.fn); }
    else if (e.kind === 'binary') stack.push(e.right, e.left);
    else if (e.kind === 'with') stack.push(e.body);
    else if (e.kind === 'list') stack.push(...e.items);
    else if (e.kind === 'string' && e.parts.join('') === name) found = e.span;
  }
  return found;
}

