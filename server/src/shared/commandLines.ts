// The command line each validation step runs, as an argument vector: built here once for the editor's tasks,
// the CLI's runner and CI, and never joined into a shell string.
import type { HostRef } from './protocol';

export interface Argv { command: string; args: string[] }

export type DryRunTool = 'auto' | 'nixos-rebuild' | 'nix' | 'nh';

export interface DryRunOptions {
  /** The flake reference, normally `.` (commands run in the flake's directory). */
  flake: string;
  tool: DryRunTool;
  sudo: boolean;
  /** Which programs are on PATH; `auto` picks the user's habit when present and falls back to plain nix. */
  available: (program: string) => boolean;
  /** User templates (`hostlens.commands.*`), e.g. `nixos-rebuild dry-build --flake ${flake}#${host}`. */
  templates?: Partial<Record<HostRef['kind'], string>>;
}

const NIX_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];

/** `.#"name"` quoting is not needed in an argv, but names with `.` or `"` need Nix's own attribute quoting. */
export function flakeAttr(flake: string, ...path: string[]): string {
  return `${flake}#${path.map((p) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(p) ? p : JSON.stringify(p))).join('.')}`;
}

export function dryRunArgv(host: HostRef, o: DryRunOptions): Argv {
  const template = o.templates?.[host.kind];
  if (template) return fromTemplate(template, { host: host.name, flake: o.flake, file: '' });
  const sudo = (argv: Argv): Argv => (o.sudo ? { command: 'sudo', args: [argv.command, ...argv.args] } : argv);
  if (host.kind === 'nixos') {
    if (o.tool === 'nh') return { command: 'nh', args: ['os', 'switch', o.flake, '-H', host.name, '--dry'] };
    if (o.tool === 'nixos-rebuild' || (o.tool === 'auto' && o.available('nixos-rebuild'))) {
      return sudo({ command: 'nixos-rebuild', args: ['dry-run', '--flake', `${o.flake}#${host.name}`] });
    }
    return { command: 'nix', args: ['build', ...NIX_FLAGS, '--dry-run', '--no-link', flakeAttr(o.flake, 'nixosConfigurations', host.name, 'config', 'system', 'build', 'toplevel')] };
  }
  if (host.kind === 'home-manager') {
    if (o.tool === 'nh') return { command: 'nh', args: ['home', 'switch', o.flake, '-c', host.name, '--dry'] };
    if (o.tool === 'auto' && o.available('home-manager')) {
      return { command: 'home-manager', args: ['build', '--dry-run', '--no-out-link', '--flake', `${o.flake}#${host.name}`] };
    }
    return { command: 'nix', args: ['build', ...NIX_FLAGS, '--dry-run', '--no-link', flakeAttr(o.flake, 'homeConfigurations', host.name, 'activationPackage')] };
  }
  if (o.tool === 'auto' && o.available('darwin-rebuild')) {
    return { command: 'darwin-rebuild', args: ['build', '--dry-run', '--flake', `${o.flake}#${host.name}`] };
  }
  return { command: 'nix', args: ['build', ...NIX_FLAGS, '--dry-run', '--no-link', flakeAttr(o.flake, 'darwinConfigurations', host.name, 'system')] };
}

/**
 * Splits a template into words first (with '…' and "…" grouping), then substitutes placeholders inside each word,
 * so a host or file name with spaces, quotes, `$`, `;` or backticks stays one literal argument.
 */
export function fromTemplate(template: string, values: Record<string, string>): Argv {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of template) {
    if (quote) {
      if (ch === quote) quote = null; else word += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; inWord = true; }
    else if (/\s/.test(ch)) { if (inWord) words.push(word); word = ''; inWord = false; }
    else { word += ch; inWord = true; }
  }
  if (inWord) words.push(word);
  const subst = (w: string) => w.replace(/\$\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  const [command = '', ...args] = words.map(subst);
  return { command, args };
}

/** How to get a missing program, for messages that replace a raw "command not found". */
export function installHint(program: string): string {
  const pkg: Record<string, string> = { 'nixos-rebuild': 'nixos-rebuild', 'home-manager': 'home-manager', nh: 'nh', statix: 'statix', deadnix: 'deadnix', alejandra: 'alejandra', nixfmt: 'nixfmt', 'darwin-rebuild': 'nix-darwin' };
  if (program === 'nix') return 'install Nix (https://nixos.org/download) or, on Debian/Ubuntu, `apt install nix-bin`';
  return `try \`nix shell nixpkgs#${pkg[program] ?? program}\``;
}
