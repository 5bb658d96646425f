// nixpkgs `lib` functions whose meaning depends on where they are reached: `lib.extend` (bound to the lib it
// extends) and the `lib.path` library (not `builtins.path`).
import { fn } from './kit';
import { binaryOp } from './operators';
import { NULL, calling, ready, str, unknown, type AttrsValue, type CallContext, type Thunk, type Value } from './values';

/**
 * `lib.extend overlay` is `fix (extends overlay (self: lib))`: the lib with the overlay's attributes on top, where the
 * overlay sees the finished set as its first argument and the lib before it as its second. The result has its own
 * `extend`, so extending twice keeps both layers; names neither layer defines still come from the external lib.
 */
export function extendOf(base: Value): Value {
  return fn('extend', 1, (a, c) => extended(c, base, a[0]!));
}

function extended(c: CallContext, base: Value, overlay: Thunk): Value {
  // The fixpoint: `self` is a thunk of the result, forced only if the overlay's attribute names need it.
  let self: Thunk | null = null;
  const build = fn('extend', 1, (_a, c2) => {
    const layer = c2.force(calling(overlay, self!, ready(base)));
    const attrs = new Map(base.t === 'attrs' ? base.attrs : []);
    if (layer.t === 'attrs') for (const [k, t] of layer.attrs) attrs.set(k, t);
    attrs.set('extend', ready(fn('extend', 1, (b, c3) => extended(c3, c3.force(self!), b[0]!))));
    const fallback = base.t === 'opaque' ? base : base.t === 'attrs' ? base.fallback : undefined;
    const partial = layer.t !== 'attrs' || !!layer.partial || (base.t === 'attrs' && !!base.partial) || (base.t !== 'attrs' && !fallback);
    const result: AttrsValue = { t: 'attrs', attrs, partial, ...(fallback ? { fallback } : {}) };
    return result;
  });
  self = calling(ready(build), ready(NULL));
  return c.force(self);
}

/** `lib.path.append root "sub/dir"`: `root + "/sub/dir"`; the subpath must be relative (Nix asserts so). */
const pathAppend = fn('append', 2, (a, c) => {
  const base = c.force(a[0]!);
  const sub = c.force(a[1]!);
  if (base.t !== 'path' || sub.t !== 'string' || sub.v === '' || sub.v.startsWith('/')) {
    return base.t === 'unknown' ? base : unknown('lib.path.append of unknown');
  }
  return binaryOp('+', base, str(`/${sub.v}`));
});

/** Functions named by their last two path components (`path.append`), for libs reached as opaque values. */
export const QUALIFIED_LIB: Record<string, Value> = {
  'path.append': pathAppend,
};
