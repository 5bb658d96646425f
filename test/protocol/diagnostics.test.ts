// Diagnostics over the protocol: every kind on the broken fixture fleet at its exact range (without opening a file),
// quick fixes that apply cleanly, Nix's syntax verdict on open buffers, the tree-sitter fallback, and the settings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import {
  applyEdits, brokenFleet, diagnosticsOf, position, rangeOf, waitFor, type Action, type Diag, type Rng,
} from '../support/diagnostics';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

const HAS_NIX = spawnSync('nix-instantiate', ['--version']).status === 0;
const roots: string[] = [];
const sessions: LspSession[] = [];

/** A temporary copy of a fixture; `broken` also gets a file with a syntax error (fixture files must all parse). */
function copyFixture(name: string): string {
  const root = name === 'broken' ? brokenFleet() : mkdtempSync(path.join(tmpdir(), `hostlens-diag-${name}-`));
  if (name !== 'broken') cpSync(path.join(FIXTURES, name), root, { recursive: true });
  roots.push(root);
  return root;
}

async function start(name: string, init: object = {}, env?: NodeJS.ProcessEnv): Promise<LspSession> {
  const s = await LspSession.start(copyFixture(name), init, env);
  sessions.push(s);
  await s.ready();
  return s;
}

after(() => {
  for (const s of sessions) s.child.kill();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const text = (s: LspSession, rel: string) => readFileSync(path.join(s.root, rel), 'utf8');
const ZERO: Rng = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

interface Expect { file: string; range: Rng; code: string; severity: number; source?: string; message: RegExp }

let broken: LspSession;
before(async () => { broken = await start('broken'); });

test('every diagnostic kind shows on the broken fleet, at its exact range, without opening a file', async () => {
  const s = broken;
  const t = (f: string) => text(s, f);
  const expected: Expect[] = [
    { file: 'hosts/beta/default.nix', range: rangeOf(t('hosts/beta/default.nix'), './missing.nix'), code: 'missing-file', severity: 1, message: /^\.\/missing\.nix does not exist: hosts\/beta\/missing\.nix \(breaks beta\)$/ },
    { file: 'hosts/beta/default.nix', range: rangeOf(t('hosts/beta/default.nix'), './services'), code: 'missing-default-nix', severity: 1, message: /directory without default\.nix/ },
    { file: 'hosts/common/a.nix', range: rangeOf(t('hosts/common/a.nix'), './b.nix'), code: 'import-cycle', severity: 2, message: /^Import cycle: hosts\/common\/a\.nix -> hosts\/common\/b\.nix -> hosts\/common\/a\.nix$/ },
    { file: 'hosts/common/b.nix', range: rangeOf(t('hosts/common/b.nix'), './a.nix'), code: 'import-cycle', severity: 2, message: /^Import cycle: hosts\/common\/b\.nix -> hosts\/common\/a\.nix -> hosts\/common\/b\.nix$/ },
    { file: 'hosts/alpha/configuration.nix', range: rangeOf(t('hosts/alpha/configuration.nix'), '"alpha-old"'), code: 'hostname-mismatch', severity: 2, message: /"alpha-old" but this module builds the host alpha/ },
    { file: 'hosts/alpha/unused.nix', range: { start: { line: 0, character: 0 }, end: { line: 0, character: '# Nothing imports this file.'.length } }, code: 'not-imported', severity: 3, message: /^Not imported by any host\.$/ },
    { file: 'hosts/alpha/secrets.nix', range: rangeOf(t('hosts/alpha/secrets.nix'), '../../secrets/unlisted.age'), code: 'secret-not-registered', severity: 1, message: /secrets\/unlisted\.age is not registered in secrets\.nix: agenix cannot encrypt it for alpha/ },
    { file: 'hosts/beta/default.nix', range: rangeOf(t('hosts/beta/default.nix'), '../../secrets/wifi.age'), code: 'secret-key-missing', severity: 1, message: /^beta cannot decrypt secrets\/wifi\.age/ },
    { file: 'secrets.nix', range: rangeOf(t('secrets.nix'), '"secrets/wifi.age"'), code: 'secret-key-missing', severity: 1, message: /used by beta \(hosts\/beta\/default\.nix\)/ },
    { file: 'secrets.nix', range: rangeOf(t('secrets.nix'), '"secrets/gone.age"'), code: 'secret-missing', severity: 1, message: /^secrets\/gone\.age does not exist$/ },
    { file: 'secrets.nix', range: rangeOf(t('secrets.nix'), 'alhpa'), code: 'undefined-public-key', severity: 1, message: /name 'alhpa'/ },
    { file: 'secrets.nix', range: rangeOf(t('secrets.nix'), '"secrets/api.age"'), code: 'secret-unused', severity: 3, message: /not used by any host/ },
    { file: 'secrets/stray.age', range: ZERO, code: 'secret-unregistered', severity: 2, message: /^secrets\/stray\.age is not registered in secrets\.nix$/ },
    { file: 'secrets/unlisted.age', range: ZERO, code: 'secret-unregistered', severity: 2, message: /\(used by alpha\)$/ },
    { file: 'hosts/common/scope.nix', range: rangeOf(t('hosts/common/scope.nix'), 'args'), code: 'unused-at-binding', severity: 2, source: 'hostlens', message: /^Unused lambda pattern: args$/ },
    { file: 'hosts/common/scope.nix', range: rangeOf(t('hosts/common/scope.nix'), 'unusedLet'), code: 'unused-binding', severity: 2, source: 'hostlens', message: /^Unused let binding: unusedLet$/ },
    { file: 'hosts/common/scope.nix', range: rangeOf(t('hosts/common/scope.nix'), 'mkForce'), code: 'unused-binding', severity: 2, source: 'hostlens', message: /^Unused let binding: mkForce$/ },
    { file: 'hosts/common/scope.nix', range: rangeOf(t('hosts/common/scope.nix'), 'unusedArg'), code: 'unused-argument', severity: 2, source: 'hostlens', message: /^Unused lambda argument: unusedArg$/ },
    { file: 'hosts/common/scope.nix', range: rangeOf(t('hosts/common/scope.nix'), 'undefinedThing'), code: 'undefined-variable', severity: 1, message: /^undefined variable 'undefinedThing'$/ },
  ];
  const brokenText = t('modules/broken.nix');
  const semicolon = brokenText.indexOf('pkgs.hello;') + 'pkgs.hello'.length;
  if (HAS_NIX) {
    expected.push({ file: 'modules/broken.nix', range: { start: position(brokenText, semicolon), end: position(brokenText, semicolon + 1) }, code: 'syntax', severity: 1, source: 'nix', message: /^syntax error, unexpected ';'/ });
  }
  for (const e of expected) {
    const found = await waitFor(() => diagnosticsOf(s, e.file).find((d) => d.code === e.code && e.message.test(d.message)), `${e.code} in ${e.file}`);
    assert.deepEqual(found.range, e.range, `${e.code} in ${e.file}`);
    assert.equal(found.severity, e.severity, `${e.code} severity`);
    if (e.source) assert.equal(found.source, e.source);
  }
  // One problem, one diagnostic: Nix and the scope check both see `undefinedThing`, the secrets and scope checks `alhpa`.
  assert.equal(diagnosticsOf(s, 'hosts/common/scope.nix').filter((d) => /undefinedThing/.test(d.message)).length, 1);
  assert.equal(diagnosticsOf(s, 'secrets.nix').filter((d) => /alhpa/.test(d.message)).length, 1);
  // Unused bindings fade in the editor.
  assert.deepEqual(diagnosticsOf(s, 'hosts/common/scope.nix').find((d) => d.code === 'unused-binding')!.tags, [1]);
  // Nothing on files with nothing wrong.
  assert.deepEqual(diagnosticsOf(s, 'hosts/alpha/default.nix'), []);
});

/** The quick fixes offered for one diagnostic. */
async function fixesFor(s: LspSession, rel: string, d: Diag): Promise<Action[]> {
  return await s.rpc.sendRequest('textDocument/codeAction', {
    textDocument: { uri: s.uri(rel) }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
  }) as Action[];
}

/** Applies the first fix titled like `title` for the diagnostic matching `pick`, as the editor would, and syncs. */
async function applyFix(s: LspSession, rel: string, current: string, version: number, pick: (d: Diag) => boolean, title: RegExp): Promise<string> {
  const d = await waitFor(() => diagnosticsOf(s, rel).find(pick), `a diagnostic to fix in ${rel}`);
  const action = (await fixesFor(s, rel, d)).find((a) => title.test(a.title));
  assert.ok(action, `a fix titled ${title} for ${d.message}`);
  const next = applyEdits(current, action.edit!.changes![s.uri(rel)]!);
  s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: s.uri(rel), version }, contentChanges: [{ text: next }] });
  await waitFor(() => !diagnosticsOf(s, rel).some((x) => x.message === d.message && JSON.stringify(x.range) === JSON.stringify(d.range)), `${d.message} to go`);
  return next;
}

test('quick fixes remove or rename dead bindings and apply cleanly', async () => {
  const s = broken;
  const rel = 'hosts/common/scope.nix';
  let current = text(s, rel);
  s.open(rel, current);
  current = await applyFix(s, rel, current, 2, (d) => d.code === 'unused-at-binding', /^Remove unused `@args`$/);
  current = await applyFix(s, rel, current, 3, (d) => d.message === 'Unused let binding: unusedLet', /^Remove unused binding `unusedLet`$/);
  current = await applyFix(s, rel, current, 4, (d) => d.message === 'Unused let binding: mkForce', /^Remove unused binding `mkForce`$/);
  current = await applyFix(s, rel, current, 5, (d) => d.code === 'unused-argument', /^Prefix `unusedArg` with `_`$/);
  assert.equal(current, [
    '{',
    '  config,',
    '  lib,',
    '  pkgs,',
    '  ...',
    '}: let',
    '  port = 8080;',
    '  inherit (lib) mkIf;',
    'in {',
    '  networking.firewall.allowedTCPPorts = [port];',
    '  services.nginx.enable = mkIf config.services.web.enable true;',
    '  environment.systemPackages = [pkgs.hello undefinedThing];',
    '  users.motd = builtins.toString (map (_unusedArg: "x") [1]);',
    '}',
    '',
  ].join('\n'));
  const left = await waitFor(() => {
    const ds = diagnosticsOf(s, rel);
    return ds.length === 1 ? ds : undefined;
  }, 'only the undefined variable to remain');
  assert.match(left[0]!.message, /undefinedThing/);

  // Formals: removable only where `...` absorbs what callers still pass, one formal per line in alejandra style.
  const formals = 'modules/formals.nix';
  let ftext = '{\n  config,\n  lib,\n  pkgs,\n  ...\n}: {\n  x = config.y;\n}\n';
  s.open(formals, ftext);
  ftext = await applyFix(s, formals, ftext, 2, (d) => d.message === 'Unused lambda pattern: lib', /^Remove unused argument `lib`$/);
  ftext = await applyFix(s, formals, ftext, 3, (d) => d.message === 'Unused lambda pattern: pkgs', /^Remove unused argument `pkgs`$/);
  assert.equal(ftext, '{\n  config,\n  ...\n}: {\n  x = config.y;\n}\n');
  const strict = 'modules/strict.nix';
  s.open(strict, '{a, b}: a\n');
  const unusedB = await waitFor(() => diagnosticsOf(s, strict).find((d) => d.message === 'Unused lambda pattern: b'), 'unused b');
  assert.deepEqual(await fixesFor(s, strict, unusedB), [], 'no fix: without `...` removing b would reject callers that pass it');
});

test('an open buffer gets Nix\'s own syntax verdict once typing pauses, trailing commas and pipes included', { skip: !HAS_NIX && 'nix-instantiate not installed' }, async () => {
  const s = broken;
  const rel = 'modules/typing.nix';
  s.open(rel, '{ a = 1; }\n');
  const change = (v: number, t: string) => s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: s.uri(rel), version: v }, contentChanges: [{ text: t }] });
  // Three quick edits: only the last text counts.
  change(2, '{ a = ; }\n');
  change(3, '{ a = 1; b = ; }\n');
  change(4, '{ a = 1; b = 2; c = ; }\n');
  const err = await waitFor(() => diagnosticsOf(s, rel).find((d) => d.source === 'nix'), 'a nix syntax error');
  assert.deepEqual(err.range, rangeOf('{ a = 1; b = 2; c = ; }\n', ';', 2));
  assert.match(err.message, /^syntax error, unexpected ';'/);
  change(5, '{a, b,}: a + b\n');
  await waitFor(() => !diagnosticsOf(s, rel).some((d) => d.source === 'nix'), 'a trailing comma in formals to be accepted');
  const pipe = 'x: x |> builtins.toString\n';
  change(6, pipe);
  const nixSaysPipesParse = spawnSync('nix-instantiate', ['--parse', '-'], { input: pipe }).status === 0;
  if (nixSaysPipesParse) {
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(!diagnosticsOf(s, rel).some((d) => d.source === 'nix'));
  } else {
    const p = await waitFor(() => diagnosticsOf(s, rel).find((d) => d.source === 'nix'), 'this Nix to reject the pipe');
    assert.deepEqual(p.range, rangeOf(pipe, '|>'));
    assert.match(p.message, /pipe operators/);
  }
});

test('without nix-instantiate, syntax errors come from tree-sitter, marked approximate, and the user is told once', async () => {
  const emptyBin = mkdtempSync(path.join(tmpdir(), 'hostlens-nobin-'));
  roots.push(emptyBin);
  const messages: string[] = [];
  const statuses: { syntax: string; reason: string | null }[] = [];
  const s = await LspSession.start(copyFixture('broken'), {}, { ...process.env, PATH: emptyBin });
  sessions.push(s);
  s.rpc.onNotification('window/showMessage', (p: { message: string }) => { messages.push(p.message); });
  s.rpc.onNotification('hostlens/diagnosticsStatus', (p: { syntax: string; reason: string | null }) => { statuses.push(p); });
  await s.ready();
  const closed = await waitFor(() => diagnosticsOf(s, 'modules/broken.nix').find((d) => d.code === 'syntax-approximate'), 'an approximate syntax error on a closed file');
  assert.equal(closed.source, 'hostlens');
  assert.equal(closed.range.start.line, 1);
  assert.match(closed.message, /^syntax error \(approximate, without nix-instantiate\): /);
  s.open('modules/other.nix', '{ a = ; }\n');
  s.open('modules/third.nix', '{ b = ; }\n');
  await waitFor(() => diagnosticsOf(s, 'modules/third.nix').find((d) => d.code === 'syntax-approximate'), 'an approximate syntax error in a buffer');
  await waitFor(() => diagnosticsOf(s, 'modules/other.nix').find((d) => d.code === 'syntax-approximate'), 'an approximate syntax error in a buffer');
  assert.equal(messages.filter((m) => /approximate/.test(m)).length, 1, JSON.stringify(messages));
  assert.deepEqual(statuses[statuses.length - 1], { syntax: 'approximate', reason: 'nix-instantiate was not found', statix: 'missing', deadnix: 'missing' });
});

test('hostlens.diagnostics.scope off drops scope findings; openFilesOnly keeps closed files out of the Problems panel', async () => {
  const noScope = await start('broken', { diagnostics: { scope: false } });
  await waitFor(() => diagnosticsOf(noScope, 'secrets.nix').find((d) => d.code === 'undefined-public-key'), 'fleet findings');
  noScope.open('hosts/common/scope.nix', text(noScope, 'hosts/common/scope.nix'));
  noScope.open('modules/marker.nix', '{ a = ; }\n');
  await waitFor(() => diagnosticsOf(noScope, 'modules/marker.nix').length > 0, 'the marker buffer to be checked');
  assert.ok(!diagnosticsOf(noScope, 'hosts/common/scope.nix').some((d) => d.source === 'hostlens' && /^unused-|^undefined-variable$/.test(d.code ?? '')));

  const openOnly = await start('broken', { diagnostics: { openFilesOnly: true } });
  openOnly.open('modules/marker.nix', '{ a = ; }\n');
  await waitFor(() => diagnosticsOf(openOnly, 'modules/marker.nix').length > 0, 'the open buffer to be checked');
  const shown = [...openOnly.diagnostics].filter(([, ds]) => ds.length > 0).map(([uri]) => uri);
  assert.deepEqual(shown, [openOnly.uri('modules/marker.nix')]);
  const beta = 'hosts/beta/default.nix';
  openOnly.open(beta, text(openOnly, beta));
  await waitFor(() => diagnosticsOf(openOnly, beta).find((d) => d.code === 'missing-file'), 'findings once the file is open');
  openOnly.rpc.sendNotification('textDocument/didClose', { textDocument: { uri: openOnly.uri(beta) } });
  await waitFor(() => diagnosticsOf(openOnly, beta).length === 0, 'findings to go when it closes');
});

test('closed files are re-checked when they change on disk', async () => {
  const s = await start('broken');
  await waitFor(() => diagnosticsOf(s, 'modules/broken.nix').find((d) => /syntax/.test(d.code ?? '')), 'the syntax error of a closed file');
  writeFileSync(path.join(s.root, 'modules/broken.nix'), '{pkgs, ...}: {\n  environment.systemPackages = [pkgs.hello];\n}\n');
  writeFileSync(path.join(s.root, 'hosts/common/a.nix'), '{\n  imports = [./b.nix];\n  x = y;\n}\n');
  s.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [
    { uri: s.uri('modules/broken.nix'), type: 2 }, { uri: s.uri('hosts/common/a.nix'), type: 2 },
  ] });
  await waitFor(() => diagnosticsOf(s, 'modules/broken.nix').length === 0, 'the fixed file to be clean');
  const y = await waitFor(() => diagnosticsOf(s, 'hosts/common/a.nix').find((d) => d.code === 'undefined-variable'), 'the new undefined variable');
  assert.deepEqual(y.range, rangeOf(text(s, 'hosts/common/a.nix'), 'y'));
  assert.ok(diagnosticsOf(s, 'hosts/common/a.nix').some((d) => d.code === 'import-cycle'), 'the cycle is still reported');
});
