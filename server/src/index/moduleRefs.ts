// The files a module reaches when evaluated for one host: its syntax's paths, minus branches that host's arguments
// rule out, plus paths only evaluation can build (`./hosts/${hostname}`, `readDir`-driven imports).
import { contains, type Span } from '../base/text';
import type { PrunedBranch } from './eval/collected';
import { deepForce } from './eval/deepForce';
import type { Evaluator } from './eval/evaluator';
import { attrsOf, ready, type Thunk, type Value } from './eval/values';
import type { FileSummary, StaticRef } from './fileSummary';

export interface ModuleRef { target: string; conditional: boolean; span: Span | null; kind: StaticRef['kind']; viaImport?: boolean }

/** Module arguments for one host: specialArgs, plus `config.networking.hostName` and external `lib`/`pkgs`. */
export function moduleArgs(ev: Evaluator, hostName: string, specialArgs: Thunk | null): Thunk {
  const entries = new Map<string, Thunk>([
    ['lib', ready({ t: 'opaque', path: ['lib'] })],
    ['pkgs', ready({ t: 'opaque', path: ['pkgs'] })],
    ['modulesPath', ready({ t: 'opaque', path: ['modulesPath'] })],
    ['config', ready(attrsOf([['networking', ready(attrsOf([['hostName', ready({ t: 'string', v: hostName })]], true))]], true))],
  ]);
  const given = specialArgs ? ev.force(specialArgs) : null;
  if (given?.t === 'attrs') for (const [k, v] of given.attrs) entries.set(k, v);
  return ready({ t: 'attrs', attrs: entries, partial: true, fallback: undefined });
}

/** A module given as a value rather than a path (`self.nixosModules.foo`, `import ./m.nix { … }`, a lambda). */
export interface InlineModule { value: Value; file: string; span: Span | null }

export interface ModuleEval {
  refs: ModuleRef[];
  /** Modules in its `imports` that are values: the module system evaluates each with the host's arguments too. */
  modules: InlineModule[];
  /** Files whose function the evaluation called with arguments (`import ./hm.nix { … }`): helpers, not modules. */
  called: Set<string>;
  /** Every branch the evaluation ruled out, in any file (`lib.optionals isWSL [ … ]` in a called file). */
  pruned: PrunedBranch[];
}

/**
 * Evaluates `module` (a file's value or an inline module) with `args` and returns what it references. Static refs
 * whose literal sits in a branch this host's arguments rule out are dropped; everything else is kept. A path value
 * anywhere in the module is a reference (imported, read or copied to the store), wherever it was written: the
 * module's own `imports`, after `filter`, `map` and `self.nixosModules.x`, are imports.
 */
export function evaluateModule(
  ev: Evaluator, module: () => Value, args: Thunk, staticRefs: readonly StaticRef[], file: string,
): ModuleEval {
  const imported = new Set<string>();
  const modules: InlineModule[] = [];
  const asModule = (item: Value): void => {
    if (item.t === 'lambda') modules.push({ value: item, file: item.file, span: item.fn.span });
    else if (item.t === 'attrs') modules.push({ value: item, file: item.origin?.file ?? file, span: item.origin?.span ?? null });
  };
  const { refs, called, pruned: prunedAll } = ev.collect(() => {
    let v = module();
    if (v.t === 'lambda') v = ev.apply(v, args, true);
    deepForce(ev, v, 9, 4000, (x) => { if (x.t === 'path' && !x.abs) ev.record(x.v); });
    const imports = v.t === 'attrs' ? v.attrs.get('imports') : undefined;
    const items = imports ? ev.force(imports) : null;
    for (const t of items?.t === 'list' ? items.items : []) {
      const item = ev.force(t);
      if (item.t === 'path' && !item.abs) imported.add(item.v);
      else asModule(item);
    }
    homeManagerModules(ev, v).forEach(asModule);
    return v;
  });
  const pruned = prunedAll.filter((p) => p.file === file);
  const out: ModuleRef[] = [];
  const seen = new Set<string>();
  for (const r of staticRefs) {
    if (r.target === null) continue;
    if (pruned.some((p) => contains(p.span, r.span)) && !refs.has(r.target)) continue;
    seen.add(r.target);
    out.push({ target: r.target, conditional: r.conditional, span: r.span, kind: r.kind, ...(r.viaImport ? { viaImport: true } : {}) });
  }
  for (const target of refs) {
    if (!seen.has(target)) out.push({ target, conditional: false, span: null, kind: imported.has(target) ? 'import' : 'reference' });
  }
  return { refs: out, modules, called, pruned: prunedAll };
}

/**
 * Home Manager's modules set by a NixOS or nix-darwin module (`home-manager.users.<name>`,
 * `home-manager.sharedModules`): module values there (`import ./home.nix { isWSL = …; }`, `{ imports = […]; }`) are
 * evaluated like the host's own. Paths there are already references of the module.
 */
function homeManagerModules(ev: Evaluator, v: Value): Value[] {
  const get = (x: Value | null, name: string): Value | null => {
    const t = x?.t === 'attrs' ? x.attrs.get(name) : undefined;
    return t ? ev.force(t) : null;
  };
  const hm = get(v, 'home-manager');
  const users = get(hm, 'users');
  const shared = get(hm, 'sharedModules');
  return [
    ...(users?.t === 'attrs' ? [...users.attrs.values()] : []),
    ...(shared?.t === 'list' ? shared.items : []),
  ].map((t) => ev.force(t));
}

const staticRefsCache = new WeakMap<FileSummary, ModuleRef[]>();

/** A file's references when nothing needs evaluating: the same for every host, so computed once per summary. */
export function staticModuleRefs(summary: FileSummary): ModuleRef[] {
  let refs = staticRefsCache.get(summary);
  if (!refs) {
    // A static reference inside the workspace already has a module reference's shape: no copies.
    refs = summary.refs.filter((r): r is StaticRef & { target: string } => r.target !== null);
    staticRefsCache.set(summary, refs);
  }
  return refs;
}
