// statix and deadnix through the server, with stand-ins that print each tool's documented JSON (see
// test/data/tools/README.md for the formats): when they run (open, save, once for the workspace; never untrusted),
// how their findings merge with the built-in ones, their quick fixes, and a missing tool told once.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { applyEdits, diagnosticsOf, fakeTool, rangeOf, waitFor, type Action } from '../support/diagnostics';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

const LINT_NIX = [
  '{lib, ...}: let',
  '  unusedLet = 1;',
  'in {',
  '  environment.etc."motd".text = ("hello");',
  '  boot.loader.timeout = lib.mkDefault 5;',
  '}',
  '',
].join('\n');

/** `statix check -o json` for modules/lint.nix: W08 useless_parens on `("hello")` (line 4, bytes 33-42). */
const STATIX_OUT = `${JSON.stringify({
  file: './modules/lint.nix',
  report: [{
    note: 'Useless parentheses around value in binding', code: 8, severity: 'Warn',
    diagnostics: [{
      at: { from: { line: 4, column: 33 }, to: { line: 4, column: 42 } },
      message: 'Useless parentheses around value in binding',
      suggestion: { at: { from: { line: 4, column: 33 }, to: { line: 4, column: 42 } }, fix: '"hello"' },
    }],
  }],
}, null, 2)}\n`;

/** `deadnix -o json` for modules/lint.nix: the unused let binding (line 2, bytes 3-12, end exclusive). */
const DEADNIX_OUT = `${JSON.stringify({ file: './modules/lint.nix', results: [{ column: 3, endColumn: 12, line: 2, message: 'Unused let binding: unusedLet' }] })}\n`;

const cleanup: (() => void)[] = [];
after(() => { for (const c of cleanup) c(); });

interface Setup { s: LspSession; calls: string; root: string }

/** `listen` registers handlers before indexing ends, when the first status and messages are sent. */
async function setup(
  init: object, tools: { statix?: string; deadnix?: string } = { statix: STATIX_OUT, deadnix: DEADNIX_OUT }, listen?: (s: LspSession) => void,
): Promise<Setup> {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlens-lint-'));
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  writeFileSync(path.join(root, 'modules/lint.nix'), LINT_NIX);
  const bin = mkdtempSync(path.join(tmpdir(), 'hostlens-lintbin-'));
  const calls = path.join(bin, 'calls.log');
  if (tools.statix !== undefined) fakeTool(bin, 'statix', tools.statix, calls, 1);
  if (tools.deadnix !== undefined) fakeTool(bin, 'deadnix', tools.deadnix, calls, 0);
  const s = await LspSession.start(root, init, { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
  cleanup.push(() => { s.child.kill(); rmSync(root, { recursive: true, force: true }); rmSync(bin, { recursive: true, force: true }); });
  listen?.(s);
  await s.ready();
  return { s, calls, root };
}

const callLog = (calls: string) => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);

test('statix and deadnix run once over the workspace, then on open and save; findings merge with the built-in ones', async () => {
  const { s, calls } = await setup({});
  const rel = 'modules/lint.nix';
  // Workspace-wide, before anything is opened.
  await waitFor(() => diagnosticsOf(s, rel).find((d) => d.source === 'statix'), 'statix findings for a closed file');
  assert.ok(callLog(calls).includes('check -o json .'), callLog(calls).join('\n'));
  assert.ok(callLog(calls).includes('-o json .'));

  s.open(rel, LINT_NIX);
  await waitFor(() => callLog(calls).includes('check -o json modules/lint.nix'), 'statix on open');
  await waitFor(() => callLog(calls).includes('-o json modules/lint.nix'), 'deadnix on open');
  const statix = await waitFor(() => diagnosticsOf(s, rel).find((d) => d.source === 'statix'), 'statix findings');
  assert.equal(statix.code, 'W08/useless_parens');
  assert.deepEqual(statix.range, rangeOf(LINT_NIX, '("hello")'));
  // deadnix and the scope check both find `unusedLet`: one diagnostic, deadnix's, with the built-in fixes.
  await waitFor(() => diagnosticsOf(s, rel).find((d) => d.source === 'deadnix'), 'deadnix findings');
  const unused = diagnosticsOf(s, rel).filter((d) => /unusedLet/.test(d.message));
  assert.equal(unused.length, 1, JSON.stringify(unused));
  assert.equal(unused[0]!.source, 'deadnix');
  assert.equal(unused[0]!.code, 'unused');
  assert.deepEqual(unused[0]!.range, rangeOf(LINT_NIX, 'unusedLet'));

  const actions = async (d: { range: unknown }) => await s.rpc.sendRequest('textDocument/codeAction', {
    textDocument: { uri: s.uri(rel) }, range: d.range, context: { diagnostics: [d] },
  }) as Action[];
  const parens = (await actions(statix)).find((a) => a.title === 'statix: Useless parentheses around value in binding');
  assert.ok(parens, 'statix suggestion as a quick fix');
  assert.equal(parens.isPreferred, true);
  assert.equal(applyEdits(LINT_NIX, parens.edit!.changes![s.uri(rel)]!), LINT_NIX.replace('("hello")', '"hello"'));
  const removal = (await actions(unused[0]!)).find((a) => a.title === 'Remove unused binding `unusedLet`');
  assert.ok(removal);
  assert.equal(applyEdits(LINT_NIX, removal.edit!.changes![s.uri(rel)]!), LINT_NIX.replace('  unusedLet = 1;\n', ''));

  const before = callLog(calls).filter((c) => c === 'check -o json modules/lint.nix').length;
  s.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: s.uri(rel), version: 2 }, contentChanges: [{ text: `${LINT_NIX}\n` }] });
  s.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: s.uri(rel) } });
  await waitFor(() => callLog(calls).filter((c) => c === 'check -o json modules/lint.nix').length > before, 'statix on save');
  assert.equal(callLog(calls).filter((c) => c === 'check -o json modules/lint.nix').length, before + 1, 'typing alone runs no linter');
});

test('an untrusted workspace runs no program until the user trusts it', async () => {
  const statuses: { syntax: string; reason: string | null; statix: string }[] = [];
  const { s, calls } = await setup({ trusted: false }, undefined, (t) => {
    t.rpc.onNotification('hostlens/diagnosticsStatus', (p: { syntax: string; reason: string | null; statix: string }) => { statuses.push(p); });
  });
  const rel = 'modules/lint.nix';
  s.open(rel, LINT_NIX);
  s.open('modules/typo.nix', '{ a = ; }\n');
  const approx = await waitFor(() => diagnosticsOf(s, 'modules/typo.nix').find((d) => d.code === 'syntax-approximate'), 'tree-sitter syntax in an untrusted workspace');
  assert.equal(approx.source, 'hostlens');
  await waitFor(() => diagnosticsOf(s, rel).find((d) => d.code === 'unused-binding'), 'built-in findings');
  assert.deepEqual(callLog(calls), [], 'no linter ran');
  assert.equal(statuses[statuses.length - 1]?.statix, 'untrusted');
  assert.match(statuses[statuses.length - 1]?.reason ?? '', /not trusted/);

  s.rpc.sendNotification('hostlens/diagnosticSettings', { trusted: true });
  await waitFor(() => diagnosticsOf(s, rel).find((d) => d.source === 'statix'), 'statix once trusted');
  assert.ok(callLog(calls).includes('check -o json modules/lint.nix'));
});

test('a missing linter is said once, with an offer to turn it off that the client writes as a setting', async () => {
  const prompts: { message: string; actions?: { title: string }[] }[] = [];
  const updates: unknown[] = [];
  const malformed = readFileSync(path.join(process.cwd(), 'test/data/tools/deadnix-malformed.ndjson'), 'utf8');
  const { s } = await setup({ diagnostics: { statix: { path: '/nonexistent/statix' } } }, { deadnix: malformed }, (t) => {
    t.rpc.onRequest('window/showMessageRequest', (p: { message: string; actions?: { title: string }[] }) => {
      prompts.push(p);
      return p.actions?.find((a) => a.title === 'Turn off statix') ?? null;
    });
    t.rpc.onRequest('hostlens/updateSetting', (p: unknown) => { updates.push(p); return null; });
  });
  s.open('modules/lint.nix', LINT_NIX);
  s.open('hosts/common/nix.nix', readFileSync(path.join(s.root, 'hosts/common/nix.nix'), 'utf8'));
  await waitFor(() => updates.length > 0, 'the client asked to turn statix off');
  assert.deepEqual(updates, [{ key: 'statix.enable', value: false }]);
  const statixPrompts = prompts.filter((p) => /statix/.test(p.message));
  assert.equal(statixPrompts.length, 1, JSON.stringify(prompts));
  assert.match(statixPrompts[0]!.message, /statix was not found \(\/nonexistent\/statix\)/);
  // deadnix printed a panic after a good line: a logged warning, no findings from it, and the server keeps answering.
  await waitFor(() => s.logs.some((l) => /^deadnix: /.test(l)), 'a log line about deadnix output');
  assert.ok(!diagnosticsOf(s, 'modules/lint.nix').some((d) => d.source === 'deadnix'));
  assert.ok((await s.lensTitles('hosts/common/nix.nix')).length > 0);
});
