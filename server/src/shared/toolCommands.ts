// Command lines of the workspace tools (statix, deadnix, the formatters, `nix flake`), the settings keys of their
// templates and tool paths, and how a configured tool path replaces a program name in an argument vector.
import { fromTemplate, NIX_FLAGS, type Argv } from './commandLines';
import type { HostRef } from './protocol';

export type ToolCommand = 'statixCheck' | 'statixFix' | 'deadnix' | 'deadnixEdit' | 'formatWorkspace' | 'flakeShow' | 'flakeCheck';
export type Formatter = 'alejandra' | 'nixfmt';

/** `hostlens.commands.<key>`: every command line the user can replace. */
export const TEMPLATE_KEYS = [
  'dryRun.nixos', 'dryRun.homeManager', 'dryRun.darwin', 'switch.nixos', 'switch.homeManager', 'switch.darwin',
  'statixCheck', 'statixFix', 'deadnix', 'deadnixEdit', 'formatWorkspace', 'flakeShow', 'flakeCheck',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export type Templates = Partial<Record<TemplateKey, string>>;

/** `hostlens.paths.<key>` -> the program it locates. */
export const PATH_SETTINGS = {
  statix: 'statix', deadnix: 'deadnix', alejandra: 'alejandra', nixfmt: 'nixfmt', nix: 'nix',
  nixosRebuild: 'nixos-rebuild', homeManager: 'home-manager', nh: 'nh',
} as const;
/** Program name -> configured executable. */
export type ToolPaths = Partial<Record<string, string>>;

const KIND_KEY: Record<HostRef['kind'], 'nixos' | 'homeManager' | 'darwin'> = { nixos: 'nixos', 'home-manager': 'homeManager', darwin: 'darwin' };

/** The per-kind templates of one host action, in the shape `dryRunChoice`/`switchChoice` take. */
export function hostTemplates(templates: Templates, action: 'dryRun' | 'switch'): Partial<Record<HostRef['kind'], string>> {
  const out: Partial<Record<HostRef['kind'], string>> = {};
  for (const kind of Object.keys(KIND_KEY) as HostRef['kind'][]) {
    const t = templates[`${action}.${KIND_KEY[kind]}`];
    if (t && t.trim() !== '') out[kind] = t;
  }
  return out;
}

/** A tool step as the runner executes it. */
export interface ToolStep {
  argv: Argv;
  /** deadnix's JSON is rewritten to `file:line:col: warning: message` lines a person and a problem matcher can read. */
  output?: 'deadnix-json';
  /** nixfmt no longer walks directories itself: the runner appends the `.nix` files under this folder. */
  appendNixFilesUnder?: string;
  /** The contributed problem matcher that reads this output. */
  problemMatcher?: string;
}

export interface ToolContext {
  flake: string;
  /** Workspace-relative file or folder the command works on; `.` for the whole workspace. */
  target: string;
  formatter: Formatter;
  templates: Templates;
}

/** What each tool command runs. A template replaces the built-in line and its output rewriting. */
export function toolStep(command: ToolCommand, ctx: ToolContext): ToolStep {
  // A leading `-` would read as a flag; `./` names the same file.
  const target = ctx.target.startsWith('-') ? `./${ctx.target}` : ctx.target;
  const matcher = command === 'statixCheck' ? { problemMatcher: '$hostlens-statix' } : command === 'deadnix' ? { problemMatcher: '$hostlens-deadnix' } : {};
  const template = ctx.templates[command];
  if (template && template.trim() !== '') return { argv: fromTemplate(template, { flake: ctx.flake, file: target, host: '' }), ...matcher };
  switch (command) {
    case 'statixCheck': return { argv: { command: 'statix', args: ['check', '-o', 'errfmt', target] }, ...matcher };
    case 'statixFix': return { argv: { command: 'statix', args: ['fix', target] } };
    case 'deadnix': return { argv: { command: 'deadnix', args: ['-o', 'json', target] }, output: 'deadnix-json', ...matcher };
    case 'deadnixEdit': return { argv: { command: 'deadnix', args: ['--edit', target] } };
    case 'formatWorkspace':
      if (ctx.formatter === 'alejandra') return { argv: { command: 'alejandra', args: [target] } };
      return target.endsWith('.nix') ? { argv: { command: 'nixfmt', args: [target] } } : { argv: { command: 'nixfmt', args: [] }, appendNixFilesUnder: ctx.target };
    case 'flakeShow': return { argv: { command: 'nix', args: ['flake', 'show', ...NIX_FLAGS, ctx.flake] } };
    case 'flakeCheck': return { argv: { command: 'nix', args: ['flake', 'check', ...NIX_FLAGS, ctx.flake] } };
  }
}

/** The programs an argv needs: `sudo X` needs both. */
export function programsOf(argv: Argv): string[] {
  return argv.command === 'sudo' && argv.args[0] ? ['sudo', argv.args[0]] : [argv.command];
}

/** Puts configured executables in place of program names (also behind sudo). */
export function withToolPaths(argv: Argv, paths: ToolPaths): Argv {
  const swap = (p: string) => (paths[p] && paths[p]!.trim() !== '' ? paths[p]!.trim() : p);
  if (argv.command === 'sudo' && argv.args.length > 0) return { command: 'sudo', args: [swap(argv.args[0]!), ...argv.args.slice(1)] };
  return { command: swap(argv.command), args: argv.args };
}
