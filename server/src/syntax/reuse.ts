// Incremental lowering: after an edit, subtrees untouched by it keep their previous Expr (shifted), so a keystroke
// costs cursor crossings into wasm near the edit only, not for the whole file.
import type { Span } from '../base/text';
import type { RawNode, ReuseCheck } from './cst';
import type { Adopt, LowerEntries, LoweredNode } from './lower';
import type { TextEdit } from './parser';

/**
 * What changed since the last lowering, as one stretch [lo, hi) of the current text: text before `lo` is unchanged,
 * text from `hi` on was at `offset - delta` before. Coarse (one stretch for all edits) but simple to keep right.
 */
export interface Changed { lo: number; hi: number; delta: number }

/** Node types the lowering reads only through their own entry (see Lowerer.recorded); bindings only in a set. */
function reusable(node: RawNode, parent: RawNode): boolean {
  if (node.type.endsWith('_expression')) return true;
  return parent.type === 'binding_set' && (node.type === 'binding' || node.type === 'inherit' || node.type === 'inherit_from');
}

/** Unchanged text right next to an edit can still parse differently (masked pipes, tokens that join): keep clear. */
const MARGIN = 2;

/** Folds `edits` (each against the text the previous produced, from `text`) into `changed`. */
export function foldEdits(changed: Changed | null, text: string, edits: readonly TextEdit[]): Changed {
  let { lo, hi, delta } = changed ?? { lo: Infinity, hi: -Infinity, delta: 0 };
  let length = text.length;
  for (const edit of edits) {
    // Clamped exactly as parser.ts editTree clamps, so offsets agree with the text it builds.
    const s = Math.max(0, Math.min(edit.span.start, length));
    const e = Math.max(s, Math.min(edit.span.end, length));
    const d = edit.text.length - (e - s);
    const map = (x: number, inside: number) => (x <= s ? x : x >= e ? x + d : inside);
    lo = Math.min(Number.isFinite(lo) ? map(lo, s) : lo, s);
    hi = Math.max(Number.isFinite(hi) ? map(hi, s + edit.text.length) : hi, s + edit.text.length);
    delta += d;
    length += d;
  }
  return { lo, hi, delta };
}

/**
 * Which new-tree nodes may take a previous Expr: outside the changed stretch (so their text is the same), free of
 * errors (so they add no syntax problems), and lowered before as the same node type at the same old span (and only
 * once there). An error-free node of one type over one text has one parse, so its Expr is the same.
 * NOTE: tree-sitter's getChangedRanges is not consulted: whitespace typed before a binding reports everything to the
 * end of the enclosing set as changed, which would leave almost nothing to reuse.
 */
export function reuseCheck(old: LowerEntries, changed: Changed | null): ReuseCheck {
  const { lo, hi, delta } = changed ?? { lo: Infinity, hi: -Infinity, delta: 0 };
  // Entries are in document order, so starts never decrease: a binary search finds a span without building a map.
  const find = (type: string, start: number, end: number): number | undefined => {
    const starts = old.start;
    const count = old.length;
    let a = 0;
    let b = count;
    while (a < b) { const m = (a + b) >>> 1; if (starts[m]! < start) a = m + 1; else b = m; }
    let found: number | undefined;
    for (let i = a; i < count && starts[i] === start; i++) {
      if (old.end[i] !== end) continue;
      if (found !== undefined) return undefined; // the same span twice: ambiguous, so lowered afresh
      found = i;
    }
    return found !== undefined && old.type[found] === type ? found : undefined;
  };
  return (node, parent, hasError) => {
    // Tiny nodes cost less to read than to look up. Only expression nodes: error recovery can lower other node types
    // (`formals`) as expressions, and the lowering reads those by their children elsewhere.
    if (node.end - node.start < 4 || !reusable(node, parent)) return undefined;
    let shift: number;
    if (node.end <= lo - MARGIN) shift = 0;
    else if (node.start >= hi + MARGIN) shift = delta;
    else return undefined;
    const i = find(node.type, node.start - shift, node.end - shift);
    return i === undefined || hasError() ? undefined : i;
  };
}

/** Adopts a previous entry (and every entry inside it) into a new lowering, shifted to the node's new offset. */
export function adopter(old: LowerEntries): Adopt {
  return (index, start, out) => {
    const d = start - old.start[index]!;
    const total = old.delta[index]! + d;
    // Unmoved values are plain immutable data, so the new AST shares them; moved ones are copied once, here, and
    // inner entries keep their old value and the shift still owed, paid only if one of them is adopted later.
    const value = total === 0 ? old.value[index]! : (shifted(old.value[index], total) as LoweredNode);
    out.push(old.type[index]!, start, old.end[index]! + d, value, 0, old.size[index]!);
    const last = index + old.size[index]!;
    for (let j = index + 1; j <= last; j++) {
      out.push(old.type[j]!, old.start[j]! + d, old.end[j]! + d, old.value[j]!, old.delta[j]! + d, old.size[j]!);
    }
    return value;
  };
}

/** A deep copy of AST data with every span moved by `d`. */
function shifted(v: unknown, d: number): unknown {
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) { const x: unknown = v[i]; out[i] = typeof x === 'object' && x !== null ? shifted(x, d) : x; }
    return out;
  }
  // Spread first: V8 clones a plain object with its hidden class in one step, then only object fields are replaced.
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k in out) {
    const x = out[k];
    if (typeof x !== 'object' || x === null) continue;
    out[k] = k === 'span' ? { start: (x as Span).start + d, end: (x as Span).end + d } : shifted(x, d);
  }
  return out;
}
