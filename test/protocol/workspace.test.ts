// The server and the file system: watched-file events update the index, indexing reports progress, and a large
// workspace is answered while it is still being indexed.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { generateFleet } from '../bench/generateFleet';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

test('files created, changed, renamed and deleted on disk update lenses of files that are not open', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlens-watch-'));
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  const s = await LspSession.start(root);
  try {
    await s.ready();
    const host = 'hosts/m3-helios/default.nix';
    writeFileSync(path.join(root, 'hosts/m3-helios/extra.nix'), '{ }\n');
    writeFileSync(path.join(root, host), readFileSync(path.join(root, host), 'utf8').replace('imports = [', 'imports = [\n    ./extra.nix'));
    s.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [
      { uri: s.uri('hosts/m3-helios/extra.nix'), type: CREATED }, { uri: s.uri(host), type: CHANGED },
    ] });
    assert.equal((await s.lensTitles('hosts/m3-helios/extra.nix'))[0], 'affects: m3-helios');
    renameSync(path.join(root, 'hosts/m3-helios/extra.nix'), path.join(root, 'hosts/m3-helios/moved.nix'));
    s.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [
      { uri: s.uri('hosts/m3-helios/extra.nix'), type: DELETED }, { uri: s.uri('hosts/m3-helios/moved.nix'), type: CREATED },
    ] });
    assert.equal((await s.lensTitles('hosts/m3-helios/moved.nix'))[0], 'affects: no host');
    rmSync(path.join(root, 'hosts/m3-atlas/services'), { recursive: true });
    s.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: s.uri('hosts/m3-atlas/services'), type: DELETED }] });
    const hosts = await s.rpc.sendRequest('hostlens/hosts', {}) as { hosts: { name: string; files: string[] }[] };
    assert.ok(!hosts.hosts.find((h) => h.name === 'm3-atlas')!.files.some((f) => f.startsWith('hosts/m3-atlas/services/')));
  } finally {
    s.child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

test('indexing reports work-done progress with file counts', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlens-progress-'));
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  const s = await LspSession.start(root);
  try {
    await s.ready();
    assert.equal(s.progress[0]?.kind, 'begin');
    assert.ok(s.progress.some((p) => /^Indexing \d[\d,]* \/ \d[\d,]* files$/.test(p.message ?? '')), JSON.stringify(s.progress));
    assert.equal(s.progress[s.progress.length - 1]?.kind, 'end');
  } finally {
    s.child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a 5,000-file workspace answers requests before its scan ends', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlens-large-'));
  generateFleet(root, { hosts: 50, files: 5000 });
  const s = await LspSession.start(root);
  try {
    const first = await s.rpc.sendRequest('hostlens/hosts', {}) as { indexing: boolean };
    assert.equal(first.indexing, true, 'answered while indexing');
    const lens = await s.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: s.uri('hosts/common/default.nix') } });
    assert.equal(lens, null, 'no stale or partial lens while indexing');
    await s.ready(60_000);
    assert.equal((await s.lensTitles('hosts/common/default.nix'))[0], 'affects: all 50 hosts');
    assert.ok(s.refreshes.length > 0, 'lenses refreshed once the index exists');
  } finally {
    s.child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
