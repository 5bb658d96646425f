// Walks from each host's entry modules to every file it reaches, remembering how each was reached, and inverts that
// into file -> hosts. Missing targets are collected for diagnostics rather than followed.
import { join } from '../base/paths';
import { contains, type Span } from '../base/text';
import type { Expr } from '../syntax/ast';
import { walk } from '../syntax/walk';
import type { PrunedBranch } from './eval/collected';
import { Evaluator, type EvalSources } from './eval/evaluator';
import type { FileSet } from './eval/fileSet';
import type { FileSummary } from './fileSummary';
import { FLAKE, type FlakeModel, type HostDef } from './flake';
import { evaluateModule, moduleArgs, staticModuleRefs, type InlineModule, type ModuleRef } from './moduleRefs';

export interface Reach {
  /** The file this one was first reached from; null for an entry module (reached from flake.nix). */
  via: string | null;
  /** Reached only through a condition (`lib.optional`, `if`, `mkIf`): it may not be used on every build. */
  conditional: boolean;
}

export interface MissingRef { file: string; span: Span | null; target: string; kind: ModuleRef['kind']; hosts: Set<string> }

export interface HostClosure { host: HostDef; files: Map<string, Reach> }

export interface GraphSources extends EvalSources {
  summary(file: string): FileSummary | null;
  readonly files: FileSet;
}

export interface HostGraph {
  closures: Map<string, HostClosure>;
  fileHosts: Map<string, string[]>;
  missing: MissingRef[];
}

/** Where a reference leads and whether it is broken; static references are shared by every host, so once per build. */
interface Resolved { targets: string[]; missing: boolean }

export function buildHostGraph(sources: GraphSources, flake: FlakeModel): HostGraph {
  const closures = new Map<string, HostClosure>();
  const missing = new Map<string, MissingRef>();
  const resolved = new WeakMap<ModuleRef, Resolved>();
  for (const host of flake.hosts) closures.set(host.name, { host, files: hostClosure(sources, flake, host, missing, resolved) });
  const fileHosts = new Map<string, string[]>();
  // Hosts in sorted order, so every file's list comes out sorted (thousands of lists, each sorted once otherwise).
  for (const name of [...closures.keys()].sort()) {
    for (const f of closures.get(name)!.files.keys()) {
      const list = fileHosts.get(f);
      if (list) list.push(name); else fileHosts.set(f, [name]);
    }
  }
  return { closures, fileHosts, missing: [...missing.values()] };
}

function hostClosure(
  sources: GraphSources, flake: FlakeModel, host: HostDef, missing: Map<string, MissingRef>, resolved: WeakMap<ModuleRef, Resolved>,
): Map<string, Reach> {
  const files = sources.files;
  const reached = new Map<string, Reach>();
  const queue: string[] = [];
  // One evaluator per host: module values depend on this host's arguments, so nothing is shared across hosts.
  const ev = new Evaluator(sources, 50_000);
  const args = moduleArgs(ev, host.name, host.args);

  const resolve = (ref: ModuleRef): Resolved => {
    let r = resolved.get(ref);
    if (!r) {
      r = {
        targets: resolveTarget(files, ref),
        missing: !files.exists(ref.target) || (ref.kind === 'import' && files.isDir(ref.target) && !files.isFile(join(ref.target, 'default.nix'))),
      };
      resolved.set(ref, r);
    }
    return r;
  };

  const queued = new Set<string>();
  const reach = (from: string | null, ref: ModuleRef, follow = true): void => {
    const { targets, missing: broken } = resolve(ref);
    const fromConditional = from !== null && !!reached.get(from)?.conditional;
    for (const target of targets) {
      if (target === FLAKE) continue;
      const seen = reached.get(target);
      if (seen) {
        if (seen.conditional && !ref.conditional && !fromConditional) seen.conditional = false;
      } else {
        reached.set(target, { via: from, conditional: ref.conditional || fromConditional });
      }
      // Reached first as a helper the flake evaluated, later as a module: follow it then.
      if (follow && target.endsWith('.nix') && !queued.has(target)) { queued.add(target); queue.push(target); }
    }
    if (broken) {
      const key = `${from}\0${ref.target}\0${ref.span?.start ?? ''}`;
      const m = missing.get(key) ?? { file: from ?? FLAKE, span: ref.span, target: ref.target, kind: ref.kind, hosts: new Set<string>() };
      m.hosts.add(host.name);
      missing.set(key, m);
    }
  };

  // A file the flake evaluated as Nix (`nixosModules = import ./modules`) and that a module's evaluation reached again
  // through the flake's outputs: the values the module took from it were evaluated there (modules it picked are
  // evaluated below as inline modules), so its other paths are not this host's.
  // Likewise a file whose function Nix code called with arguments (`import ./home.nix { isWSL = true; }`): what it
  // returned is evaluated (as a module, when it is one), not the file with this host's module arguments. Only a
  // reference that is that `import` (not an `imports` entry naming the same file) is left unfollowed.
  const called = new Set<string>();
  const follows = (r: ModuleRef): boolean => {
    const asValue = r.span === null ? r.kind === 'reference' : !!r.viaImport;
    return !(r.span === null && r.kind === 'reference' && flake.importedFiles.has(r.target)) && !(asValue && called.has(r.target));
  };
  // A called file is not followed as a module, yet its other paths stay the host's: a function the call returned
  // but nothing applied yet (an overlay bound in a `let`: `final: prev: { x = prev.callPackage ./pkgs/x { }; }`)
  // may read them at build time. Only branches that this host's evaluations ruled out are left out, so it runs once
  // everything else is evaluated (the module a call returns prunes its branches when it is evaluated itself).
  const pruned: PrunedBranch[] = [...host.builderCalls.pruned];
  host.builderCalls.called.forEach((f) => called.add(f));
  const calledDone = new Set<string>();
  const calledFileRefs = (): void => {
    for (const f of called) {
      if (calledDone.has(f) || !reached.has(f)) continue;
      calledDone.add(f);
      const ruledOut = pruned.filter((p) => p.file === f).map((p) => p.span);
      const unapplied = innerFunctions(sources.ast(f));
      for (const r of sources.summary(f)?.refs ?? []) {
        // Outside inner functions the call's evaluation saw every path it forced; one it left unforced is not read.
        if (r.target === null || r.target === f) continue;
        if (!unapplied.some((s) => contains(s, r.span)) || ruledOut.some((s) => contains(s, r.span))) continue;
        // A folder with no default.nix is where a helper builds paths from, not data it reads.
        if (files.isDir(r.target) && !files.isFile(join(r.target, 'default.nix'))) continue;
        reach(f, { target: r.target, conditional: r.conditional, span: r.span, kind: r.kind }, r.kind === 'import' && !r.viaImport);
      }
    }
  };
  const seenModules = new Set<unknown>();
  const inline = (parent: string | null, m: InlineModule, depth = 0): void => {
    if (seenModules.has(m.value) || depth > 32) return;
    seenModules.add(m.value);
    const from = m.file === FLAKE ? null : m.file;
    if (from !== null && from !== parent && !reached.has(from)) reach(parent, { target: from, conditional: false, span: null, kind: 'reference' }, false);
    const summary = sources.summary(m.file);
    const within = (summary?.refs ?? []).filter((r) => m.span && contains(m.span, r.span));
    const out = evaluateModule(ev, () => m.value, args, within, m.file);
    out.called.forEach((f) => called.add(f));
    pruned.push(...out.pruned);
    for (const r of out.refs) reach(from, r, follows(r));
    for (const n of out.modules) inline(from, n, depth + 1);
  };

  for (const m of host.modules) {
    if (m.kind === 'file') reach(null, { target: m.path, conditional: false, span: null, kind: 'import' });
    else if (m.kind === 'inline') inline(null, m);
  }
  for (const r of host.builderRefs) reach(null, { target: r, conditional: false, span: null, kind: 'reference' }, !flake.importedFiles.has(r));
  const site = host.argsSite;
  const siteSummary = site ? sources.summary(site.file) : null;
  if (site && siteSummary) {
    const inSite = (s: Span) => site.span.start <= s.start && s.end <= site.span.end;
    // Only what is not itself a module or evaluated above: typically `pkgs = import nixpkgs { overlays = [ self.overlays.x ]; }`.
    for (const read of siteSummary.outputReads.filter((o) => inSite(o.span))) {
      for (const target of flake.outputRefs.get(read.name) ?? []) reach(null, { target, conditional: false, span: null, kind: 'reference' });
    }
  }

  // An index instead of shift(): a host can reach thousands of files, and shift() moves them all each time.
  for (let next = 0; ; next++) {
    if (next === queue.length) {
      calledFileRefs();
      if (next === queue.length) break;
    }
    const file = queue[next]!;
    const summary = sources.summary(file);
    if (!summary) continue;
    const got = summary.needsEval
      ? evaluateModule(ev, () => ev.importFile(file), args, summary.refs, file)
      : { refs: staticModuleRefs(summary), modules: [], called: new Set<string>(), pruned: [] };
    got.called.forEach((f) => called.add(f));
    pruned.push(...got.pruned);
    for (const r of got.refs) if (r.target !== file) reach(file, r, follows(r));
    for (const m of got.modules) inline(file, m);
    for (const out of summary.outputReads) {
      // A module picked from the flake's outputs in `imports` was evaluated above; any other read of an output
      // (or one the evaluation could not resolve) counts with every file that output's definition reads.
      if (out.inImports && ev.outputSelects.has(`${file}:${out.span.start}`)) continue;
      for (const target of flake.outputRefs.get(out.name) ?? []) reach(file, { target, conditional: false, span: null, kind: 'reference' });
    }
  }
  return reached;
}

/** Spans of the functions inside a called file's own (applied by the call): their bodies may run later, or never. */
function innerFunctions(ast: Expr | null): Span[] {
  const out: Span[] = [];
  let top = ast;
  while (top?.kind === 'lambda') top = top.body;
  if (top) walk(top, (e) => { if (e.kind !== 'lambda') return true; out.push(e.span); return false; });
  return out;
}

/** A reference's files: itself, a directory's default.nix, or every file of a directory read as data. */
function resolveTarget(files: FileSet, ref: ModuleRef): string[] {
  if (files.isFile(ref.target)) return [ref.target];
  if (!files.isDir(ref.target)) return [];
  const def = join(ref.target, 'default.nix');
  if (files.isFile(def)) return [def];
  return ref.kind === 'import' ? [] : files.listRecursive(ref.target).slice(0, 1000);
}

/** The chain by which `file` is reached on a host: entry first, `file` last. */
export function chainTo(closure: HostClosure, file: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let f: string | null = file; f !== null && !seen.has(f); f = closure.files.get(f)?.via ?? null) {
    seen.add(f);
    chain.unshift(f);
  }
  return [FLAKE, ...chain];
}
