// Re-reads only the stretch of a sequence (a set's or `let`'s bindings, a list's elements) that edits touched, as
// rust-analyzer re-parses one block: tree-sitter's incremental re-parse still steps over every sibling of a long
// set (about 2.5 µs each, 5 ms for 2,000 bindings), while the stretch alone parses in microseconds. The facts
// outside it are the last parse's, moved; the stretch's come from parsing it on its own between `{ }` or `[ ]`.
import type { Node, Tree } from 'web-tree-sitter';
import { contains, type Span } from '../base/text';
import { extractFacts, type FactInterest, type SyntaxFacts } from './facts';
import type { NixParser, TextEdit } from './parser';

export interface WindowEdit {
  /** Facts of the text after the edit. */
  facts: SyntaxFacts;
  /** Every stretch changed since the tree's last parse, in the new text: the tree's shape is unknown there. */
  dirty: Span;
  /**
   * The stretch parsed without errors: then a full parse has exactly these facts (a valid run of bindings or
   * elements put in place of another in a valid tree is read the same way in place). Otherwise they are the best
   * reading of broken text until the full parse, which the owner runs soon after.
   */
  exact: boolean;
}

/** A stretch longer than this is not worth it: a full incremental parse costs about as much. */
const MAX_WINDOW = 16_384;
const BLANK = /[ \t\r\n]/;

/**
 * `tree` is the last error-free parse, moved by `tree.edit` to `before` (its shape is stale only inside `dirty`);
 * `facts` are that parse's facts with every window edit since merged in (never a later full parse's: outside the
 * stretch they must be the tree's).
 * Returns null when the edit cannot be confined to one sequence's stretch: the caller parses the whole file.
 */
export function windowEdit(parser: NixParser, tree: Tree, before: string, edit: TextEdit, facts: SyntaxFacts, dirty: Span | null, interest: FactInterest): WindowEdit | null {
  const { start, end } = edit.span;
  if (start < 0 || end < start || end > before.length) return null;
  const root = tree.rootNode;
  if (root.hasError || facts.pathConcatenation) return null;
  // `editTree` gives tree-sitter one character of margin on each side of an edit, so nodes that close come out of
  // `tree.edit` with guessed extents: the margin counts as changed.
  const near = { start: Math.max(0, start - 1), end: Math.min(before.length, end + 1) };
  const reach = dirty ? { start: Math.min(near.start, dirty.start), end: Math.max(near.end, dirty.end) } : near;
  const place = stretchOf(root, before, reach);
  if (!place || place.end - place.start > MAX_WINDOW) return null;
  const delta = edit.text.length - (end - start);
  // From the pieces: slicing a new whole text would copy all of it.
  const inner = before.slice(place.start, start) + edit.text + before.slice(end, place.end);
  const [open, close] = place.list ? ['[', ']'] : ['{', '}'];
  const windowText = open + inner + close;
  const windowTree = parser.parse(windowText);
  try {
    // Without errors the stretch is a run of whole bindings or elements, closed where it began. With errors (an
    // unclosed bracket or string may run on past it in the file) its reading is interim.
    const exact = !windowTree.rootNode.hasError;
    const merged = mergeFacts(facts, place, delta, windowTree, windowText, interest);
    if (!merged) return null;
    // `reach` holds the edit, so its end lies at or after the edit's end.
    return { facts: merged, dirty: { start: reach.start, end: reach.end + delta }, exact };
  } finally {
    windowTree.delete();
  }
}

interface Stretch { start: number; end: number; list: boolean; listSpan: Span | null }

/**
 * The items of the innermost sequence that `reach` lies inside, from the first item it touches to the last (or the
 * blanks around it): boundaries fall between tokens whose text the edits left alone.
 */
function stretchOf(root: Node, text: string, reach: Span): Stretch | null {
  for (let n: Node | null = root.descendantForIndex(reach.start, reach.end); n; n = n.parent) {
    const seq = sequenceOf(n);
    if (!seq) continue;
    // Keywords could merge with typed text (`let` + `x`); brackets cannot.
    const openEnd = seq.open.endIndex + (seq.open.type === 'let' ? 1 : 0);
    const closeStart = seq.close.startIndex - (seq.close.type === 'in' ? 1 : 0);
    if (reach.start < openEnd || reach.end > closeStart) continue;
    let start = reach.start;
    let end = reach.end;
    if (seq.items) {
      const first = seq.items.firstNamedChildForIndex(Math.max(0, reach.start - 1));
      if (first && first.startIndex < reach.start) start = first.startIndex;
      const last = seq.items.firstNamedChildForIndex(reach.end);
      if (last && last.startIndex <= reach.end) end = Math.max(end, last.endIndex);
    }
    if (!atBoundary(root, text, start) || !atBoundary(root, text, end)) return null;
    return { start, end, list: seq.list, listSpan: seq.list ? { start: n.startIndex, end: n.endIndex } : null };
  }
  return null;
}

interface Sequence { open: Node; close: Node; items: Node | null; list: boolean }

function sequenceOf(n: Node): Sequence | null {
  switch (n.type) {
    case 'attrset_expression':
    case 'rec_attrset_expression': {
      const children = n.children;
      const open = children.find((c) => c?.type === '{');
      const close = n.lastChild;
      if (!open || close?.type !== '}' || close.isMissing) return null;
      return { open, close, items: children.find((c) => c?.type === 'binding_set') ?? null, list: false };
    }
    case 'let_expression': {
      const children = n.children;
      const open = n.firstChild;
      const close = children.find((c) => c?.type === 'in');
      if (open?.type !== 'let' || !close || close.isMissing) return null;
      return { open, close, items: children.find((c) => c?.type === 'binding_set') ?? null, list: false };
    }
    case 'list_expression': {
      const open = n.firstChild;
      const close = n.lastChild;
      if (open?.type !== '[' || close?.type !== ']' || close.isMissing) return null;
      return { open, close, items: n, list: true };
    }
    default:
      return null;
  }
}

/** No token runs across `at`, and `at` is next to a blank or a token's edge. */
function atBoundary(root: Node, text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return true;
  const n = root.descendantForIndex(at - 1, at);
  if (!n) return false;
  if (n.childCount === 0 && n.startIndex < at && n.endIndex > at) return false;
  // A comment outside the sequence's items (before the first binding, after the last) is not found as an item.
  return n.type !== 'comment' || n.endIndex <= at || n.startIndex >= at || BLANK.test(text[at]!);
}

/**
 * The old facts outside the stretch (moved by the edit's length after it, grown where they enclose it) and the
 * stretch's own. A binding whose list value is the sequence itself lists its items' shapes: those change too.
 */
function mergeFacts(old: SyntaxFacts, place: Stretch, delta: number, windowTree: Tree, windowText: string, interest: FactInterest): SyntaxFacts | null {
  let straddles = false;
  const inside = (s: Span) => contains(place, s);
  const move = (s: Span): Span => {
    if (s.end <= place.start) return s;
    if (s.start >= place.end) return { start: s.start + delta, end: s.end + delta };
    if (s.start <= place.start && s.end >= place.end) return { start: s.start, end: s.end + delta };
    straddles = true;
    return s;
  };
  const paths = old.paths.filter((p) => !inside(p.span)).map((p) => ({ ...p, span: move(p.span) }));
  const oldQualify = old.paths.length > 0;
  // Conditions and the calls that only qualify paths are collected only in files with paths (facts.ts).
  const probe = extractFacts(windowTree, windowText, interest, oldQualify);
  const newQualify = paths.length + probe.paths.length > 0;
  if (newQualify !== oldQualify || probe.pathConcatenation) return null;
  const offset = place.start - 1;
  // A broken stretch's nodes may take in the brackets around it; its facts stay inside it.
  const last = place.end + delta;
  const shift = (s: Span): Span => ({ start: Math.max(place.start, s.start + offset), end: Math.min(last, s.end + offset) });
  const listSpan = place.listSpan;
  if (listSpan && old.bindings.some((b) => b.shape === 'list' && b.valueSpan.start === listSpan.start && b.valueSpan.end === listSpan.end)) return null;
  // In text order, as a full parse finds them: facts that start before the stretch (those enclosing it among them),
  // the stretch's own, then those after it.
  const splice = <T>(kept: T[], own: T[], startOf: (t: T) => number): T[] => {
    const at = kept.findIndex((t) => startOf(t) >= place.start);
    return at < 0 ? [...kept, ...own] : [...kept.slice(0, at), ...own, ...kept.slice(at)];
  };
  const merged: SyntaxFacts = {
    paths: splice(paths, probe.paths.map((p) => ({ ...p, span: shift(p.span) })), (p) => p.span.start),
    calls: splice(
      old.calls.filter((c) => !inside(c.span)).map((c) => ({ ...c, span: move(c.span), argSpan: move(c.argSpan) })),
      probe.calls.map((c) => ({ ...c, span: shift(c.span), argSpan: shift(c.argSpan) })), (c) => c.span.start),
    conditionalSpans: splice(old.conditionalSpans.filter((s) => !inside(s)).map(move), probe.conditionalSpans.map(shift), (s) => s.start),
    bindings: splice(
      old.bindings.filter((b) => !inside(b.span)).map((b) => ({ ...b, span: move(b.span), valueSpan: move(b.valueSpan) })),
      probe.bindings.map((b) => ({ ...b, span: shift(b.span), valueSpan: shift(b.valueSpan) })), (b) => b.span.start),
    selects: splice(
      old.selects.filter((s) => !inside(s.span)).map((s) => ({ ...s, span: move(s.span) })),
      probe.selects.map((s) => ({ ...s, span: shift(s.span) })), (s) => s.span.start),
    pathConcatenation: false,
  };
  return straddles ? null : merged;
}
