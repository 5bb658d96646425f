// Runs the built CLI (dist/cli.js) as a user would and captures its output and exit status.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURES, REPO } from './workspace';

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), ...args], {
    cwd: options.cwd ?? REPO, env: options.env ?? process.env, encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A temporary git repository holding a copy of the fleet fixture in one commit; its folder is pushed to `dirs`. */
export function fleetRepo(dirs: string[], prefix = 'hostlens-git-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  cpSync(path.join(FIXTURES, 'fleet'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

export const append = (dir: string, rel: string, text = '\n# edit\n') =>
  writeFileSync(path.join(dir, rel), `${readFileSync(path.join(dir, rel), 'utf8')}${text}`);
export const commitAll = (dir: string, msg: string) => { git(dir, 'add', '-A'); git(dir, 'commit', '-qm', msg); };
