// What git says changed (since a revision, or staged for the next commit) for `hostlens affected` and CI, and where
// its hooks live.
import * as path from 'node:path';
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
  const { changed, deleted } = parseNameStatus(diff.stdout);
  for (const f of untracked.stdout.split('\0')) if (f) changed.add(f);
  return { changed: [...changed].sort(), deleted: [...deleted].sort() };
}

/** What `git commit` would record now: the index against HEAD (against nothing before the first commit). */
export async function stagedChanges(root: string): Promise<GitChanges> {
  const top = await exec('git', ['rev-parse', '--show-toplevel'], { cwd: root });
  if (top.code !== 0) throw new Error(top.failure === 'not-found' ? 'git is not installed' : `not a git repository: ${root}`);
  const diff = await exec('git', ['diff', '--cached', '--relative', '--name-status', '-z', '-M', '--', '.'], { cwd: root });
  if (diff.code !== 0) throw new Error(`git diff failed: ${diff.stderr.trim()}`);
  const { changed, deleted } = parseNameStatus(diff.stdout);
  return { changed: [...changed].sort(), deleted: [...deleted].sort() };
}

/** Where git runs hooks from for this repository (honours `core.hooksPath`), as an absolute path. */
export async function hooksDir(root: string): Promise<string> {
  const r = await exec('git', ['rev-parse', '--git-path', 'hooks'], { cwd: root });
  if (r.code !== 0) throw new Error(r.failure === 'not-found' ? 'git is not installed' : `not a git repository: ${root}`);
  return path.resolve(root, r.stdout.replace(/\n$/, ''));
}

/** `--name-status -z` output: renames count as a delete of the old path and a change of the new one. */
function parseNameStatus(stdout: string): { changed: Set<string>; deleted: Set<string> } {
  const changed = new Set<string>();
  const deleted = new Set<string>();
  const fields = stdout.split('\0').filter((f) => f !== '');
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
  return { changed, deleted };
}
