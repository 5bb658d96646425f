// Import cycles among the workspace's Nix files (`imports`, `import`, `callPackage`), found on the static import graph
// and reported on each import that closes one, naming the whole cycle.
import type { Finding } from '../base/finding';
import { join } from '../base/paths';
import { LineIndex } from '../base/text';
import { lineIndexOf } from '../index/astQueries';
import type { HostGraph } from '../index/hostGraph';
import type { IndexSnapshot } from '../index/workspaceIndex';

/** A file imports `to` (a file, or a directory's default.nix). */
interface Edge { from: string; to: string }

/** For each edge inside a cycle, the cycle it closes (`from` first and last). Cached per host graph: import edges
 * only change when a file's references change, and that rebuilds the graph. */
const cycleCache = new WeakMap<HostGraph, Map<string, string[]>>();

export function importCycleFindings(snap: IndexSnapshot): Finding[] {
  let cycles = cycleCache.get(snap.graph);
  if (!cycles) {
    cycles = findCycles(importEdges(snap));
    cycleCache.set(snap.graph, cycles);
  }
  const out: Finding[] = [];
  for (const [key, cycle] of cycles) {
    const [from, to] = key.split('\0') as [string, string];
    const parsed = snap.parsed(from);
    const lines = parsed ? lineIndexOf(parsed) : new LineIndex('');
    for (const r of snap.summary(from)?.refs ?? []) {
      if (r.kind !== 'import' || r.target === null || resolveImport(snap, r.target) !== to) continue;
      out.push({
        file: from, range: lines.range(r.span), severity: 'warning', source: 'hostlens', code: 'import-cycle',
        message: `Import cycle: ${cycle.join(' -> ')}`,
      });
    }
  }
  return out;
}

function resolveImport(snap: IndexSnapshot, target: string): string | null {
  if (snap.files.isFile(target)) return target.endsWith('.nix') ? target : null;
  const def = join(target, 'default.nix');
  return snap.files.isDir(target) && snap.files.isFile(def) ? def : null;
}

function importEdges(snap: IndexSnapshot): Edge[] {
  const edges: Edge[] = [];
  for (const file of snap.files.files) {
    if (!file.endsWith('.nix')) continue;
    const seen = new Set<string>();
    for (const r of snap.summary(file)?.refs ?? []) {
      if (r.kind !== 'import' || r.target === null) continue;
      const to = resolveImport(snap, r.target);
      if (to && !seen.has(to)) { seen.add(to); edges.push({ from: file, to }); }
    }
  }
  return edges;
}

/** Tarjan's strongly connected components (iterative); every edge inside one gets its shortest way back. */
function findCycles(edges: readonly Edge[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const succ = new Map<string, string[]>();
  for (const e of edges) {
    const list = succ.get(e.from);
    if (list) list.push(e.to); else succ.set(e.from, [e.to]);
  }
  const component = components(succ);
  for (const e of edges) {
    const c = component.get(e.from);
    if (c === undefined || c !== component.get(e.to)) continue;
    // A file importing itself is a cycle of one; otherwise the way back from `to` closes it.
    const back = e.from === e.to ? [e.to] : shortestPath(succ, component, c, e.to, e.from);
    if (back) out.set(`${e.from}\0${e.to}`, [e.from, ...back]);
  }
  return out;
}

function components(succ: Map<string, string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let comp = 0;
  for (const root of succ.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      if (i === 0 && !index.has(v)) {
        index.set(v, counter); low.set(v, counter); counter++;
        stack.push(v); onStack.add(v);
      }
      const next = succ.get(v) ?? [];
      if (i < next.length) {
        top[1] = i + 1;
        const w = next[i]!;
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) === index.get(v)) {
        const members: string[] = [];
        for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
          onStack.delete(w);
          members.push(w);
          if (w === v) break;
        }
        for (const m of members) component.set(m, comp);
        comp++;
      }
    }
  }
  return component;
}

/** Breadth-first inside one component: the files from `start` to `goal`, both included. */
function shortestPath(succ: Map<string, string[]>, component: Map<string, number>, c: number, start: string, goal: string): string[] | null {
  const prev = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    if (v === goal) {
      const path: string[] = [];
      for (let p: string | null | undefined = v; p; p = prev.get(p)) path.unshift(p);
      return path;
    }
    for (const w of succ.get(v) ?? []) {
      if (!prev.has(w) && component.get(w) === c) { prev.set(w, v); queue.push(w); }
    }
  }
  return null;
}
