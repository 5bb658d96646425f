// `hostlens hook pre-commit [--write [--force]] [--formatter alejandra|nixfmt] [DIR]`: prints, or installs in the
// repository's hooks folder, the pre-commit hook that checks the staged Nix files and names the hosts they affect.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormatter, type Formatter } from '../features/ciScripts';
import { preCommitHookText } from '../features/preCommitHook';
import { hooksDir } from '../tools/git';
import { parseArgs, UsageError } from './args';
import { flakeDirIn, repositoryRoot, requireFlake, writeGenerated, type Out } from './generatedFile';

export const HOOK_USAGE = `  hook pre-commit [--write [--force]] [--formatter alejandra|nixfmt] [DIR]
                                            print the git pre-commit hook (--write: install it)`;

export async function runHook(args: readonly string[], out: Out): Promise<number> {
  const [kind, ...rest] = args;
  if (kind !== 'pre-commit') throw new UsageError('hook supports: pre-commit');
  const { flags, positionals } = parseArgs(rest, ['write', 'force'], ['formatter']);
  if (positionals.length > 1) throw new UsageError('hook takes at most one DIR');
  const root = requireFlake(positionals[0] ?? '.');
  const f = flags.get('formatter');
  if (f !== undefined && f !== 'alejandra' && f !== 'nixfmt') throw new UsageError('--formatter must be one of alejandra, nixfmt');
  let flakeText = '';
  try { flakeText = readFileSync(path.join(root, 'flake.nix'), 'utf8'); } catch { /* the formatter falls back to alejandra */ }
  const formatter: Formatter = f ?? detectFormatter(flakeText);
  const repoRoot = repositoryRoot(root);
  const text = preCommitHookText({ formatter, flakeDir: repoRoot ? flakeDirIn(repoRoot, root) : '.', fallbackCli: cliPath() });
  if (!flags.has('write')) {
    out.stdout(text.replace(/\n$/, ''));
    return 0;
  }
  if (!repoRoot) throw new Error(`not in a git repository: ${root}`);
  return writeGenerated(path.join(await hooksDir(repoRoot), 'pre-commit'), text, { force: flags.has('force'), executable: true }, out);
}

/** This CLI's own file (dist/cli.js), for hooks in repositories where `hostlens` is not on PATH. */
function cliPath(): string | null {
  const main = require.main?.filename;
  return main && path.isAbsolute(main) ? main : null;
}
