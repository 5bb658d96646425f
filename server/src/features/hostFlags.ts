// Host profile flags (the m3ta-home `mkHome` profile): from flag tables keyed by host name in the configured files,
// from `…mkHome { profile = { … }; }` arguments and from options under the configured prefixes; per host, with the
// lens above each flag (`on: m3-ares, m3-kratos`) and the hover listing every host.
import type { Span } from '../base/text';
import { lineIndexOf, snippet } from '../index/astQueries';
import { flagTablesOf, mkHomeCallsOf } from '../index/flagIndex';
import { optionsOf } from '../index/optionIndex';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { Expr } from '../syntax/ast';
import { hostByKey } from './hostNames';
import { allHosts, workspaceFiles, type NavContext } from './navContext';

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

const cache = new WeakMap<IndexSnapshot, { key: string; model: FlagModel }>();

export function flagModel(ctx: NavContext): FlagModel {
  const key = JSON.stringify(ctx.settings);
  const hit = cache.get(ctx.snap);
  if (hit && hit.key === key) return hit.model;
  const model = buildModel(ctx);
  cache.set(ctx.snap, { key, model });
  return model;
}

function buildModel(ctx: NavContext): FlagModel {
  const { snap } = ctx;
  const defs: FlagDef[] = [];
  const sites: FlagSite[] = [];
  const rows: FlagModel['rows'] = [];
  const def = (flag: string, host: string, file: string, keySpan: Span, value: Expr | null, source: FlagSource) => {
    const text = snap.parsed(file)?.text ?? '';
    defs.push({ flag, host, file, keySpan, value, valueText: value ? snippet(text, value) : '…', source });
  };
  for (const file of ctx.settings.flagFiles) {
    const parsed = snap.parsed(file);
    if (!parsed) continue;
    for (const table of flagTablesOf(parsed)) {
      if (!table.rows.some((r) => hostByKey(snap, r.key))) continue;
      for (const row of table.rows) {
        const host = hostByKey(snap, row.key);
        if (host) rows.push({ file, keySpan: row.keySpan, host: host.name });
        for (const f of row.flags) {
          sites.push({ flag: f.name, file, keySpan: f.keySpan, role: 'def' });
          if (host) def(f.name, host.name, file, f.keySpan, f.value, 'table');
        }
      }
      for (const r of table.reads) sites.push({ flag: r.name, file, keySpan: r.keySpan, role: 'read' });
    }
  }
  for (const file of workspaceFiles(ctx, (t) => t.includes('mkHome'))) {
    for (const call of mkHomeCallsOf(snap.parsed(file)!)) {
      const literal = call.hostname ? hostByKey(snap, call.hostname) : null;
      const hosts = literal ? [literal.name] : snap.hostsOf(file);
      for (const f of call.flags) {
        sites.push({ flag: f.name, file, keySpan: f.keySpan, role: 'def' });
        for (const h of hosts) def(f.name, h, file, f.keySpan, f.value, 'mkHome');
      }
    }
  }
  for (const prefix of ctx.settings.optionPrefixes) {
    const parts = prefix.split('.').filter(Boolean);
    if (parts.length === 0) continue;
    for (const file of workspaceFiles(ctx, (t) => parts.every((p) => t.includes(p)))) {
      for (const s of optionsOf(snap.parsed(file)!).sites) {
        if (s.path.length !== parts.length + 1 || !parts.every((p, i) => s.path[i] === p)) continue;
        const flag = s.path[parts.length]!;
        if (s.kind === 'read') { sites.push({ flag, file, keySpan: s.keySpan, role: 'read' }); continue; }
        if (s.kind !== 'def') continue;
        sites.push({ flag, file, keySpan: s.keySpan, role: 'def' });
        for (const h of snap.hostsOf(file)) def(flag, h, file, s.keySpan, s.value, 'option');
      }
    }
  }
  const names = [...new Set([...defs.map((d) => d.flag), ...sites.map((s) => s.flag)])].sort();
  return { defs, sites, rows, names };
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
