// Findings only the host index can make: hosts the flake evaluator could not resolve, and references to files or
// directories that do not exist.
import type { Finding } from '../base/finding';
import { join } from '../base/paths';
import { LineIndex, type Span } from '../base/text';
import { FLAKE } from '../index/flake';
import type { IndexSnapshot } from '../index/workspaceIndex';

function rangeIn(snap: IndexSnapshot, file: string, span: Span | null) {
  const text = snap.parsed(file)?.text ?? '';
  return new LineIndex(text).range(span ?? { start: 0, end: 0 });
}

/** Unresolved hosts and host sets, on flake.nix where they are named. */
export function unresolvedFindings(snap: IndexSnapshot): Finding[] {
  const out: Finding[] = snap.flake.unresolved.map((u) => ({
    file: FLAKE, range: rangeIn(snap, FLAKE, u.span), severity: 'warning', source: 'hostlens', code: 'unresolved-host',
    message: `Hostlens cannot resolve ${u.what}: ${u.reason}. Files it reaches are not attributed to it.`,
  }));
  for (const h of snap.flake.hosts) {
    for (const note of h.notes) {
      out.push({
        file: FLAKE, range: rangeIn(snap, FLAKE, h.nameSpan), severity: 'warning', source: 'hostlens', code: 'unresolved-module',
        message: `${h.name}: cannot resolve ${note}`,
      });
    }
  }
  return out;
}

/** Path literals in `file` whose target is missing (error), or an imported directory without default.nix. */
export function missingReferenceFindings(snap: IndexSnapshot, file: string): Finding[] {
  const summary = snap.summary(file);
  if (!summary) return [];
  const out: Finding[] = [];
  const hostsOf = snap.hostsOf(file);
  const where = hostsOf.length ? ` (breaks ${hostsOf.join(', ')})` : '';
  for (const r of summary.refs) {
    if (r.target === null) continue;
    const exists = snap.files.exists(r.target);
    const dirWithoutDefault = exists && r.kind === 'import' && snap.files.isDir(r.target) && !snap.files.isFile(join(r.target, 'default.nix'));
    if (exists && !dirWithoutDefault) continue;
    out.push({
      file, range: rangeIn(snap, file, r.span), severity: 'error', source: 'hostlens',
      code: dirWithoutDefault ? 'missing-default-nix' : 'missing-file',
      message: dirWithoutDefault
        ? `${r.literal} is a directory without default.nix (${join(r.target, 'default.nix')} does not exist)${where}`
        : `${r.literal} does not exist: ${r.target === '' ? '.' : r.target}${where}`,
    });
  }
  return out;
}
