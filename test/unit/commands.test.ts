// Exact argument vectors of every command Hostlens runs: dry-run and switch for each host kind and tool choice
// (rebuild tool present or absent, nh, sudo, templates), the workspace tools, tool paths and flake attribute quoting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  displayArgv, dryRunArgv, dryRunChoice, flakeAttr, fromTemplate, installHint, switchChoice, type Argv, type DryRunOptions,
} from '../../server/src/shared/commandLines';
import type { HostRef } from '../../server/src/shared/protocol';
import { hostTemplates, programsOf, toolStep, withToolPaths } from '../../server/src/shared/toolCommands';

const NIXOS: HostRef = { name: 'm3-atlas', kind: 'nixos' };
const HOME: HostRef = { name: 'm3tam3re@m3-daedalus', kind: 'home-manager' };
const DARWIN: HostRef = { name: 'mac', kind: 'darwin' };
/** A name a shell would mangle in every way: spaces, both quotes, `$`, `;` and backticks. */
const HOSTILE = 'my host\'s "cfg" $HOME; `touch pwned` x';

const has = (...programs: string[]) => (p: string) => programs.includes(p);
const opts = (o: Partial<DryRunOptions> = {}): DryRunOptions => ({ flake: '.', tool: 'auto', sudo: false, available: has(), ...o });
const argv = (a: Argv) => [a.command, ...a.args];
const NIX_BUILD = ['nix', 'build', '--extra-experimental-features', 'nix-command flakes', '--dry-run', '--no-link'];

test('NixOS dry-run: nixos-rebuild when installed, sudo only when asked, nix build without it', () => {
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ available: has('nixos-rebuild') }))), ['nixos-rebuild', 'dry-run', '--flake', '.#m3-atlas']);
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ available: has('nixos-rebuild'), sudo: true }))), ['sudo', 'nixos-rebuild', 'dry-run', '--flake', '.#m3-atlas']);
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts())), [...NIX_BUILD, '.#nixosConfigurations.m3-atlas.config.system.build.toplevel']);
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ sudo: true }))), [...NIX_BUILD, '.#nixosConfigurations.m3-atlas.config.system.build.toplevel'], 'nix build never gets sudo');
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ tool: 'nix', available: has('nixos-rebuild') }))), [...NIX_BUILD, '.#nixosConfigurations.m3-atlas.config.system.build.toplevel']);
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ tool: 'nixos-rebuild' }))), ['nixos-rebuild', 'dry-run', '--flake', '.#m3-atlas'], 'an explicit choice is kept; the runner reports it missing');
});

test('Home Manager and nix-darwin dry-runs, with the same nix build fallback', () => {
  assert.deepEqual(argv(dryRunArgv(HOME, opts({ available: has('home-manager') }))), ['home-manager', 'build', '--dry-run', '--no-out-link', '--flake', '.#m3tam3re@m3-daedalus']);
  assert.deepEqual(argv(dryRunArgv(HOME, opts({ sudo: true }))), [...NIX_BUILD, '.#homeConfigurations."m3tam3re@m3-daedalus".activationPackage']);
  assert.deepEqual(argv(dryRunArgv(HOME, opts({ tool: 'nixos-rebuild', sudo: true }))), ['home-manager', 'build', '--dry-run', '--no-out-link', '--flake', '.#m3tam3re@m3-daedalus'], 'home-manager never gets sudo');
  assert.deepEqual(argv(dryRunArgv(DARWIN, opts({ available: has('darwin-rebuild') }))), ['darwin-rebuild', 'build', '--dry-run', '--flake', '.#mac']);
  assert.deepEqual(argv(dryRunArgv(DARWIN, opts())), [...NIX_BUILD, '.#darwinConfigurations.mac.system']);
});

test('nh is used when chosen and installed; when it is missing the fallback says so', () => {
  const nh = { tool: 'nh' as const };
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ ...nh, available: has('nh') }))), ['nh', 'os', 'switch', '.', '-H', 'm3-atlas', '--dry']);
  assert.deepEqual(argv(dryRunArgv(HOME, opts({ ...nh, available: has('nh') }))), ['nh', 'home', 'switch', '.', '-c', 'm3tam3re@m3-daedalus', '--dry']);
  assert.deepEqual(argv(dryRunArgv(DARWIN, opts({ ...nh, available: has('nh') }))), ['nh', 'darwin', 'switch', '.', '-H', 'mac', '--dry']);
  assert.deepEqual(argv(dryRunArgv(NIXOS, opts({ ...nh, available: has('nh'), sudo: true }))), ['nh', 'os', 'switch', '.', '-H', 'm3-atlas', '--dry'], 'nh elevates by itself');
  const noNh = dryRunChoice(NIXOS, opts({ ...nh, available: has('nixos-rebuild') }));
  assert.deepEqual(argv(noNh.argv), ['nixos-rebuild', 'dry-run', '--flake', '.#m3-atlas']);
  assert.match(noNh.note ?? '', /^nh is not installed \(try `nix shell nixpkgs#nh`\)/);
  assert.deepEqual(argv(dryRunChoice(NIXOS, opts(nh)).argv), [...NIX_BUILD, '.#nixosConfigurations.m3-atlas.config.system.build.toplevel']);
  assert.equal(dryRunChoice(NIXOS, opts({ available: has('nixos-rebuild') })).note, undefined, 'no note when nothing was substituted');
});

test('switch: the host kind\'s own tool, sudo by setting, nh when chosen; no plain-nix fallback', () => {
  assert.deepEqual(argv(switchChoice(NIXOS, opts({ sudo: true, available: has('nixos-rebuild') })).argv), ['sudo', 'nixos-rebuild', 'switch', '--flake', '.#m3-atlas']);
  assert.deepEqual(argv(switchChoice(NIXOS, opts({ sudo: false })).argv), ['nixos-rebuild', 'switch', '--flake', '.#m3-atlas'], 'absent: still nixos-rebuild, reported by the runner');
  assert.deepEqual(argv(switchChoice(HOME, opts({ sudo: true })).argv), ['home-manager', 'switch', '--flake', '.#m3tam3re@m3-daedalus']);
  assert.deepEqual(argv(switchChoice(DARWIN, opts({ sudo: true })).argv), ['sudo', 'darwin-rebuild', 'switch', '--flake', '.#mac']);
  assert.deepEqual(argv(switchChoice(NIXOS, opts({ tool: 'nh', sudo: true, available: has('nh') })).argv), ['nh', 'os', 'switch', '.', '-H', 'm3-atlas']);
  assert.deepEqual(argv(switchChoice(HOME, opts({ tool: 'nh', available: has('nh') })).argv), ['nh', 'home', 'switch', '.', '-c', 'm3tam3re@m3-daedalus']);
  assert.deepEqual(argv(switchChoice(NIXOS, opts({ tool: 'nix', sudo: true })).argv), ['sudo', 'nixos-rebuild', 'switch', '--flake', '.#m3-atlas'], 'nix cannot activate: tool nix still switches with nixos-rebuild');
});

test('a host name a shell would split or expand stays one argument in every command line', () => {
  const host = { name: HOSTILE, kind: 'nixos' } as const;
  assert.deepEqual(argv(dryRunArgv(host, opts({ available: has('nixos-rebuild') }))), ['nixos-rebuild', 'dry-run', '--flake', `.#${HOSTILE}`]);
  assert.deepEqual(argv(dryRunArgv(host, opts({ tool: 'nh', available: has('nh') }))), ['nh', 'os', 'switch', '.', '-H', HOSTILE, '--dry']);
  const nix = dryRunArgv(host, opts());
  assert.equal(nix.args.length, 6);
  assert.equal(nix.args[5], '.#nixosConfigurations."my host\'s "cfg" $HOME; %60touch pwned%60 x".config.system.build.toplevel');
});

test('flake attributes: plain names bare, others quoted, URL-illegal characters percent-encoded for nix', () => {
  assert.equal(flakeAttr('.', 'nixosConfigurations', 'm3-atlas'), '.#nixosConfigurations.m3-atlas');
  assert.equal(flakeAttr('.', 'homeConfigurations', 'me@host'), '.#homeConfigurations."me@host"');
  assert.equal(flakeAttr('.', 'nixosConfigurations', 'a.b'), '.#nixosConfigurations."a.b"');
  // nix 2.8 rejects these characters in a flake URL fragment ("is not a valid URL"); encoded, they decode back.
  assert.equal(flakeAttr('.', 'x', 'a`b%c{d}e\\f|g^h#i<j>k'), '.#x."a%60b%25c%7Bd%7De%5Cf%7Cg%5Eh%23i%3Cj%3Ek"');
  assert.equal(flakeAttr('.', 'x', 'hôst'), '.#x."h%C3%B4st"');
  assert.equal(flakeAttr('.', 'x', "a b;$'"), '.#x."a b;$\'"', 'nix accepts space, ; $ and \' as they are');
});

test('templates: words first, then placeholders, so substituted names stay single literal arguments', () => {
  const t = fromTemplate('nixos-rebuild dry-build --flake ${flake}#${host} --option "max jobs" \'4\' ${file}', { host: HOSTILE, flake: '.', file: 'hosts/a b.nix' });
  assert.deepEqual(argv(t), ['nixos-rebuild', 'dry-build', '--flake', `.#${HOSTILE}`, '--option', 'max jobs', '4', 'hosts/a b.nix']);
  assert.deepEqual(argv(fromTemplate('just check ${file} ${nope}', { file: '' })), ['just', 'check', '${nope}'], 'an empty ${file} word is dropped; unknown placeholders stay literal');
  assert.deepEqual(argv(fromTemplate("x '' \"${file}\"", { file: '' })), ['x', '', ''], 'quoted empties are kept on purpose');
  assert.deepEqual(argv(fromTemplate('sh -c $(rm -rf ~); echo `id`', {})), ['sh', '-c', '$(rm', '-rf', '~);', 'echo', '`id`'], 'no shell: metacharacters are plain text');
  const templated = dryRunChoice(NIXOS, opts({ templates: { nixos: 'colmena build --on ${host} ${file}' }, file: 'hosts/x.nix', tool: 'nh', available: has() }));
  assert.deepEqual(argv(templated.argv), ['colmena', 'build', '--on', 'm3-atlas', 'hosts/x.nix']);
  assert.equal(templated.note, undefined, 'a template is used as written, tool setting aside');
  assert.deepEqual(hostTemplates({ 'dryRun.nixos': 'a', 'dryRun.homeManager': ' ', 'switch.darwin': 'b' }, 'dryRun'), { nixos: 'a' });
  assert.deepEqual(argv(switchChoice(DARWIN, opts({ templates: hostTemplates({ 'switch.darwin': 'darwin-rebuild switch --flake ${flake}#${host}' }, 'switch') })).argv), ['darwin-rebuild', 'switch', '--flake', '.#mac']);
});

test('workspace tools: statix, deadnix, formatters and nix flake, on the workspace or one target', () => {
  const ctx = { flake: '.', target: '.', formatter: 'alejandra' as const, templates: {} };
  const step = (c: Parameters<typeof toolStep>[0], o: Partial<Parameters<typeof toolStep>[1]> = {}) => toolStep(c, { ...ctx, ...o });
  assert.deepEqual(step('statixCheck'), { argv: { command: 'statix', args: ['check', '-o', 'errfmt', '.'] }, problemMatcher: '$hostlens-statix' });
  assert.deepEqual(step('statixFix', { target: 'hosts/m3-atlas' }), { argv: { command: 'statix', args: ['fix', 'hosts/m3-atlas'] } });
  assert.deepEqual(step('deadnix'), { argv: { command: 'deadnix', args: ['-o', 'json', '.'] }, output: 'deadnix-json', problemMatcher: '$hostlens-deadnix' });
  assert.deepEqual(step('deadnixEdit', { target: 'a b.nix' }), { argv: { command: 'deadnix', args: ['--edit', 'a b.nix'] } });
  assert.deepEqual(step('formatWorkspace'), { argv: { command: 'alejandra', args: ['.'] } });
  assert.deepEqual(step('formatWorkspace', { formatter: 'nixfmt' }), { argv: { command: 'nixfmt', args: [] }, appendNixFilesUnder: '.' }, 'nixfmt no longer walks folders');
  assert.deepEqual(step('formatWorkspace', { formatter: 'nixfmt', target: 'hosts/x.nix' }), { argv: { command: 'nixfmt', args: ['hosts/x.nix'] } });
  assert.deepEqual(step('flakeShow'), { argv: { command: 'nix', args: ['flake', 'show', '--extra-experimental-features', 'nix-command flakes', '.'] } });
  assert.deepEqual(step('flakeCheck'), { argv: { command: 'nix', args: ['flake', 'check', '--extra-experimental-features', 'nix-command flakes', '.'] } });
  assert.deepEqual(step('statixCheck', { target: '-odd.nix' }).argv.args, ['check', '-o', 'errfmt', './-odd.nix'], 'a leading - is not a flag');
  const templated = step('statixCheck', { target: 'a b.nix', templates: { statixCheck: 'statix check --config ci/statix.toml ${file}' } });
  assert.deepEqual(templated, { argv: { command: 'statix', args: ['check', '--config', 'ci/statix.toml', 'a b.nix'] }, problemMatcher: '$hostlens-statix' });
  assert.deepEqual(step('deadnix', { templates: { deadnix: 'deadnix --fail ${file}' } }), { argv: { command: 'deadnix', args: ['--fail', '.'] }, problemMatcher: '$hostlens-deadnix' }, 'a template\'s output is shown as printed');
});

test('tool paths replace program names, behind sudo too; programsOf names what must be installed', () => {
  const paths = { statix: '/opt/statix/bin/statix', 'nixos-rebuild': '/run/current-system/sw/bin/nixos-rebuild' };
  assert.deepEqual(withToolPaths({ command: 'statix', args: ['check'] }, paths), { command: '/opt/statix/bin/statix', args: ['check'] });
  assert.deepEqual(withToolPaths({ command: 'sudo', args: ['nixos-rebuild', 'switch'] }, paths), { command: 'sudo', args: ['/run/current-system/sw/bin/nixos-rebuild', 'switch'] });
  assert.deepEqual(withToolPaths({ command: 'nix', args: ['build'] }, paths), { command: 'nix', args: ['build'] });
  assert.deepEqual(withToolPaths({ command: 'nix', args: [] }, { nix: '   ' }), { command: 'nix', args: [] }, 'a blank path is no path');
  assert.deepEqual(programsOf({ command: 'sudo', args: ['nixos-rebuild', 'switch'] }), ['sudo', 'nixos-rebuild']);
  assert.deepEqual(programsOf({ command: 'statix', args: [] }), ['statix']);
});

test('missing programs are named with how to get them; headings quote like a shell would', () => {
  assert.equal(installHint('statix'), 'try `nix shell nixpkgs#statix`');
  assert.equal(installHint('/opt/bin/deadnix'), 'try `nix shell nixpkgs#deadnix`');
  assert.equal(installHint('darwin-rebuild'), 'try `nix shell nixpkgs#nix-darwin`');
  assert.match(installHint('nix'), /apt install nix-bin/);
  assert.match(installHint('sudo'), /hostlens\.dryRun\.sudo/);
  assert.equal(displayArgv({ command: 'nix', args: ['build', 'nix-command flakes', "it's"] }), "nix build 'nix-command flakes' 'it'\\''s'");
});
