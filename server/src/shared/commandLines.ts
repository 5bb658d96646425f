// The command line each host step (dry-run, switch) runs, as an argument vector: built here once for the editor's
// tasks, the CLI's runner and CI, and never joined into a shell string.
import type { HostRef } from './protocol';

export interface Argv { command: string; args: string[] }

export type DryRunTool = 'auto' | 'nixos-rebuild' | 'nix' | 'nh';

export interface DryRunOptions {
  /** The flake reference, normally `.` (commands run in the flake's directory). */
  flake: string;
  /**
   * `auto`: the host's own rebuild tool when installed, else plain nix; `nixos-rebuild`: always the rebuild tool
   * (nixos-rebuild, home-manager, darwin-rebuild); `nix`: always `nix build`; `nh`: nh when installed, else `auto`.
   */
  tool: DryRunTool;
  /** Prefix nixos-rebuild (and darwin-rebuild for switch) with sudo. */
  sudo: boolean;
  /** Which programs are installed; asked where the command will run (the terminal), not where it is planned. */
  available: (program: string) => boolean;
  /** User templates (`hostlens.commands.*`), e.g. `nixos-rebuild dry-build --flake ${flake}#${host}`. */
  templates?: Partial<Record<HostRef['kind'], string>>;
  /** The file the request came from (a lens, the editor), for `${file}` in templates. */
  file?: string;
}

/** A command line, and why it is not the tool the settings asked for when that tool is not installed. */
export interface Choice { argv: Argv; note?: string }

/** Flakes and the nix command are still experimental in Nix's own defaults (Debian's nix 2.8 among them). */
export const NIX_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];

/**
 * `flake#attr.path` for nix. Names that are not plain identifiers are quoted the way Nix's attribute paths quote
 * (`"m3tam3re@m3-daedalus"`), and characters a flake URL's fragment may not hold (backtick, `%`, `{`, `\`, `#`, non-ASCII, …)
 * are percent-encoded, since nix parses the installable as a URL before it reads the attribute path. A name containing
 * `"` cannot be addressed through an installable at all; nix then says so itself.
 */
export function flakeAttr(flake: string, ...path: string[]): string {
  const fragment = path.map((p) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(p) ? p : `"${p}"`)).join('.');
  return `${flake}#${fragment.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/? "]/gu, (c) => encodeURIComponent(c))}`;
}

const ATTR: Record<HostRef['kind'], (name: string) => string[]> = {
  nixos: (name) => ['nixosConfigurations', name, 'config', 'system', 'build', 'toplevel'],
  'home-manager': (name) => ['homeConfigurations', name, 'activationPackage'],
  darwin: (name) => ['darwinConfigurations', name, 'system'],
};

/** The program that builds and activates each kind of host. */
export const REBUILD_TOOL: Record<HostRef['kind'], string> = { nixos: 'nixos-rebuild', 'home-manager': 'home-manager', darwin: 'darwin-rebuild' };

const NH_SUBCOMMAND: Record<HostRef['kind'], [string, string]> = { nixos: ['os', '-H'], 'home-manager': ['home', '-c'], darwin: ['darwin', '-H'] };

function nh(host: HostRef, flake: string, extra: string[]): Argv {
  const [sub, flag] = NH_SUBCOMMAND[host.kind];
  return { command: 'nh', args: [sub, 'switch', flake, flag, host.name, ...extra] };
}

function withSudo(argv: Argv, sudo: boolean): Argv {
  return sudo ? { command: 'sudo', args: [argv.command, ...argv.args] } : argv;
}

function templated(host: HostRef, o: DryRunOptions): Choice | null {
  const template = o.templates?.[host.kind];
  if (!template || template.trim() === '') return null;
  return { argv: fromTemplate(template, { host: host.name, flake: o.flake, file: o.file ?? '' }) };
}

/** nh only when it is installed: the issue's "offered when installed and chosen"; otherwise say what runs instead. */
function resolveTool(o: DryRunOptions): { tool: DryRunTool; note?: string } {
  if (o.tool !== 'nh' || o.available('nh')) return { tool: o.tool };
  return { tool: 'auto', note: `nh is not installed (${installHint('nh')}); using the host's rebuild tool or nix instead` };
}

/** What dry-building one host runs: nothing is activated and nothing needs root (sudo only when asked). */
export function dryRunChoice(host: HostRef, o: DryRunOptions): Choice {
  const t = templated(host, o);
  if (t) return t;
  const { tool, note } = resolveTool(o);
  const done = (argv: Argv): Choice => (note ? { argv, note } : { argv });
  if (tool === 'nh') return done(nh(host, o.flake, ['--dry']));
  const native = REBUILD_TOOL[host.kind];
  if (tool === 'nixos-rebuild' || (tool === 'auto' && o.available(native))) {
    const ref = `${o.flake}#${host.name}`;
    if (host.kind === 'nixos') return done(withSudo({ command: native, args: ['dry-run', '--flake', ref] }, o.sudo));
    if (host.kind === 'home-manager') return done({ command: native, args: ['build', '--dry-run', '--no-out-link', '--flake', ref] });
    return done({ command: native, args: ['build', '--dry-run', '--flake', ref] });
  }
  return done({ command: 'nix', args: ['build', ...NIX_FLAGS, '--dry-run', '--no-link', flakeAttr(o.flake, ...ATTR[host.kind](host.name))] });
}

export function dryRunArgv(host: HostRef, o: DryRunOptions): Argv {
  return dryRunChoice(host, o).argv;
}

/**
 * What switching this machine to one host's configuration runs. There is no plain-nix fallback: activation needs
 * the host's own tool, and a missing one is reported with how to get it.
 */
export function switchChoice(host: HostRef, o: DryRunOptions): Choice {
  const t = templated(host, o);
  if (t) return t;
  const { tool, note } = resolveTool(o);
  const done = (argv: Argv): Choice => (note ? { argv, note } : { argv });
  if (tool === 'nh') return done(nh(host, o.flake, []));
  const ref = `${o.flake}#${host.name}`;
  if (host.kind === 'home-manager') return done({ command: 'home-manager', args: ['switch', '--flake', ref] });
  return done(withSudo({ command: REBUILD_TOOL[host.kind], args: ['switch', '--flake', ref] }, o.sudo));
}

/**
 * Splits a template into words first (with '…' and "…" grouping), then substitutes placeholders inside each word,
 * so a host or file name with spaces, quotes, `$`, `;` or backticks stays one literal argument. A word that is only
 * a placeholder whose value is empty (`${file}` when no file applies) is dropped rather than passed as `''`.
 */
export function fromTemplate(template: string, values: Record<string, string>): Argv {
  const words: { text: string; quoted: boolean }[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  let quoted = false;
  for (const ch of template) {
    if (quote) {
      if (ch === quote) quote = null; else word += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; inWord = true; quoted = true; }
    else if (/\s/.test(ch)) { if (inWord) words.push({ text: word, quoted }); word = ''; inWord = false; quoted = false; }
    else { word += ch; inWord = true; }
  }
  if (inWord) words.push({ text: word, quoted });
  const subst = (w: string) => w.replace(/\$\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  const kept = words.filter((w) => w.quoted || !/^\$\{\w+\}$/.test(w.text) || subst(w.text) !== '');
  const [command = '', ...args] = kept.map((w) => subst(w.text));
  return { command, args };
}

/** A shell-like rendering for headings and confirmations only; what runs is the argv itself. */
export function displayArgv(a: Argv): string {
  const quote = (s: string) => (/^[\w@%+=:,./#-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [a.command, ...a.args].map(quote).join(' ');
}

/** How to get a missing program, for messages that replace a raw "command not found". */
export function installHint(program: string): string {
  const pkg: Record<string, string> = {
    'nixos-rebuild': 'nixos-rebuild', 'home-manager': 'home-manager', nh: 'nh', statix: 'statix', deadnix: 'deadnix',
    alejandra: 'alejandra', nixfmt: 'nixfmt', 'darwin-rebuild': 'nix-darwin', git: 'git',
  };
  if (program === 'nix') return 'install Nix (https://nixos.org/download) or, on Debian/Ubuntu, `apt install nix-bin`';
  if (program === 'sudo') return 'install sudo, or turn off the sudo setting (hostlens.dryRun.sudo / hostlens.switch.sudo)';
  const base = program.split('/').pop() ?? program;
  return `try \`nix shell nixpkgs#${pkg[base] ?? base}\``;
}
