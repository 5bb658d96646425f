// The outline of one file (bindings and option paths, nested as written) and the fleet's workspace symbols: hosts,
// declared options, packages, overlays, secrets and host flags.
import type { Range, Span } from '../base/text';
import { lineIndexOf } from '../index/astQueries';
import { FLAKE } from '../index/flake';
import { optionsOf } from '../index/optionIndex';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { AttrKey, Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { exportedNames } from './flakeTargets';
import { flagModel } from './hostFlags';
import { allDeclarations } from './optionSearch';
import { registries } from './secrets';
import { targetAt, type NavContext, type NavTarget } from './navContext';

export type SymbolKindName = 'variable' | 'field' | 'namespace' | 'function' | 'property' | 'module' | 'package' | 'key' | 'boolean';

export interface DocSymbol { name: string; detail: string; kind: SymbolKindName; range: Range; selection: Range; children: DocSymbol[] }

const MAX_SYMBOLS = 10_000;
const MAX_DEPTH = 16;

function keyText(path: readonly AttrKey[]): string {
  return path.map((k) => (k.kind === 'name' ? k.name : '${…}')).join('.');
}

function kindOf(value: Expr, isLet: boolean): SymbolKindName {
  if (value.kind === 'lambda') return 'function';
  if (value.kind === 'attrs') return 'namespace';
  return isLet ? 'variable' : 'field';
}

const outlineCache = new WeakMap<ParsedFile, DocSymbol[]>();

/** The outline, worked out once per parse (editors ask for it again for breadcrumbs and sticky scroll). */
export function documentSymbols(ctx: NavContext, file: string): DocSymbol[] {
  const parsed = ctx.snap.parsed(file);
  if (!parsed) return [];
  let symbols = outlineCache.get(parsed);
  if (!symbols) {
    symbols = outline(parsed, file !== FLAKE);
    outlineCache.set(parsed, symbols);
  }
  return symbols;
}

function outline(parsed: ParsedFile, options: boolean): DocSymbol[] {
  const lines = lineIndexOf(parsed);
  const fullPath = new Map<number, string>();
  const decls = new Set<number>();
  if (options) {
    for (const s of optionsOf(parsed).sites) {
      if (s.kind === 'read') continue;
      fullPath.set(s.keySpan.start, s.key);
      if (s.kind === 'decl') decls.add(s.keySpan.start);
    }
  }
  let count = 0;
  const sym = (name: string, kind: SymbolKindName, span: Span, sel: Span, detail: string, children: DocSymbol[]): DocSymbol =>
    ({ name, detail, kind, range: lines.range(span), selection: lines.range(sel), children });

  const collect = (e: Expr, depth: number): DocSymbol[] => {
    if (depth > MAX_DEPTH || count > MAX_SYMBOLS) return [];
    switch (e.kind) {
      case 'lambda': case 'with': case 'assert': return collect(e.body, depth);
      case 'apply': return [...collect(e.fn, depth), ...collect(e.arg, depth)];
      case 'binary': return [...collect(e.left, depth), ...collect(e.right, depth)];
      case 'list': return e.items.flatMap((i) => collect(i, depth));
      case 'if': return [...collect(e.then, depth), ...collect(e.else, depth)];
      case 'let': case 'attrs': {
        const out: DocSymbol[] = [];
        for (const b of e.bindings) {
          const last = b.path[b.path.length - 1];
          const first = b.path[0];
          if (!first || !last) continue;
          count++;
          const name = keyText(b.path);
          const option = fullPath.get(last.span.start);
          const isDecl = decls.has(last.span.start);
          const detail = isDecl ? `option ${option}` : option && option !== name ? option : '';
          const kind = isDecl ? 'property' : kindOf(b.value, e.kind === 'let');
          out.push(sym(name, kind, b.span, { start: first.span.start, end: last.span.end }, detail, isDecl ? [] : collect(b.value, depth + 1)));
        }
        for (const inh of e.inherits) {
          for (const n of inh.names) {
            count++;
            out.push(sym(n.name, e.kind === 'let' ? 'variable' : 'field', inh.span, n.span, 'inherit', []));
          }
        }
        out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
        if (e.kind === 'let') out.push(...collect(e.body, depth));
        return out;
      }
      default: return [];
    }
  };
  return collect(parsed.ast, 0);
}

export interface WorkspaceSymbol { name: string; kind: SymbolKindName; container: string; target: NavTarget }

interface Candidate { name: string; lower: string; kind: SymbolKindName; container: string; target: () => NavTarget | null }

const candidateCache = new WeakMap<IndexSnapshot, { key: string; list: Candidate[] }>();

/** How well `query` matches: 0 exact, 1 prefix, 2 substring, 3 subsequence, -1 not at all (case-insensitive). */
export function matchScore(query: string, lowerName: string): number {
  const q = query.toLowerCase();
  if (lowerName === q) return 0;
  if (lowerName.startsWith(q)) return 1;
  if (lowerName.includes(q)) return 2;
  let i = 0;
  for (let j = 0; j < lowerName.length && i < q.length; j++) if (lowerName[j] === q[i]) i++;
  return i === q.length ? 3 : -1;
}

/** Hosts, secrets, host flags, overlays, packages and declared options, best matches first. */
export function workspaceSymbols(ctx: NavContext, query: string, limit = 128): WorkspaceSymbol[] {
  const scored: [number, Candidate][] = [];
  for (const c of candidates(ctx)) {
    const score = matchScore(query, c.lower);
    if (score >= 0) scored.push([score, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].name.length - b[1].name.length || (a[1].name < b[1].name ? -1 : 1));
  const out: WorkspaceSymbol[] = [];
  for (const [, c] of scored) {
    if (out.length >= limit) break;
    const target = c.target();
    if (target) out.push({ name: c.name, kind: c.kind, container: c.container, target });
  }
  return out;
}

/** Everything a symbol search can find, gathered once per snapshot (typing a query asks many times). */
function candidates(ctx: NavContext): Candidate[] {
  const key = `${JSON.stringify(ctx.settings)}\0${ctx.externals.map((e) => e.root).join('\0')}`;
  const hit = candidateCache.get(ctx.snap);
  if (hit && hit.key === key) return hit.list;
  const list: Candidate[] = [];
  const push = (name: string, kind: SymbolKindName, container: string, target: () => NavTarget | null) =>
    list.push({ name, lower: name.toLowerCase(), kind, container, target });
  const flake = { file: FLAKE, root: null };
  for (const h of ctx.snap.flake.hosts) if (h.nameSpan) { const span = h.nameSpan; push(h.name, 'module', `host (${h.kind})`, () => targetAt(ctx, flake, span)); }
  for (const reg of registries(ctx)) for (const e of reg.entries) push(e.name, 'key', 'secret', () => targetAt(ctx, { file: reg.file, root: null }, e.keySpan));
  const flags = flagModel(ctx);
  for (const name of flags.names) {
    const site = flags.sites.find((s) => s.flag === name && s.role === 'def');
    if (site) push(name, 'boolean', 'host flag', () => targetAt(ctx, { file: site.file, root: null }, site.keySpan));
  }
  for (const file of [...(ctx.snap.flake.outputRefs.get('overlays') ?? [])].filter((f) => f.endsWith('.nix')).sort()) {
    const parsed = ctx.snap.parsed(file);
    for (const n of parsed ? exportedNames(parsed.ast, 1) : []) push(n.name, 'function', 'overlay', () => targetAt(ctx, { file, root: null }, n.span));
  }
  const pkgs = ctx.snap.parsed('pkgs/default.nix');
  for (const n of pkgs ? exportedNames(pkgs.ast, 1) : []) push(n.name, 'package', 'package', () => targetAt(ctx, { file: 'pkgs/default.nix', root: null }, n.span));
  for (const d of allDeclarations(ctx)) push(d.site.key, 'property', d.root ? `option (${d.file}, external)` : 'option', () => targetAt(ctx, d, d.site.keySpan));
  candidateCache.set(ctx.snap, { key, list });
  return list;
}
