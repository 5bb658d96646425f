// `hostlens dry-run [--root DIR] [--tool T] [--sudo] HOST…`: dry-builds hosts one after another in this terminal,
// each under a heading, then a summary of which passed. The editor's commands and CI run exactly this runner.
import type { DryRunTool } from '../shared/commandLines';
import type { HostRef } from '../shared/protocol';
import { DEFAULT_RUN_SETTINGS, type RunPlan } from '../shared/runPlan';
import type { Templates } from '../shared/toolCommands';
import { runPlan } from './runCommand';

export interface DryRunPlan { root: string; hosts: HostRef[]; tool: DryRunTool; sudo: boolean; templates?: Partial<Record<HostRef['kind'], string>> }

const TEMPLATE_KEY = { nixos: 'dryRun.nixos', 'home-manager': 'dryRun.homeManager', darwin: 'dryRun.darwin' } as const;

export async function runDryRuns(plan: DryRunPlan, print: (s: string) => void): Promise<number> {
  const templates: Templates = {};
  for (const [kind, t] of Object.entries(plan.templates ?? {})) templates[TEMPLATE_KEY[kind as HostRef['kind']]] = t;
  const run: RunPlan = {
    root: plan.root, title: 'dry-run', summary: true,
    steps: plan.hosts.map((host) => ({ kind: 'dry-run', host })),
    settings: { ...DEFAULT_RUN_SETTINGS, tool: plan.tool, sudo: plan.sudo, templates },
  };
  return runPlan(run, print);
}
