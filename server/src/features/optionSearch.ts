// Option paths across the fleet: where the hosts a file affects define, read and declare an option (workspace
// modules they import, plus read-only external sources). Files are filtered by their text before any is lowered.
import { declarationsFromText, type TextDecl } from '../index/optionDeclText';
import type { ParsedFile } from '../syntax/parsedFile';
import { hasOptions, mayMention, optionsOf, type FileOptions, type OptionSite } from '../index/optionIndex';
import type { IndexSnapshot } from '../index/workspaceIndex';
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

interface ModuleFile { file: string; parsed: ParsedFile; hosts: string[] }
const moduleFileCache = new WeakMap<IndexSnapshot, Map<string, ModuleFile[]>>();

/** The files of `hosts` that may define options, parsed, with the hosts reaching each; once per snapshot. */
function moduleFiles(ctx: NavContext, hosts: readonly string[]): ModuleFile[] {
  const key = hosts.join('\0');
  let perSnap = moduleFileCache.get(ctx.snap);
  if (!perSnap) { perSnap = new Map(); moduleFileCache.set(ctx.snap, perSnap); }
  let list = perSnap.get(key);
  if (!list) {
    list = [];
    for (const [file, reachedBy] of filesOfHosts(ctx, hosts)) {
      const parsed = mayDefineOptions(ctx, file) ? ctx.snap.parsed(file) : null;
      if (parsed) list.push({ file, parsed, hosts: reachedBy });
    }
    if (perSnap.size > 16) perSnap.clear();
    perSnap.set(key, list);
  }
  return list;
}

export interface OptionSites { decls: OptionHit[]; defs: OptionHit[]; reads: OptionHit[] }

const siteCache = new WeakMap<IndexSnapshot, Map<string, OptionSites>>();

/**
 * Everything about `path` in one pass over the files of `hosts`: declarations (also in external sources),
 * definitions and reads, each with the hosts (of those) that reach it. Cached per snapshot: a hover, a definition
 * and a references request at one place share the work.
 */
export function optionSites(ctx: NavContext, hosts: readonly string[], path: readonly string[]): OptionSites {
  const key = path.join('.');
  const cacheKey = `${hosts.join(',')}\0${key}`;
  let perSnap = siteCache.get(ctx.snap);
  if (!perSnap) { perSnap = new Map(); siteCache.set(ctx.snap, perSnap); }
  const hit = perSnap.get(cacheKey);
  if (hit) return hit;
  const found: OptionSites = { decls: [], defs: [], reads: [] };
  // Test the most telling names first: a namespace like `services` occurs in nearly every module.
  const names = [...path].reverse();
  for (const { file, parsed, hosts: reachedBy } of moduleFiles(ctx, hosts)) {
    if (!mayMention(parsed.text, names)) continue;
    for (const site of optionsOf(parsed).sites) {
      if (site.key !== key) continue;
      const h = { file, root: null, site, hosts: reachedBy };
      if (site.kind === 'decl') found.decls.push(h); else if (site.kind === 'def') found.defs.push(h); else found.reads.push(h);
    }
  }
  for (const ext of ctx.externals) {
    for (const file of ext.files) {
      const text = ext.text(file);
      if (!text || !mayMention(text, names) || !DECLARES.test(text)) continue;
      const parsed = ext.parsed(file);
      for (const site of parsed ? optionsOf(parsed).sites : []) {
        if (site.kind === 'decl' && site.key === key) found.decls.push({ file, root: ext.root, site, hosts: [] });
      }
    }
  }
  if (perSnap.size > 64) perSnap.clear();
  perSnap.set(cacheKey, found);
  return found;
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
  for (const { parsed } of moduleFiles(ctx, hosts)) {
    if (filter !== null && !parsed.text.includes(filter)) continue;
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
