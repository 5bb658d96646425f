// The language server over stdio, as any editor talks to it: lifecycle, lenses, incremental edits, bad input.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

let root: string;
let s: LspSession;

before(async () => {
  s = await LspSession.onCopy('fleet', 'proto');
  root = s.root;
});
after(() => s.disposeCopy());

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

test('initialize advertises incremental sync, code lenses and hover', () => {
  const caps = s.initializeResult!.capabilities as { textDocumentSync: { change: number }; codeLensProvider: object; hoverProvider: boolean };
  assert.equal(caps.textDocumentSync.change, 2, 'TextDocumentSyncKind.Incremental');
  assert.ok(caps.codeLensProvider);
  assert.equal(caps.hoverProvider, true);
});

test('line-1 lens names the hosts a file reaches, sorted; all 7; no host', async () => {
  s.open('hosts/common/users/home.nix', read('hosts/common/users/home.nix'));
  s.open('hosts/m3-atlas/services/traefik.nix', read('hosts/m3-atlas/services/traefik.nix'));
  s.open('hosts/m3-atlas/services/old-unused.nix', read('hosts/m3-atlas/services/old-unused.nix'));
  s.open('hosts/common/default.nix', read('hosts/common/default.nix'));
  assert.equal((await s.lensTitles('hosts/common/users/home.nix'))[0], 'affects: all 7 hosts');
  assert.equal((await s.lensTitles('hosts/m3-atlas/services/traefik.nix'))[0], 'affects: m3-atlas');
  assert.equal((await s.lensTitles('hosts/m3-atlas/services/old-unused.nix'))[0], 'affects: no host');
  assert.equal((await s.lensTitles('hosts/common/default.nix'))[0], 'affects: m3-aether, m3-ares, m3-atlas, m3-helios, m3-hermes, m3-kratos');
});

test('the lens carries exactly its hosts to the dry-run command', async () => {
  const lenses = await s.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: s.uri('hosts/m3-atlas/services/traefik.nix') } }) as
    { command: { command: string; arguments: { hosts: { name: string; kind: string }[] }[] } }[];
  assert.equal(lenses[0]!.command.command, 'hostlens.dryRunHosts');
  assert.deepEqual(lenses[0]!.command.arguments[0]!.hosts, [{ name: 'm3-atlas', kind: 'nixos' }]);
});

test('flake.nix has a lens per host with its file count', async () => {
  s.open('flake.nix', read('flake.nix'));
  const titles = await s.lensTitles('flake.nix');
  assert.equal(titles[0], 'affects: all 7 hosts');
  for (const h of ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus']) {
    assert.ok(titles.some((t) => new RegExp(`^${h} · \\d+ files · dry-run$`).test(t)), `${h} in ${titles.join(' | ')}`);
  }
});

test('hovering line 1 shows the import chain per host', async () => {
  const hover = await s.rpc.sendRequest('textDocument/hover', {
    textDocument: { uri: s.uri('hosts/m3-atlas/services/traefik.nix') }, position: { line: 0, character: 1 },
  }) as { contents: { value: string } };
  assert.match(hover.contents.value, /m3-atlas.*flake\.nix -> hosts\/m3-atlas\/default\.nix -> hosts\/m3-atlas\/services\/default\.nix -> hosts\/m3-atlas\/services\/traefik\.nix/s);
});

test('an incremental edit adding an import updates another file\'s lens and asks the editor to refresh', async () => {
  const file = 'hosts/m3-atlas/services/default.nix';
  const text = read(file);
  s.open(file, text);
  const refreshesBefore = s.refreshes.length;
  const line = text.split('\n').findIndex((l) => l.includes('./n8n.nix'));
  s.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: s.uri(file), version: 2 },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '    ./old-unused.nix\n' }],
  });
  assert.equal((await s.lensTitles('hosts/m3-atlas/services/old-unused.nix'))[0], 'affects: m3-atlas');
  assert.ok(s.refreshes.length > refreshesBefore, 'workspace/codeLens/refresh sent');
  // Typing inside a comment changes nothing a host sees: no refresh.
  const settled = s.refreshes.length;
  s.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: s.uri(file), version: 3 },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# note\n' }],
  });
  assert.equal((await s.lensTitles('hosts/m3-atlas/services/old-unused.nix'))[0], 'affects: m3-atlas');
  assert.equal(s.refreshes.length, settled);
});

test('garbage, binary bytes and a 5 MB file do not take the server down', async () => {
  s.open('hosts/garbage.nix', '{ imports = [ ./a.nix ; let in in in }}} ${ "unterminated');
  s.open('hosts/binary.nix', Buffer.from([0, 1, 2, 255, 0, 10, 0x7b, 0]).toString('latin1'));
  s.open('hosts/huge.nix', `{ x = [ ${'"aaaaaaaaaa" '.repeat(5 * 1024 * 1024 / 13)} ]; }`);
  for (const f of ['hosts/garbage.nix', 'hosts/binary.nix', 'hosts/huge.nix']) {
    assert.equal((await s.lensTitles(f))[0], 'affects: no host', f);
  }
  assert.equal((await s.lensTitles('hosts/m3-atlas/services/traefik.nix'))[0], 'affects: m3-atlas');
});

test('a cancelled request is answered without taking the server down', async () => {
  const { CancellationTokenSource } = await import('vscode-languageserver-protocol');
  const source = new CancellationTokenSource();
  const pending = s.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: s.uri('flake.nix') } }, source.token).catch((e: Error) => e);
  source.cancel();
  await pending;
  assert.equal((await s.lensTitles('hosts/m3-atlas/services/traefik.nix'))[0], 'affects: m3-atlas');
});

test('shutdown then exit ends the process with status 0', async () => {
  const t = await LspSession.start(root);
  await t.ready();
  assert.equal(await t.stop(), 0);
});

test('a missing import is an error on the path token; an unresolvable host set warns on flake.nix', async () => {
  const file = 'hosts/m3-helios/default.nix';
  const text = read(file);
  const at = text.indexOf('./configuration.nix');
  s.open(file, text);
  s.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: s.uri(file), version: 2 },
    contentChanges: [{ range: { start: lineCol(text, at), end: lineCol(text, at + './configuration.nix'.length) }, text: './configuraton.nix' }],
  });
  const diags = await until(() => (s.diagnostics.get(s.uri(file)) as Diag[] | undefined)?.filter((d) => d.code === 'missing-file'));
  assert.equal(diags.length, 1);
  assert.deepEqual(diags[0]!.range, { start: lineCol(text, at), end: lineCol(text, at + './configuraton.nix'.length) });
  assert.equal(diags[0]!.severity, 1);
  assert.match(diags[0]!.message, /\.\/configuraton\.nix does not exist: hosts\/m3-helios\/configuraton\.nix \(breaks m3-helios\)/);

  const dir = mkdtempSync(path.join(tmpdir(), 'hostlens-unres-'));
  cpSync(path.join(FIXTURES, 'styles/unresolvable'), dir, { recursive: true });
  const u = await LspSession.start(dir);
  try {
    await u.ready();
    const flakeDiags = await until(() => u.diagnostics.get(u.uri('flake.nix')) as Diag[] | undefined);
    assert.ok(flakeDiags.some((d) => d.code === 'unresolved-host' && d.severity === 2 && /nixosConfigurations/.test(d.message)), JSON.stringify(flakeDiags));
  } finally {
    u.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Diag { range: unknown; severity: number; code: string; message: string }

function lineCol(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

async function until<T>(get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined && (!Array.isArray(v) || v.length > 0)) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
