// Every built-in check in two groups: what the syntax facts and host graph answer at once (cheap enough for each
// keystroke), and what needs files' ASTs (scope, hostName literals, agenix), which callers run once typing pauses.
import type { Finding } from '../base/finding';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { HostGraph } from '../index/hostGraph';
import { definesHostName, hostNameFindings, orphanFindings } from './hostChecks';
import { importCycleFindings } from './importCycles';
import { missingReferenceFindings, unresolvedFindings } from './indexDiagnostics';
import { secretFindings, touchesSecrets } from './secretChecks';

/** Unresolved hosts, missing references, import cycles and orphaned host files; for `only` files when given. */
export function graphFindings(snap: IndexSnapshot, only?: ReadonlySet<string>): Finding[] {
  const nixFiles = only ? [...only] : [...snap.files.files].filter((f) => f.endsWith('.nix'));
  const pick = (fs: Finding[]) => (only ? fs.filter((f) => only.has(f.file)) : fs);
  return [
    ...pick(unresolvedFindings(snap)),
    ...nixFiles.flatMap((f) => missingReferenceFindings(snap, f)),
    ...pick(importCycleFindings(snap)),
    ...orphanFindings(snap, only),
  ];
}

/** The last answer per host graph, and which files took part in it (by name: no old parse is kept alive). */
const moduleCache = new WeakMap<HostGraph, { revision: number; findings: Finding[]; involved: Set<string> }>();

/**
 * hostName literals against host names, and agenix modules against the registry: the whole fleet at once. While the
 * host graph stands, an edit to a file that takes part in neither check, before or after, keeps the last answer: a
 * keystroke in an ordinary module then costs a look at that file, not at the fleet.
 */
export function moduleFindings(snap: IndexSnapshot): Finding[] {
  const prev = moduleCache.get(snap.graph);
  const involved = (f: string) => {
    const parsed = f.endsWith('.nix') ? snap.parsed(f) : null;
    return !!parsed && (definesHostName(parsed) || touchesSecrets(f, parsed));
  };
  const changed = prev ? snap.changedFiles(prev.revision) : null;
  if (prev && changed && [...changed].every((f) => !prev.involved.has(f) && !involved(f))) {
    prev.revision = snap.revision;
    return prev.findings;
  }
  const findings = [...hostNameFindings(snap), ...secretFindings(snap)];
  const files = new Set([...snap.files.files].filter(involved));
  moduleCache.set(snap.graph, { revision: snap.revision, findings, involved: files });
  return findings;
}

const SEVERITY_ORDER = { error: 0, warning: 1, information: 2, hint: 3 };

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
    || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
