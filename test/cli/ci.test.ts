// `hostlens ci gitea|github`: the generated workflow's affected step, run with bash in temporary git repos as a runner
// would run it (push, first push, force push, pull request, merge commit, docs-only, flake.lock), and which dry-build
// jobs its outputs start; plus printing, --write, --force and usage errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { append, cli, commitAll, fleetRepo, git } from '../support/cli';
import { FIXTURES, REPO } from '../support/workspace';

type Step = { id?: string; run?: string; env?: Record<string, string> };
type Job = { name: string; if?: string; strategy?: { matrix: { host: string } }; steps: Step[] };
type Workflow = { defaults: { run: Record<string, string> }; jobs: Record<string, Job> };

const ALL = ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus'];
const NULL_SHA = '0'.repeat(40);
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const tempDir = (prefix: string) => { const d = mkdtempSync(path.join(tmpdir(), prefix)); dirs.push(d); return d; };

const repo = () => fleetRepo(dirs, 'hostlens-ci-');
const head = (dir: string, rev = 'HEAD') => git(dir, 'rev-parse', rev).trim();

function workflow(dir: string, forge: 'gitea' | 'github'): Workflow {
  const r = cli(['ci', forge, dir]);
  assert.equal(r.code, 0, r.stderr);
  return parse(r.stdout) as Workflow;
}

/** Stand-in for the npm-installed `hostlens` of the CI job: this checkout's dist/cli.js. */
function binDir(): string {
  const bin = tempDir('hostlens-ci-bin-');
  writeFileSync(path.join(bin, 'hostlens'), `#!/bin/sh\nexec '${process.execPath}' '${path.join(REPO, 'dist/cli.js')}' "$@"\n`);
  chmodSync(path.join(bin, 'hostlens'), 0o755);
  return bin;
}

/** Runs the `affected` step's script as act/GitHub run `shell: bash`, with the event's values in its env. */
function runAffected(wf: Workflow, dir: string, event: { EVENT_NAME: string; PR_BASE?: string; PUSH_BEFORE?: string; WORKFLOW_HOSTS?: string }) {
  const step = wf.jobs.affected!.steps.find((s) => s.id === 'affected')!;
  const literalEnv = Object.fromEntries(Object.entries(step.env ?? {}).filter(([, v]) => !v.includes('${{')));
  const temp = tempDir('hostlens-ci-run-');
  const output = path.join(temp, 'output');
  writeFileSync(output, '');
  writeFileSync(path.join(temp, 'step.sh'), step.run!);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(temp, 'step.sh')], {
    cwd: dir, encoding: 'utf8',
    env: {
      PATH: `${binDir()}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: temp, RUNNER_TEMP: temp, GITHUB_OUTPUT: output,
      PR_BASE: '', PUSH_BEFORE: '', ...literalEnv, ...event,
    },
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s, 2) as [string, string]));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

/**
 * The dry-builds the runner starts from the affected job's outputs. Only the two condition forms Hostlens generates
 * are understood; anything else fails the test rather than being guessed.
 */
function dryBuilds(wf: Workflow, outputs: Record<string, string>): string[] {
  const hosts = JSON.parse(outputs.hosts!) as string[];
  const started: string[] = [];
  for (const [id, job] of Object.entries(wf.jobs)) {
    if (!id.startsWith('dry-build')) continue;
    if (job.strategy) {
      assert.equal(job.if, "needs.affected.outputs.any == 'true'");
      assert.equal(job.strategy.matrix.host, '${{ fromJSON(needs.affected.outputs.hosts) }}');
      if (outputs.any === 'true') started.push(...hosts);
      continue;
    }
    const m = /^contains\(fromJSON\(needs\.affected\.outputs\.hosts\), '((?:[^']|'')*)'\)$/.exec(job.if ?? '');
    assert.ok(m, `unexpected condition on ${id}: ${job.if}`);
    const host = m[1]!.replace(/''/g, "'");
    if (hosts.includes(host)) started.push(host);
  }
  return started.sort();
}

function expectBuilds(dir: string, event: Parameters<typeof runAffected>[2], want: string[], note?: RegExp) {
  for (const forge of ['gitea', 'github'] as const) {
    const wf = workflow(dir, forge);
    const r = runAffected(wf, dir, event);
    assert.equal(r.status, 0, `${forge}: ${r.stdout}${r.stderr}`);
    assert.deepEqual(JSON.parse(r.outputs.hosts!), want, forge);
    assert.equal(r.outputs.any, String(want.length > 0));
    assert.deepEqual(dryBuilds(wf, r.outputs), want, `${forge}: dry-build jobs started`);
    if (note) assert.match(r.stdout, note);
  }
}

test('a push that changes hosts/m3-atlas/services/traefik.nix dry-builds exactly m3-atlas', () => {
  const dir = repo();
  const before = head(dir);
  append(dir, 'hosts/m3-atlas/services/traefik.nix');
  commitAll(dir, 'atlas');
  expectBuilds(dir, { EVENT_NAME: 'push', PUSH_BEFORE: before }, ['m3-atlas'], /hosts\/m3-atlas\/services\/traefik\.nix: m3-atlas\nhosts to dry-build: m3-atlas/);
});

test('a first push (before is all zeros) and a force push whose old tip is not in the clone dry-build every host', () => {
  const dir = repo();
  expectBuilds(dir, { EVENT_NAME: 'push', PUSH_BEFORE: NULL_SHA }, ALL, /No base revision to compare with \(0{40}\): every host is affected/);
  expectBuilds(dir, { EVENT_NAME: 'push', PUSH_BEFORE: 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed' }, ALL, /No base revision/);
  expectBuilds(dir, { EVENT_NAME: 'workflow_dispatch' }, ALL, /\(none\): every host/);
});

test('a pull request validates its own changes, whether the runner checked out the head or a merge commit', () => {
  const dir = repo();
  git(dir, 'checkout', '-qb', 'feature');
  append(dir, 'hosts/m3-atlas/services/traefik.nix');
  commitAll(dir, 'atlas');
  git(dir, 'checkout', '-q', 'main');
  append(dir, 'hosts/m3-helios/default.nix');
  commitAll(dir, 'helios on main after the branch point');
  const base = head(dir, 'main');
  git(dir, 'checkout', '-q', 'feature');
  expectBuilds(dir, { EVENT_NAME: 'pull_request', PR_BASE: base }, ['m3-atlas']);
  // GitHub checks out refs/pull/N/merge: the base tip merged with the head.
  git(dir, 'checkout', '-q', '--detach', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'merge', 'feature');
  expectBuilds(dir, { EVENT_NAME: 'pull_request', PR_BASE: base }, ['m3-atlas']);
  expectBuilds(dir, { EVENT_NAME: 'pull_request', PR_BASE: '' }, ALL, /every host/);
});

test('a pushed merge commit is compared with its first parent (the branch before the push)', () => {
  const dir = repo();
  git(dir, 'checkout', '-qb', 'feature');
  rmSync(path.join(dir, 'hosts/m3-atlas/services/old-unused.nix'));
  append(dir, 'hosts/common/desktop/audio.nix');
  commitAll(dir, 'desktop audio');
  git(dir, 'checkout', '-q', 'main');
  append(dir, 'hosts/m3-helios/default.nix');
  commitAll(dir, 'helios');
  const before = head(dir);
  git(dir, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
  expectBuilds(dir, { EVENT_NAME: 'push', PUSH_BEFORE: before }, ['m3-ares', 'm3-kratos']);
});

test('no Nix file changed: the list is empty and no dry-build job starts; flake.lock: every host', () => {
  const dir = repo();
  let before = head(dir);
  append(dir, 'README.md', '\ndocs\n');
  commitAll(dir, 'docs');
  expectBuilds(dir, { EVENT_NAME: 'push', PUSH_BEFORE: before }, [], /README\.md: \(no host\)\nhosts to dry-build: \(none\)/);
  before = head(dir);
  writeFileSync(path.join(dir, 'flake.lock'), '{ "nodes": {}, "root": "root", "version": 7 }\n');
  commitAll(dir, 'lock');
  expectBuilds(dir, { EVENT_NAME: 'push', PUSH_BEFORE: before }, ALL);
});

test('gitea: a workflow older than the flake (a host without a job) fails the affected job and says how to fix it', () => {
  const dir = repo();
  const before = head(dir);
  append(dir, 'hosts/m3-atlas/services/traefik.nix');
  commitAll(dir, 'atlas');
  const r = runAffected(workflow(dir, 'gitea'), dir, { EVENT_NAME: 'push', PUSH_BEFORE: before, WORKFLOW_HOSTS: '["m3-ares"]' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /::error::this workflow has no dry-build job for m3-atlas; regenerate it: hostlens ci gitea --write --force/);
});

test('ci --write puts the file at the repository root, never over an existing one without --force', () => {
  const repo = tempDir('hostlens-ci-write-');
  cpSync(path.join(FIXTURES, 'fleet'), path.join(repo, 'nix'), { recursive: true });
  git(repo, 'init', '-q');
  const target = path.join(repo, '.gitea/workflows/hostlens.yml');
  const first = cli(['ci', 'gitea', '--write', path.join(repo, 'nix')]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /wrote .*\.gitea\/workflows\/hostlens\.yml/);
  const wf = parse(readFileSync(target, 'utf8')) as Workflow;
  assert.equal(wf.defaults.run['working-directory'], 'nix', 'run steps start in the flake folder');
  writeFileSync(target, 'mine\n');
  const again = cli(['ci', 'gitea', '--write', path.join(repo, 'nix')]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists; not overwritten \(add --force/);
  assert.equal(readFileSync(target, 'utf8'), 'mine\n');
  assert.equal(cli(['ci', 'gitea', '--write', '--force', path.join(repo, 'nix')]).code, 0);
  assert.notEqual(readFileSync(target, 'utf8'), 'mine\n');
  assert.equal(cli(['ci', 'github', '--write', path.join(repo, 'nix')]).code, 0);
  assert.ok(existsSync(path.join(repo, '.github/workflows/hostlens.yml')));
});

test('ci options and usage errors', () => {
  const fleet = path.join(FIXTURES, 'fleet');
  const custom = cli(['ci', 'github', '--runs-on', 'nixos', '--hostlens-package', 'https://example.invalid/hostlens-0.1.0.tgz', '--matrix', 'per-host', fleet]);
  assert.equal(custom.code, 0, custom.stderr);
  assert.match(custom.stdout, /runs-on: nixos/);
  assert.match(custom.stdout, /HOSTLENS_PACKAGE: "?https:\/\/example\.invalid\/hostlens-0\.1\.0\.tgz/);
  assert.match(custom.stdout, /dry-build-m3-atlas:/);
  for (const bad of [['ci'], ['ci', 'gitlab'], ['ci', 'gitea', '--matrix', 'huge', fleet], ['ci', 'gitea', '--formatter', 'black', fleet], ['ci', 'gitea', '--runs-on', '', fleet]]) {
    const r = cli(bad);
    assert.equal(r.code, 2, bad.join(' '));
  }
  const empty = tempDir('hostlens-ci-noflake-');
  mkdirSync(path.join(empty, 'x'));
  assert.match(cli(['ci', 'gitea', empty]).stderr, /no flake\.nix in/);
});
