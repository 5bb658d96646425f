// The settings that decide what runs, read with Workspace Trust in mind: in an untrusted workspace the workspace's
// own values of these settings are ignored (VS Code's restrictedConfigurations does the same; this does not rely on it).
import type { DryRunTool } from '../../server/src/shared/commandLines';
import { DEFAULT_RUN_SETTINGS, type RunSettings } from '../../server/src/shared/runPlan';
import { PATH_SETTINGS, TEMPLATE_KEYS, type Formatter, type Templates, type ToolPaths } from '../../server/src/shared/toolCommands';

/** What `WorkspaceConfiguration.inspect` reports for one key. */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** `inspect('dryRun.tool')` for `hostlens.dryRun.tool`. */
export type Inspect = (key: string) => Inspected | undefined;

/** Settings whose workspace values could make Hostlens run something else: listed in package.json too. */
export const RESTRICTED_SETTINGS: readonly string[] = [
  'hostlens.dryRun.tool', 'hostlens.dryRun.sudo', 'hostlens.switch.sudo', 'hostlens.formatter',
  ...TEMPLATE_KEYS.map((k) => `hostlens.commands.${k}`),
  ...Object.keys(PATH_SETTINGS).map((k) => `hostlens.paths.${k}`),
];

/** The value in effect: folder over workspace over user when trusted; only the user's (or the default) when not. */
export function effectiveValue(i: Inspected | undefined, trusted: boolean): unknown {
  if (!i) return undefined;
  if (trusted) return i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue ?? i.defaultValue;
  return i.globalValue ?? i.defaultValue;
}

export interface ClientSettings {
  run: RunSettings;
  formatter: Formatter | 'none';
}

const TOOLS: readonly DryRunTool[] = ['auto', 'nixos-rebuild', 'nix', 'nh'];

export function readSettings(inspect: Inspect, trusted: boolean): ClientSettings {
  const value = (key: string) => effectiveValue(inspect(key), trusted);
  const text = (key: string) => { const v = value(key); return typeof v === 'string' ? v : ''; };
  const flag = (key: string, fallback: boolean) => { const v = value(key); return typeof v === 'boolean' ? v : fallback; };
  const templates: Templates = {};
  for (const k of TEMPLATE_KEYS) if (text(`commands.${k}`).trim() !== '') templates[k] = text(`commands.${k}`);
  const paths: ToolPaths = {};
  for (const [k, program] of Object.entries(PATH_SETTINGS)) if (text(`paths.${k}`).trim() !== '') paths[program] = text(`paths.${k}`).trim();
  const tool = text('dryRun.tool') as DryRunTool;
  const formatter = text('formatter');
  return {
    run: {
      tool: TOOLS.includes(tool) ? tool : DEFAULT_RUN_SETTINGS.tool,
      sudo: flag('dryRun.sudo', DEFAULT_RUN_SETTINGS.sudo),
      switchSudo: flag('switch.sudo', DEFAULT_RUN_SETTINGS.switchSudo),
      templates,
      paths,
    },
    formatter: formatter === 'nixfmt' || formatter === 'none' ? formatter : 'alejandra',
  };
}
