// Navigation over LSP while files change: a hover and a definition after typing in an open file, and after another
// host's file changed on disk, show the new text (answers are kept across snapshots; none may be from an old one).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { LspSession } from '../support/lspSession';

let root: string;
let s: LspSession;

before(async () => {
  s = await LspSession.onCopy('fleet', 'navedit');
  root = s.root;
});
after(() => s.disposeCopy());

const MODULE = 'modules/nixos/m3ta-backup.nix';
const RESTIC = 'hosts/common/extraServices/restic.nix';
const AETHER = 'hosts/m3-aether/networking.nix';

function posOf(text: string, offset: number) {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

/** The hover on `enable` in the module's `mkIf cfg.enable` (a read of m3ta.backup.enable). */
async function backupHover(): Promise<string> {
  const text = readFileSync(path.join(root, MODULE), 'utf8');
  const position = posOf(text, text.indexOf('mkIf cfg.enable') + 'mkIf cfg.'.length + 1);
  const h = await s.rpc.sendRequest('textDocument/hover', { textDocument: { uri: s.uri(MODULE) }, position }) as { contents: { value: string } } | null;
  return h?.contents.value ?? '';
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('typing in an open file: the hover and the definition of another file follow at once', async () => {
  assert.match(await backupHover(), /- m3-atlas: true \(hosts\/common\/extraServices\/restic\.nix\)/);
  const text = readFileSync(path.join(root, RESTIC), 'utf8');
  s.open(RESTIC, text);
  // Insert a line above and change the value's length: a kept answer would show a cut value or an old line.
  const at = text.indexOf('    enable = true;');
  const range = { start: posOf(text, at), end: posOf(text, at + '    enable = true;'.length) };
  s.rpc.sendNotification('textDocument/didChange', {
    textDocument: { uri: s.uri(RESTIC), version: 2 },
    contentChanges: [{ range, text: '    # paused while the storage box moves\n    enable = false || false;' }],
  });
  const hover = await backupHover();
  assert.match(hover, /- m3-atlas: false \|\| false \(hosts\/common\/extraServices\/restic\.nix\)/);
  assert.doesNotMatch(hover, /: true \(hosts\/common\/extraServices/);

  const moduleText = readFileSync(path.join(root, MODULE), 'utf8');
  const locs = await s.rpc.sendRequest('textDocument/references', {
    textDocument: { uri: s.uri(MODULE) }, position: posOf(moduleText, moduleText.indexOf('mkIf cfg.enable') + 'mkIf cfg.'.length + 1),
    context: { includeDeclaration: false },
  }) as { uri: string; range: { start: { line: number } } }[];
  const lines = locs.filter((l) => fileURLToPath(l.uri).endsWith(RESTIC)).map((l) => l.range.start.line);
  assert.deepEqual(lines, [posOf(text, at).line + 1], 'the definition moved one line down');
});

test('another host\'s file changed on disk: the hover shows its new definition', async () => {
  assert.match(await backupHover(), /- m3-aether: not set/);
  const file = path.join(root, AETHER);
  writeFileSync(file, readFileSync(file, 'utf8').replace('{config, ...}: {\n', '{config, ...}: {\n  m3ta.backup.enable = true && true;\n'));
  s.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: s.uri(AETHER), type: 2 }] });
  await eventually('the new definition on m3-aether', async () => /- m3-aether: true && true \(hosts\/m3-aether\/networking\.nix\)/.test(await backupHover()));
});
