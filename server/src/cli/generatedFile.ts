// Writing a file Hostlens generated (a CI workflow, a git hook): never over an existing file unless --force, and
// the folders it needs; where the repository starts, so `.gitea/` and `.github/` land at its root.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';

export type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

/** Exit status 1 when the file exists and `force` is not given: the file is left as it was. */
export function writeGenerated(target: string, text: string, opts: { force: boolean; executable?: boolean }, out: Out): number {
  if (existsSync(target) && !opts.force) {
    out.stderr(`hostlens: ${target} already exists; not overwritten (add --force to replace it)`);
    return 1;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text, { mode: opts.executable ? 0o755 : 0o644 });
  // writeFileSync's mode applies only when it creates the file.
  if (opts.executable) chmodSync(target, 0o755);
  out.stdout(`wrote ${target}`);
  return 0;
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in worktrees and submodules). */
export function repositoryRoot(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/** The flake's folder relative to the repository root, with `/`, `.` when they are the same. */
export function flakeDirIn(repoRoot: string, flakeRoot: string): string {
  return path.relative(repoRoot, flakeRoot).split(path.sep).join('/') || '.';
}

export function requireFlake(dir: string): string {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'flake.nix'))) throw new UsageError(`no flake.nix in ${root}`);
  return root;
}
