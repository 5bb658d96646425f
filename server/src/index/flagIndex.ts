// The host profile flags one file holds: tables keyed by host name (`hostFlags = { m3-ares = { gaming = true; }; }`)
// with the reads of a host's row (`flags = hostFlags.${hostname}; … flags.desktop`), and `…mkHome { profile = …; }`.
import type { Span } from '../base/text';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { walk } from '../syntax/walk';
import { calleeName, callArgs, staticKeys } from './astQueries';
import { scopeOf, type Binder } from './scope';

export interface FlagBinding { name: string; keySpan: Span; bindingSpan: Span; value: Expr }

export interface FlagRow { key: string; keySpan: Span; span: Span; flags: FlagBinding[] }

export interface FlagTable {
  name: string;
  keySpan: Span;
  rows: FlagRow[];
  /** `flags.desktop` where `flags = <table>.${…}`, and `<table>.${…}.desktop`. */
  reads: { name: string; keySpan: Span }[];
}

export interface MkHomeCall {
  callee: { name: string; span: Span };
  /** `hostname = "…";` in the argument, when literal. */
  hostname: string | null;
  flags: FlagBinding[];
}

/** Attribute names in an `mkHome` argument that carry the profile flags. */
const PROFILE_KEYS = new Set(['profile', 'profiles', 'flags', 'hostFlags']);

const tableCache = new WeakMap<ParsedFile, FlagTable[]>();
const mkHomeCache = new WeakMap<ParsedFile, MkHomeCall[]>();

/** Tables keyed by host name, with their reads; asked of the configured flag files only. */
export function flagTablesOf(parsed: ParsedFile): FlagTable[] {
  let t = tableCache.get(parsed);
  if (!t) { t = tables(parsed); tableCache.set(parsed, t); }
  return t;
}

/** Calls of any function whose name ends in `mkHome`, with their literal profile flags. */
export function mkHomeCallsOf(parsed: ParsedFile): MkHomeCall[] {
  let c = mkHomeCache.get(parsed);
  if (!c) { c = parsed.text.includes('mkHome') ? mkHomeCalls(parsed.ast) : []; mkHomeCache.set(parsed, c); }
  return c;
}

function flagBindings(e: Expr): FlagBinding[] {
  if (e.kind !== 'attrs') return [];
  const out: FlagBinding[] = [];
  for (const b of e.bindings) {
    const keys = staticKeys(b.path);
    if (keys.length === 1 && b.path.length === 1) out.push({ name: keys[0]!.name, keySpan: keys[0]!.span, bindingSpan: b.span, value: b.value });
  }
  return out;
}

function asTable(value: Expr): FlagRow[] | null {
  if (value.kind !== 'attrs' || value.bindings.length === 0 || value.inherits.length > 0) return null;
  const rows: FlagRow[] = [];
  for (const b of value.bindings) {
    const k = b.path[0];
    if (b.path.length !== 1 || k?.kind !== 'name' || b.value.kind !== 'attrs') return null;
    rows.push({ key: k.name, keySpan: k.span, span: b.value.span, flags: flagBindings(b.value) });
  }
  return rows;
}

function tables(parsed: ParsedFile): FlagTable[] {
  const scope = scopeOf(parsed);
  const out: FlagTable[] = [];
  const byBinder = new Map<Binder, FlagTable>();
  for (const b of scope.binders) {
    const rows = b.value ? asTable(b.value) : null;
    if (!rows || (b.kind !== 'let' && b.kind !== 'rec')) continue;
    const t: FlagTable = { name: b.name, keySpan: b.span, rows, reads: [] };
    out.push(t);
    byBinder.set(b, t);
  }
  if (out.length === 0) return out;
  const useAtStart = new Map(scope.uses.map((u) => [u.span.start, u]));
  const tableOf = (e: Expr): FlagTable | null => {
    if (e.kind !== 'var') return null;
    const b = useAtStart.get(e.span.start)?.binder;
    return b ? byBinder.get(b) ?? null : null;
  };
  // `flags = hostFlags.${hostname};`: a binder holding one host's row.
  const rowAliases = new Map<Binder, FlagTable>();
  for (const b of scope.binders) {
    const v = b.value;
    if (v?.kind === 'select' && v.path.length === 1) {
      const t = tableOf(v.expr);
      if (t) rowAliases.set(b, t);
    }
  }
  walk(parsed.ast, (e) => {
    if (e.kind !== 'select') return;
    const direct = tableOf(e.expr);
    if (direct && e.path.length >= 2 && e.path[1]?.kind === 'name') direct.reads.push({ name: e.path[1].name, keySpan: e.path[1].span });
    if (e.expr.kind === 'var' && e.path[0]?.kind === 'name') {
      const b = useAtStart.get(e.expr.span.start)?.binder;
      const t = b ? rowAliases.get(b) : undefined;
      if (t) t.reads.push({ name: e.path[0].name, keySpan: e.path[0].span });
    }
  });
  return out;
}

function mkHomeCalls(root: Expr): MkHomeCall[] {
  const out: MkHomeCall[] = [];
  walk(root, (e) => {
    if (e.kind !== 'apply') return;
    const callee = calleeName(e);
    if (!callee?.name.endsWith('mkHome')) return;
    const arg = callArgs(e).find((a) => a.kind === 'attrs');
    if (!arg || arg.kind !== 'attrs') return;
    let hostname: string | null = null;
    const flags: FlagBinding[] = [];
    for (const b of arg.bindings) {
      const k = b.path[0];
      if (b.path.length !== 1 || k?.kind !== 'name') continue;
      if (k.name === 'hostname' && b.value.kind === 'string' && b.value.parts.every((p) => typeof p === 'string')) hostname = b.value.parts.join('');
      if (PROFILE_KEYS.has(k.name)) flags.push(...flagBindings(b.value));
    }
    out.push({ callee, hostname, flags });
  });
  return out;
}
