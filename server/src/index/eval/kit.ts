// Helpers shared by the builtin tables: defining a builtin and merging sets the way `recursiveUpdate` does.
import { attrsOf, ready, type BuiltinImpl, type CallContext, type Thunk, type Value } from './values';

export type Impl = (a: Thunk[], c: CallContext) => Value;

export function fn(name: string, arity: number, impl: Impl): Value {
  return { t: 'builtin', name, arity, args: [], impl: impl as BuiltinImpl };
}

export function deepUpdate(c: CallContext, l: Value, r: Value): Value {
  if (l.t !== 'attrs' || r.t !== 'attrs') return r;
  const out = new Map(l.attrs);
  for (const [k, t] of r.attrs) {
    const prev = out.get(k);
    out.set(k, prev ? ready(deepUpdate(c, c.force(prev), c.force(t))) : t);
  }
  return attrsOf(out, !!(l.partial || r.partial));
}
