// What an evaluation records besides its value: file references, files whose function was called, pruned branches;
// all kept as strings in one set, so a cached thunk replays every kind when another evaluation reuses it.
import type { Span } from '../../base/text';
import type { Value } from './values';

export interface PrunedBranch { file: string; span: Span }

export interface Collected {
  value: Value;
  refs: Set<string>;
  /** Files whose function Nix code called with arguments (`import ./lib { … }`): helpers, not modules of the host. */
  called: Set<string>;
  /** Branches a known condition ruled out: path literals inside them are not references of this evaluation. */
  pruned: PrunedBranch[];
}

// A NUL never appears in a workspace path, so the markers cannot be mistaken for one.
const CALLED = '\0called:';
const PRUNED = '\0pruned:';

export const calledMark = (file: string): string => CALLED + file;
export const prunedMark = (file: string, span: Span): string => `${PRUNED}${span.start}:${span.end}:${file}`;

export function splitRecords(value: Value, raw: Iterable<string>): Collected {
  const out: Collected = { value, refs: new Set(), called: new Set(), pruned: [] };
  for (const r of raw) {
    if (r.startsWith(CALLED)) out.called.add(r.slice(CALLED.length));
    else if (r.startsWith(PRUNED)) {
      const [start, end, ...file] = r.slice(PRUNED.length).split(':');
      out.pruned.push({ file: file.join(':'), span: { start: Number(start), end: Number(end) } });
    } else out.refs.add(r);
  }
  return out;
}
