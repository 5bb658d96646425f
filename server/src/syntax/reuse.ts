// Incremental lowering: after an edit, subtrees untouched by it keep their previous Expr (shifted), so a keystroke
// costs cursor crossings into wasm near the edit only, not for the whole file.
import type { Span } from '../base/text';
import type { RawNode, ReuseCheck } from './cst';
import type { Adopt, LowerEntry, LoweredNode } from './lower';
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
    // Clamped exactly as NixParser.reparse clamps, so offsets agree with the text it builds.
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
export function reuseCheck(old: readonly LowerEntry[], changed: Changed | null): ReuseCheck {
  const { lo, hi, delta } = changed ?? { lo: Infinity, hi: -Infinity, delta: 0 };
  const stride = 2 ** 26;
  let byKey: Map<number, number> | null = null;
  const find = (type: string, start: number, end: number): number | undefined => {
    if (!byKey) {
      byKey = new Map();
      for (let i = 0; i < old.length; i++) {
        const e = old[i]!;
        const key = e.start * stride + e.end;
        byKey.set(key, byKey.has(key) ? -1 : i);
      }
    }
    const i = byKey.get(start * stride + end);
    return i !== undefined && i >= 0 && old[i]!.type === type ? i : undefined;
  };
  return (node, parent, hasError) => {
    // Tiny nodes cost less to read than to look up. Only expression nodes: error recovery can lower other node types
    // (`formals`) as expressions, and the lowering reads those by their children elsewhere.
    if (node.end - node.start < 4 || node.end >= stride || !reusable(node, parent)) return undefined;
    let shift: number;
    if (node.end <= lo - MARGIN) shift = 0;
    else if (node.start >= hi + MARGIN) shift = delta;
    else return undefined;
    const i = find(node.type, node.start - shift, node.end - shift);
    return i === undefined || hasError() ? undefined : i;
  };
}

/** Adopts a previous entry (and every entry inside it) into a new lowering, shifted to the node's new offset. */
export function adopter(old: readonly LowerEntry[]): Adopt {
  return (index, start, out) => {
    const top = old[index]!;
    const d = start - top.start;
    const total = top.delta + d;
    // Unmoved values are plain immutable data, so the new AST shares them; moved ones are copied once, here, and
    // inner entries keep their old value and the shift still owed, paid only if one of them is adopted later.
    const value = total === 0 ? top.value : (shifted(top.value, total) as LoweredNode);
    out.push(total === 0 && d === 0 ? top : { type: top.type, start, end: top.end + d, value, delta: 0, size: top.size });
    const last = index + top.size;
    for (let j = index + 1; j <= last; j++) {
      const e = old[j]!;
      out.push(d === 0 ? e : { type: e.type, start: e.start + d, end: e.end + d, value: e.value, delta: e.delta + d, size: e.size });
    }
    return value;
  };
}

/** A deep copy of AST data with every span moved by `d`. */
function shifted(v: unknown, d: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => shifted(x, d));
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const x = src[k];
    out[k] = k === 'span' ? { start: (x as Span).start + d, end: (x as Span).end + d } : shifted(x, d);
  }
  return out;
}
