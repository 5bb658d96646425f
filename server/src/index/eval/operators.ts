// Nix's binary operators over evaluator values, and how two branches of an unknown condition combine.
import { normalize } from '../../base/paths';
import { equal } from './equal';
import { bool, str, unknown, type Value } from './values';

/** Joins what two branches of an unknown condition give, so neither branch's files are lost. */
export function union(a: Value, b: Value): Value {
  if (a.t === 'list' && b.t === 'list') return { t: 'list', items: [...a.items, ...b.items] };
  if (a.t === 'attrs' && b.t === 'attrs') return { t: 'attrs', attrs: new Map([...b.attrs, ...a.attrs]), partial: true };
  if (a.t === 'list' && b.t === 'unknown') return a;
  if (b.t === 'list' && a.t === 'unknown') return b;
  return a.t === 'unknown' ? b : a;
}

/** Building a path (`./services + "/${f}"`) reads nothing: what uses it (import, readFile, a module value) records it. */
export function binaryOp(op: string, l: Value, r: Value): Value {
  switch (op) {
    case '==': case '!=': {
      const eq = equal(l, r);
      return eq === null ? unknown('comparison of unknowns') : bool(op === '==' ? eq : !eq);
    }
    case '&&': case '||': case '->':
      if (l.t !== 'bool' || r.t !== 'bool') return unknown('logic on unknowns');
      return bool(op === '&&' ? l.v && r.v : op === '||' ? l.v || r.v : !l.v || r.v);
    case '++':
      if (l.t === 'list' && r.t === 'list') return { t: 'list', items: [...l.items, ...r.items] };
      if (l.t === 'list') return { ...l, items: [...l.items] };
      if (r.t === 'list') return { ...r, items: [...r.items] };
      return unknown('concatenation of unknowns');
    case '//':
      if (l.t === 'attrs' && r.t === 'attrs') {
        return { t: 'attrs', attrs: new Map([...l.attrs, ...r.attrs]), partial: !!(l.partial || r.partial), fallback: r.fallback ?? l.fallback };
      }
      if (l.t === 'attrs') return { ...l, partial: true };
      // `nixpkgs.lib // { mine = …; }`: keep the external side for names the set lacks.
      if (r.t === 'attrs') return { ...r, partial: true, fallback: l.t === 'opaque' ? l : r.fallback };
      return unknown('update of unknowns');
    case '+':
      if (l.t === 'path' && r.t === 'string') {
        if (l.abs) return { t: 'path', v: l.v + r.v, abs: true };
        const rel = normalize(l.v + r.v);
        return rel === null ? { t: 'path', v: l.v + r.v, abs: true } : { t: 'path', v: rel };
      }
      if (l.t === 'string' && r.t === 'string') return str(l.v + r.v);
      if (l.t === 'opaque' && r.t === 'string') return { t: 'opaque', path: [...l.path, r.v] };
      if (l.t === 'string' && r.t === 'path') return str(l.v + (r.abs ? r.v : `/${r.v}`));
      return numeric(op, l, r);
    default:
      return numeric(op, l, r);
  }
}

function numeric(op: string, l: Value, r: Value): Value {
  if ((l.t !== 'int' && l.t !== 'float') || (r.t !== 'int' && r.t !== 'float')) return unknown(`${op} on unknowns`);
  const t = l.t === 'float' || r.t === 'float' ? 'float' : 'int';
  switch (op) {
    case '+': return { t, v: l.v + r.v };
    case '-': return { t, v: l.v - r.v };
    case '*': return { t, v: l.v * r.v };
    case '/': return r.v === 0 ? unknown('division by zero') : { t, v: t === 'int' ? Math.trunc(l.v / r.v) : l.v / r.v };
    case '<': return bool(l.v < r.v);
    case '>': return bool(l.v > r.v);
    case '<=': return bool(l.v <= r.v);
    case '>=': return bool(l.v >= r.v);
    default: return unknown(op);
  }
}
