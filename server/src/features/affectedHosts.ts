// Which hosts a file reaches, phrased for the line-1 code lens, and why: the import chain per host.
import type { Span } from '../base/text';
import { chainTo } from '../index/hostGraph';
import { FLAKE } from '../index/flake';
import type { IndexSnapshot } from '../index/workspaceIndex';

export interface AffectsLens { title: string; hosts: string[] }

export function affectsTitle(hosts: readonly string[], total: number): string {
  if (hosts.length === 0) return 'affects: no host';
  if (hosts.length === total && total > 1) return `affects: all ${total} hosts`;
  return `affects: ${hosts.join(', ')}`;
}

/** The lens for line 1 of `file`; flake.nix builds every host, so it affects them all. */
export function affectsLens(snap: IndexSnapshot, file: string): AffectsLens {
  const all = snap.flake.hosts.map((h) => h.name).sort();
  const hosts = file === FLAKE ? all : snap.hostsOf(file);
  return { title: affectsTitle(hosts, all.length), hosts };
}

export interface HostLens { host: string; span: Span; title: string }

/** In flake.nix, one lens per host where it is named: `m3-atlas · 34 files · dry-run`. */
export function flakeHostLenses(snap: IndexSnapshot): HostLens[] {
  return snap.flake.hosts.flatMap((h) => {
    if (!h.nameSpan) return [];
    const count = snap.graph.closures.get(h.name)?.files.size ?? 0;
    return [{ host: h.name, span: h.nameSpan, title: `${h.name} · ${count} file${count === 1 ? '' : 's'} · dry-run` }];
  });
}

export interface ReachExplanation { host: string; chain: string[]; conditional: boolean }

/** For each host reaching `file`, the chain from flake.nix; conditional when some link is under a condition. */
export function explainReach(snap: IndexSnapshot, file: string): ReachExplanation[] {
  return snap.hostsOf(file).map((host) => {
    const closure = snap.graph.closures.get(host)!;
    return { host, chain: chainTo(closure, file), conditional: !!closure.files.get(file)?.conditional };
  });
}

/** Markdown for the line-1 hover: one chain per host, with shared chains grouped. */
export function renderReach(explanations: readonly ReachExplanation[]): string {
  if (explanations.length === 0) return 'Not imported by any host.';
  const groups = new Map<string, string[]>();
  for (const e of explanations) {
    const key = e.chain.join(' -> ') + (e.conditional ? ' (conditional: only when its condition holds)' : '');
    groups.set(key, [...(groups.get(key) ?? []), e.host]);
  }
  return [...groups].map(([chain, hosts]) => `**${hosts.join(', ')}**: \`${chain}\``).join('\n\n');
}
