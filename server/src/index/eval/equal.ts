// Structural equality of evaluator values, shared by `==` and `elem`.
import type { Value } from './values';

/** Equality for plain data; null when either side is not fully known. */
export function equal(a: Value, b: Value): boolean | null {
  if (a.t === 'unknown' || b.t === 'unknown' || a.t === 'opaque' || b.t === 'opaque') return null;
  if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return a.v === b.v;
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'null': return true;
    case 'bool': case 'string': case 'path': return a.v === (b as typeof a).v;
    default: return null;
  }
}
