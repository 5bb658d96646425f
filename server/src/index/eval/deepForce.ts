// Forces a value's attributes and list items to a bounded depth, so that every file a module would read is seen.
import type { Evaluator } from './evaluator';
import type { Value } from './values';

/**
 * Visits at most `maxNodes` values, none deeper than `maxDepth`; lambdas are not applied, so paths inside them come
 * from the syntax instead. The flake's own outputs (`self` given to a module) are not entered: holding `self` in a
 * value (`nix.registry.self.flake = self`) does not evaluate every host. `visit` sees each value reached.
 */
export function deepForce(ev: Evaluator, root: Value, maxDepth = 8, maxNodes = 4000, onValue?: (v: Value) => void): void {
  let budget = maxNodes;
  const seen = new Set<Value>();
  const visit = (v: Value, depth: number): void => {
    if (--budget < 0 || seen.has(v)) return;
    seen.add(v);
    onValue?.(v);
    if (depth >= maxDepth || (v.t === 'attrs' && v.flake)) return;
    if (v.t === 'attrs') for (const t of v.attrs.values()) visit(ev.force(t), depth + 1);
    else if (v.t === 'list') for (const t of v.items) visit(ev.force(t), depth + 1);
  };
  visit(root, 0);
}
