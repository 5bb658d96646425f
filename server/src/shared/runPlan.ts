// What the editor asks the terminal runner (`hostlens run --plan …`) to execute, and how that request crosses the
// user's shell intact: as one base64url word, so no host or file name is ever parsed by a shell.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Argv, DryRunTool } from './commandLines';
import type { HostRef } from './protocol';
import type { Templates, ToolPaths, ToolStep } from './toolCommands';

export type RunStep =
  /** Resolved in the terminal, where it is known whether nixos-rebuild, home-manager or nh is installed. */
  | { kind: 'dry-run'; host: HostRef }
  | { kind: 'switch'; host: HostRef }
  | ({ kind: 'command'; label: string } & ToolStep);

export interface RunSettings {
  tool: DryRunTool;
  /** sudo for nixos-rebuild dry-run. */
  sudo: boolean;
  /** sudo for nixos-rebuild / darwin-rebuild switch. */
  switchSudo: boolean;
  templates: Templates;
  paths: ToolPaths;
}

export interface RunPlan {
  /** The flake's folder: every step runs there, with `.` as the flake. */
  root: string;
  title: string;
  steps: RunStep[];
  settings: RunSettings;
  /** The file the request came from, for `${file}` in host templates. */
  file?: string;
  /** Print a pass/fail line per step at the end (several hosts). */
  summary: boolean;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = { tool: 'auto', sudo: false, switchSudo: true, templates: {}, paths: {} };

/** JSON, deflated (a "dry-run all" of a large fleet stays far below the 128 KiB a single argument may hold), base64url. */
export function encodePlan(plan: RunPlan): string {
  return deflateRawSync(Buffer.from(JSON.stringify(plan), 'utf8')).toString('base64url');
}

/** Reads a plan back, or throws an Error saying what is wrong with it. */
export function decodePlan(word: string): RunPlan {
  if (!/^[A-Za-z0-9_-]+$/.test(word)) throw new Error('the plan is not base64url text');
  let value: unknown;
  try {
    value = JSON.parse(inflateRawSync(Buffer.from(word, 'base64url')).toString('utf8'));
  } catch {
    throw new Error('the plan could not be decoded');
  }
  const p = value as Partial<RunPlan> | null;
  if (!p || typeof p.root !== 'string' || typeof p.title !== 'string' || !Array.isArray(p.steps) || typeof p.settings !== 'object' || p.settings === null) {
    throw new Error('the plan is missing root, title, steps or settings');
  }
  for (const s of p.steps as unknown[]) {
    const step = s as Partial<RunStep> | null;
    const hostOk = (h: unknown) => !!h && typeof (h as HostRef).name === 'string' && ['nixos', 'home-manager', 'darwin'].includes((h as HostRef).kind);
    const argvOk = (a: unknown) => !!a && typeof (a as Argv).command === 'string' && Array.isArray((a as Argv).args) && (a as Argv).args.every((x) => typeof x === 'string');
    const ok = step && ((step.kind === 'dry-run' || step.kind === 'switch') ? hostOk(step.host)
      : step.kind === 'command' && typeof step.label === 'string' && argvOk(step.argv));
    if (!ok) throw new Error('the plan has a malformed step');
  }
  return { ...p, settings: { ...DEFAULT_RUN_SETTINGS, ...p.settings }, summary: !!p.summary } as RunPlan;
}

/**
 * The task's words: the node that runs the CLI, the CLI, and the plan. VS Code's strong quoting for bash wraps a
 * word in '…' without escaping a `'` inside it, so a word holding `'` cannot go through a shell; the caller then runs
 * the words as a process without a shell (`viaShell: false`). The plan word itself is always safe.
 */
export function taskWords(nodePath: string, cliPath: string, plan: RunPlan): { command: string; args: string[]; viaShell: boolean } {
  const args = [cliPath, 'run', '--plan', encodePlan(plan)];
  const viaShell = [nodePath, ...args].every((w) => !w.includes("'") && !w.includes('${'));
  return { command: nodePath, args, viaShell };
}

