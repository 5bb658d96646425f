// Lowers tree-sitter's concrete tree to the Expr AST, smoothing over the known gaps of the grammar build we ship.
import type { Span } from '../base/text';
import type { AttrKey, Binding, BinaryOp, Expr, Formal, Inherit, Name, Part } from './ast';
import type { RawNode } from './cst';

/** What one node lowers to: an expression, or one entry of a binding set. */
export type LoweredNode = Expr | Binding | Inherit;

/**
 * The nodes one lowering lowered (expressions, bindings, inherits), in the order lowered: a node's inner entries
 * follow it and `size` counts them. It is what the next incremental lowering may reuse (see reuse.ts). Entry i's
 * value has spans `delta[i]` short of `start[i]`/`end[i]` when it was carried over from an earlier lowering without
 * being copied. Parallel arrays rather than one object per entry: a keystroke in a large file carries over tens of
 * thousands of entries, and objects for them were most of its garbage.
 */
export class LowerEntries {
  readonly type: string[] = [];
  readonly value: LoweredNode[] = [];
  // Offsets fit 32 bits (files over the size cap are never parsed); sized up front from the previous lowering.
  start: Int32Array;
  end: Int32Array;
  delta: Int32Array;
  size: Int32Array;
  private count = 0;

  constructor(capacity = 256) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.delta = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
  }

  get length(): number { return this.count; }

  push(type: string, start: number, end: number, value: LoweredNode, delta: number, size: number): number {
    const i = this.count++;
    if (i === this.start.length) this.grow();
    this.type.push(type); this.value.push(value);
    this.start[i] = start; this.end[i] = end; this.delta[i] = delta; this.size[i] = size;
    return i;
  }

  private grow(): void {
    const widen = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
    this.start = widen(this.start); this.end = widen(this.end); this.delta = widen(this.delta); this.size = widen(this.size);
  }
}

/** Pushes a previous entry (index) and its inner entries, moved to `start`, onto `out`; returns its value. */
export type Adopt = (index: number, start: number, out: LowerEntries) => LoweredNode;

export function lower(root: RawNode, text: string): Expr { return lowerRecorded(root, text).ast; }

/** Lowers, taking the previous Expr of nodes marked `reuse` from `adopt`, and lists what it lowered. */
export function lowerRecorded(root: RawNode, text: string, adopt?: Adopt, capacity?: number): { ast: Expr; entries: LowerEntries } {
  const body = named(root).find((c) => c.field === 'expression') ?? named(root)[0];
  const lowerer = new Lowerer(text, adopt, capacity);
  return { ast: body ? lowerer.expr(body) : { kind: 'error', span: span(root) }, entries: lowerer.entries };
}

function span(n: RawNode): Span { return { start: n.start, end: n.end }; }
function named(n: RawNode): RawNode[] { return n.children.filter((c) => c.named && c.type !== 'comment'); }
function field(n: RawNode, name: string): RawNode | undefined { return n.children.find((c) => c.field === name); }

const BINARY_OPS = new Set<string>(['++', '//', '+', '-', '*', '/', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '->']);

class Lowerer {
  readonly entries: LowerEntries;

  constructor(private readonly text: string, private readonly adopt?: Adopt, capacity?: number) {
    this.entries = new LowerEntries(Math.max(16, (capacity ?? 0) + 64));
  }

  private src(n: RawNode): string { return this.text.slice(n.start, n.end); }

  expr(n: RawNode | undefined): Expr {
    if (!n) return { kind: 'error', span: { start: 0, end: 0 } };
    // Error recovery can hand any node type to `expr`: such entries get a type no node has, so they are never reused
    // where the same node is read another way (a `binding` in a binding set).
    return this.recorded(n, () => this.lowerNode(n), n.type.endsWith('_expression') ? n.type : `!${n.type}`);
  }

  /** Lowers `n` with `run`, or adopts its previous value when the reader marked it reusable; lists it either way. */
  private recorded<T extends LoweredNode>(n: RawNode, run: () => T, type = n.type): T {
    if (n.reuse !== undefined && this.adopt) return this.adopt(n.reuse, n.start, this.entries) as T;
    const at = this.entries.push(type, n.start, n.end, null as unknown as T, 0, 0);
    const value = run();
    this.entries.value[at] = value;
    this.entries.size[at] = this.entries.length - at - 1;
    return value;
  }

  private lowerNode(n: RawNode): Expr {
    const s = span(n);
    switch (n.type) {
      case 'variable_expression': {
        const id = field(n, 'name');
        return id && !id.missing ? { kind: 'var', name: this.src(id), span: s } : { kind: 'error', span: s };
      }
      case 'integer_expression': return { kind: 'int', value: Number(this.src(n)), span: s };
      case 'float_expression': return { kind: 'float', value: Number(this.src(n)), span: s };
      case 'string_expression':
      case 'indented_string_expression':
        return { kind: 'string', parts: this.parts(n, n.type === 'indented_string_expression'), span: s };
      case 'path_expression': return { kind: 'path', parts: this.parts(n, false), home: false, span: s };
      case 'hpath_expression': return { kind: 'path', parts: this.parts(n, false), home: true, span: s };
      case 'spath_expression': return { kind: 'spath', name: this.src(n).slice(1, -1), span: s };
      case 'uri_expression': return { kind: 'uri', value: this.src(n), span: s };
      case 'parenthesized_expression': return this.expr(field(n, 'expression') ?? named(n)[0]);
      case 'list_expression': return { kind: 'list', items: named(n).map((c) => this.expr(c)), span: s };
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'let_attrset_expression':
        return { kind: 'attrs', rec: n.type !== 'attrset_expression', ...this.bindingSet(n), span: s };
      case 'let_expression': return { kind: 'let', ...this.bindingSet(n), body: this.expr(field(n, 'body')), span: s };
      case 'function_expression': return this.lambda(n, s);
      case 'apply_expression':
        return { kind: 'apply', fn: this.expr(field(n, 'function')), arg: this.expr(field(n, 'argument')), span: s };
      case 'select_expression': {
        const dflt = field(n, 'default');
        return {
          kind: 'select', expr: this.expr(field(n, 'expression')), path: this.attrpath(field(n, 'attrpath')),
          default: dflt ? this.expr(dflt) : null, span: s,
        };
      }
      case 'has_attr_expression':
        return { kind: 'hasAttr', expr: this.expr(field(n, 'expression')), path: this.attrpath(field(n, 'attrpath')), span: s };
      case 'binary_expression': return this.binary(n, s);
      case 'unary_expression': {
        const op = n.children.find((c) => !c.named)?.type === '!' ? '!' : '-';
        return { kind: 'unary', op, arg: this.expr(field(n, 'argument')), span: s };
      }
      case 'if_expression':
        return {
          kind: 'if', cond: this.expr(field(n, 'condition')), then: this.expr(field(n, 'consequence')),
          else: this.expr(field(n, 'alternative')), span: s,
        };
      case 'with_expression':
        return { kind: 'with', env: this.expr(field(n, 'environment')), body: this.expr(field(n, 'body')), span: s };
      case 'assert_expression':
        return { kind: 'assert', cond: this.expr(field(n, 'condition')), body: this.expr(field(n, 'body')), span: s };
      default:
        return { kind: 'error', span: s };
    }
  }

  /** `|>` and `<|` were parsed as `->` (see maskPipes); the source text between the operands says which it was. */
  private binary(n: RawNode, s: Span): Expr {
    const leftNode = field(n, 'left');
    const rightNode = field(n, 'right');
    const between = this.text.slice(leftNode?.end ?? n.start, rightNode?.start ?? n.end).replace(/#.*$|\/\*[\s\S]*?\*\//gm, '').trim();
    const left = this.expr(leftNode);
    const right = this.expr(rightNode);
    if (between === '|>') return pipeLeft(left, right, s);
    if (between === '<|') return { kind: 'binary', op: '<|', left, right, span: s };
    const tok = n.children.find((c) => c.field === 'operator' || (!c.named && BINARY_OPS.has(c.type)));
    const op = (tok && BINARY_OPS.has(tok.type) ? tok.type : '+') as BinaryOp;
    return { kind: 'binary', op, left, right, span: s };
  }

  private lambda(n: RawNode, s: Span): Expr {
    const universal = field(n, 'universal');
    const formalsNode = field(n, 'formals');
    let formals: Formal[] | null = null;
    let ellipsis = false;
    if (formalsNode) {
      formals = [];
      for (const c of named(formalsNode)) {
        if (c.type === 'ellipses') ellipsis = true;
        else if (c.type === 'formal') {
          const id = field(c, 'name');
          // A trailing comma (`{ a, b, }:`) leaves a MISSING identifier: it is valid Nix, so drop the phantom formal.
          if (!id || id.missing || id.start === id.end) continue;
          const d = field(c, 'default');
          formals.push({ name: this.name(id), default: d ? this.expr(d) : null });
        }
      }
    }
    return {
      kind: 'lambda', param: universal && !universal.missing ? this.name(universal) : null, formals, ellipsis,
      body: this.expr(field(n, 'body')), span: s,
    };
  }

  private name(n: RawNode): Name { return { name: this.src(n), span: span(n) }; }

  private bindingSet(n: RawNode): { bindings: Binding[]; inherits: Inherit[] } {
    const bindings: Binding[] = [];
    const inherits: Inherit[] = [];
    const set = n.children.find((c) => c.type === 'binding_set');
    for (const b of set ? named(set) : []) {
      if (b.type === 'binding') {
        bindings.push(this.recorded(b, (): Binding => ({
          path: this.attrpath(field(b, 'attrpath')), value: this.expr(field(b, 'expression')), span: span(b),
        })));
      } else if (b.type === 'inherit' || b.type === 'inherit_from') {
        inherits.push(this.recorded(b, () => this.inherit(b)));
      }
    }
    return { bindings, inherits };
  }

  private inherit(b: RawNode): Inherit {
    const from = b.type === 'inherit_from' ? this.expr(field(b, 'expression')) : null;
    const attrs = field(b, 'attrs');
    const names: Name[] = [];
    for (const a of attrs ? named(attrs) : []) {
      const key = this.attrKey(a);
      if (key?.kind === 'name') names.push({ name: key.name, span: key.span });
    }
    return { from, names, span: span(b) };
  }

  private attrpath(n: RawNode | undefined): AttrKey[] {
    if (!n) return [];
    const keys: AttrKey[] = [];
    for (const c of named(n)) {
      const key = this.attrKey(c);
      if (key) keys.push(key);
    }
    return keys;
  }

  private attrKey(n: RawNode): AttrKey | null {
    if (n.missing) return null;
    if (n.type === 'identifier') return { kind: 'name', name: this.src(n), span: span(n) };
    if (n.type === 'string_expression') {
      // A reused string has no children to read, but its previous Expr holds the same parts.
      const reused: Expr | null = n.reuse !== undefined ? this.expr(n) : null;
      const parts = reused?.kind === 'string' ? reused.parts : this.parts(n, false);
      if (parts.every((p) => typeof p === 'string')) return { kind: 'name', name: parts.join(''), span: span(n) };
      return { kind: 'dynamic', expr: { kind: 'string', parts, span: span(n) }, span: span(n) };
    }
    if (n.type === 'interpolation') return { kind: 'dynamic', expr: this.expr(field(n, 'expression') ?? named(n)[0]), span: span(n) };
    return null;
  }

  private parts(n: RawNode, indented: boolean): Part[] {
    const parts: Part[] = [];
    const push = (t: string) => {
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + t;
      else parts.push(t);
    };
    for (const c of n.children) {
      if (c.type === 'string_fragment' || c.type === 'path_fragment') push(this.src(c));
      else if (c.type === 'escape_sequence') push(unescape(this.src(c), indented));
      // dollar_escape is only the escaping `\` or `''`; the `$` that follows is an ordinary fragment.
      else if (c.type === 'dollar_escape') continue;
      else if (c.type === 'interpolation') parts.push(this.expr(field(c, 'expression') ?? named(c)[0]));
    }
    return parts;
  }
}

/** `->` is right-associative but `|>` is left: `a |> f |> g` arrives as `a |> (f |> g)` and means `g (f a)`. */
function pipeLeft(left: Expr, right: Expr, s: Span): Expr {
  if (right.kind === 'binary' && right.op === '|>') {
    const inner = pipeLeft(left, right.left, { start: s.start, end: right.left.span.end });
    return pipeLeft(inner, right.right, s);
  }
  return { kind: 'binary', op: '|>', left, right, span: s };
}

function unescape(seq: string, indented: boolean): string {
  if (indented) {
    if (seq === "'''") return "''";
    seq = seq.slice(2);
    if (seq.length === 0) return '';
    return unescape('\\' + seq, false);
  }
  const c = seq.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}
