// Host profile flags (the m3ta-home `mkHome` profile): from flag tables keyed by host name in the configured files,
// from `…mkHome { profile = { … }; }` arguments and from options under the configured prefixes; per host, with the
// lens above each flag (`on: m3-ares, m3-kratos`) and the hover listing every host.
import type { Span } from '../base/text';
import { lineIndexOf, snippet } from '../index/astQueries';
import { flagTablesOf, mkHomeCallsOf } from '../index/flagIndex';
import { optionsOf } from '../index/optionIndex';
import type { HostGraph } from '../index/hostGraph';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { FileScan } from './fileScan';
import { hostByKey } from './hostNames';
import { allHosts, type NavContext, type NavSettings } from './navContext';

export type FlagSource = 'table' | 'mkHome' | 'option';

export interface FlagDef { flag: string; host: string; file: string; keySpan: Span; value: Expr | null; valueText: string; source: FlagSource }

/** A flag written somewhere: its definition for some host(s), or a read (`flags.desktop`, `config.<prefix>.x`). */
export interface FlagSite { flag: string; file: string; keySpan: Span; role: 'def' | 'read' }

export interface FlagModel {
  defs: FlagDef[];
  sites: FlagSite[];
  /** Rows of flag tables: the host name keys, for navigation to the host. */
  rows: { file: string; keySpan: Span; host: string }[];
  names: string[];
}

type Part = Pick<FlagModel, 'defs' | 'sites' | 'rows'>;
/** What one file adds to the model: its flag tables (a configured flag file), `mkHome` calls, prefix options. */
interface FileFlags { table: Part | null; mkHome: Part | null; prefixes: (Part | null)[] }

interface FlagScan { key: string; scan: FileScan<FileFlags>; model: FlagModel | null }

const NO_FLAGS: FileFlags = { table: null, mkHome: null, prefixes: [] };
const isEmpty = (p: Part | null) => !p || (p.defs.length === 0 && p.sites.length === 0 && p.rows.length === 0);

/**
 * Kept per host graph and settings; each file's part is worked out again only when the file changes, and the model
 * is assembled again only when a file that has (or had) flags changed: typing elsewhere costs one file's text test.
 */
const cache = new WeakMap<HostGraph, FlagScan>();

export function flagModel(ctx: NavContext): FlagModel {
  const key = JSON.stringify(ctx.settings);
  let entry = cache.get(ctx.snap.graph);
  if (!entry || entry.key !== key) {
    const files = [...ctx.snap.files.files].filter((f) => f.endsWith('.nix')).sort();
    const flagFiles = new Set(ctx.settings.flagFiles);
    const prefixes = ctx.settings.optionPrefixes.map((p) => p.split('.').filter(Boolean));
    const work = (i: number, snap: IndexSnapshot) => {
      const parsed = snap.parsed(files[i]!);
      return parsed ? fileFlags(snap, files[i]!, parsed, flagFiles, prefixes) : NO_FLAGS;
    };
    const scan = new FileScan(files, work, (f) => isEmpty(f.table) && isEmpty(f.mkHome) && f.prefixes.every(isEmpty));
    entry = { key, scan, model: null };
    cache.set(ctx.snap.graph, entry);
  }
  if (entry.scan.update(ctx.snap) || !entry.model) entry.model = assemble(ctx.settings, entry);
  return entry.model;
}

/** Tables first (in the configured order), then `mkHome` calls, then each prefix's options, files in path order. */
function assemble(settings: NavSettings, entry: FlagScan): FlagModel {
  const results = entry.scan.results;
  const model: FlagModel = { defs: [], sites: [], rows: [], names: [] };
  const add = (p: Part | null) => {
    if (!p) return;
    for (const d of p.defs) model.defs.push(d);
    for (const s of p.sites) model.sites.push(s);
    for (const r of p.rows) model.rows.push(r);
  };
  for (const file of settings.flagFiles) {
    const i = entry.scan.indexOf(file);
    if (i !== undefined) add(results[i]!.table);
  }
  for (const r of results) add(r.mkHome);
  settings.optionPrefixes.forEach((_, k) => { for (const r of results) add(r.prefixes[k] ?? null); });
  model.names = [...new Set([...model.defs.map((d) => d.flag), ...model.sites.map((s) => s.flag)])].sort();
  return model;
}

function fileFlags(snap: IndexSnapshot, file: string, parsed: ParsedFile, flagFiles: ReadonlySet<string>, prefixes: string[][]): FileFlags {
  const text = parsed.text;
  const part = (): Part => ({ defs: [], sites: [], rows: [] });
  const def = (p: Part, flag: string, host: string, keySpan: Span, value: Expr | null, source: FlagSource) => {
    p.defs.push({ flag, host, file, keySpan, value, valueText: value ? snippet(text, value) : '…', source });
  };
  let table: Part | null = null;
  if (flagFiles.has(file)) {
    table = part();
    for (const t of flagTablesOf(parsed)) {
      if (!t.rows.some((r) => hostByKey(snap, r.key))) continue;
      for (const row of t.rows) {
        const host = hostByKey(snap, row.key);
        if (host) table.rows.push({ file, keySpan: row.keySpan, host: host.name });
        for (const f of row.flags) {
          table.sites.push({ flag: f.name, file, keySpan: f.keySpan, role: 'def' });
          if (host) def(table, f.name, host.name, f.keySpan, f.value, 'table');
        }
      }
      for (const r of t.reads) table.sites.push({ flag: r.name, file, keySpan: r.keySpan, role: 'read' });
    }
  }
  let mkHome: Part | null = null;
  if (text.includes('mkHome')) {
    mkHome = part();
    for (const call of mkHomeCallsOf(parsed)) {
      const literal = call.hostname ? hostByKey(snap, call.hostname) : null;
      const hosts = literal ? [literal.name] : snap.hostsOf(file);
      for (const f of call.flags) {
        mkHome.sites.push({ flag: f.name, file, keySpan: f.keySpan, role: 'def' });
        for (const h of hosts) def(mkHome, f.name, h, f.keySpan, f.value, 'mkHome');
      }
    }
  }
  const byPrefix = prefixes.map((parts) => {
    if (parts.length === 0 || !parts.every((p) => text.includes(p))) return null;
    const p = part();
    for (const s of optionsOf(parsed).sites) {
      if (s.path.length !== parts.length + 1 || !parts.every((x, i) => s.path[i] === x)) continue;
      const flag = s.path[parts.length]!;
      if (s.kind === 'read') { p.sites.push({ flag, file, keySpan: s.keySpan, role: 'read' }); continue; }
      if (s.kind !== 'def') continue;
      p.sites.push({ flag, file, keySpan: s.keySpan, role: 'def' });
      for (const h of snap.hostsOf(file)) def(p, flag, h, s.keySpan, s.value, 'option');
    }
    return p;
  });
  return { table, mkHome, prefixes: byPrefix };
}

const inside = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

export function flagSiteAt(model: FlagModel, file: string, offset: number): FlagSite | null {
  return model.sites.find((s) => s.file === file && inside(s.keySpan, offset)) ?? null;
}

/** A flag is on for a host when its value there is literally `true`. */
function isOn(d: FlagDef): boolean { return d.value?.kind === 'var' && d.value.name === 'true'; }

export function hostsWithFlagOn(model: FlagModel, flag: string): string[] {
  return [...new Set(model.defs.filter((d) => d.flag === flag && isOn(d)).map((d) => d.host))].sort();
}

export interface FlagLens { span: Span; title: string; flag: string; hosts: string[] }

/** One lens above each flag written in `file`: the hosts that have it on. */
export function flagLenses(ctx: NavContext, file: string): FlagLens[] {
  const model = flagModel(ctx);
  const parsed = ctx.snap.parsed(file);
  if (!parsed) return [];
  const here = model.sites.filter((s) => s.file === file && s.role === 'def');
  const lines = lineIndexOf(parsed);
  const lineOf = (s: Span) => lines.position(s.start).line;
  const perLine = new Map<number, number>();
  for (const s of here) perLine.set(lineOf(s.keySpan), (perLine.get(lineOf(s.keySpan)) ?? 0) + 1);
  return here.map((s) => {
    const hosts = hostsWithFlagOn(model, s.flag);
    const on = `on: ${hosts.length > 0 ? hosts.join(', ') : 'no host'}`;
    return { span: s.keySpan, flag: s.flag, hosts, title: (perLine.get(lineOf(s.keySpan)) ?? 0) > 1 ? `${s.flag} ${on}` : on };
  });
}

/** Markdown: the flag's value on every host; hosts without it are listed as unset. */
export function flagHover(ctx: NavContext, flag: string): string {
  const model = flagModel(ctx);
  const lines = allHosts(ctx).map((h) => {
    const ds = model.defs.filter((d) => d.flag === flag && d.host === h);
    if (ds.length === 0) return `- ${h}: unset`;
    return `- ${h}: ${ds.map((d) => `\`${d.valueText}\` (${d.file})`).join(', ')}`;
  });
  const on = hostsWithFlagOn(model, flag);
  return [`**host flag \`${flag}\`** · on: ${on.length > 0 ? on.join(', ') : 'no host'}`, '', ...lines].join('\n');
}
