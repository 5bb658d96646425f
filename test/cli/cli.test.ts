// The `hostlens` command line contract: usage and exit codes, `hosts --json`, `affected` with files and `--git`.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, git } from '../support/cli';
import { FIXTURES } from '../support/workspace';

const FLEET = path.join(FIXTURES, 'fleet');
const ALL = ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus'];

test('--help prints usage and exits 0; no command or a bad one exits 2', () => {
  const help = cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: hostlens <command>/);
  assert.equal(cli([]).code, 2);
  const bad = cli(['frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command: frobnicate/);
  assert.equal(cli(['hosts', '--nope']).code, 2);
});

test('a folder without flake.nix is a usage error naming the folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostlens-noflake-'));
  const r = cli(['hosts', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no flake\.nix in/);
  rmSync(dir, { recursive: true });
});

test('hosts --json follows the contract: relative sorted paths, entries, kinds, flake.nix excluded', () => {
  const r = cli(['hosts', '--json', FLEET]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { root: string; hosts: { name: string; kind: string; entry: string[]; files: string[] }[]; unresolved: unknown[] };
  assert.equal(out.root, FLEET);
  assert.deepEqual(out.hosts.map((h) => h.name), ALL);
  const expected = JSON.parse(readFileSync(path.join(FLEET, 'expected-hosts.json'), 'utf8')) as { files: Record<string, string[]> };
  for (const h of out.hosts) {
    assert.deepEqual(h.files, [...h.files].sort(), `${h.name} files sorted`);
    assert.ok(!h.files.includes('flake.nix'));
    assert.ok(h.files.every((f) => !path.isAbsolute(f) && !f.includes('\\')));
    const want = Object.entries(expected.files).filter(([, hosts]) => hosts.includes(h.name)).map(([f]) => f).sort();
    assert.deepEqual(h.files, want, h.name);
  }
  const atlas = out.hosts.find((h) => h.name === 'm3-atlas')!;
  assert.equal(atlas.kind, 'nixos');
  assert.deepEqual(atlas.entry.filter((e) => e.startsWith('hosts/')), ['hosts/m3-atlas']);
  assert.equal(out.hosts.find((h) => h.name === 'm3tam3re@m3-daedalus')!.kind, 'home-manager');
  assert.deepEqual(out.unresolved, []);
});

test('hosts without --json prints a table; unresolved sets are listed', () => {
  const r = cli(['hosts', path.join(FIXTURES, 'styles/unresolvable')]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^HOST\s+KIND\s+ENTRY\s+FILES/m);
  assert.match(r.stdout, /^local\s+nixos/m);
  assert.match(r.stdout, /unresolved: nixosConfigurations: /);
});

test('affected --json maps each file to its hosts and gives the union', () => {
  const r = cli(['affected', '--json', '--root', FLEET, 'hosts/m3-atlas/services/traefik.nix', 'hosts/m3-helios/default.nix'], { cwd: FLEET });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    files: { 'hosts/m3-atlas/services/traefik.nix': ['m3-atlas'], 'hosts/m3-helios/default.nix': ['m3-helios'] },
    hosts: ['m3-atlas', 'm3-helios'],
  });
  assert.equal(cli(['affected', '--root', FLEET]).code, 2, 'no files and no --git');
});

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostlens-git-'));
  cpSync(FLEET, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

const affectedGit = (dir: string, rev = 'HEAD') => {
  const r = cli(['affected', '--json', '--git', rev], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { files: Record<string, string[]>; hosts: string[] };
};

test('affected --git: edits, untracked files, renames, deletions and flake.lock', () => {
  const dir = repo();
  try {
    assert.deepEqual(affectedGit(dir), { files: {}, hosts: [] });
    writeFileSync(path.join(dir, 'hosts/m3-atlas/services/traefik.nix'), `${readFileSync(path.join(dir, 'hosts/m3-atlas/services/traefik.nix'), 'utf8')}\n# edit\n`);
    assert.deepEqual(affectedGit(dir).hosts, ['m3-atlas']);
    writeFileSync(path.join(dir, 'hosts/m3-helios/new.nix'), '{ }\n');
    assert.deepEqual(affectedGit(dir).files['hosts/m3-helios/new.nix'], [], 'untracked, imported by nobody');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'edits');
    renameSync(path.join(dir, 'hosts/m3-hermes/configuration.nix'), path.join(dir, 'hosts/m3-hermes/config.nix'));
    git(dir, 'add', '-A');
    const renamed = affectedGit(dir);
    assert.deepEqual(renamed.files['hosts/m3-hermes/configuration.nix'], ['m3-hermes'], 'the old path is still imported: that host breaks');
    assert.deepEqual(renamed.files['hosts/m3-hermes/config.nix'], []);
    git(dir, 'reset', '-q', '--hard');
    rmSync(path.join(dir, 'hosts/m3-atlas/services/traefik.nix'));
    assert.deepEqual(affectedGit(dir).hosts, ['m3-atlas'], 'a deleted but still imported file');
    git(dir, 'checkout', '-q', '--', '.');
    writeFileSync(path.join(dir, 'flake.lock'), '{}\n');
    assert.deepEqual(affectedGit(dir).hosts, ALL, 'flake.lock reaches every host');
    const unknown = cli(['affected', '--git', 'no-such-rev'], { cwd: dir });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown revision: no-such-rev/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dry-run runs one command per host, headed, with a summary; names stay single arguments', () => {
  // A stand-in `nix` on PATH records its argv (the real nix run is in the terminal tests); nixos-rebuild is absent.
  const bin = mkdtempSync(path.join(tmpdir(), 'hostlens-bin-'));
  const log = path.join(bin, 'argv.log');
  writeFileSync(path.join(bin, 'nix'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done\necho --- >> '${log}'\n[ "$HOSTLENS_FAKE_FAIL" = "$6" ] && exit 3\nexit 0\n`);
  chmodSync(path.join(bin, 'nix'), 0o755);
  const env = { ...process.env, PATH: `${bin}:/usr/bin:/bin`, HOSTLENS_FAKE_FAIL: '.#nixosConfigurations.m3-helios.config.system.build.toplevel' };
  const r = cli(['dry-run', '--root', FLEET, 'm3-atlas', 'm3-helios', 'm3tam3re@m3-daedalus'], { env, cwd: FLEET });
  assert.equal(r.code, 1, 'one host failed');
  assert.match(r.stdout, /==> m3-atlas \(nixos\): nix build/);
  assert.match(r.stdout, /PASS {2}m3-atlas\n {2}FAIL {2}m3-helios {2}\(exit 3\)\n {2}PASS {2}m3tam3re@m3-daedalus\n2 passed, 1 failed/);
  const calls = readFileSync(log, 'utf8').split('---\n').filter(Boolean).map((c) => c.trim().split('\n'));
  assert.deepEqual(calls[0], ['build', '--extra-experimental-features', 'nix-command flakes', '--dry-run', '--no-link', '.#nixosConfigurations.m3-atlas.config.system.build.toplevel']);
  assert.deepEqual(calls[2], ['build', '--extra-experimental-features', 'nix-command flakes', '--dry-run', '--no-link', '.#homeConfigurations."m3tam3re@m3-daedalus".activationPackage']);
  assert.equal(cli(['dry-run', '--root', FLEET, 'not-a-host'], { env }).code, 2);
  rmSync(bin, { recursive: true });
});
