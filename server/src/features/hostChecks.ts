// Host consistency only the fleet index can see: a NixOS host whose `networking.hostName` literal differs from its flake
// attribute, and files under `hosts/` that no host reaches (forgotten or orphaned modules).
import type { Finding } from '../base/finding';
import type { Span } from '../base/text';
import { calleeName, callArgs, lineIndexOf } from '../index/astQueries';
import { mayMention, optionsOf } from '../index/optionIndex';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { hostnameOf } from './hostNames';
import { literalText } from '../syntax/walk';

interface HostNameDef { value: string; span: Span }

const PRIORITY_WRAPPERS = new Set(['mkDefault', 'mkForce', 'mkOverride', 'mkOptionDefault']);
const defsCache = new WeakMap<ParsedFile, HostNameDef[]>();

/** `networking.hostName = "x";` (also nested, under `config`, or wrapped in `mkDefault`/`mkForce`) with a literal value. */
/** Whether `parsed` defines a literal hostName, so that editing it can change the hostName findings. */
export function definesHostName(parsed: ParsedFile): boolean { return hostNameDefs(parsed).length > 0; }

function hostNameDefs(parsed: ParsedFile): HostNameDef[] {
  let defs = defsCache.get(parsed);
  if (!defs) {
    defs = [];
    if (mayMention(parsed.text, ['networking', 'hostName'])) {
      for (const site of optionsOf(parsed).sites) {
        if (site.kind !== 'def' || site.key !== 'networking.hostName' || !site.value) continue;
        const lit = literalValue(site.value);
        if (lit) defs.push(lit);
      }
    }
    defsCache.set(parsed, defs);
  }
  return defs;
}

function literalValue(e: Expr): HostNameDef | null {
  if (e.kind === 'apply' && PRIORITY_WRAPPERS.has(calleeName(e)?.name ?? '')) {
    const last = callArgs(e).pop();
    return last ? literalValue(last) : null;
  }
  const text = e.kind === 'string' ? literalText(e) : null;
  return text === null ? null : { value: text, span: e.span };
}

/**
 * For each NixOS host, the literal hostName definitions its modules make. None equal to the attribute name (or the
 * `hostname` it is built with) is a mismatch; one that matches means the others are overridden or conditional.
 */
export function hostNameFindings(snap: IndexSnapshot): Finding[] {
  const byDef = new Map<string, { file: string; def: HostNameDef; hosts: string[] }>();
  for (const host of snap.flake.hosts) {
    if (host.kind !== 'nixos') continue;
    const closure = snap.graph.closures.get(host.name);
    if (!closure) continue;
    const defs: { file: string; def: HostNameDef }[] = [];
    for (const file of closure.files.keys()) {
      const parsed = file.endsWith('.nix') ? snap.parsed(file) : null;
      if (parsed) for (const def of hostNameDefs(parsed)) defs.push({ file, def });
    }
    const wanted = new Set([host.name, hostnameOf(host)]);
    if (defs.length === 0 || defs.some((d) => wanted.has(d.def.value))) continue;
    for (const d of defs) {
      const key = `${d.file}\0${d.def.span.start}`;
      const entry = byDef.get(key) ?? { ...d, hosts: [] };
      entry.hosts.push(host.name);
      byDef.set(key, entry);
    }
  }
  return [...byDef.values()].map(({ file, def, hosts }) => ({
    file, range: lineIndexOf(snap.parsed(file)!).range(def.span), severity: 'warning', source: 'hostlens', code: 'hostname-mismatch',
    message: hosts.length === 1
      ? `networking.hostName is "${def.value}" but this module builds the host ${hosts[0]} (nixosConfigurations.${hosts[0]})`
      : `networking.hostName is "${def.value}" but this module builds the hosts ${hosts.join(', ')}`,
  }));
}

/**
 * `.nix` files under `hosts/` that no host reaches. Not claimed while some host could not be resolved (it may reach
 * them), nor for files the flake itself evaluates (helpers such as `hosts/default.nix` building the host set).
 */
export function orphanFindings(snap: IndexSnapshot, only?: ReadonlySet<string>): Finding[] {
  if (snap.flake.hosts.length === 0 || snap.flake.unresolved.length > 0 || snap.flake.hosts.some((h) => h.notes.length > 0)) return [];
  const out: Finding[] = [];
  for (const file of only ?? snap.files.files) {
    if (!file.startsWith('hosts/') || !file.endsWith('.nix') || !snap.files.isFile(file) || snap.hostsOf(file).length > 0) continue;
    if (snap.flake.evaluatedFiles.has(file) || snap.flake.importedFiles.has(file)) continue;
    const parsed = snap.parsed(file);
    const firstLine = parsed ? parsed.text.split(/\r?\n|\r/, 1)[0] ?? '' : '';
    out.push({
      file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } },
      severity: 'information', source: 'hostlens', code: 'not-imported', message: 'Not imported by any host.',
    });
  }
  return out;
}
