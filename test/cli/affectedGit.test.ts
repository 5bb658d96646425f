// `hostlens affected --git REV` as CI uses it, on committed history in temporary git repos: a merge commit against
// its first parent, a first push (the all-zero SHA), committed renames and deletions, flake.lock; and `--staged`.
import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { append, cli, commitAll, fleetRepo, git } from '../support/cli';

const ALL = ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus'];
const NULL_SHA = '0000000000000000000000000000000000000000';
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const repo = () => fleetRepo(dirs, 'hostlens-affected-');


function affected(dir: string, ...args: string[]): { files: Record<string, string[]>; hosts: string[]; stderr: string } {
  const r = cli(['affected', '--json', ...args], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return { ...(JSON.parse(r.stdout) as { files: Record<string, string[]>; hosts: string[] }), stderr: r.stderr };
}

test('a merge commit compared with its first parent: exactly what the merged branch brought', () => {
  const dir = repo();
  git(dir, 'checkout', '-qb', 'feature');
  append(dir, 'hosts/m3-atlas/services/traefik.nix');
  commitAll(dir, 'atlas: traefik');
  git(dir, 'checkout', '-q', 'main');
  append(dir, 'hosts/m3-helios/default.nix');
  commitAll(dir, 'helios: meanwhile on main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
  const firstParent = affected(dir, '--git', 'HEAD^1');
  assert.deepEqual(firstParent.files, { 'hosts/m3-atlas/services/traefik.nix': ['m3-atlas'] });
  assert.deepEqual(firstParent.hosts, ['m3-atlas']);
  assert.deepEqual(affected(dir, '--git', 'HEAD^2').hosts, ['m3-helios'], 'the other parent sees main\'s change instead');
});

test('a first push (the all-zero SHA, full or short) has no base: every host, with a note on stderr', () => {
  const dir = repo();
  for (const rev of [NULL_SHA, '0000000']) {
    const r = affected(dir, '--git', rev);
    assert.deepEqual(r.hosts, ALL);
    assert.deepEqual(r.files, {});
    assert.match(r.stderr, /no base revision .*every host is affected/);
  }
  const table = cli(['affected', '--git', NULL_SHA], { cwd: dir });
  assert.match(table.stdout, /hosts to validate: m3-aether m3-ares m3-atlas m3-helios m3-hermes m3-kratos m3tam3re@m3-daedalus/);
  const missing = cli(['affected', '--git', 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed'], { cwd: dir });
  assert.equal(missing.code, 1, 'an unknown revision stays an error: CI maps it to the all-zero SHA itself');
  assert.match(missing.stderr, /unknown revision/);
});

test('committed renames and deletions: old and new names, and the hosts that still import a deleted file', () => {
  const dir = repo();
  // A proper rename: the import follows the file.
  renameSync(path.join(dir, 'hosts/m3-hermes/configuration.nix'), path.join(dir, 'hosts/m3-hermes/config.nix'));
  const hermes = path.join(dir, 'hosts/m3-hermes/default.nix');
  writeFileSync(hermes, readFileSync(hermes, 'utf8').replace('./configuration.nix', './config.nix'));
  commitAll(dir, 'hermes: rename');
  const renamed = affected(dir, '--git', 'HEAD~1');
  assert.deepEqual(renamed.files, {
    'hosts/m3-hermes/config.nix': ['m3-hermes'],
    'hosts/m3-hermes/configuration.nix': [],
    'hosts/m3-hermes/default.nix': ['m3-hermes'],
  });
  assert.deepEqual(renamed.hosts, ['m3-hermes']);
  // A deletion that breaks an import, and one of a file nobody imports.
  rmSync(path.join(dir, 'hosts/m3-atlas/services/traefik.nix'));
  rmSync(path.join(dir, 'hosts/m3-atlas/services/old-unused.nix'));
  commitAll(dir, 'atlas: delete');
  const deleted = affected(dir, '--git', 'HEAD~1');
  assert.deepEqual(deleted.files, { 'hosts/m3-atlas/services/old-unused.nix': [], 'hosts/m3-atlas/services/traefik.nix': ['m3-atlas'] });
  assert.deepEqual(deleted.hosts, ['m3-atlas']);
  assert.deepEqual(affected(dir, '--git', 'HEAD~2').hosts, ['m3-atlas', 'm3-hermes'], 'both commits together');
});

test('a committed flake.lock change reaches every host; a change to no Nix file reaches none', () => {
  const dir = repo();
  writeFileSync(path.join(dir, 'flake.lock'), '{ "nodes": {}, "root": "root", "version": 7 }\n');
  commitAll(dir, 'lock');
  assert.deepEqual(affected(dir, '--git', 'HEAD~1').hosts, ALL);
  append(dir, 'README.md', '\nmore docs\n');
  commitAll(dir, 'docs');
  assert.deepEqual(affected(dir, '--git', 'HEAD~1'), { files: { 'README.md': [] }, hosts: [], stderr: '' });
});

test('--staged: what the next commit records, not unstaged or untracked edits; usage errors exit 2', () => {
  const dir = repo();
  append(dir, 'hosts/m3-atlas/services/traefik.nix');
  git(dir, 'add', 'hosts/m3-atlas/services/traefik.nix');
  append(dir, 'hosts/m3-helios/default.nix');
  writeFileSync(path.join(dir, 'hosts/m3-ares/new.nix'), '{ }\n');
  assert.deepEqual(affected(dir, '--staged').hosts, ['m3-atlas']);
  git(dir, 'rm', '-q', 'hosts/m3-hermes/secrets.nix');
  assert.deepEqual(affected(dir, '--staged').files['hosts/m3-hermes/secrets.nix'], ['m3-hermes'], 'a staged deletion breaks the host that imports it');
  assert.equal(cli(['affected', '--staged', '--git', 'HEAD'], { cwd: dir }).code, 2);
  assert.equal(cli(['affected', '--staged', 'flake.nix'], { cwd: dir }).code, 2);
});
