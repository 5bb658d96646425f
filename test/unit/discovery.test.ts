// The workspace scan: .gitignore (nested too), result links, .direnv and node_modules skipped, symlink loops and
// links out of the workspace skipped, the file cap and the size cap honoured.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { scanWorkspace } from '../../server/src/vfs/discovery';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlens-scan-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('honours .gitignore (root and nested) and skips tool folders and result links', async () => {
  const root = tree({
    '.gitignore': 'ignored.nix\n/build/\n',
    'flake.nix': '{ }', 'ignored.nix': '{ }', 'build/x.nix': '{ }', 'sub/build/kept.nix': '{ }',
    'sub/.gitignore': '*.tmp.nix\n!keep.tmp.nix\n', 'sub/a.tmp.nix': '{ }', 'sub/keep.tmp.nix': '{ }',
    '.direnv/flake-profile.nix': '{ }', 'node_modules/x/y.nix': '{ }', '.git/config': '',
  });
  symlinkSync(path.join(root, 'build'), path.join(root, 'result'));
  const { files } = await scanWorkspace(root, { maxFiles: 100, maxFileSize: 1024 });
  assert.deepEqual([...files.keys()].sort(), ['.gitignore', 'flake.nix', 'sub/.gitignore', 'sub/build/kept.nix', 'sub/keep.tmp.nix']);
  rmSync(root, { recursive: true, force: true });
});

test('symlink loops and links leaving the workspace are skipped, not followed', async () => {
  const outside = tree({ 'secret.nix': '{ }' });
  const root = tree({ 'flake.nix': '{ }', 'a/b.nix': '{ }' });
  symlinkSync(path.join(root, 'a'), path.join(root, 'a/loop'));
  symlinkSync(outside, path.join(root, 'out'));
  symlinkSync(path.join(root, 'a/b.nix'), path.join(root, 'alias.nix'));
  const { files, skipped } = await scanWorkspace(root, { maxFiles: 100, maxFileSize: 1024 });
  assert.deepEqual([...files.keys()].sort(), ['a/b.nix', 'alias.nix', 'flake.nix']);
  assert.deepEqual(skipped.sort(), ['a/loop', 'out']);
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

test('the file cap truncates the scan and the size cap leaves big files unread', async () => {
  const files: Record<string, string> = { 'flake.nix': '{ }', 'big.nix': `{ x = "${'a'.repeat(5000)}"; }` };
  for (let i = 0; i < 30; i++) files[`m/${i}.nix`] = '{ }';
  const root = tree(files);
  const capped = await scanWorkspace(root, { maxFiles: 10, maxFileSize: 1024 });
  assert.equal(capped.files.size, 10);
  assert.equal(capped.truncated, true);
  const sized = await scanWorkspace(root, { maxFiles: 100, maxFileSize: 1024 });
  assert.equal(sized.files.get('big.nix'), null, 'listed, not read');
  assert.equal(sized.files.get('flake.nix'), '{ }');
  rmSync(root, { recursive: true, force: true });
});
