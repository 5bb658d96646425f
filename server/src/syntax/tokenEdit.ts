// Proves, when it can, that an edit only changes the text inside one token (a name, a number, a string's content, a
// comment) or the whitespace between tokens: every token keeps its kind, so the tree keeps its shape and the facts
// are the old ones shifted. Tree-sitter's re-parse of a large flat file costs milliseconds; with this proof it waits
// until something reads the tree. Whatever it cannot prove returns null and goes the exact way.
import type { Node, Tree } from 'web-tree-sitter';
import type { Span } from '../base/text';
import type { FactInterest, SyntaxFacts } from './facts';
import type { TextEdit } from './parser';

/**
 * A proven edit: `token` is the old span of the one token whose text changes (null: whitespace between tokens);
 * `treeEdit` is the same change spelled so that tree-sitter's `tree.edit` gives the text to the right node (it gives
 * an insertion at a boundary to the node on the left), keeping the unparsed tree's positions exact.
 */
export interface LocalEdit { token: Span | null; start: number; end: number; delta: number; treeEdit: TextEdit }

const KEYWORDS = new Set(['let', 'in', 'with', 'rec', 'inherit', 'if', 'then', 'else', 'assert', 'or']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const WORD_CHARS = /^[A-Za-z0-9_]*$/;
const BLANKS = /^[ \t\r\n]*$/;
// `"` `'` `\` and `$` end a string fragment or begin an escape or an interpolation.
const PLAIN_STRING = /^[^"'\\$]+$/;

export function localEdit(tree: Tree, text: string, edit: TextEdit, facts: SyntaxFacts, interest: FactInterest): LocalEdit | null {
  const start = edit.span.start;
  const end = edit.span.end;
  if (start < 0 || end < start || end > text.length) return null;
  const removed = text.slice(start, end);
  const delta = edit.text.length - removed.length;
  if (removed === '' && edit.text === '') return null;
  const root = tree.rootNode;
  if (root.hasError) return null;
  // Blanks between tokens; blanks inside a string or comment are that token's content, below.
  if (BLANKS.test(removed) && BLANKS.test(edit.text) && blanksOnly(root, text, edit)) {
    const treeEdit = blankTreeEdit(text, edit);
    if (treeEdit) return { token: null, start, end, delta, treeEdit };
  }
  const token = tokenAt(root, start, end);
  if (!token) return null;
  const tokenSpan = { start: token.startIndex, end: token.endIndex };
  const before = text.slice(tokenSpan.start, tokenSpan.end);
  const after = before.slice(0, start - tokenSpan.start) + edit.text + before.slice(end - tokenSpan.start);
  if (!sameKind(token, before, after, start - tokenSpan.start, end - tokenSpan.start, interest)) return null;
  // Facts read the text of paths, callees' arguments, chosen bindings and selects: an edit in one of them is not
  // merely shifted. Conditional spans only matter by their bounds.
  const touches = (s: Span) => s.start <= end && start <= s.end;
  if (facts.paths.some((p) => touches(p.span)) || facts.calls.some((c) => touches(c.span)) ||
    facts.bindings.some((b) => touches(b.span)) || facts.selects.some((s) => touches(s.span))) return null;
  const treeEdit = start === end && start === tokenSpan.start && start < text.length
    ? { span: { start, end: start + 1 }, text: edit.text + text[start]! } : edit;
  return { token: tokenSpan, start, end, delta, treeEdit };
}

/**
 * Blanks go into the whitespace before the next token (its padding), never onto the end of the previous token nor
 * the start of the next one: tree-sitter gives text inserted at a token's edge to that token. With no blank beside
 * the insertion (the very start or end of the text, next to a token) there is no exact spelling.
 */
function blankTreeEdit(text: string, edit: TextEdit): TextEdit | null {
  const { start, end } = edit.span;
  if (start !== end) return edit;
  const blank = (at: number) => at >= 0 && at < text.length && ' \t\r\n'.includes(text[at]!);
  if (blank(start - 1)) return { span: { start: start - 1, end: start }, text: text[start - 1]! + edit.text };
  if (blank(start)) return { span: { start, end: start + 1 }, text: edit.text + text[start]! };
  return null;
}

/** The facts after a proven edit: offsets after it move by its length; a span around the edited token grows. */
export function shiftFacts(facts: SyntaxFacts, e: LocalEdit): SyntaxFacts {
  const move = (s: Span): Span => {
    if (e.token) {
      return { start: s.start > e.token.start ? s.start + e.delta : s.start, end: s.end >= e.token.end ? s.end + e.delta : s.end };
    }
    // Blanks belong to no node: a span ending where they start stays; one starting where they end moves.
    return { start: s.start >= e.end ? s.start + e.delta : s.start, end: s.end > e.start ? s.end + e.delta : s.end };
  };
  return {
    paths: facts.paths.map((p) => ({ ...p, span: move(p.span) })),
    calls: facts.calls.map((c) => ({ ...c, span: move(c.span), argSpan: move(c.argSpan) })),
    conditionalSpans: facts.conditionalSpans.map(move),
    bindings: facts.bindings.map((b) => ({ ...b, span: move(b.span), valueSpan: move(b.valueSpan) })),
    selects: facts.selects.map((s) => ({ ...s, span: move(s.span) })),
    pathConcatenation: facts.pathConcatenation,
  };
}

/** The token that the edited stretch lies in, or that an insertion at its edge extends (lexers are greedy). */
function tokenAt(root: Node, start: number, end: number): Node | null {
  if (start < end) {
    const n = root.descendantForIndex(start, end);
    return n && n.childCount === 0 && n.startIndex <= start && end <= n.endIndex ? n : null;
  }
  const left = start > 0 ? leafCovering(root, start - 1) : null;
  const right = leafCovering(root, start);
  if (left && right && left.id === right.id) return left;
  // At a boundary the insertion joins the token on the side that can grow: a name, number, fragment or comment.
  const grows = (n: Node | null) => !!n && (n.type === 'identifier' || n.type === 'integer_expression' || n.type === 'string_fragment' || n.type === 'comment');
  if (grows(left) && !grows(right)) return left;
  if (grows(right) && !grows(left)) return right;
  return null;
}

function leafCovering(root: Node, offset: number): Node | null {
  const n = root.descendantForIndex(offset, offset + 1);
  return n && n.childCount === 0 && n.startIndex <= offset && offset < n.endIndex ? n : null;
}

function sameKind(token: Node, before: string, after: string, from: number, to: number, interest: FactInterest): boolean {
  switch (token.type) {
    case 'identifier':
      return IDENTIFIER.test(after) && WORD_CHARS.test(after.slice(from, after.length - (before.length - to))) &&
        !KEYWORDS.has(after) && !isInteresting(before, interest) && !isInteresting(after, interest);
    case 'integer_expression':
      return /^[0-9]+$/.test(after);
    case 'string_fragment': {
      const parent = token.parent;
      // An attribute name spelled as a string is a name (`"imports" = …`), not content.
      if (!parent || (parent.type !== 'string_expression' && parent.type !== 'indented_string_expression')) return false;
      if (parent.parent?.type === 'attrpath' || parent.parent?.type === 'inherited_attrs') return false;
      return PLAIN_STRING.test(after) && PLAIN_STRING.test(before);
    }
    case 'comment': {
      const inner = after.slice(from, after.length - (before.length - to));
      if (inner.includes('\n') || inner.includes('\r')) return false;
      if (before.startsWith('#')) return from >= 1 && after.startsWith('#') && !after.includes('\n');
      // A block comment: edits strictly inside `/*` and `*/` that cannot close it early.
      return before.startsWith('/*') && from >= 2 && to <= before.length - 2 && !/[*/]/.test(inner) && !after.slice(2, -2).includes('*/');
    }
    default:
      return false;
  }
}

function isInteresting(name: string, interest: FactInterest): boolean {
  return interest.callees.has(name) || interest.bindings.has(name) || interest.selectBases.has(name);
}

/** Blanks added or removed between tokens: never inside a string or comment, and never joining or splitting two tokens. */
function blanksOnly(root: Node, text: string, edit: TextEdit): boolean {
  const { start, end } = edit.span;
  const blank = (at: number) => at < 0 || at >= text.length || ' \t\r\n'.includes(text[at]!);
  const content = (n: Node | null) => !!n && (n.type === 'string_fragment' || n.type === 'comment');
  if (start < end) {
    // Removed blanks lie outside every token, and a blank is left where two tokens meet (`a b` never becomes `ab`).
    if (end - start > 256) return false;
    for (let at = start; at < end; at++) if (leafCovering(root, at)) return false;
    return edit.text.length > 0 || blank(start - 1) || blank(end);
  }
  // An insertion next to an existing blank splits no token (`a.b` never becomes `a .b`) and extends no content.
  const left = start > 0 ? leafCovering(root, start - 1) : null;
  const right = leafCovering(root, start);
  if (content(left) || content(right) || (left && right && left.id === right.id)) return false;
  return blank(start - 1) || blank(start);
}
