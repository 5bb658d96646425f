// `hostlens hosts [--json] [DIR]`: every host the flake defines, its entry modules and the files it reaches.
import type { IndexSnapshot } from '../index/workspaceIndex';
import { renderTable } from './table';

export interface HostsReport {
  root: string;
  hosts: { name: string; kind: string; entry: string[]; files: string[] }[];
  unresolved: { what: string; reason: string }[];
}

export function hostsReport(root: string, snap: IndexSnapshot): HostsReport {
  const hosts = snap.flake.hosts.map((h) => ({
    name: h.name,
    kind: h.kind,
    entry: h.modules.map((m) => (m.kind === 'file' ? m.path : m.kind === 'inline' ? `${m.file} (inline module)` : m.name)),
    files: [...(snap.graph.closures.get(h.name)?.files.keys() ?? [])].sort(),
  }));
  const unresolved = [
    ...snap.flake.unresolved.map((u) => ({ what: u.what, reason: u.reason })),
    ...snap.flake.hosts.flatMap((h) => h.notes.map((n) => ({ what: h.name, reason: n }))),
  ];
  return { root, hosts, unresolved };
}

export function renderHosts(r: HostsReport): string {
  const rows = r.hosts.map((h) => [h.name, h.kind, h.entry.join(', '), String(h.files.length)]);
  let out = renderTable(['HOST', 'KIND', 'ENTRY', 'FILES'], rows);
  if (r.hosts.length === 0) out += '\n(no hosts found)';
  for (const u of r.unresolved) out += `\nunresolved: ${u.what}: ${u.reason}`;
  return out;
}
