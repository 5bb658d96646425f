// Navigation answers kept across snapshots (per host graph, per file) never show an older version of a file: after
// an edit in the editor, a change on disk, or a long typing run, hover, definition, references and flags read the
// current text, while the host graph itself stays the same object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definition } from '../../server/src/features/definition';
import { flagLenses, flagModel } from '../../server/src/features/hostFlags';
import { hover } from '../../server/src/features/hover';
import type { NavContext } from '../../server/src/features/navContext';
import { references } from '../../server/src/features/references';
import type { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { indexOf, TWO_HOST_FLAKE as FLAKE } from '../support/workspace';

const COMMON = `{config, lib, ...}: let
  cfg = config.services.web;
in {
  config = lib.mkIf cfg.enable {
    networking.firewall.allowedTCPPorts = [cfg.port];
  };
}
`;
const ALPHA = `{
  imports = [./common.nix ./flags.nix];
  services.web.enable = true;
  services.web.port = 8080;
}
`;
const BETA = `{
  imports = [./common.nix ./flags.nix];
  services.web = {
    enable = false;
    port = 80;
  };
  m3ta.home.profiles.gaming = true;
}
`;
const FLAGS = `{hostname, ...}: let
  hostFlags = {
    alpha = {desktop = true;};
    beta = {desktop = false;};
  };
in {
  environment.etc.role.text = "x";
}
`;

async function fleet(): Promise<WorkspaceIndex> {
  return indexOf({ 'flake.nix': FLAKE, 'hosts/common.nix': COMMON, 'hosts/alpha.nix': ALPHA, 'hosts/beta.nix': BETA, 'hosts/flags.nix': FLAGS });
}

const ctxOf = (index: WorkspaceIndex): NavContext => ({
  snap: index.snapshot(), settings: { flagFiles: ['hosts/flags.nix'], optionPrefixes: ['m3ta.home.profiles'] }, externals: [],
});
const textOf = (index: WorkspaceIndex, file: string) => index.snapshot().parsed(file)!.text;
const at = (index: WorkspaceIndex, file: string, needle: string, sub = needle) => {
  const i = textOf(index, file).indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + needle.indexOf(sub) + 1;
};
/** Replaces the first `from` in an open file, as an editor's change does. */
const type = (index: WorkspaceIndex, file: string, from: string, to: string) => {
  const start = textOf(index, file).indexOf(from);
  assert.ok(start >= 0, from);
  index.edit(file, [{ span: { start, end: start + from.length }, text: to }]);
};
const portHover = (index: WorkspaceIndex) => hover(ctxOf(index), 'hosts/common.nix', at(index, 'hosts/common.nix', 'cfg.port', 'port'))!.markdown;
const places = (ts: { file: string; range: { start: { line: number } } }[]) => ts.map((t) => `${t.file}:${t.range.start.line}`);

test('an edit in an open file shows at once in hover, definition and references of another file', async () => {
  const index = await fleet();
  index.open('hosts/alpha.nix', ALPHA);
  const graph = index.snapshot().graph;
  assert.match(portHover(index), /- alpha: 8080 \(hosts\/alpha\.nix\)\n- beta: 80 \(hosts\/beta\.nix\)/);
  const common = () => at(index, 'hosts/common.nix', 'cfg.port', 'port');

  // Values change length: an answer kept from the old text would show a cut or stretched value.
  type(index, 'hosts/alpha.nix', '8080', '9090 + 1');
  assert.equal(index.snapshot().graph, graph, 'a value edit keeps the host graph (the caches under test survive it)');
  assert.match(portHover(index), /- alpha: 9090 \+ 1 \(hosts\/alpha\.nix\)/);

  // Lines move: definition and references point at the new place.
  type(index, 'hosts/alpha.nix', '  services.web.enable', '  # a comment\n  services.web.enable');
  assert.deepEqual(places(definition(ctxOf(index), 'hosts/common.nix', common())), ['hosts/alpha.nix:4', 'hosts/beta.nix:4']);
  assert.deepEqual(places(references(ctxOf(index), 'hosts/common.nix', common(), true)).filter((p) => p.startsWith('hosts/alpha')), ['hosts/alpha.nix:4']);

  // A definition removed, and one added in a file that did not mention the option before.
  type(index, 'hosts/alpha.nix', '  services.web.port = 9090 + 1;\n', '');
  assert.match(portHover(index), /- alpha: not set\n- beta: 80/);
  index.open('hosts/flags.nix', FLAGS);
  type(index, 'hosts/flags.nix', 'environment.etc.role.text = "x";', 'environment.etc.role.text = "x";\n  services.web.port = 443;');
  assert.equal(index.snapshot().graph, graph);
  assert.match(portHover(index), /- alpha: 443 \(hosts\/flags\.nix\)\n- beta: 443 \(hosts\/flags\.nix\); 80 \(hosts\/beta\.nix\)/);
});

test('a file changed on disk (not open) shows at once, and so does closing an edited file', async () => {
  const index = await fleet();
  assert.match(portHover(index), /- beta: 80 \(hosts\/beta\.nix\)/);
  const graph = index.snapshot().graph;
  index.setText('hosts/beta.nix', BETA.replace('port = 80;', 'port = 8443;'));
  assert.equal(index.snapshot().graph, graph);
  assert.match(portHover(index), /- beta: 8443 \(hosts\/beta\.nix\)/);

  index.open('hosts/alpha.nix', ALPHA);
  type(index, 'hosts/alpha.nix', '8080', '12345');
  assert.match(portHover(index), /- alpha: 12345 \(/);
  index.close('hosts/alpha.nix', ALPHA);
  assert.match(portHover(index), /- alpha: 8080 \(/, 'closing without saving brings back the text on disk');
});

test('host flags follow edits to the flag table and to prefix options', async () => {
  const index = await fleet();
  index.open('hosts/flags.nix', FLAGS);
  index.open('hosts/beta.nix', BETA);
  const flagHover = () => hover(ctxOf(index), 'hosts/flags.nix', at(index, 'hosts/flags.nix', 'desktop = true'))!.markdown;
  assert.match(flagHover(), /on: alpha\n/);
  assert.deepEqual(flagLenses(ctxOf(index), 'hosts/flags.nix').map((l) => l.title), ['on: alpha', 'on: alpha']);

  type(index, 'hosts/flags.nix', 'beta = {desktop = false;}', 'beta = {desktop = true;}');
  assert.match(flagHover(), /on: alpha, beta\n/);
  assert.deepEqual(flagLenses(ctxOf(index), 'hosts/flags.nix').map((l) => l.title), ['on: alpha, beta', 'on: alpha, beta']);

  const gaming = () => flagModel(ctxOf(index)).defs.filter((d) => d.flag === 'gaming').map((d) => `${d.host}=${d.valueText}`);
  assert.deepEqual(gaming(), ['beta=true']);
  type(index, 'hosts/beta.nix', 'gaming = true', 'gaming = false');
  assert.deepEqual(gaming(), ['beta=false']);
  type(index, 'hosts/beta.nix', '  m3ta.home.profiles.gaming = false;\n', '');
  assert.deepEqual(gaming(), []);
});

test('after a long run of edits (more than the index logs) answers are still current', async () => {
  const index = await fleet();
  index.open('hosts/common.nix', COMMON);
  index.open('hosts/alpha.nix', ALPHA);
  assert.match(portHover(index), /- alpha: 8080/);
  const graph = index.snapshot().graph;
  type(index, 'hosts/alpha.nix', '8080', '18081');
  // Typing in a comment: thousands of snapshots nobody asks about, then one change that matters.
  type(index, 'hosts/common.nix', 'in {', 'in { #');
  for (let i = 0; i < 4200; i++) {
    const end = textOf(index, 'hosts/common.nix').indexOf('in { #') + 'in { #'.length;
    index.edit('hosts/common.nix', [{ span: { start: end, end }, text: 'x' }]);
  }
  assert.equal(index.snapshot().graph, graph);
  assert.match(portHover(index), /- alpha: 18081 \(/);
});
