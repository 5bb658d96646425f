// Option paths across the fleet: where the hosts a file affects define, read and declare an option (workspace
// modules they import, plus read-only external sources). Files are filtered by their text before any is lowered.
import { declarationsFromText, type TextDecl } from '../index/optionDeclText';
import type { ParsedFile } from '../syntax/parsedFile';
import { hasOptions, mayMention, optionsOf, type FileOptions, type OptionSite } from '../index/optionIndex';
import type { ExternalSource } from '../index/externalSource';
import type { HostGraph } from '../index/hostGraph';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { boundedGet, FileScan } from './fileScan';
import { filesOfHosts, mayDefineOptions, type FileRef, type NavContext } from './navContext';

export interface OptionHit extends FileRef { site: OptionSite; hosts: string[] }

const DECLARES = /mk(Enable|Package)?Option/;
/** Files completion may lower per request (about 0.5 ms each for a typical module). */
const LOWERING_BUDGET = 8;

function moduleSites(ctx: NavContext, file: string) {
  if (!mayDefineOptions(ctx, file)) return null;
  const parsed = ctx.snap.parsed(file);
  return parsed ? { parsed, options: () => optionsOf(parsed) } : null;
}

interface ModuleFiles {
  /** Each file with the hosts (of those asked about) that reach it. */
  files: { file: string; hosts: string[] }[];
  /** The same files' paths, in that order: the list every scan over them is indexed by. */
  names: string[];
  /** Their texts as of the last snapshot asked with: the first filter of every search, without a parse lookup. */
  texts: FileScan<string | null>;
}
const moduleFileCache = new WeakMap<HostGraph, Map<string, ModuleFiles>>();

/** The files of `hosts` that may define options (kept per host graph), with their texts brought up to date. */
function moduleFiles(ctx: NavContext, hosts: readonly string[]): ModuleFiles {
  const graph = ctx.snap.graph;
  let perGraph = moduleFileCache.get(graph);
  if (!perGraph) { perGraph = new Map(); moduleFileCache.set(graph, perGraph); }
  const mf = boundedGet(perGraph, hosts.join('\0'), 16, () => {
    const files: ModuleFiles['files'] = [];
    for (const [file, reachedBy] of filesOfHosts(ctx, hosts)) if (mayDefineOptions(ctx, file)) files.push({ file, hosts: reachedBy });
    const names = files.map((f) => f.file);
    const texts = new FileScan(names, (i, snap) => snap.parsed(names[i]!)?.text ?? null, (t) => t === null);
    return { files, names, texts };
  });
  mf.texts.update(ctx.snap);
  return mf;
}

export interface OptionSites { decls: OptionHit[]; defs: OptionHit[]; reads: OptionHit[] }

/** One option path over the files of some hosts: each file's sites for it, kept until that file changes. */
interface SiteSearch {
  mf: ModuleFiles;
  scan: FileScan<readonly OptionSite[]>;
  /** The workspace's part of the answer, while no file's sites for the path changed. */
  found: OptionSites | null;
  /** The whole answer for the last external sources asked with. */
  answer: { externals: readonly ExternalSource[]; sites: OptionSites } | null;
}

const NO_SITES: readonly OptionSite[] = [];
const siteCache = new WeakMap<HostGraph, Map<string, SiteSearch>>();

/**
 * Everything about `path` in one pass over the files of `hosts`: declarations (also in external sources),
 * definitions and reads, each with the hosts (of those) that reach it. Kept per host graph, and within it per file
 * parse: after a keystroke only the edited file is searched again, and a hover, a definition and a references
 * request at one place share the work.
 */
export function optionSites(ctx: NavContext, hosts: readonly string[], path: readonly string[]): OptionSites {
  const key = path.join('.');
  const graph = ctx.snap.graph;
  let perGraph = siteCache.get(graph);
  if (!perGraph) { perGraph = new Map(); siteCache.set(graph, perGraph); }
  const mf = moduleFiles(ctx, hosts);
  const search = boundedGet(perGraph, `${hosts.join(',')}\0${key}`, 32, (): SiteSearch => {
    // Test the most telling names first: a namespace like `services` occurs in nearly every module.
    const names = [...path].reverse();
    const texts = mf.texts.results;
    const sitesOf = (i: number, snap: IndexSnapshot) => {
      const text = texts[i];
      const parsed = text && mayMention(text, names) ? snap.parsed(mf.names[i]!) : null;
      const mine = parsed ? optionsOf(parsed).sites.filter((s) => s.key === key) : NO_SITES;
      return mine.length > 0 ? mine : NO_SITES;
    };
    return { mf, scan: new FileScan(mf.names, sitesOf, (r) => r.length === 0), found: null, answer: null };
  });
  // The search reads its own list's texts: bring them up to date even if the list was since dropped from the cache.
  search.mf.texts.update(ctx.snap);
  if (search.scan.update(ctx.snap) || !search.found) {
    search.found = workspaceSites(search);
    search.answer = null;
  }
  const externals = ctx.externals;
  if (search.answer && sameList(search.answer.externals, externals)) return search.answer.sites;
  const decls = externals.flatMap((ext) => externalDecls(ext, path, key));
  const found = search.found;
  const sites = decls.length === 0 ? found : { decls: [...found.decls, ...decls], defs: found.defs, reads: found.reads };
  search.answer = { externals, sites };
  return sites;
}

function workspaceSites(search: SiteSearch): OptionSites {
  const found: OptionSites = { decls: [], defs: [], reads: [] };
  const results = search.scan.results;
  for (let i = 0; i < results.length; i++) {
    const sites = results[i]!;
    if (sites.length === 0) continue;
    const { file, hosts } = search.mf.files[i]!;
    for (const site of sites) {
      const h = { file, root: null, site, hosts };
      if (site.kind === 'decl') found.decls.push(h); else if (site.kind === 'def') found.defs.push(h); else found.reads.push(h);
    }
  }
  return found;
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** External sources never change: their declarations of a path are kept per source. */
const externalCache = new WeakMap<ExternalSource, Map<string, OptionHit[]>>();

function externalDecls(ext: ExternalSource, path: readonly string[], key: string): OptionHit[] {
  let perSource = externalCache.get(ext);
  if (!perSource) { perSource = new Map(); externalCache.set(ext, perSource); }
  return boundedGet(perSource, key, 64, () => {
    const names = [...path].reverse();
    const out: OptionHit[] = [];
    for (const file of ext.files) {
      const text = ext.text(file);
      if (!text || !mayMention(text, names) || !DECLARES.test(text)) continue;
      const parsed = ext.parsed(file);
      for (const site of parsed ? optionsOf(parsed).sites : []) {
        if (site.kind === 'decl' && site.key === key) out.push({ file, root: ext.root, site, hosts: [] });
      }
    }
    return out;
  });
}

const textDeclCache = new WeakMap<ParsedFile, TextDecl[] | null>();

function textDecls(parsed: ParsedFile): TextDecl[] | null {
  if (!textDeclCache.has(parsed)) textDeclCache.set(parsed, declarationsFromText(parsed.text));
  return textDeclCache.get(parsed)!;
}

/**
 * Every declared option of the workspace (for workspace symbols) and of the external sources. Files not lowered
 * yet are read from their text when they use only one-line declarations, so a search never lowers the whole fleet.
 */
export function allDeclarations(ctx: NavContext): OptionHit[] {
  const out: OptionHit[] = [];
  for (const file of ctx.snap.files.files) {
    if (!file.endsWith('.nix')) continue;
    const m = moduleSites(ctx, file);
    if (!m || !DECLARES.test(m.parsed.text)) continue;
    const fromText = hasOptions(m.parsed) ? null : textDecls(m.parsed);
    const sites: OptionSite[] = fromText
      ? fromText.map((d) => ({ kind: 'decl', path: d.path, key: d.path.join('.'), keySpan: d.keySpan, bindingSpan: null, value: null }))
      : m.options().sites;
    for (const site of sites) if (site.kind === 'decl') out.push({ file, root: null, site, hosts: ctx.snap.hostsOf(file) });
  }
  for (const ext of ctx.externals) {
    for (const file of ext.files) {
      const text = ext.text(file);
      const parsed = text && DECLARES.test(text) ? ext.parsed(file) : null;
      for (const site of parsed ? optionsOf(parsed).sites : []) if (site.kind === 'decl') out.push({ file, root: ext.root, site, hosts: [] });
    }
  }
  return out;
}

type ChildIndex = Map<string, Map<string, boolean>>;
const childCache = new WeakMap<FileOptions, ChildIndex>();

/** For one file: option path prefix -> the names written under it (true when one is a value, not a set). */
function childIndex(fo: FileOptions): ChildIndex {
  let idx = childCache.get(fo);
  if (!idx) {
    idx = new Map();
    for (const site of fo.sites) {
      if (site.kind === 'read') continue;
      const parent = site.path.slice(0, -1).join('.');
      const name = site.path[site.path.length - 1]!;
      const leaf = site.kind === 'decl' || (site.value !== null && site.value.kind !== 'attrs');
      let names = idx.get(parent);
      if (!names) { names = new Map(); idx.set(parent, names); }
      names.set(name, (names.get(name) ?? false) || leaf);
    }
    childCache.set(fo, idx);
  }
  return idx;
}

/**
 * The names the fleet writes directly under `prefix` (definitions and declarations in the hosts' modules and in
 * external sources), for completion: name -> whether it is a value somewhere. Best effort: each request lowers at
 * most `budget` new files, so a first completion in a large fleet stays fast and later ones know more.
 */
export function optionChildren(ctx: NavContext, hosts: readonly string[], prefix: readonly string[], typed: string, budget = LOWERING_BUDGET): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const parent = prefix.join('.');
  const filter = prefix[0] ?? (typed || null);
  const merge = (fo: FileOptions) => {
    for (const [name, leaf] of childIndex(fo).get(parent) ?? []) if (name.startsWith(typed)) out.set(name, (out.get(name) ?? false) || leaf);
  };
  let lowered = 0;
  const mf = moduleFiles(ctx, hosts);
  for (let i = 0; i < mf.files.length; i++) {
    const text = mf.texts.results[i];
    if (!text || (filter !== null && !text.includes(filter))) continue;
    const parsed = ctx.snap.parsed(mf.files[i]!.file)!;
    if (!hasOptions(parsed) && lowered++ >= budget) continue;
    merge(optionsOf(parsed));
  }
  for (const ext of ctx.externals) {
    for (const file of ext.files) {
      const text = ext.text(file);
      const parsed = text && DECLARES.test(text) && (filter === null || text.includes(filter)) ? ext.parsed(file) : null;
      if (parsed) merge(optionsOf(parsed));
    }
  }
  return out;
}
