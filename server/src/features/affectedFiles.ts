// Hosts affected by a set of changed files, for `hostlens affected` and CI: the union, and the reason per file.
import { FLAKE } from '../index/flake';
import type { IndexSnapshot } from '../index/workspaceIndex';

/** Files whose change affects every host: the flake itself and its lock file. */
const FLEET_WIDE = new Set([FLAKE, 'flake.lock']);

export interface AffectedReport { files: Record<string, string[]>; hosts: string[] }

/**
 * `deleted` files no longer exist: they affect the hosts that still reference them (now a missing reference); a file
 * that referenced them changed too and brings its own hosts.
 */
export function affectedBy(snap: IndexSnapshot, changed: readonly string[], deleted: readonly string[] = []): AffectedReport {
  const all = snap.flake.hosts.map((h) => h.name).sort();
  const files: Record<string, string[]> = {};
  for (const f of changed) files[f] = FLEET_WIDE.has(f) ? all : snap.hostsOf(f);
  for (const f of deleted) {
    if (FLEET_WIDE.has(f)) { files[f] = all; continue; }
    const hosts = new Set<string>();
    for (const m of snap.graph.missing) if (m.target === f || m.target.startsWith(`${f}/`)) m.hosts.forEach((h) => hosts.add(h));
    files[f] = [...hosts].sort();
  }
  const union = new Set(Object.values(files).flat());
  return { files, hosts: [...union].sort() };
}
