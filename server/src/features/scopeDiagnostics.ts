// Scope findings like nil's: undefined variables (errors) and dead let bindings, formals and arguments (warnings, by
// deadnix's rules and wording), each dead one with a quick fix that cannot change what the code means.
import type { Finding, Fix, TextReplacement } from '../base/finding';
import type { LineIndex, Span } from '../base/text';
import { lineIndexOf } from '../index/astQueries';
import type { Binder } from '../index/scope';
import { scopeOf } from '../index/scope';
import { livenessOf, resolutionOf, type BindingGroup } from '../index/scopeUsage';
import type { ParsedFile } from '../syntax/parsedFile';

const MESSAGES: Record<BindingGroup['kind'], string> = {
  'let': 'Unused let binding',
  'let-inherit': 'Unused let binding',
  'formal': 'Unused lambda pattern',
  'argument': 'Unused lambda argument',
  'at-binding': 'Unused lambda pattern',
};

const CODES: Record<BindingGroup['kind'], string> = {
  'let': 'unused-binding',
  'let-inherit': 'unused-binding',
  'formal': 'unused-formal',
  'argument': 'unused-argument',
  'at-binding': 'unused-at-binding',
};

/**
 * Nothing for a file tree-sitter cannot parse cleanly: error recovery invents and drops code, and the syntax error is
 * what the user needs to see first.
 */
export function scopeFindings(file: string, parsed: ParsedFile): Finding[] {
  if (parsed.problems.length > 0) return [];
  const lines = lineIndexOf(parsed);
  const out: Finding[] = [];
  for (const use of scopeOf(parsed).uses) {
    if (resolutionOf(use) !== 'undefined') continue;
    out.push({
      file, range: lines.range(use.span), severity: 'error', source: 'hostlens', code: 'undefined-variable',
      message: `undefined variable '${use.name}'`,
    });
  }
  for (const g of livenessOf(parsed).dead) {
    if (g.name.startsWith('_')) continue;
    const fixes = fixesFor(g, parsed.text, lines);
    for (const b of g.binders) {
      out.push({
        file, range: lines.range(b.span), severity: 'warning', source: 'hostlens', code: CODES[g.kind],
        message: `${MESSAGES[g.kind]}: ${g.name}`, unnecessary: true, ...(fixes.length ? { fixes } : {}),
      });
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function fixesFor(g: BindingGroup, text: string, lines: LineIndex): Fix[] {
  const edits = (spans: Span[]): TextReplacement[] => spans.map((s) => ({ range: lines.range(s), newText: '' }));
  const prefix = (): Fix | null => (occursAsName(text, `_${g.name}`) ? null : {
    title: `Prefix \`${g.name}\` with \`_\``,
    edits: g.binders.map((b) => ({ range: lines.range({ start: b.span.start, end: b.span.start }), newText: '_' })),
  });
  const fixes: (Fix | null)[] = [];
  switch (g.kind) {
    case 'let':
      fixes.push({ title: `Remove unused binding \`${g.name}\``, edits: edits(g.binders.map((b) => removalOf(text, b.site))) });
      fixes.push(prefix());
      break;
    case 'let-inherit': {
      const span = inheritRemoval(text, g.binders[0]!, g.owner);
      if (span) fixes.push({ title: `Remove unused binding \`${g.name}\``, edits: edits([span]) });
      break;
    }
    case 'formal': {
      // Without `...` a caller passing this argument would be rejected once it is gone.
      const span = g.owner.kind === 'lambda' && g.owner.ellipsis ? formalRemoval(text, g.binders[0]!.site) : null;
      if (span) fixes.push({ title: `Remove unused argument \`${g.name}\``, edits: edits([span]) });
      break;
    }
    case 'argument':
      fixes.push(prefix());
      break;
    case 'at-binding': {
      const span = atRemoval(text, g.binders[0]!.span);
      if (span) fixes.push({ title: `Remove unused \`@${g.name}\``, edits: edits([span]) });
      break;
    }
  }
  return fixes.filter((f): f is Fix => f !== null);
}

/** Whether `name` appears as an identifier anywhere: renaming to it could capture a reference. */
function occursAsName(text: string, name: string): boolean {
  // Nix identifiers hold no regular-expression syntax (`'` and `-` are literal outside a class).
  return new RegExp(`(?<![A-Za-z0-9_'-])${name}(?![A-Za-z0-9_'-])`).test(text);
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** `span`, and its whole line when nothing else is on it; otherwise the spaces after it. */
export function removalOf(text: string, span: Span): Span {
  let start = span.start;
  let end = span.end;
  while (isBlank(text[end])) end++;
  let lineStart = start;
  while (lineStart > 0 && isBlank(text[lineStart - 1])) lineStart--;
  const aloneBefore = lineStart === 0 || text[lineStart - 1] === '\n';
  const aloneAfter = end >= text.length || text[end] === '\n' || text[end] === '\r';
  if (aloneBefore && aloneAfter) {
    start = lineStart;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  }
  return { start, end };
}

/** One name out of `inherit (x) a b;`, or the whole statement when it is the only name. */
function inheritRemoval(text: string, b: Binder, owner: BindingGroup['owner']): Span | null {
  if (owner.kind !== 'let') return null;
  const inh = owner.inherits.find((i) => i.names.some((n) => n.span.start === b.span.start));
  if (!inh) return null;
  if (inh.names.length === 1) return removalOf(text, inh.span);
  let end = b.span.end;
  while (/\s/.test(text[end] ?? '')) end++;
  if (text[end] !== ';') return { start: b.span.start, end };
  let start = b.span.start;
  while (start > 0 && /\s/.test(text[start - 1] ?? '')) start--;
  return { start, end: b.span.end };
}

/** A formal and its comma: the whole line in one-per-line style, else up to the next formal. */
function formalRemoval(text: string, site: Span): Span | null {
  let comma = site.end;
  while (/\s/.test(text[comma] ?? '')) comma++;
  if (text[comma] !== ',') return null;
  const line = removalOf(text, { start: site.start, end: comma + 1 });
  if (line.start !== site.start || text[line.end - 1] === '\n') return line;
  let end = comma + 1;
  while (/\s/.test(text[end] ?? '')) end++;
  return { start: site.start, end };
}

/** `args @ {` or `} @ args`: the name and its `@`. */
function atRemoval(text: string, name: Span): Span | null {
  const ws = (i: number) => /\s/.test(text[i] ?? '');
  let j = name.end;
  while (ws(j)) j++;
  if (text[j] === '@') {
    j++;
    while (ws(j)) j++;
    if (text[j] === '{') return { start: name.start, end: j };
  }
  j = name.start - 1;
  while (j >= 0 && ws(j)) j--;
  if (text[j] === '@') {
    j--;
    while (j >= 0 && ws(j)) j--;
    if (text[j] === '}') return { start: j + 1, end: name.end };
  }
  return null;
}
