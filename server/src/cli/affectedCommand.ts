// `hostlens affected [--json] [--root DIR] (FILE… | --git REV)`: the hosts that changed files reach.
import * as path from 'node:path';
import type { AffectedReport } from '../features/affectedFiles';
import { toRelative } from '../vfs/discovery';
import { UsageError } from './args';
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
