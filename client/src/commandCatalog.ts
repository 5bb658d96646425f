// Every command the extension contributes, with whether it runs a program (and so needs a trusted workspace) and
// what it changes; the Workspace Trust rule itself. No vscode import: tests check it against package.json.

export interface CommandSpec {
  id: string;
  title: string;
  /** Starts a process (a task, a formatter, git): disabled in an untrusted workspace. */
  runs: boolean;
  /** Changes files or the running system: asks for confirmation first, naming what it will do. */
  changes?: 'files' | 'system';
  icon?: string;
}

const spec = (id: string, title: string, runs: boolean, extra: Partial<CommandSpec> = {}): CommandSpec => ({ id, title, runs, ...extra });

export const COMMANDS = {
  dryRunHosts: spec('hostlens.dryRunHosts', 'Dry-Run Hosts', true),
  dryRunFile: spec('hostlens.dryRunFile', "Dry-Run This File's Hosts", true, { icon: '$(play)' }),
  dryRunHost: spec('hostlens.dryRunHost', 'Dry-Run One Host…', true, { icon: '$(play)' }),
  dryRunAll: spec('hostlens.dryRunAll', 'Dry-Run All Hosts', true, { icon: '$(run-all)' }),
  dryRunChanged: spec('hostlens.dryRunChanged', 'Dry-Run Hosts Affected by Uncommitted Changes', true, { icon: '$(git-commit)' }),
  switchHost: spec('hostlens.switchHost', 'Switch This Machine to a Host Configuration…', true, { changes: 'system' }),
  statixCheck: spec('hostlens.statixCheck', 'Lint with statix', true),
  statixFix: spec('hostlens.statixFix', 'Apply statix Fixes…', true, { changes: 'files' }),
  deadnix: spec('hostlens.deadnix', 'Report Unused Code (deadnix)', true),
  deadnixEdit: spec('hostlens.deadnixEdit', 'Remove Unused Code (deadnix --edit)…', true, { changes: 'files' }),
  formatFile: spec('hostlens.formatFile', 'Format File (alejandra or nixfmt)', true),
  formatWorkspace: spec('hostlens.formatWorkspace', 'Format Workspace (alejandra or nixfmt)…', true, { changes: 'files' }),
  flakeShow: spec('hostlens.flakeShow', 'Show Flake Outputs (nix flake show)', true),
  flakeCheck: spec('hostlens.flakeCheck', 'Check Flake (nix flake check)', true),
  openHostEntry: spec('hostlens.openHostEntry', 'Open Host Entry File', false, { icon: '$(go-to-file)' }),
  refreshHosts: spec('hostlens.refreshHosts', 'Refresh Hosts', false, { icon: '$(refresh)' }),
  explainTrust: spec('hostlens.explainTrust', 'Why Are Run Commands Disabled?', false),
  showReach: spec('hostlens.showReach', 'Show Why This File Reaches Its Hosts', false),
} as const satisfies Record<string, CommandSpec>;

export type CommandKey = keyof typeof COMMANDS;

export const UNTRUSTED_MESSAGE = 'Hostlens runs no programs in an untrusted workspace. Trust this folder (Workspaces: Manage Workspace Trust) to run dry-runs, linters, formatters and nix; navigation, lenses and diagnostics keep working meanwhile.';

/** Whether a command may execute now, and if not, the explanation to show. */
export function gate(command: CommandSpec, trusted: boolean): { allowed: true } | { allowed: false; message: string } {
  if (!command.runs || trusted) return { allowed: true };
  return { allowed: false, message: `${sentence(command.title)}: ${UNTRUSTED_MESSAGE}` };
}

/** "Dry-Run One Host…" -> "Dry-run one host": a title read as the start of a sentence. */
export function sentence(title: string): string {
  return title.replace(/…$/, '').replace(/(?<=[ -])([A-Z])(?=[a-z])/g, (c) => c.toLowerCase());
}
