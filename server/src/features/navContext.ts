// What every navigation feature works from: an index snapshot, the flag settings, read-only external sources; and
// the shared answers they need (a file's hosts, a host's files, a place in a file as a range).
import type { Range, Span } from '../base/text';
import { lineIndexOf } from '../index/astQueries';
import type { ExternalSource } from '../index/externalSource';
import { FLAKE, type FlakeModel } from '../index/flake';
import type { HostGraph } from '../index/hostGraph';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { ParsedFile } from '../syntax/parsedFile';
import { boundedGet } from './fileScan';

export interface NavSettings {
  /** Files holding host flag tables (`hostlens.hostFlags.files`). */
  flagFiles: string[];
  /** Option prefixes whose children are host flags (`hostlens.hostFlags.optionPrefixes`). */
  optionPrefixes: string[];
}

export const DEFAULT_NAV_SETTINGS: NavSettings = {
  flagFiles: ['hosts/common/users/m3tam3re.nix'],
  optionPrefixes: ['m3ta.home.profiles'],
};

export interface NavContext {
  snap: IndexSnapshot;
  settings: NavSettings;
  externals: readonly ExternalSource[];
}

/** A place to show: a workspace file, or a file of an external source (`root` is then its absolute folder). */
export interface NavTarget {
  file: string;
  root: string | null;
  range: Range;
  /** The hosts this place answers for (cross-host peeks and references are grouped by them). */
  hosts?: string[];
}

export type FileRef = { file: string; root: string | null };

export function parsedOf(ctx: NavContext, ref: FileRef): ParsedFile | null {
  if (ref.root === null) return ctx.snap.parsed(ref.file);
  return ctx.externals.find((e) => e.root === ref.root)?.parsed(ref.file) ?? null;
}

export function targetAt(ctx: NavContext, ref: FileRef, span: Span, hosts?: string[]): NavTarget | null {
  const parsed = parsedOf(ctx, ref);
  if (!parsed) return null;
  return { file: ref.file, root: ref.root, range: lineIndexOf(parsed).range(span), ...(hosts ? { hosts } : {}) };
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The start of a file (any file, `.age` secrets too). */
export function fileStart(file: string, hosts?: string[]): NavTarget {
  return { file, root: null, range: ZERO, ...(hosts ? { hosts } : {}) };
}

export function allHosts(ctx: NavContext): string[] {
  return ctx.snap.flake.hosts.map((h) => h.name).sort();
}

/** The hosts a file affects; flake.nix and files no host reaches answer for the whole fleet. */
export function affectedHosts(ctx: NavContext, file: string): string[] {
  const hosts = file === FLAKE ? [] : ctx.snap.hostsOf(file);
  return hosts.length > 0 ? hosts : allHosts(ctx);
}

/** Flake outputs that are not modules: their files bind packages and overlays, not options. */
const NON_MODULE_OUTPUTS = ['packages', 'legacyPackages', 'overlays', 'formatter', 'devShells', 'lib', 'checks', 'apps'];
const MODULE_OUTPUTS = ['nixosModules', 'homeManagerModules', 'darwinModules', 'flakeModules', 'modules'];
// Keyed on the flake model: the index keeps it (and the host graph) across edits that change no file's references.
const nonModuleCache = new WeakMap<FlakeModel, Set<string>>();

/** Whether option definitions in `file` mean anything: not flake.nix, not a package set or an overlay. */
export function mayDefineOptions(ctx: NavContext, file: string): boolean {
  const flake = ctx.snap.flake;
  let set = nonModuleCache.get(flake);
  if (!set) {
    const refs = flake.outputRefs;
    const modules = new Set(MODULE_OUTPUTS.flatMap((o) => [...(refs.get(o) ?? [])]));
    set = new Set([FLAKE, ...NON_MODULE_OUTPUTS.flatMap((o) => [...(refs.get(o) ?? [])]).filter((f) => !modules.has(f))]);
    nonModuleCache.set(flake, set);
  }
  return !set.has(file);
}

/** The `.nix` files of `hosts`, each with the hosts that reach it, in a stable order. */
export function filesOfHosts(ctx: NavContext, hosts: readonly string[]): Map<string, string[]> {
  const graph = ctx.snap.graph;
  let perGraph = hostFilesCache.get(graph);
  if (!perGraph) { perGraph = new Map(); hostFilesCache.set(graph, perGraph); }
  return boundedGet(perGraph, hosts.join('\0'), 16, () => collectHostFiles(graph, hosts));
}

/** Keyed on the host graph: closures change only when it is rebuilt, not with every snapshot. */
const hostFilesCache = new WeakMap<HostGraph, Map<string, Map<string, string[]>>>();

function collectHostFiles(graph: HostGraph, hosts: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const h of hosts) {
    for (const f of graph.closures.get(h)?.files.keys() ?? []) {
      if (!f.endsWith('.nix')) continue;
      const list = out.get(f);
      if (list) list.push(h); else out.set(f, [h]);
    }
  }
  return out;
}

/** Every `.nix` file of the workspace whose text passes `test` (a cheap filter before anything is lowered). */
export function workspaceFiles(ctx: NavContext, test: (text: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of ctx.snap.files.files) {
    if (!f.endsWith('.nix')) continue;
    const p = ctx.snap.parsed(f);
    if (p && test(p.text)) out.push(f);
  }
  return out.sort();
}

/** Drops empty answers and duplicates (the same place twice), keeping the first order. */
export function uniqueTargets(targets: (NavTarget | null)[]): NavTarget[] {
  const seen = new Set<string>();
  const out: NavTarget[] = [];
  for (const t of targets) {
    if (!t) continue;
    const key = `${t.root ?? ''}\0${t.file}\0${t.range.start.line}:${t.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** Orders targets by their first host (hostless ones first), then file and position: peeks read host by host. */
export function byHost(targets: NavTarget[]): NavTarget[] {
  const k = (t: NavTarget) => `${t.hosts?.[0] ?? ''}\0${t.file}\0${String(t.range.start.line).padStart(8, '0')}`;
  return [...targets].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
