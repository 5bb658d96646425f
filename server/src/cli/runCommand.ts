// `hostlens run --plan PLAN`: executes what an editor command planned, in the terminal its task opened: each step
// under a heading, a missing program named with how to get it, exit statuses reported, a summary for several hosts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SCAN } from '../app/openWorkspace';
import { displayArgv, dryRunChoice, installHint, switchChoice, type Argv, type DryRunOptions } from '../shared/commandLines';
import { decodePlan, type RunPlan, type RunStep } from '../shared/runPlan';
import { hostTemplates, programsOf, withToolPaths } from '../shared/toolCommands';
import { parseDeadnixJson } from '../tools/deadnix';
import { exec, execInherit, onPath } from '../tools/exec';
import { scanWorkspace } from '../vfs/discovery';
import { parseArgs, UsageError } from './args';


type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export interface ResolvedStep {
  /** The name in the summary: the host, or the command's label. */
  name: string;
  heading: string;
  argv: Argv;
  note?: string;
  output?: 'deadnix-json';
  appendNixFilesUnder?: string;
}

/** Host steps are resolved here, with what this terminal's PATH (or a configured path) provides. */
export function resolveStep(step: RunStep, plan: RunPlan, available: (program: string) => boolean): ResolvedStep {
  const s = plan.settings;
  const hostOptions = (action: 'dryRun' | 'switch', sudo: boolean): DryRunOptions => ({
    flake: '.', tool: s.tool, sudo, available, templates: hostTemplates(s.templates, action), ...(plan.file ? { file: plan.file } : {}),
  });
  if (step.kind === 'command') {
    return {
      name: step.label, heading: step.label, argv: withToolPaths(step.argv, s.paths),
      ...(step.output ? { output: step.output } : {}), ...(step.appendNixFilesUnder !== undefined ? { appendNixFilesUnder: step.appendNixFilesUnder } : {}),
    };
  }
  const choice = step.kind === 'dry-run' ? dryRunChoice(step.host, hostOptions('dryRun', s.sudo)) : switchChoice(step.host, hostOptions('switch', s.switchSudo));
  const heading = `${step.kind === 'switch' ? 'switch to ' : ''}${step.host.name} (${step.host.kind})`;
  return { name: step.host.name, heading, argv: withToolPaths(choice.argv, s.paths), ...(choice.note ? { note: choice.note } : {}) };
}

interface Result { name: string; ok: boolean; code: number; note: string }

export async function runPlan(plan: RunPlan, print: (s: string) => void): Promise<number> {
  const available = (program: string) => onPath(plan.settings.paths[program]?.trim() || program);
  const results: Result[] = [];
  for (const step of plan.steps) {
    const r = resolveStep(step, plan, available);
    if (r.appendNixFilesUnder !== undefined) r.argv = { ...r.argv, args: [...r.argv.args, ...await nixFilesUnder(plan.root, r.appendNixFilesUnder)] };
    print(`\n==> ${r.heading}: ${displayArgv(r.argv)}\n`);
    if (r.note) print(`hostlens: ${r.note}`);
    if (r.argv.command.trim() === '') {
      print('hostlens: the command template is empty; fix it in the hostlens.commands settings');
      results.push({ name: r.name, ok: false, code: 2, note: 'empty command' });
      continue;
    }
    const missing = programsOf(r.argv).find((p) => !onPath(p));
    if (missing) {
      print(`hostlens: ${missing} is not installed; ${installHint(missing)}`);
      results.push({ name: r.name, ok: false, code: 127, note: `${missing} not found` });
      continue;
    }
    const code = r.output === 'deadnix-json' ? await deadnixReport(r.argv, plan.root, print) : await inherit(r.argv, plan.root, print);
    results.push({ name: r.name, ok: code === 0, code, note: `exit ${code}` });
  }
  return finish(plan, results, print);
}

function finish(plan: RunPlan, results: Result[], print: (s: string) => void): number {
  if (plan.summary) {
    print('\n==> Summary');
    for (const r of results) print(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}${r.ok ? '' : `  (${r.note})`}`);
    const failed = results.filter((r) => !r.ok).length;
    print(`${results.length - failed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  }
  for (const r of results) print(`\n==> ${r.name}: ${r.ok ? 'finished' : 'failed'} (${r.note})`);
  return results.find((r) => !r.ok)?.code ?? 0;
}

async function inherit(argv: Argv, root: string, print: (s: string) => void): Promise<number> {
  try {
    const { code, missing } = await execInherit(argv.command, argv.args, root);
    if (missing) print(`hostlens: ${argv.command} is not installed; ${installHint(argv.command)}`);
    return missing ? 127 : code ?? 1;
  } catch (err) {
    print(`hostlens: could not start ${argv.command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/** deadnix's JSON rewritten as `file:line:col: warning: message`, one finding a line (the problem matcher's shape). */
async function deadnixReport(argv: Argv, root: string, print: (s: string) => void): Promise<number> {
  const r = await exec(argv.command, argv.args, { cwd: root, timeoutMs: 60 * 60_000, maxOutput: 64 * 1024 * 1024 });
  if (r.stderr.trim() !== '') print(r.stderr.trimEnd());
  if (r.code === null) {
    print(`hostlens: deadnix ${r.failure === 'not-found' ? 'is not installed' : 'did not finish'}`);
    return r.failure === 'not-found' ? 127 : 1;
  }
  const notes: string[] = [];
  try {
    const findings = parseDeadnixJson(r.stdout, (file) => readText(root, file), notes);
    for (const f of findings) print(`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: warning: ${f.message}`);
    for (const n of notes) print(n);
    const files = new Set(findings.map((f) => f.file)).size;
    print(findings.length ? `deadnix: ${findings.length} unused declaration(s) in ${files} file(s)` : 'deadnix: no unused code found');
  } catch (err) {
    if (r.stdout.trim() !== '') print(r.stdout.trimEnd());
    print(`hostlens: deadnix's output is not the JSON of \`-o json\` (${err instanceof Error ? err.message : String(err)}); shown as printed`);
  }
  return r.code;
}

function readText(root: string, file: string): string | null {
  try {
    return readFileSync(path.resolve(root, file), 'utf8');
  } catch {
    return null;
  }
}

async function nixFilesUnder(root: string, dir: string): Promise<string[]> {
  const scan = await scanWorkspace(root, DEFAULT_SCAN);
  const prefix = dir === '.' || dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  return [...scan.files.keys()].filter((f) => f.endsWith('.nix') && f.startsWith(prefix)).sort()
    .map((f) => (f.startsWith('-') ? `./${f}` : f));
}

/** `hostlens run --plan PLAN` (the editor's tasks; PLAN is base64url, see shared/runPlan.ts). */
export async function runPlanCommand(rest: readonly string[], out: Out): Promise<number> {
  const { flags, positionals } = parseArgs(rest, [], ['plan']);
  const word = flags.get('plan');
  if (typeof word !== 'string' || positionals.length > 0) throw new UsageError('run takes --plan PLAN only');
  let plan: RunPlan;
  try {
    plan = decodePlan(word);
  } catch (err) {
    throw new UsageError(`bad --plan: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!existsSync(plan.root) || !statSync(plan.root).isDirectory()) throw new UsageError(`no such folder: ${plan.root}`);
  return runPlan(plan, out.stdout);
}
