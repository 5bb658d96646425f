// `hostlens dry-run [--root DIR] [--tool T] [--sudo] HOST…`: dry-builds hosts one after another in this terminal,
// each under a heading, then a summary of which passed. The editor's lens and CI run exactly this.
import { dryRunArgv, installHint, type Argv, type DryRunTool } from '../shared/commandLines';
import type { HostRef } from '../shared/protocol';
import { execInherit, onPath } from '../tools/exec';

export interface DryRunPlan { root: string; hosts: HostRef[]; tool: DryRunTool; sudo: boolean; templates?: Partial<Record<HostRef['kind'], string>> }

export function planArgv(plan: DryRunPlan, available: (p: string) => boolean = onPath): { host: HostRef; argv: Argv }[] {
  return plan.hosts.map((host) => ({
    host,
    argv: dryRunArgv(host, { flake: '.', tool: plan.tool, sudo: plan.sudo, available, ...(plan.templates ? { templates: plan.templates } : {}) }),
  }));
}

/** A shell-like rendering for headings only; what runs is the argv itself. */
export function displayArgv(a: Argv): string {
  const quote = (s: string) => (/^[\w@%+=:,./#-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [a.command, ...a.args].map(quote).join(' ');
}

export async function runDryRuns(plan: DryRunPlan, print: (s: string) => void): Promise<number> {
  const results: { host: string; ok: boolean; note: string }[] = [];
  for (const { host, argv } of planArgv(plan)) {
    print(`\n==> ${host.name} (${host.kind}): ${displayArgv(argv)}\n`);
    if (argv.command !== 'nix' && argv.command !== 'sudo' && !onPath(argv.command)) {
      print(`hostlens: ${argv.command} is not installed; ${installHint(argv.command)}`);
      results.push({ host: host.name, ok: false, note: `${argv.command} not found` });
      continue;
    }
    const { code, missing } = await execInherit(argv.command, argv.args, plan.root);
    if (missing) print(`hostlens: ${argv.command} is not installed; ${installHint(argv.command)}`);
    results.push({ host: host.name, ok: code === 0, note: missing ? `${argv.command} not found` : `exit ${code}` });
  }
  print('\n==> Summary');
  for (const r of results) print(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.host}${r.ok ? '' : `  (${r.note})`}`);
  const failed = results.filter((r) => !r.ok).length;
  print(`${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
