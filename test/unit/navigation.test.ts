// The navigation features as pure functions of an index: lexical scope, option sites (nesting == dotted paths),
// text-read declarations, host flags, cross-host answers, completion contexts, and bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { flagModel } from '../../server/src/features/hostFlags';
import { hover } from '../../server/src/features/hover';
import { DEFAULT_NAV_SETTINGS, type NavContext } from '../../server/src/features/navContext';
import { references } from '../../server/src/features/references';
import { documentSymbols, workspaceSymbols } from '../../server/src/features/symbols';
import { declarationsFromText } from '../../server/src/index/optionDeclText';
import { optionsOf } from '../../server/src/index/optionIndex';
import { resolveScopes, useAt } from '../../server/src/index/scope';
import { indexOf, TWO_HOST_FLAKE as FLAKE } from '../support/workspace';

const COMMON = `{config, lib, ...}: let
  cfg = config.services.web;
in {
  options.services.web = {
    enable = lib.mkEnableOption "the web server";
  };
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
const BETA = `{lib, ...}: {
  imports = [./common.nix ./flags.nix];
  services.web = {
    enable = lib.mkDefault false;
    port = 80;
  };
  m3ta.home.profiles.gaming = true;
}
`;
const FLAGS = `{hostname, ...}: let
  hostFlags = {
    alpha = {desktop = true;};
    beta = {desktop = false; server = true;};
  };
  flags = hostFlags.\${hostname};
in {
  environment.etc.role.text = if flags.server or false then "server" else "desktop";
}
`;

async function fleet(extra: Record<string, string | null> = {}): Promise<NavContext> {
  const index = await indexOf({
    'flake.nix': FLAKE, 'hosts/common.nix': COMMON, 'hosts/alpha.nix': ALPHA, 'hosts/beta.nix': BETA, 'hosts/flags.nix': FLAGS, ...extra,
  });
  return { snap: index.snapshot(), settings: { flagFiles: ['hosts/flags.nix'], optionPrefixes: ['m3ta.home.profiles'] }, externals: [] };
}

const offsetOf = (ctx: NavContext, file: string, needle: string, sub = needle) => {
  const text = ctx.snap.parsed(file)!.text;
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return at + needle.indexOf(sub) + 1;
};
const where = (ctx: NavContext, file: string, needle: string, sub = needle) => {
  const text = ctx.snap.parsed(file)!.text;
  const start = text.indexOf(needle) + needle.indexOf(sub);
  const before = text.slice(0, start).split('\n');
  return `${file}:${before.length - 1}:${before[before.length - 1]!.length}`;
};
const places = (ts: { file: string; range: { start: { line: number; character: number } } }[]) => ts.map((t) => `${t.file}:${t.range.start.line}:${t.range.start.character}`);

test('scope: rec, nested let, formal defaults, @ names, inherit (from), and with as the last resort', async () => {
  const ctx = await fleet({
    'lib/scope.nix': `{a, b ? a, ...} @ args: with builtins; with args; let
  x = 1;
  inner = let x = 2; in x;
  inherit (args) c;
  r = rec { y = z; z = x; };
in [a b c inner r args free toString]
`,
  });
  const parsed = ctx.snap.parsed('lib/scope.nix')!;
  const scope = resolveScopes(parsed.ast);
  const text = parsed.text;
  const use = (needle: string, sub = needle) => useAt(scope, text.indexOf(needle) + needle.indexOf(sub))!;
  assert.equal(use('b ? a', 'a').binder?.kind, 'formal', 'a default sees the other formals');
  assert.equal(use('in x;', 'x').binder?.span.start, text.indexOf('x = 2'), 'the inner let shadows');
  assert.equal(use('y = z', 'z').binder?.kind, 'rec');
  assert.equal(use('z = x', 'x').binder?.span.start, text.indexOf('x = 1'));
  assert.equal(use('r args', 'args').binder?.kind, 'param');
  const free = use('free');
  assert.equal(free.binder, null);
  assert.equal(free.withExpr?.span.start, text.indexOf('with args'), 'the innermost with supplies a free name');
  assert.equal(use('inherit (args)', 'args').binder?.kind, 'param', 'inherit (from) reads from inside the let');
  assert.deepEqual(definition(ctx, 'lib/scope.nix', offsetOf(ctx, 'lib/scope.nix', 'inner r', 'inner')).map((t) => t.range.start), [{ line: 2, character: 2 }]);
});

test('option sites: nesting and dotted paths are one option; mkIf and explicit config; declarations; cfg reads', async () => {
  const ctx = await fleet();
  const keys = (file: string, kind: string) => optionsOf(ctx.snap.parsed(file)!).sites.filter((s) => s.kind === kind).map((s) => s.key);
  assert.deepEqual(keys('hosts/alpha.nix', 'def'), ['services', 'services.web', 'services.web.enable', 'services', 'services.web', 'services.web.port']);
  assert.deepEqual(keys('hosts/beta.nix', 'def').filter((k) => k.startsWith('services.web.')), ['services.web.enable', 'services.web.port']);
  assert.deepEqual(keys('hosts/common.nix', 'decl'), ['services.web.enable']);
  assert.deepEqual(keys('hosts/common.nix', 'def'), ['networking', 'networking.firewall', 'networking.firewall.allowedTCPPorts']);
  assert.ok(keys('hosts/common.nix', 'read').includes('services.web.port'), 'cfg.port reads services.web.port');
  // Not modules: a package set of imports and a callPackage function.
  const other = await fleet({ 'modules/default.nix': '{ a = import ./a.nix; b = ./b.nix; }', 'pkgs/x.nix': '{stdenv}: stdenv.mkDerivation { name = "x"; }' });
  assert.equal(optionsOf(other.snap.parsed('modules/default.nix')!).isModule, false);
  assert.equal(optionsOf(other.snap.parsed('pkgs/x.nix')!).isModule, false);
});

test('declarations read from text agree with the AST, and nested forms are left to the AST', async () => {
  const oneLine = `{lib, ...}: {\n  options.services."a.b".enable = lib.mkEnableOption "x";\n  options.m3ta.port = mkOption { type = lib.types.port; };\n}\n`;
  const ctx = await fleet({ 'm/one.nix': oneLine });
  const ast = optionsOf(ctx.snap.parsed('m/one.nix')!).sites.filter((s) => s.kind === 'decl').map((s) => ({ path: s.path, keySpan: s.keySpan }));
  assert.deepEqual(declarationsFromText(oneLine), ast);
  assert.equal(declarationsFromText(COMMON), null);
  assert.equal(declarationsFromText('{\n  # options.x = lib.mkOption {};\n}\n'), null, 'a commented-out declaration is left to the AST');
});

test('cross-host: definitions per host, the declaration when there is one, hover per host with not set', async () => {
  const ctx = await fleet();
  // services.web.port is not declared: every definition on the hosts common.nix reaches.
  assert.deepEqual(places(definition(ctx, 'hosts/common.nix', offsetOf(ctx, 'hosts/common.nix', 'cfg.port', 'port'))),
    [where(ctx, 'hosts/alpha.nix', 'services.web.port', 'port'), where(ctx, 'hosts/beta.nix', 'port = 80', 'port')]);
  assert.deepEqual(places(definition(ctx, 'hosts/beta.nix', offsetOf(ctx, 'hosts/beta.nix', 'enable = lib', 'enable'))), [where(ctx, 'hosts/common.nix', 'enable = lib', 'enable')]);
  const h = hover(ctx, 'hosts/common.nix', offsetOf(ctx, 'hosts/common.nix', 'cfg.enable', 'enable'))!.markdown;
  assert.match(h, /- alpha: true \(hosts\/alpha\.nix\)/);
  assert.match(h, /- beta: lib\.mkDefault false \(hosts\/beta\.nix\)/);
  const only = await fleet({ 'hosts/alpha.nix': ALPHA.replace('  services.web.port = 8080;\n', '') });
  assert.match(hover(only, 'hosts/common.nix', offsetOf(only, 'hosts/common.nix', 'cfg.port', 'port'))!.markdown, /- alpha: not set\n- beta: 80 \(hosts\/beta\.nix\)/);
  const refs = references(ctx, 'hosts/alpha.nix', offsetOf(ctx, 'hosts/alpha.nix', 'services.web.port', 'port'), true);
  assert.deepEqual(refs.map((r) => `${r.file} [${r.hosts?.join(',')}]`), ['hosts/alpha.nix [alpha]', 'hosts/common.nix [alpha]']);
});

test('host flags: tables keyed by hostname, reads through the row alias, and option-prefix flags', async () => {
  const ctx = await fleet();
  const model = flagModel(ctx);
  assert.deepEqual(model.defs.map((d) => `${d.host}.${d.flag}=${d.valueText} (${d.source})`).sort(),
    ['alpha.desktop=true (table)', 'beta.desktop=false (table)', 'beta.gaming=true (option)', 'beta.server=true (table)']);
  assert.deepEqual(places(definition(ctx, 'hosts/flags.nix', offsetOf(ctx, 'hosts/flags.nix', 'flags.server', 'server'))), [where(ctx, 'hosts/flags.nix', 'server = true')]);
  assert.match(hover(ctx, 'hosts/flags.nix', offsetOf(ctx, 'hosts/flags.nix', 'desktop = true'))!.markdown, /on: alpha\n\n- alpha: `true` \(hosts\/flags\.nix\)\n- beta: `false` \(hosts\/flags\.nix\)/);
  // A table whose keys are no host names is not a flag table.
  const other = await fleet({ 'hosts/flags.nix': FLAGS.replace('alpha = {desktop', 'gamma = {desktop').replace('beta = {desktop', 'delta = {desktop') });
  assert.deepEqual(flagModel(other).defs.map((d) => d.flag), ['gaming']);
});

test('completion: option paths under the enclosing set, after config., host names in comparisons, flags in a row', async () => {
  const ctx = await fleet({ 'hosts/beta.nix': BETA.replace('    port = 80;', '    port = 80;\n    en') });
  const labels = (file: string, needle: string) => complete(ctx, file, ctx.snap.parsed(file)!.text.indexOf(needle) + needle.length).map((c) => c.label);
  assert.deepEqual(labels('hosts/beta.nix', '\n    en'), ['enable']);
  const cfg = await fleet({ 'hosts/common.nix': COMMON.replace('[cfg.port]', '[config.services.web.]') });
  assert.deepEqual(complete(cfg, 'hosts/common.nix', cfg.snap.parsed('hosts/common.nix')!.text.indexOf('web.]') + 4).map((c) => c.label), ['enable', 'port']);
  const cmp = await fleet({ 'hosts/common.nix': COMMON.replace('in {', 'in {\n  x = hostname == "b') });
  assert.deepEqual(complete(cmp, 'hosts/common.nix', cmp.snap.parsed('hosts/common.nix')!.text.indexOf('"b') + 2).map((c) => c.label), ['beta']);
  const row = await fleet({ 'hosts/flags.nix': FLAGS.replace('alpha = {desktop = true;}', 'alpha = {desktop = true; s}') });
  assert.deepEqual(complete(row, 'hosts/flags.nix', row.snap.parsed('hosts/flags.nix')!.text.indexOf('; s}') + 3).map((c) => c.label), ['server']);
});

test('outputs.nixosModules.<name> and outputs.overlays.<name> lead to the exported binding', async () => {
  const flake = FLAKE.replace('outputs = {self, nixpkgs, ...} @ inputs: {', 'outputs = {self, nixpkgs, ...} @ inputs: {\n    nixosModules = import ./modules;\n    overlays.default = final: prev: {tool = final.callPackage ./tool.nix {};};');
  const ctx = await fleet({
    'flake.nix': flake,
    'modules/default.nix': '{\n  web = import ./web.nix;\n}\n',
    'modules/web.nix': '{\n  services.web.enable = true;\n}\n',
    'hosts/alpha.nix': ALPHA.replace('./flags.nix]', './flags.nix] ++ [outputs.nixosModules.web]'),
    'hosts/beta.nix': BETA.replace('m3ta.home', 'environment.systemPackages = [pkgs.tool];\n  m3ta.home'),
  });
  assert.deepEqual(places(definition(ctx, 'hosts/alpha.nix', offsetOf(ctx, 'hosts/alpha.nix', 'nixosModules.web', 'web'))), [where(ctx, 'modules/default.nix', 'web = import')]);
  assert.deepEqual(places(definition(ctx, 'hosts/alpha.nix', offsetOf(ctx, 'hosts/alpha.nix', 'outputs.nixosModules', 'nixosModules'))), [where(ctx, 'flake.nix', 'nixosModules = import')]);
  assert.deepEqual(places(definition(ctx, 'hosts/beta.nix', offsetOf(ctx, 'hosts/beta.nix', 'pkgs.tool', 'tool'))), [where(ctx, 'flake.nix', 'tool = final')]);
});

test('broken, binary and missing files answer empty, never throw', async () => {
  const ctx = await fleet({
    'hosts/garbage.nix': '{ imports = [ ./a.nix ; let in in in }}} ${ "unterminated',
    'hosts/binary.nix': '\u0000\u0001{',
    'hosts/deep.nix': `${'['.repeat(5000)}${']'.repeat(5000)}`,
  });
  for (const file of ['hosts/garbage.nix', 'hosts/binary.nix', 'hosts/deep.nix', 'hosts/missing.nix']) {
    const len = ctx.snap.parsed(file)?.text.length ?? 10;
    for (let o = 0; o <= Math.min(len, 60); o += 3) {
      definition(ctx, file, o);
      references(ctx, file, o, true);
      hover(ctx, file, o);
      complete(ctx, file, o);
    }
    documentSymbols(ctx, file);
  }
  assert.ok(workspaceSymbols(ctx, 'alpha').some((s) => s.name === 'alpha'));
  assert.deepEqual(definition(ctx, 'hosts/missing.nix', 0), []);
  assert.deepEqual(documentSymbols({ ...ctx, settings: DEFAULT_NAV_SETTINGS }, 'hosts/binary.nix'), []);
});
