// Files changed since a git revision, for `hostlens affected --git` and CI matrices.
import { exec } from './exec';

export interface GitChanges { changed: string[]; deleted: string[] }

/**
 * Changes between `rev` and the working tree, untracked files included. Renames count as a delete of the old path and a
 * change of the new one. An unknown `rev` (a first push has no base) throws, so callers can fall back to all hosts.
 */
export async function changedSince(root: string, rev: string): Promise<GitChanges> {
  const top = await exec('git', ['rev-parse', '--show-toplevel'], { cwd: root });
  if (top.code !== 0) throw new Error(top.failure === 'not-found' ? 'git is not installed' : `not a git repository: ${root}`);
  const verify = await exec('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root });
  if (verify.code !== 0) throw new Error(`unknown revision: ${rev}`);
  const diff = await exec('git', ['diff', '--relative', '--name-status', '-z', '-M', rev, '--', '.'], { cwd: root });
  if (diff.code !== 0) throw new Error(`git diff failed: ${diff.stderr.trim()}`);
  const untracked = await exec('git', ['ls-files', '-z', '--others', '--exclude-standard', '--', '.'], { cwd: root });
  const changed = new Set<string>();
  const deleted = new Set<string>();
  const fields = diff.stdout.split('\0').filter((f) => f !== '');
  for (let i = 0; i < fields.length;) {
    const status = fields[i++]!;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = fields[i++]!;
      const to = fields[i++]!;
      if (status.startsWith('R')) deleted.add(from);
      changed.add(to);
    } else {
      const file = fields[i++]!;
      (status === 'D' ? deleted : changed).add(file);
    }
  }
  for (const f of untracked.stdout.split('\0')) if (f) changed.add(f);
  return { changed: [...changed].sort(), deleted: [...deleted].sort() };
}
