// `hostlens affected [--json] [--root DIR] (FILE… | --git REV | --staged)`: the hosts that changed files reach.
import * as path from 'node:path';
import { affectedBy, type AffectedReport } from '../features/affectedFiles';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { changedSince, stagedChanges } from '../tools/git';
import { toRelative } from '../vfs/discovery';
import { UsageError, type ParsedArgs } from './args';
import { renderTable } from './table';

/** FILE arguments are relative to the current directory (as a shell user types them), or absolute. */
export function relativeFiles(root: string, files: readonly string[], cwd = process.cwd()): string[] {
  return files.map((f) => {
    const rel = toRelative(root, path.resolve(cwd, f));
    if (rel === null) throw new UsageError(`${f} is not inside ${root}`);
    return rel;
  });
}

export function renderAffected(r: AffectedReport): string {
  const rows = Object.entries(r.files).map(([f, hosts]) => [f, hosts.length ? hosts.join(', ') : '(no host)']);
  return `${renderTable(['FILE', 'HOSTS'], rows)}\n\nhosts to validate: ${r.hosts.length ? r.hosts.join(' ') : '(none)'}`;
}

/**
 * The report for `affected FILE…`, `--git REV` or `--staged` (what the next commit records, for the pre-commit hook).
 * `--git` with the all-zero SHA, which a push event gives for a first push or a new branch, has no base to compare
 * with: every host is affected, and a note on stderr says why.
 */
export async function affectedFromArgs(
  root: string, snap: IndexSnapshot, flags: ParsedArgs['flags'], files: readonly string[], note: (s: string) => void,
): Promise<AffectedReport> {
  const rev = flags.get('git');
  const staged = flags.has('staged');
  if ([rev !== undefined, staged, files.length > 0].filter(Boolean).length > 1) throw new UsageError('give FILEs, --git REV or --staged, not several');
  if (rev === undefined && !staged && files.length === 0) throw new UsageError('affected needs FILE..., --git REV or --staged');
  if (typeof rev === 'string' && /^0{7,40}$/.test(rev)) {
    note(`hostlens: no base revision (${rev}): every host is affected`);
    return { files: {}, hosts: snap.flake.hosts.map((h) => h.name).sort() };
  }
  const changes = rev !== undefined ? await changedSince(root, String(rev))
    : staged ? await stagedChanges(root)
      : { changed: relativeFiles(root, files), deleted: [] };
  return affectedBy(snap, changes.changed, changes.deleted);
}
