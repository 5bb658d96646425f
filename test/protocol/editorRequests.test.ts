// The server's side of the editor commands over stdio: `hostlens/indexChanged` for the Hosts view and status bar,
// `hostlens/gitAffected` (hosts reached by uncommitted changes) and `hostlens/format` (a buffer through a formatter).
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { git } from '../support/cli';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

let root: string;
let s: LspSession;
const changes: number[] = [];

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hostlens-editor-'));
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'init');
  s = await LspSession.start(root);
  // Registered before the scan can end: the first notification marks the index as ready.
  s.rpc.onNotification('hostlens/indexChanged', (p: { revision: number }) => { changes.push(p.revision); });
  await s.ready();
});
after(() => { s.child.kill(); rmSync(root, { recursive: true, force: true }); });

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

test('indexChanged: once the index is built, and again when an edit changes host membership', async () => {
  await s.rpc.sendRequest('hostlens/hosts', {});
  assert.equal(changes.length, 1, 'sent when the initial index is ready');
  const file = 'hosts/m3-atlas/services/default.nix';
  const text = read(file);
  s.open(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('./n8n.nix'));
  s.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: s.uri(file), version: 2 },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '    ./old-unused.nix\n' }],
  });
  // Messages arrive in order: by the time this answer is here, the notification is too.
  const hosts = await s.rpc.sendRequest('hostlens/fileHosts', { uri: s.uri('hosts/m3-atlas/services/old-unused.nix') }) as { hosts: { name: string }[] };
  assert.deepEqual(hosts.hosts.map((h) => h.name), ['m3-atlas']);
  assert.equal(changes.length, 2);
  assert.ok(changes[1]! > changes[0]!, 'revisions increase');
  s.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: s.uri(file), version: 3 },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a comment\n' }],
  });
  await s.rpc.sendRequest('hostlens/hosts', {});
  assert.equal(changes.length, 2, 'a comment changes no host: the view is not asked to refresh');
});

test('gitAffected: the hosts reached by uncommitted, staged and untracked changes, like `affected --git HEAD`', async () => {
  const ask = () => s.rpc.sendRequest('hostlens/gitAffected', { rev: 'HEAD' }) as Promise<{ hosts: { name: string; kind: string }[]; files: string[] } | { error: string }>;
  assert.deepEqual(await ask(), { hosts: [], files: [] });
  writeFileSync(path.join(root, 'hosts/m3-atlas/services/traefik.nix'), `${read('hosts/m3-atlas/services/traefik.nix')}# edit\n`);
  writeFileSync(path.join(root, 'hosts/m3-daedalus/programs/new.nix'), '{ }\n');
  git(root, 'add', 'hosts/m3-daedalus/programs/new.nix');
  writeFileSync(path.join(root, 'hosts/m3-daedalus/programs/git.nix'), `${read('hosts/m3-daedalus/programs/git.nix')}# edit\n`);
  assert.deepEqual(await ask(), {
    hosts: [{ name: 'm3-atlas', kind: 'nixos' }, { name: 'm3tam3re@m3-daedalus', kind: 'home-manager' }],
    files: ['hosts/m3-atlas/services/traefik.nix', 'hosts/m3-daedalus/programs/git.nix', 'hosts/m3-daedalus/programs/new.nix'],
  });
  const bad = await s.rpc.sendRequest('hostlens/gitAffected', { rev: 'no-such-rev' }) as { error: string };
  assert.match(bad.error, /unknown revision: no-such-rev/);
});

test('gitAffected outside a git repository answers with the reason', async () => {
  const plain = mkdtempSync(path.join(tmpdir(), 'hostlens-nogit-'));
  cpSync(path.join(FIXTURES, 'styles/unresolvable'), plain, { recursive: true });
  const t = await LspSession.start(plain);
  try {
    await t.ready();
    const r = await t.rpc.sendRequest('hostlens/gitAffected', { rev: 'HEAD' }) as { error: string };
    assert.match(r.error, /not a git repository/);
  } finally {
    t.child.kill();
    rmSync(plain, { recursive: true, force: true });
  }
});

test('format: the buffer (not the file on disk) through the chosen formatter; a missing one is reported', async () => {
  const bin = mkdtempSync(path.join(tmpdir(), 'hostlens-fmt-'));
  const fake = path.join(bin, 'alejandra');
  // Stands in for alejandra: squeezes runs of spaces, records its argv and working directory.
  writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$PWD" "$@" > '${bin}/argv'\ntr -s ' '\n`);
  chmodSync(fake, 0o755);
  try {
    const uri = s.uri('hosts/m3-helios/default.nix');
    const r = await s.rpc.sendRequest('hostlens/format', { uri, text: '{  a   =  1; }\n', formatter: 'alejandra', command: fake });
    assert.deepEqual(r, { status: 'ok', text: '{ a = 1; }\n' });
    assert.deepEqual(readFileSync(path.join(bin, 'argv'), 'utf8').trim().split('\n'), [root, '-q', '-'], 'runs in the workspace root (alejandra.toml), reads stdin');
    assert.deepEqual(await s.rpc.sendRequest('hostlens/format', { uri, text: '{ a = 1; }\n', formatter: 'alejandra', command: fake }), { status: 'unchanged' });
    const missing = await s.rpc.sendRequest('hostlens/format', { uri, text: '{ }\n', formatter: 'nixfmt', command: path.join(bin, 'nixfmt') }) as { status: string; detail: string };
    assert.equal(missing.status, 'missing');
    assert.match(missing.detail, /nixfmt not found/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
