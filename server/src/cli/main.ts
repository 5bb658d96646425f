// The `hostlens` command line: the same index as the language server, for CI, hooks and other editors.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../app/openWorkspace';
import { affectedFromArgs, renderAffected } from './affectedCommand';
import { CI_USAGE, runCi } from './ciCommand';
import { HOOK_USAGE, runHook } from './hookCommand';
import { CHECK_USAGE, runCheck } from './checkCommand';
import { parseArgs, UsageError } from './args';
import { runDryRuns } from './dryRunCommand';
import { runPlanCommand } from './runCommand';
import { hostsReport, renderHosts } from './hostsCommand';
import type { DryRunTool } from '../shared/commandLines';

const USAGE = `usage: hostlens <command> [options]

commands:
  hosts [--json] [DIR]                      list the flake's hosts and the files each reaches
  affected [--json] [--root DIR] FILE...    hosts reached by the given files
  affected [--json] [--root DIR] --git REV  hosts reached by files changed since REV (untracked included;
                                            the all-zero SHA of a first push: every host)
  affected [--json] [--root DIR] --staged   hosts reached by the changes staged for the next commit
  dry-run [--root DIR] [--tool auto|nixos-rebuild|nix|nh] [--sudo] HOST...
                                            dry-build hosts one after another, then print a summary
  run --plan PLAN                           run what an editor command planned (used by the VS Code tasks)
${CI_USAGE}
${HOOK_USAGE}
${CHECK_USAGE}

DIR defaults to the current directory and must contain flake.nix.
exit status: 0 success, 1 failure, 2 bad usage`;

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export async function run(argv: readonly string[], out: Out): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined: case '-h': case '--help': case 'help':
        out.stdout(USAGE);
        return command === undefined ? 2 : 0;
      case 'hosts': {
        const { flags, positionals } = parseArgs(rest, ['json'], []);
        if (positionals.length > 1) throw new UsageError('hosts takes at most one DIR');
        const root = flakeRoot(positionals[0] ?? '.');
        const snap = (await openWorkspace(root)).index.snapshot();
        const report = hostsReport(root, snap);
        out.stdout(flags.has('json') ? JSON.stringify(report, null, 2) : renderHosts(report));
        return 0;
      }
      case 'affected': {
        const { flags, positionals } = parseArgs(rest, ['json', 'staged'], ['root', 'git']);
        const root = flakeRoot(String(flags.get('root') ?? '.'));
        const snap = (await openWorkspace(root)).index.snapshot();
        const report = await affectedFromArgs(root, snap, flags, positionals, out.stderr);
        out.stdout(flags.has('json') ? JSON.stringify(report, null, 2) : renderAffected(report));
        return 0;
      }
      case 'dry-run': {
        const { flags, positionals } = parseArgs(rest, ['sudo'], ['root', 'tool', 'template-nixos', 'template-home-manager', 'template-darwin']);
        const root = flakeRoot(String(flags.get('root') ?? '.'));
        if (positionals.length === 0) throw new UsageError('dry-run needs at least one HOST');
        const tool = String(flags.get('tool') ?? 'auto');
        if (!['auto', 'nixos-rebuild', 'nix', 'nh'].includes(tool)) throw new UsageError(`unknown --tool ${tool}`);
        const snap = (await openWorkspace(root)).index.snapshot();
        const kinds = new Map(snap.flake.hosts.map((h) => [h.name, h.kind]));
        const unknownHosts = positionals.filter((h) => !kinds.has(h));
        if (unknownHosts.length) throw new UsageError(`not a host of this flake: ${unknownHosts.join(', ')}`);
        const templates = Object.fromEntries((['nixos', 'home-manager', 'darwin'] as const)
          .flatMap((k) => { const t = flags.get(`template-${k}`); return typeof t === 'string' && t ? [[k, t]] : []; }));
        return runDryRuns({
          root, tool: tool as DryRunTool, sudo: flags.has('sudo'), templates,
          hosts: positionals.map((name) => ({ name, kind: kinds.get(name)! })),
        }, out.stdout);
      }
      case 'run':
        return await runPlanCommand(rest, out);
      case 'ci':
        return await runCi(rest, out);
      case 'hook':
        return await runHook(rest, out);
      case 'check':
        return await runCheck(rest, out);
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out.stderr(`hostlens: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    out.stderr(`hostlens: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function flakeRoot(dir: string): string {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'flake.nix'))) throw new UsageError(`no flake.nix in ${root}`);
  return root;
}

if (require.main === module) {
  run(process.argv.slice(2), { stdout: (s) => console.log(s), stderr: (s) => console.error(s) }).then(
    (code) => { process.exitCode = code; },
    (err) => { console.error(err); process.exitCode = 1; },
  );
}
