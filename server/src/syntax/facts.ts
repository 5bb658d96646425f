// The few syntactic facts the host index needs (path literals, calls, conditions, chosen bindings and selects),
// found from their spelling in the text and confirmed on the tree, so their cost follows their number, not file size.
import type { Node, Tree } from 'web-tree-sitter';
import type { Span } from '../base/text';

/** What the caller cares about, so that only relevant calls, bindings and selects are returned. */
export interface FactInterest {
  /** Function names (last attribute: `lib.optional` is `optional`). */
  callees: ReadonlySet<string>;
  /**
   * Of `callees`, those that only qualify path literals (a condition around them, an import of them): in a file
   * without path literals their calls are not looked for, nor are `if` and `&&`/`||` conditions.
   */
  pathQualifiers?: ReadonlySet<string>;
  /** Binding names (last attribute: `foo.imports` is `imports`). */
  bindings: ReadonlySet<string>;
  /** Variables whose selects matter (`self` in `self.overlays.x`). */
  selectBases: ReadonlySet<string>;
}

export interface PathFact { span: Span; text: string; interpolated: boolean; home: boolean }
/** `f a` is argument 1 of `f`; `f a b`'s `b` is argument 2. */
export interface CallFact { callee: string; argument: 1 | 2; span: Span; argSpan: Span }
export type ValueShape = 'path' | 'select' | 'attrs' | 'lambda' | 'list' | 'other';
export interface BindingFact { name: string; span: Span; valueSpan: Span; shape: ValueShape; items: ValueShape[] }
export interface SelectFact { base: string; attrs: (string | null)[]; span: Span }

export interface SyntaxFacts {
  paths: PathFact[];
  calls: CallFact[];
  /** Spans that run only under a condition: `if` branches and the right side of `&&`/`||`. */
  conditionalSpans: Span[];
  bindings: BindingFact[];
  selects: SelectFact[];
  /** `./dir + "/x"`: a path built at evaluation time. */
  pathConcatenation: boolean;
}

function span(n: Node): Span { return { start: n.startIndex, end: n.endIndex }; }
const same = (a: Node | null | undefined, b: Node | null | undefined) => !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;

function shape(n: Node): ValueShape {
  if (n.type !== 'parenthesized_expression') return shapeOfType(n.type);
  const inner = n.firstNamedChild;
  return inner ? shape(inner) : 'other';
}

function shapeOfType(type: string): ValueShape {
  switch (type) {
    case 'path_expression': case 'hpath_expression': return 'path';
    case 'select_expression': return 'select';
    case 'attrset_expression': case 'rec_attrset_expression': return 'attrs';
    case 'function_expression': return 'lambda';
    case 'list_expression': return 'list';
    default: return 'other';
  }
}

function attrName(n: Node): string | null {
  if (n.type === 'identifier') return n.text;
  if (n.type === 'string_expression' && n.namedChildren.every((c) => c?.type === 'string_fragment')) return n.text.slice(1, -1);
  return null;
}

/** Offsets where `name` occurs as a whole identifier (Nix identifiers may hold `-` and `'`). */
function occurrences(text: string, name: string): number[] {
  const out: number[] = [];
  const ident = /[A-Za-z0-9_'-]/;
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) {
    if ((i > 0 && ident.test(text[i - 1]!)) || ident.test(text[i + name.length] ?? '')) continue;
    out.push(i);
  }
  return out;
}

function identifierAt(root: Node, offset: number, length: number): Node | null {
  const n = root.descendantForIndex(offset, offset + length);
  return n && n.type === 'identifier' && n.startIndex === offset && n.endIndex === offset + length ? n : null;
}

/** `name arg` or `a.b.name arg` (argument 1) and `name x arg` (argument 2), from the identifier `name`. */
function callsOf(id: Node, callee: string): CallFact[] {
  let fn: Node | null = id.parent;
  if (fn?.type === 'attrpath') {
    const last = fn.lastNamedChild;
    fn = same(last, id) && fn.parent?.type === 'select_expression' ? fn.parent : null;
  } else if (fn?.type !== 'variable_expression') fn = null;
  const first = fn?.parent;
  if (!fn || first?.type !== 'apply_expression' || !same(first.childForFieldName('function'), fn)) return [];
  const out: CallFact[] = [];
  const arg1 = first.childForFieldName('argument');
  if (arg1) out.push({ callee, argument: 1, span: span(first), argSpan: span(arg1) });
  const second = first.parent;
  const arg2 = second?.type === 'apply_expression' && same(second.childForFieldName('function'), first) ? second.childForFieldName('argument') : null;
  if (second && arg2) out.push({ callee, argument: 2, span: span(second), argSpan: span(arg2) });
  return out;
}

function bindingOf(id: Node, name: string): BindingFact | null {
  const attrpath = id.parent;
  if (attrpath?.type !== 'attrpath' || !same(attrpath.lastNamedChild, id)) return null;
  const binding = attrpath.parent;
  const value = binding?.type === 'binding' ? binding.childForFieldName('expression') : null;
  if (!binding || !value) return null;
  const s = shape(value);
  return { name, span: span(binding), valueSpan: span(value), shape: s, items: s === 'list' ? itemShapes(value) : [] };
}

/**
 * The shapes of a list's elements, read with a cursor: an `imports` list of a hundred modules would otherwise cost a
 * Node object (and a crossing into wasm) per element.
 */
function itemShapes(list: Node): ValueShape[] {
  const out: ValueShape[] = [];
  const cursor = list.walk();
  try {
    for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
      if (!cursor.nodeIsNamed) continue;
      const type = cursor.nodeType;
      if (type === 'comment') continue;
      // Only a parenthesized element needs its inside, as `shape` reads it.
      out.push(type === 'parenthesized_expression' ? shape(cursor.currentNode) : shapeOfType(type));
    }
  } finally {
    cursor.delete();
  }
  return out;
}

function selectOf(id: Node, base: string): SelectFact | null {
  const variable = id.parent;
  const select = variable?.type === 'variable_expression' ? variable.parent : null;
  if (select?.type !== 'select_expression' || !same(select.childForFieldName('expression'), variable)) return null;
  const attrs = select.childForFieldName('attrpath');
  return { base, attrs: (attrs?.namedChildren ?? []).flatMap((c) => (c ? [attrName(c)] : [])), span: span(select) };
}

/** Every path node: each holds a `/`, so the slashes of the text find them all (the rest are strings, comments, `/`). */
function pathFacts(root: Node, text: string, facts: SyntaxFacts): void {
  let broken: boolean | undefined;
  for (let i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) {
    // A path's first slash follows its literal prefix (`.`, `~`, a name, or nothing for `/abs`), never `}` (a
    // string's "${x}/bin"), `:` (a URI), a quote, or another `/` or `*` (`//`, comments).
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if (before === 125 || before === 58 || before === 47 || before === 42 || before === 34 || before === 39 || after === 47 || after === 42) continue;
    let n: Node | null = root.descendantForIndex(i, i + 1);
    if (n?.type === 'string_fragment' || n?.type === 'comment') continue;
    for (let up = 0; n && up < 3 && n.type !== 'path_expression' && n.type !== 'hpath_expression'; up++) n = n.parent;
    if (!n || (n.type !== 'path_expression' && n.type !== 'hpath_expression')) continue;
    broken ??= root.hasError;
    // One read of the end (a crossing into wasm); the text is the caller's.
    const start = n.startIndex;
    const end = n.endIndex;
    const t = text.slice(start, end);
    facts.paths.push({ span: { start, end }, text: t, interpolated: t.includes('${'), home: n.type === 'hpath_expression' });
    // In an error-free tree only a `+` after the path makes it the left side of a concatenation, so the parent is
    // asked then (error recovery may put other nodes between the two).
    if (broken || nextNonBlank(text, end) === '+') {
      const parent = n.parent;
      if (parent?.type === 'binary_expression' && same(parent.childForFieldName('left'), n) && parent.childForFieldName('operator')?.type === '+') {
        facts.pathConcatenation = true;
      }
    }
    i = Math.max(i, end - 1); // the rest of this path's slashes are its own
  }
}

/** The first character at or after `from` that is neither blank nor inside a comment. */
function nextNonBlank(text: string, from: number): string {
  let i = from;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (text[i] === '#') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return '';
      i = eol + 1;
    } else if (text[i] === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return '';
      i = close + 2;
    } else {
      return text[i] ?? '';
    }
  }
}

/** `if` branches and the right side of `&&`/`||`, found from their keywords and operators. */
function conditionalFacts(root: Node, text: string, facts: SyntaxFacts): void {
  for (const at of occurrences(text, 'if')) {
    const n = root.descendantForIndex(at, at + 2);
    const e = n?.type === 'if' ? n.parent : null;
    if (e?.type !== 'if_expression') continue;
    for (const f of ['consequence', 'alternative']) { const b = e.childForFieldName(f); if (b) facts.conditionalSpans.push(span(b)); }
  }
  for (const op of ['&&', '||']) {
    for (let i = text.indexOf(op); i >= 0; i = text.indexOf(op, i + 2)) {
      const n = root.descendantForIndex(i, i + 2);
      const e = n?.type === op ? n.parent : null;
      const right = e?.type === 'binary_expression' ? e.childForFieldName('right') : null;
      if (right) facts.conditionalSpans.push(span(right));
    }
  }
}

/**
 * Query patterns cost time in proportion to the whole tree, and reading every node from JS more so; the constructs
 * that matter are rare and have a telltale spelling, so they are found in the text and checked against the tree
 * where they occur. A keystroke in a large file then costs microseconds here.
 */
export function extractFacts(tree: Tree, text: string, interest: FactInterest, qualifyPaths?: boolean): SyntaxFacts {
  const facts: SyntaxFacts = { paths: [], calls: [], conditionalSpans: [], bindings: [], selects: [], pathConcatenation: false };
  // One root node for every look-up: each `tree.rootNode` is a new object and a crossing into wasm.
  const root = tree.rootNode;
  pathFacts(root, text, facts);
  // Most modules hold no path literal: then conditions and the calls that qualify paths tell the index nothing.
  // (A stretch of a file read on its own takes the whole file's answer: windowEdit.ts.)
  const qualify = qualifyPaths ?? facts.paths.length > 0;
  if (qualify) conditionalFacts(root, text, facts);
  for (const [at, name] of wordOccurrences(text, interest)) {
    if (!qualify && interest.pathQualifiers?.has(name) && !interest.bindings.has(name) && !interest.selectBases.has(name)) continue;
    if (!mayMatter(text, at + name.length, name, interest)) continue;
    const id = identifierAt(root, at, name.length);
    if (!id) continue;
    if (interest.callees.has(name)) facts.calls.push(...callsOf(id, name));
    if (interest.bindings.has(name)) { const b = bindingOf(id, name); if (b) facts.bindings.push(b); }
    if (interest.selectBases.has(name)) { const sel = selectOf(id, name); if (sel) facts.selects.push(sel); }
  }
  facts.paths.sort((a, b) => a.span.start - b.span.start);
  return facts;
}

/**
 * What follows a name rules most occurrences out before asking the tree: a select base is followed by `.`, a binding
 * name by `=` (or `.` in `a.imports.b`), and a callee by its argument, never by `;` `,` `)` `]` `}` `=` or `?`.
 */
function mayMatter(text: string, end: number, name: string, interest: FactInterest): boolean {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  const next = text[i] ?? '';
  if (interest.selectBases.has(name) && next === '.') return true;
  if (interest.bindings.has(name) && (next === '=' || next === '.')) return true;
  return interest.callees.has(name) && !';,)]}=?'.includes(next) && next !== '';
}

const wordPatterns = new WeakMap<FactInterest, RegExp>();

/** One pass over the text for every name of interest, as whole identifiers (which may hold `-` and `'`). */
function wordOccurrences(text: string, interest: FactInterest): [number, string][] {
  let re = wordPatterns.get(interest);
  if (!re) {
    const names = [...new Set([...interest.callees, ...interest.bindings, ...interest.selectBases])];
    re = new RegExp(`(?<![A-Za-z0-9_'-])(?:${names.map((n) => n.replace(/[^A-Za-z0-9_]/g, '\\$&')).join('|')})(?![A-Za-z0-9_'-])`, 'g');
    wordPatterns.set(interest, re);
  }
  const out: [number, string][] = [];
  for (const m of text.matchAll(re)) out.push([m.index, m[0]]);
  return out;
}
