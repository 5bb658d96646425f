// `hostlens ci gitea|github [--write [--force]] [options] [DIR]`: prints, or writes at the repository root, the CI
// workflow that checks the flake and dry-builds exactly the hosts a change affects.
import * as path from 'node:path';
import { openWorkspace } from '../app/openWorkspace';
import type { FlakeEval, Formatter } from '../features/ciScripts';
import { ciOptions, workflowPath, workflowText, type CiOptions, type Forge, type MatrixStyle } from '../features/ciWorkflow';
import { ciDryRunArgv } from '../shared/ciDryRun';
import { parseArgs, UsageError } from './args';
import { flakeDirIn, repositoryRoot, requireFlake, writeGenerated, type Out } from './generatedFile';

export const CI_USAGE = `  ci gitea|github [--write [--force]] [--matrix per-host|dynamic] [--formatter alejandra|nixfmt]
     [--eval show|check] [--runs-on LABEL] [--hostlens-package SPEC] [DIR]
                                            print the CI workflow (--write: .gitea/ or .github/workflows/hostlens.yml)`;

const choices = <T extends string>(flag: string, value: string | true | undefined, allowed: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
};

export async function runCi(args: readonly string[], out: Out): Promise<number> {
  const [forge, ...rest] = args;
  if (forge !== 'gitea' && forge !== 'github') throw new UsageError('ci needs a forge: gitea or github');
  const { flags, positionals } = parseArgs(rest, ['write', 'force'], ['matrix', 'formatter', 'eval', 'runs-on', 'hostlens-package']);
  if (positionals.length > 1) throw new UsageError('ci takes at most one DIR');
  const root = requireFlake(positionals[0] ?? '.');
  const overrides: Partial<CiOptions> = {};
  const matrix = choices<MatrixStyle>('matrix', flags.get('matrix'), ['per-host', 'dynamic']);
  const formatter = choices<Formatter>('formatter', flags.get('formatter'), ['alejandra', 'nixfmt']);
  const flakeEval = choices<FlakeEval>('eval', flags.get('eval'), ['show', 'check']);
  if (matrix) overrides.matrix = matrix;
  if (formatter) overrides.formatter = formatter;
  if (flakeEval) overrides.flakeEval = flakeEval;
  for (const [flag, key] of [['runs-on', 'runsOn'], ['hostlens-package', 'hostlensPackage']] as const) {
    const v = flags.get(flag);
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '' || /[\r\n]/.test(v)) throw new UsageError(`--${flag} needs a value on one line`);
    overrides[key] = v;
  }
  const repoRoot = repositoryRoot(root) ?? root;
  overrides.flakeDir = flakeDirIn(repoRoot, root);
  const snap = (await openWorkspace(root)).index.snapshot();
  const options = ciOptions(snap, forge as Forge, ciDryRunArgv, overrides);
  if (options.matrix === 'per-host' && options.hosts.length === 0) out.stderr('hostlens: no hosts found in flake.nix: the workflow has no dry-build job (see: hostlens hosts)');
  if (snap.flake.unresolved.length) out.stderr(`hostlens: ${snap.flake.unresolved.length} host set(s) could not be resolved and are not validated (see: hostlens hosts)`);
  const text = workflowText(options);
  if (!flags.has('write')) {
    out.stdout(text.replace(/\n$/, ''));
    return 0;
  }
  return writeGenerated(path.join(repoRoot, workflowPath(forge)), text, { force: flags.has('force') }, out);
}
