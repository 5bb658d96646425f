// Completion the peers cannot offer: host names in flake.nix and host comparisons, flag names inside a flag table,
// option paths the fleet already uses (after `config.` or at a key), and input names after `inputs.`.
import type { Span } from '../base/text';
import { FLAKE } from '../index/flake';
import { flagTablesOf } from '../index/flagIndex';
import { optionsOf } from '../index/optionIndex';
import { flagModel } from './hostFlags';
import { hostnameOf } from './hostNames';
import { optionChildren } from './optionSearch';
import { affectedHosts, type NavContext } from './navContext';

export type CompletionKind = 'host' | 'flag' | 'option' | 'input';

export interface CompletionEntry { label: string; kind: CompletionKind; detail: string; replace: Span }

const WORD = /[A-Za-z0-9_'-]*$/;

export function complete(ctx: NavContext, file: string, offset: number): CompletionEntry[] {
  const parsed = ctx.snap.parsed(file);
  if (!parsed) return [];
  const text = parsed.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const word = WORD.exec(before)?.[0] ?? '';
  const replace = { start: offset - word.length, end: offset };

  const input = /\binputs\.([A-Za-z0-9_'-]*)$/.exec(before);
  if (input) {
    return ctx.snap.flake.inputs.filter((i) => i.name.startsWith(input[1]!))
      .map((i) => ({ label: i.name, kind: 'input' as const, detail: 'flake input', replace }));
  }

  const str = openString(before);
  if (str !== null) {
    const ahead = before.slice(0, str.quote);
    if (file === FLAKE || /(==|!=)\s*$/.test(ahead) || /\belem\s+\w+\s+\[[^\]]*$/.test(ahead)) return hostItems(ctx, str.typed, { start: offset - str.typed.length, end: offset });
    return [];
  }

  const flags = flagItems(ctx, file, offset, word, replace);
  if (flags) return flags;

  const cfg = /\bconfig\.((?:[A-Za-z0-9_'-]+\.)*)([A-Za-z0-9_'-]*)$/.exec(before);
  if (cfg) return optionItems(ctx, file, cfg[1]!.split('.').filter(Boolean), word, replace);
  const key = /^\s*((?:[A-Za-z0-9_'-]+\.)*)([A-Za-z0-9_'-]*)$/.exec(before);
  if (key && file !== FLAKE && optionsOf(parsed).isModule) {
    const enclosing = enclosingOption(ctx, file, offset);
    const typed = key[1]!.split('.').filter(Boolean);
    if (enclosing.length + typed.length === 0 && word.length === 0) return [];
    return optionItems(ctx, file, [...enclosing, ...typed], word, replace);
  }
  return [];
}

/** Inside an unterminated string on this line: where its quote is and what is typed after it. */
function openString(before: string): { quote: number; typed: string } | null {
  let quote = -1;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (c === '\\') { i++; continue; }
    if (c === '"') quote = quote < 0 ? i : -1;
  }
  return quote < 0 ? null : { quote, typed: before.slice(quote + 1) };
}

function hostItems(ctx: NavContext, typed: string, replace: Span): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const h of ctx.snap.flake.hosts) {
    for (const label of [h.name, hostnameOf(h)]) {
      if (seen.has(label) || !label.startsWith(typed)) continue;
      seen.add(label);
      out.push({ label, kind: 'host', detail: label === h.name ? `host (${h.kind})` : `hostname of ${h.name}`, replace });
    }
  }
  return out;
}

/** At a key inside one host's row of a flag table: the flags the fleet uses that this row does not set yet. */
function flagItems(ctx: NavContext, file: string, offset: number, word: string, replace: Span): CompletionEntry[] | null {
  if (!ctx.settings.flagFiles.includes(file)) return null;
  const parsed = ctx.snap.parsed(file)!;
  for (const table of flagTablesOf(parsed)) {
    const row = table.rows.find((r) => r.span.start < offset && offset < r.span.end);
    if (!row) continue;
    const present = new Set(row.flags.filter((f) => f.keySpan.end !== offset).map((f) => f.name));
    return flagModel(ctx).names.filter((n) => !present.has(n) && n.startsWith(word))
      .map((label) => ({ label, kind: 'flag' as const, detail: 'host flag', replace }));
  }
  return null;
}

/** The option path of the attrset the cursor is in (`services.traefik = { | }` -> services.traefik). */
function enclosingOption(ctx: NavContext, file: string, offset: number): string[] {
  let best: string[] = [];
  let bestSize = Infinity;
  for (const s of optionsOf(ctx.snap.parsed(file)!).sites) {
    if (s.kind !== 'def' || !s.value || s.value.kind !== 'attrs') continue;
    const v = s.value.span;
    if (v.start < offset && offset < v.end && v.end - v.start < bestSize) { best = s.path; bestSize = v.end - v.start; }
  }
  return best;
}

function optionItems(ctx: NavContext, file: string, prefix: string[], word: string, replace: Span): CompletionEntry[] {
  const names = optionChildren(ctx, affectedHosts(ctx, file), prefix, word);
  return [...names].sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, leaf]) => ({ label, kind: 'option' as const, detail: leaf ? [...prefix, label].join('.') : `${[...prefix, label].join('.')}.…`, replace }));
}
