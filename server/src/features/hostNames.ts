// Hosts by the names a repo spells them: the flake attribute (`m3tam3re@m3-daedalus`) or the `hostname` special
// argument (`m3-daedalus`); and the file a host starts from.
import { join } from '../base/paths';
import type { FlakeModel, HostDef } from '../index/flake';
import type { IndexSnapshot } from '../index/workspaceIndex';

/** Keyed on the flake model, which the index keeps until the flake is evaluated again. */
const cache = new WeakMap<FlakeModel, Map<string, HostDef>>();

/** The `hostname` a host is built with, when the flake passes a literal one; else the part after `@`. */
export function hostnameOf(host: HostDef): string {
  const args = host.args?.value;
  if (args?.t === 'attrs') {
    const v = args.attrs.get('hostname')?.value;
    if (v?.t === 'string') return v.v;
  }
  const at = host.name.lastIndexOf('@');
  return at >= 0 ? host.name.slice(at + 1) : host.name;
}

/** Every spelling of every host -> the host. */
export function hostKeys(snap: IndexSnapshot): Map<string, HostDef> {
  const flake = snap.flake;
  let keys = cache.get(flake);
  if (!keys) {
    keys = new Map();
    for (const h of flake.hosts) keys.set(h.name, h);
    for (const h of flake.hosts) if (!keys.has(hostnameOf(h))) keys.set(hostnameOf(h), h);
    cache.set(flake, keys);
  }
  return keys;
}

export function hostByKey(snap: IndexSnapshot, key: string): HostDef | null {
  return hostKeys(snap).get(key) ?? null;
}

/** The host's first entry module as a file (a directory means its default.nix). */
export function entryFile(snap: IndexSnapshot, host: HostDef): string | null {
  for (const m of host.modules) {
    if (m.kind !== 'file') continue;
    if (snap.files.isFile(m.path)) return m.path;
    const def = join(m.path, 'default.nix');
    if (snap.files.isFile(def)) return def;
  }
  return null;
}
