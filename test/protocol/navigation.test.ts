// Navigation over LSP on a copy of the fleet: every definition kind with its exact target range, cross-host peeks,
// references, hovers, host flags for all seven hosts, symbols and completion.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { LspSession } from '../support/lspSession';

let root: string;
let s: LspSession;

before(async () => {
  s = await LspSession.onCopy('fleet', 'nav');
  root = s.root;
});
after(() => s.disposeCopy());

interface Pos { line: number; character: number }
interface Range { start: Pos; end: Pos }
interface Loc { uri: string; range: Range }

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

function posOf(text: string, offset: number): Pos {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The range of `sub` inside the first occurrence of `needle` in `file`. */
function rangeOf(file: string, needle: string, sub = needle): Range {
  const text = read(file);
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} in ${file}`);
  const start = at + needle.indexOf(sub);
  assert.ok(needle.includes(sub));
  return { start: posOf(text, start), end: posOf(text, start + sub.length) };
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const place = (file: string, range: Range) => ({ file, range });
const rel = (uri: string) => path.relative(root, fileURLToPath(uri)).split(path.sep).join('/');

/** Asks `method` with the cursor one character into `sub` (inside the first `needle`) of `file`. */
async function ask<T>(method: string, file: string, needle: string, sub = needle, extra: object = {}): Promise<T> {
  const position = rangeOf(file, needle, sub).start;
  position.character += 1;
  return s.rpc.sendRequest(method, { textDocument: { uri: s.uri(file) }, position, ...extra }) as Promise<T>;
}

async function definition(file: string, needle: string, sub = needle) {
  const locs = await ask<Loc[] | null>('textDocument/definition', file, needle, sub);
  return (locs ?? []).map((l) => place(rel(l.uri), l.range));
}

async function referenceFiles(file: string, needle: string, sub = needle) {
  const locs = await ask<Loc[] | null>('textDocument/references', file, needle, sub, { context: { includeDeclaration: true } });
  return (locs ?? []).map((l) => place(rel(l.uri), l.range));
}

async function hoverText(file: string, needle: string, sub = needle): Promise<string> {
  const h = await ask<{ contents: { value: string } } | null>('textDocument/hover', file, needle, sub);
  return h?.contents.value ?? '';
}

test('initialize advertises definition, references, symbols and completion', () => {
  const caps = s.initializeResult!.capabilities as Record<string, unknown>;
  for (const c of ['definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'completionProvider', 'hoverProvider']) {
    assert.ok(caps[c], c);
  }
});

test('identifiers: let, formal, @ pattern, inherit and with-only names jump to their binder', async () => {
  const users = 'hosts/common/users/m3tam3re.nix';
  assert.deepEqual(await definition(users, 'profile = flags', 'flags'), [place(users, rangeOf(users, 'flags = hostFlags', 'flags'))]);
  assert.deepEqual(await definition(users, 'hashedPasswordFile = config', 'config'), [place(users, rangeOf(users, '  config,', 'config'))]);
  assert.deepEqual(await definition('flake.nix', 'specialArgs = {inherit inputs', 'inputs'), [place('flake.nix', rangeOf('flake.nix', '} @ inputs', 'inputs'))]);
  assert.deepEqual(await definition('flake.nix', 'inherit inputs outputs hostname', 'outputs'), [place('flake.nix', rangeOf('flake.nix', 'inherit (self) outputs', 'outputs'))]);
  const podman = 'hosts/common/extraServices/podman.nix';
  assert.deepEqual(await definition(podman, '= mkEnableOption', 'mkEnableOption'), [place(podman, rangeOf(podman, 'with lib'))]);
});

test('paths: a file, a directory, an import, callPackage, an .age file and ./hosts/${hostname} per host', async () => {
  const atlas = 'hosts/m3-atlas/default.nix';
  assert.deepEqual(await definition(atlas, './configuration.nix'), [place('hosts/m3-atlas/configuration.nix', FILE_START)]);
  assert.deepEqual(await definition(atlas, '../common/server'), [place('hosts/common/server/default.nix', FILE_START)]);
  assert.deepEqual(await definition('hosts/m3-atlas/services/traefik.nix', 'import ../../common/traefik-router.nix', '../../common'), [place('hosts/common/traefik-router.nix', FILE_START)]);
  assert.deepEqual(await definition('pkgs/default.nix', './m3ta-scripts'), [place('pkgs/m3ta-scripts/default.nix', FILE_START)]);
  assert.deepEqual(await definition('hosts/m3-atlas/secrets.nix', '../../secrets/n8n-env.age'), [
    place('secrets/n8n-env.age', FILE_START),
    place('secrets.nix', rangeOf('secrets.nix', '"secrets/n8n-env.age"')),
  ]);
  // mkHost builds m3-ares, m3-helios, m3-hermes and m3-aether; m3-kratos and m3-atlas are written out.
  assert.deepEqual(await definition('flake.nix', './hosts/${hostname}'), ['m3-aether', 'm3-ares', 'm3-helios', 'm3-hermes'].map((h) => place(`hosts/${h}/default.nix`, FILE_START)));
});

test('options: declared ones jump to the declaration; others peek every definition on the hosts the file affects', async () => {
  assert.deepEqual(await definition('hosts/common/server/default.nix', 'm3ta.motd.enable', 'enable'),
    [place('modules/nixos/m3ta-motd.nix', rangeOf('modules/nixos/m3ta-motd.nix', 'options.m3ta.motd.enable', 'enable'))]);
  assert.deepEqual(await definition('hosts/common/server/default.nix', 'podman.enable', 'enable'),
    [place('hosts/common/extraServices/podman.nix', rangeOf('hosts/common/extraServices/podman.nix', 'options.extraServices.podman.enable', 'enable'))]);
  // modules/nixos/m3ta-motd.nix reaches the four servers: each one's hostName, nested or dotted.
  const peek = await definition('modules/nixos/m3ta-motd.nix', 'config.networking.hostName', 'hostName');
  assert.deepEqual(peek, [
    place('hosts/m3-aether/configuration.nix', rangeOf('hosts/m3-aether/configuration.nix', 'networking.hostName', 'hostName')),
    place('hosts/m3-atlas/configuration.nix', rangeOf('hosts/m3-atlas/configuration.nix', 'hostName')),
    place('hosts/m3-helios/configuration.nix', rangeOf('hosts/m3-helios/configuration.nix', 'hostName')),
    place('hosts/m3-hermes/configuration.nix', rangeOf('hosts/m3-hermes/configuration.nix', 'hostName')),
  ]);
  // Attrset nesting and dotted paths are the same option.
  assert.deepEqual(await definition('hosts/common/users/m3tam3re.nix', 'config.virtualisation.podman.enable', 'enable'),
    [place('hosts/common/extraServices/podman.nix', rangeOf('hosts/common/extraServices/podman.nix', 'podman = {\n        enable', 'enable'))]);
});

test('option hover: the value on every host the file affects, or not set', async () => {
  const text = await hoverText('modules/nixos/m3ta-backup.nix', 'mkIf cfg.enable', 'enable');
  assert.match(text, /option `m3ta\.backup\.enable`/);
  assert.match(text, /m3-atlas: true \(hosts\/common\/extraServices\/restic\.nix\)/);
  assert.match(text, /m3-hermes: true \(hosts\/common\/extraServices\/restic\.nix\)/);
  assert.match(text, /m3-aether: not set/);
  assert.match(text, /m3-helios: not set/);
  const traefik = await hoverText('hosts/m3-atlas/services/traefik.nix', 'enable = true', 'enable');
  assert.match(traefik, /m3-atlas: true \(hosts\/m3-atlas\/services\/traefik\.nix\)/);
});

test('flake: inputs, outputs formals, outputs.overlays.x, outputs.nixosModules, packages and host names', async () => {
  const agenix = [place('flake.nix', rangeOf('flake.nix', 'agenix = {', 'agenix'))];
  assert.deepEqual(await definition('hosts/common/default.nix', 'inputs.agenix.nixosModules', 'agenix'), agenix);
  assert.deepEqual(await definition('flake.nix', 'home-manager.lib.homeManagerConfiguration', 'home-manager'), [place('flake.nix', rangeOf('flake.nix', 'home-manager = {', 'home-manager'))]);
  assert.deepEqual(await definition('hosts/common/default.nix', 'outputs.overlays.additions', 'additions'), [place('overlays/default.nix', rangeOf('overlays/default.nix', 'additions = final', 'additions'))]);
  assert.deepEqual(await definition('hosts/common/server/default.nix', 'outputs.nixosModules', 'nixosModules'), [place('flake.nix', rangeOf('flake.nix', 'nixosModules = import', 'nixosModules'))]);
  assert.deepEqual(await definition('hosts/common/default.nix', '    m3ta-scripts', 'm3ta-scripts'), [place('pkgs/default.nix', rangeOf('pkgs/default.nix', 'm3ta-scripts = pkgs', 'm3ta-scripts'))]);
  assert.deepEqual(await definition('hosts/m3-daedalus/home.nix', 'stable.thunderbird', 'stable'), [place('overlays/default.nix', rangeOf('overlays/default.nix', 'stable = channel', 'stable'))]);
  assert.deepEqual(await definition('flake.nix', 'mkHost "m3-helios"', '"m3-helios"'), [place('hosts/m3-helios/default.nix', FILE_START)]);
  assert.deepEqual(await definition('flake.nix', 'hostname = "m3-atlas"', '"m3-atlas"'), [place('hosts/m3-atlas/default.nix', FILE_START)]);
  assert.deepEqual(await definition('flake.nix', '"m3tam3re@m3-daedalus" =', '"m3tam3re@m3-daedalus"'), [place('hosts/m3-daedalus/home.nix', FILE_START)]);
  assert.deepEqual(await definition('hosts/common/extraServices/default.nix', '"m3-kratos"'), [place('hosts/m3-kratos/default.nix', FILE_START)]);
});

test('secrets: age.secrets.<n> and its file lead to the registry entry and the .age file', async () => {
  const expected = [place('secrets.nix', rangeOf('secrets.nix', '"secrets/vaultwarden-env.age"')), place('secrets/vaultwarden-env.age', FILE_START)];
  assert.deepEqual(await definition('hosts/m3-atlas/secrets.nix', 'vaultwarden-env = {', 'vaultwarden-env'), expected);
  assert.deepEqual(await definition('hosts/m3-atlas/services/vaultwarden.nix', 'config.age.secrets.vaultwarden-env.path', 'vaultwarden-env'), expected);
  assert.deepEqual(await definition('hosts/m3-hermes/secrets.nix', 'age.secrets.traefik-env.file', 'file'),
    [place('secrets.nix', rangeOf('secrets.nix', '"secrets/traefik-env.age"')), place('secrets/traefik-env.age', FILE_START)]);
  // From the registry back to the hosts that use the secret.
  const refs = await referenceFiles('secrets.nix', '"secrets/traefik-env.age"');
  assert.deepEqual(refs.map((r) => r.file), ['secrets.nix', 'hosts/m3-atlas/secrets.nix', 'hosts/m3-hermes/secrets.nix']);
  assert.deepEqual(refs[1]!.range, rangeOf('hosts/m3-atlas/secrets.nix', '../../secrets/traefik-env.age'));
});

test('host flags: all seven hosts resolve; hover lists every host; a lens above each flag; a peek per host', async () => {
  const users = 'hosts/common/users/m3tam3re.nix';
  const desktop = await hoverText(users, 'desktop = true;\n      gaming', 'desktop');
  for (const line of ['m3-ares: `true` (hosts/common/users/m3tam3re.nix)', 'm3-kratos: `true`', 'm3-atlas: unset', 'm3-helios: unset', 'm3-hermes: unset', 'm3-aether: unset',
    'm3tam3re@m3-daedalus: `true` (hosts/common/users/m3tam3re.nix), `true` (hosts/m3-daedalus/home.nix)']) {
    assert.ok(desktop.includes(line), `${line} in\n${desktop}`);
  }
  for (const [host, flag] of [['m3-ares', 'gaming = true'], ['m3-kratos', 'gaming = false'], ['m3-atlas', 'server = true'], ['m3-helios', 'minimal = true'],
    ['m3-hermes', 'ai = true'], ['m3-aether', 'cloud = true'], ['m3tam3re@m3-daedalus', 'laptop = true']] as const) {
    const text = await hoverText('flake.nix', `${host === 'm3tam3re@m3-daedalus' ? '"m3tam3re@m3-daedalus"' : host} =`, host);
    assert.match(text, new RegExp(`flags: .*${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `${host}: ${text}`);
  }
  const lenses = await s.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: s.uri(users) } }) as { range: Range; command: { title: string } }[];
  const gamingLine = rangeOf(users, 'gaming = true').start.line;
  assert.deepEqual(lenses.filter((l) => l.range.start.line === gamingLine).map((l) => l.command.title), ['on: m3-ares']);
  const desktopLine = rangeOf(users, 'desktop = true;\n      gaming').start.line;
  assert.deepEqual(lenses.filter((l) => l.range.start.line === desktopLine).map((l) => l.command.title), ['on: m3-ares, m3-kratos, m3tam3re@m3-daedalus']);
  assert.equal(lenses[0]!.command.title, 'affects: m3-aether, m3-ares, m3-atlas, m3-helios, m3-hermes, m3-kratos');
  // `flags.desktop` peeks the desktop flag of each host that sets it.
  const text = read(users);
  const rowFlag = (row: string) => {
    const at = text.indexOf(`${row} = {`);
    const d = text.indexOf('desktop', at);
    return { start: posOf(text, d), end: posOf(text, d + 'desktop'.length) };
  };
  assert.deepEqual(await definition(users, 'flags.desktop or false', 'desktop'), [
    place(users, rowFlag('m3-ares')), place(users, rowFlag('m3-kratos')), place(users, rowFlag('m3-daedalus')),
    place('hosts/m3-daedalus/home.nix', rangeOf('hosts/m3-daedalus/home.nix', 'desktop = true', 'desktop')),
  ]);
});

test('references: an option by host, a file\'s importers, a let binding, a host, a flag', async () => {
  const motd = await referenceFiles('hosts/common/server/default.nix', 'm3ta.motd.enable', 'enable');
  // The declaration first, then definitions and reads.
  assert.deepEqual(motd, [
    place('modules/nixos/m3ta-motd.nix', rangeOf('modules/nixos/m3ta-motd.nix', 'options.m3ta.motd.enable', 'enable')),
    place('hosts/common/server/default.nix', rangeOf('hosts/common/server/default.nix', 'm3ta.motd.enable', 'enable')),
    place('modules/nixos/m3ta-motd.nix', rangeOf('modules/nixos/m3ta-motd.nix', 'config.m3ta.motd.enable', 'enable')),
  ]);
  // Grouped by host: each server's own definition next to the shared read.
  const hostName = await referenceFiles('modules/nixos/m3ta-motd.nix', 'config.networking.hostName', 'hostName');
  assert.deepEqual(hostName.map((r) => r.file), [
    'hosts/m3-aether/configuration.nix', 'modules/nixos/m3ta-motd.nix', 'hosts/m3-atlas/configuration.nix',
    'hosts/m3-helios/configuration.nix', 'hosts/m3-hermes/configuration.nix',
  ]);
  const importers = await referenceFiles('hosts/m3-atlas/default.nix', '../common/server');
  assert.deepEqual(importers.map((r) => r.file), ['hosts/m3-aether/default.nix', 'hosts/m3-atlas/default.nix', 'hosts/m3-helios/default.nix', 'hosts/m3-hermes/default.nix']);
  const users = 'hosts/common/users/m3tam3re.nix';
  const flags = await referenceFiles(users, 'flags = hostFlags', 'flags');
  assert.equal(flags.length, 4, 'the binding and its three uses');
  const host = await referenceFiles('hosts/common/extraServices/default.nix', '"m3-kratos"');
  assert.deepEqual([...new Set(host.map((r) => r.file))].sort(), ['flake.nix', 'hosts/common/extraServices/default.nix', 'hosts/common/users/m3tam3re.nix', 'hosts/m3-kratos/configuration.nix']);
  const gaming = await referenceFiles(users, 'gaming = false', 'gaming');
  assert.deepEqual(gaming.map((r) => r.range.start.line), [rangeOf(users, 'gaming = true').start.line, rangeOf(users, 'gaming = false').start.line]);
});

test('hover on a host name and on an import', async () => {
  const host = await hoverText('flake.nix', 'mkHost "m3-helios"', '"m3-helios"');
  assert.match(host, /host `m3-helios`\*\* · nixos/);
  assert.match(host, /entry: hosts\/m3-helios\/default\.nix/);
  assert.match(host, /files: \d+/);
  const imp = await hoverText('hosts/m3-atlas/services/traefik.nix', 'import ../../common/traefik-router.nix', '../../common');
  assert.match(imp, /`hosts\/common\/traefik-router\.nix` · reaches m3-atlas, m3-hermes/);
  const lineOne = await s.rpc.sendRequest('textDocument/hover', { textDocument: { uri: s.uri('hosts/m3-atlas/services/postgres.nix') }, position: { line: 0, character: 0 } }) as { contents: { value: string } };
  assert.match(lineOne.contents.value, /affects: m3-atlas/);
});

test('document symbols outline bindings and option paths; workspace symbols find hosts, options, packages, secrets, flags', async () => {
  const doc = await s.rpc.sendRequest('textDocument/documentSymbol', { textDocument: { uri: s.uri('modules/nixos/m3ta-backup.nix') } }) as { name: string; detail: string; children: { name: string; detail: string }[] }[];
  assert.deepEqual(doc.map((d) => d.name), ['mkEnableOption', 'mkIf', 'mkOption', 'types', 'cfg', 'options.m3ta.backup', 'config']);
  const options = doc.find((d) => d.name === 'options.m3ta.backup')!;
  assert.deepEqual(options.children.map((c) => `${c.name}: ${c.detail}`).slice(0, 2), ['enable: option m3ta.backup.enable', 'repository: option m3ta.backup.repository']);
  const ws = async (query: string) => (await s.rpc.sendRequest('workspace/symbol', { query }) as { name: string; containerName: string; location: Loc }[])
    .map((x) => `${x.name} (${x.containerName}) ${rel(x.location.uri)}`);
  assert.ok((await ws('m3-atlas')).includes('m3-atlas (host (nixos)) flake.nix'));
  assert.ok((await ws('backup.repository')).includes('m3ta.backup.repository (option) modules/nixos/m3ta-backup.nix'));
  assert.ok((await ws('zellij-ps')).includes('zellij-ps (package) pkgs/default.nix'));
  assert.ok((await ws('traefik-env')).includes('secrets/traefik-env.age (secret) secrets.nix'));
  assert.ok((await ws('gaming')).includes('gaming (host flag) hosts/common/users/m3tam3re.nix'));
  assert.ok((await ws('llm-agents')).includes('llm-agents (overlay) overlays/default.nix'));
});

test('completion: host names, flag names, option paths the fleet uses, input names', async () => {
  const labels = async (file: string, text: string, marker: string) => {
    const at = text.indexOf(marker) + marker.length;
    s.open(file, text);
    const list = await s.rpc.sendRequest('textDocument/completion', { textDocument: { uri: s.uri(file) }, position: posOf(text, at) }) as { items: { label: string }[] } | null;
    return (list?.items ?? []).map((i) => i.label);
  };
  const common = 'hosts/common/extraServices/tailscale.nix';
  const original = read(common);
  const hosts = await labels(common, original.replace('in {', 'in {\n  x = hostname == "m3-a";'), '"m3-a');
  assert.deepEqual(hosts.sort(), ['m3-aether', 'm3-ares', 'm3-atlas']);
  const inputs = await labels(common, original.replace('in {', 'in {\n  x = inputs.ag'), 'inputs.ag');
  assert.deepEqual(inputs, ['agenix']);
  const opts = await labels(common, original.replace('networking.firewall.trustedInterfaces', 'networking.firewall.'), 'networking.firewall.');
  // allowedTCPPorts is set in hosts/common/server, allowedUDPPorts in m3-helios's adguard module: both reach hosts of this file.
  assert.ok(opts.includes('allowedTCPPorts') && opts.includes('allowedUDPPorts'), opts.join(' '));
  s.open(common, original);
  const users = 'hosts/common/users/m3tam3re.nix';
  const flags = await labels(users, read(users).replace('m3-atlas = {server = true;};', 'm3-atlas = {server = true; ga};'), 'server = true; ga');
  assert.deepEqual(flags, ['gaming']);
  s.open(users, read(users));
  await s.lensTitles(users);
});
