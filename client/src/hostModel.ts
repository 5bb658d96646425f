// What the Hosts view and the status bar show, as plain data: a host's files grouped as entry / host / common /
// modules, its description (kind and flags), and the status bar text for a file. No vscode import (unit-tested).
import type { FileHostsResult, HostRef, HostsResult } from '../../server/src/shared/protocol';

export type HostInfo = HostsResult['hosts'][number] & { flags?: unknown };
export type FileGroup = 'entry' | 'host' | 'common' | 'modules';

export const GROUP_ORDER: readonly FileGroup[] = ['entry', 'host', 'common', 'modules'];

export const GROUP_TOOLTIP: Record<FileGroup, string> = {
  entry: 'The modules flake.nix gives this host',
  host: "Files in the host's own folder",
  common: 'Shared configuration (a common/ or shared/ folder)',
  modules: 'Reusable modules, overlays, packages, secrets and everything else the host reaches',
};

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const under = (file: string, dir: string) => dir !== '' && file.startsWith(`${dir}/`);

/** The file an entry stands for: itself, or its `default.nix` when the entry is a folder. */
function entryFiles(host: HostInfo): string[] {
  const files = new Set(host.files);
  return host.entry.flatMap((e) => (files.has(e) ? [e] : files.has(`${e}/default.nix`) ? [`${e}/default.nix`] : []));
}

/** The file "open entry" opens, or null when the entry is not a workspace file. */
export function entryFile(host: HostInfo): string | null {
  return entryFiles(host)[0] ?? null;
}

/** The host's own folders: entry folders, the folder of an entry file, and `hosts/<name>` by convention. */
function hostDirs(host: HostInfo): string[] {
  const files = new Set(host.files);
  const dirs = new Set<string>();
  for (const e of host.entry) dirs.add(files.has(e) ? dirOf(e) : e);
  const short = host.name.split('@').pop() ?? host.name;
  if (host.files.some((f) => under(f, `hosts/${short}`))) dirs.add(`hosts/${short}`);
  dirs.delete('');
  return [...dirs];
}

/** Non-empty groups in display order, files sorted. */
export function groupFiles(host: HostInfo): { group: FileGroup; files: string[] }[] {
  const entries = new Set(entryFiles(host));
  const dirs = hostDirs(host);
  const groups: Record<FileGroup, string[]> = { entry: [...entries], host: [], common: [], modules: [] };
  for (const f of host.files) {
    if (entries.has(f)) continue;
    if (dirs.some((d) => under(f, d))) groups.host.push(f);
    else if (f.split('/').slice(0, -1).some((seg) => seg === 'common' || seg === 'shared')) groups.common.push(f);
    else groups.modules.push(f);
  }
  return GROUP_ORDER.filter((g) => groups[g].length > 0).map((g) => ({ group: g, files: [...groups[g]].sort() }));
}

/**
 * Host flags as the server may report them (issue 4 adds them): a list of names, or a map where `true` shows the
 * name, other values `name=value`, and `false`/null are left out.
 */
export function flagsText(flags: unknown): string {
  if (Array.isArray(flags)) return flags.filter((f): f is string => typeof f === 'string').join(', ');
  if (flags && typeof flags === 'object') {
    return Object.entries(flags as Record<string, unknown>)
      .filter(([, v]) => v !== false && v !== null && v !== undefined)
      .map(([k, v]) => (v === true ? k : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`))
      .join(', ');
  }
  return '';
}

/** The tree item's description: the kind, then the flags when there are any. */
export function hostDescription(host: HostInfo): string {
  const flags = flagsText(host.flags);
  return flags ? `${host.kind} · ${flags}` : host.kind;
}

export function hostTooltip(host: HostInfo): string {
  const flags = flagsText(host.flags);
  const entry = entryFile(host) ?? host.entry[0] ?? '(no workspace entry)';
  return [`${host.name} (${host.kind})`, `entry: ${entry}`, `${host.files.length} files`, ...(flags ? [`flags: ${flags}`] : [])].join('\n');
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The status bar for a Nix file: `⬡ 2 hosts`, the host list in the tooltip, and what a click does. */
export function statusBarModel(result: FileHostsResult | null, trusted: boolean): { text: string; tooltip: string; ariaLabel: string; hosts: HostRef[] } | null {
  if (!result) return null;
  const names = result.hosts.map((h) => h.name);
  const text = `⬡ ${names.length === 0 ? 'no host' : plural(names.length, 'host')}`;
  const list = names.length === 0 ? 'This file reaches no host.' : `Reaches ${names.length} of ${plural(result.total, 'host')}:\n${names.map((n) => `• ${n}`).join('\n')}`;
  const action = names.length === 0 ? '' : trusted ? '\n\nClick to dry-run them.' : '\n\nDry-runs are disabled until this workspace is trusted.';
  return {
    text,
    tooltip: `${list}${action}`,
    ariaLabel: `Hostlens: this file reaches ${names.length === 0 ? 'no host' : `${plural(names.length, 'host')}: ${names.join(', ')}`}`,
    hosts: result.hosts,
  };
}
