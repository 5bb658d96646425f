// The generated CI workflows as data: valid YAML (parsed by the `yaml` package, as YAML 1.2 and 1.1), the jobs and
// conditions that turn `hostlens affected --json` into dry-builds, and the emitter's quoting of awkward strings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { parse } from 'yaml';
import { sshInputHosts, detectFormatter } from '../../server/src/features/ciScripts';
import { ciOptions, HOSTLENS_VERSION, workflowText, type CiOptions, type Forge } from '../../server/src/features/ciWorkflow';
import { yamlText, type YamlValue } from '../../server/src/features/yamlText';
import type { IndexSnapshot } from '../../server/src/index/workspaceIndex';
import { ciDryRunArgv } from '../../server/src/shared/ciDryRun';
import { fixtureIndex, indexOf, REPO } from '../support/workspace';

type Step = { id?: string; name?: string; uses?: string; if?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };
type Job = { name: string; needs?: string; if?: string; 'runs-on': string; outputs?: Record<string, string>; strategy?: { matrix: Record<string, unknown>; 'fail-fast'?: boolean }; steps: Step[] };
type Workflow = { name: string; on: string[]; env: Record<string, string>; defaults: { run: Record<string, string> }; jobs: Record<string, Job> };

const ALL = ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus'];
let fleet: IndexSnapshot;
before(async () => { fleet = (await fixtureIndex('fleet')).snapshot(); });

const generate = (forge: Forge, over: Partial<CiOptions> = {}, snap = fleet) => workflowText(ciOptions(snap, forge, ciDryRunArgv, over));
const load = (text: string) => parse(text) as Workflow;
/**
 * A strict YAML 1.1 reader takes the `on:` key for `true`; act (go-yaml) and GitHub read it as `on`, as every workflow
 * writes it. Everything else must read the same under both versions.
 */
const load11 = (text: string): unknown => {
  const doc = parse(text, { version: '1.1' }) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k === 'true' ? 'on' : k, v]));
};

test('both workflows are valid YAML, run on push and pull_request, and read the same in YAML 1.1', () => {
  for (const forge of ['gitea', 'github'] as const) {
    const text = generate(forge);
    const wf = load(text);
    assert.deepEqual(wf.on, ['push', 'pull_request'], forge);
    assert.deepEqual(load11(text), wf, `${forge}: no string turns into a boolean or number under YAML 1.1`);
    assert.equal(wf.env.HOSTLENS_PACKAGE, `hostlens@${HOSTLENS_VERSION}`);
    assert.equal(wf.defaults.run.shell, 'bash');
    assert.equal(wf.defaults.run['working-directory'], undefined, 'the flake is at the repository root');
  }
});

test('only actions that Gitea act_runner runs: checkout and setup-node; everything else is a script', () => {
  for (const forge of ['gitea', 'github'] as const) {
    const uses = Object.values(load(generate(forge)).jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    assert.deepEqual([...new Set(uses)].sort(), ['actions/checkout@v4', 'actions/setup-node@v4'], forge);
  }
});

test('the checks job runs hostlens check, the formatter, statix, deadnix and the flake evaluation, each after a failure too', () => {
  const checks = load(generate('gitea')).jobs.checks!;
  const runs = checks.steps.filter((s) => s.if).map((s) => s.run);
  assert.deepEqual(runs, [
    'hostlens check --no-linters',
    'nix run --inputs-from . nixpkgs#alejandra -- --check .',
    'nix run --inputs-from . nixpkgs#statix -- check .',
    'nix run --inputs-from . nixpkgs#deadnix -- --fail .',
    'nix flake show',
  ]);
  assert.ok(checks.steps.filter((s) => s.if).every((s) => /^\(success\(\) \|\| failure\(\)\) && steps\.(nix|hostlens)\.outcome == 'success'$/.test(s.if!)));
  const other = load(generate('gitea', { formatter: 'nixfmt', flakeEval: 'check' })).jobs.checks!.steps.map((s) => s.run ?? '');
  assert.ok(other.some((r) => r.includes('nixpkgs#nixfmt -- --check')));
  assert.ok(other.includes('nix flake check --no-build'));
});

test('the affected job exposes the hosts of `hostlens affected --json` as job outputs', () => {
  for (const forge of ['gitea', 'github'] as const) {
    const affected = load(generate(forge)).jobs.affected!;
    assert.deepEqual(affected.outputs, { hosts: '${{ steps.affected.outputs.hosts }}', any: '${{ steps.affected.outputs.any }}' });
    assert.deepEqual(affected.steps[0], { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } }, 'the base revision must be in the clone');
    const step = affected.steps.find((s) => s.id === 'affected')!;
    assert.match(step.run!, /hostlens affected --json --git "\$base" > "\$report"/);
    assert.match(step.run!, /hosts=\$\{JSON\.stringify\(report\.hosts\)\}\\nany=/);
    // Event data reaches the script only through env: never pasted into the shell text.
    assert.doesNotMatch(step.run!, /\$\{\{/);
    assert.equal(step.env!.PUSH_BEFORE, '${{ github.event.before }}');
    assert.equal(step.env!.PR_BASE, '${{ github.event.pull_request.base.sha }}');
  }
});

test('github: one matrix job over fromJSON of the affected hosts, skipped when the list is empty', () => {
  const wf = load(generate('github'));
  const job = wf.jobs['dry-build']!;
  assert.equal(job.needs, 'affected');
  assert.equal(job.if, "needs.affected.outputs.any == 'true'");
  assert.deepEqual(job.strategy, { 'fail-fast': false, matrix: { host: '${{ fromJSON(needs.affected.outputs.hosts) }}' } });
  const build = job.steps.at(-1)!;
  assert.equal(build.env!.HOST, '${{ matrix.host }}');
  assert.equal(build.run, 'hostlens dry-run --tool nix -- "$HOST"');
  assert.equal(Object.keys(wf.jobs).filter((j) => j.startsWith('dry-build')).length, 1);
});

test('gitea: one job per host, each run only when the affected list contains it, with the host\'s own dry-build', () => {
  const wf = load(generate('gitea'));
  const jobs = Object.entries(wf.jobs).filter(([id]) => id.startsWith('dry-build'));
  assert.deepEqual(jobs.map(([, j]) => j.name), ALL.map((h) => `dry-build ${h}`));
  for (const [id, j] of jobs) {
    assert.match(id, /^[A-Za-z_][A-Za-z0-9_-]*$/);
    assert.equal(j.needs, 'affected');
    assert.equal(j.strategy, undefined);
  }
  const daedalus = jobs.find(([, j]) => j.name === 'dry-build m3tam3re@m3-daedalus')![1];
  assert.equal(daedalus.if, "contains(fromJSON(needs.affected.outputs.hosts), 'm3tam3re@m3-daedalus')");
  assert.equal(daedalus.steps.at(-1)!.run, `nix build --extra-experimental-features 'nix-command flakes' --dry-run --no-link '.#homeConfigurations."m3tam3re@m3-daedalus".activationPackage'`);
  const atlas = jobs.find(([, j]) => j.name === 'dry-build m3-atlas')![1];
  assert.match(atlas.steps.at(-1)!.run!, / \.#nixosConfigurations\.m3-atlas\.config\.system\.build\.toplevel$/);
  const step = wf.jobs.affected!.steps.find((s) => s.id === 'affected')!;
  assert.deepEqual(JSON.parse(step.env!.WORKFLOW_HOSTS!), ALL, 'the affected job fails when the flake gained a host without a job');
  assert.equal(load(generate('gitea', { matrix: 'dynamic' })).jobs['dry-build']!.strategy!.matrix.host, '${{ fromJSON(needs.affected.outputs.hosts) }}');
});

test('private git+ssh inputs get a key step fed by a secret; a flake without them gets none', async () => {
  const wf = load(generate('gitea'));
  const ssh = wf.jobs.checks!.steps.find((s) => s.name === 'SSH key for private flake inputs')!;
  assert.equal(ssh.env!.SSH_KEY, '${{ secrets.HOSTLENS_SSH_KEY }}');
  assert.match(ssh.run!, /ssh-keyscan -p 22 code\.m3ta\.dev/);
  const plain = (await indexOf({ 'flake.nix': '{ inputs.nixpkgs.url = "github:nixos/nixpkgs"; outputs = { nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./box.nix ]; }; }; }', 'box.nix': '{ }' })).snapshot();
  const plainWf = load(generate('gitea', {}, plain));
  assert.ok(Object.values(plainWf.jobs).every((j) => j.steps.every((s) => !/SSH/.test(s.name ?? ''))));
  assert.deepEqual(Object.keys(plainWf.jobs), ['checks', 'affected', 'dry-build-box']);
  assert.deepEqual(sshInputHosts('url = "git+ssh://git@example.org:2222/a/b"; u2 = "git+ssh://example.org/c"; u3 = "git+ssh://git@example.org:2222/x";'),
    [{ host: 'example.org', port: 2222 }, { host: 'example.org', port: null }]);
  assert.equal(detectFormatter('formatter.x86_64-linux = pkgs.nixfmt-rfc-style;'), 'nixfmt');
  assert.equal(detectFormatter('formatter.x86_64-linux = pkgs.alejandra;'), 'alejandra');
  assert.equal(detectFormatter(''), 'alejandra');
});

test('every generated script is valid bash', () => {
  for (const forge of ['gitea', 'github'] as const) {
    for (const job of Object.values(load(generate(forge)).jobs)) {
      for (const s of job.steps) {
        if (!s.run) continue;
        const r = spawnSync('bash', ['-n'], { input: s.run, encoding: 'utf8' });
        assert.equal(r.status, 0, `${forge} ${s.name ?? s.run}: ${r.stderr}`);
      }
    }
  }
});

test('the SSH step, run with bash: warns without the secret; with it, a private key, known hosts and a Host entry', () => {
  const step = load(generate('gitea')).jobs.checks!.steps.find((st) => st.name === 'SSH key for private flake inputs')!;
  const home = mkdtempSync(path.join(tmpdir(), 'hostlens-ssh-'));
  try {
    // STAND-IN for ssh-keyscan (no network here): prints a host key line for the host it is asked about.
    writeFileSync(path.join(home, 'ssh-keyscan'), '#!/bin/sh\necho "$3 ssh-ed25519 AAAAstandin"\n');
    chmodSync(path.join(home, 'ssh-keyscan'), 0o755);
    const run = (env: Record<string, string>) => spawnSync('bash', ['-eo', 'pipefail', '-c', step.run!], { encoding: 'utf8', env: { PATH: `${home}:/usr/bin:/bin`, HOME: home, ...env } });
    const without = run({ SSH_KEY: '', SSH_KNOWN_HOSTS: '' });
    assert.equal(without.status, 0);
    assert.match(without.stdout, /::warning::secret HOSTLENS_SSH_KEY is not set: private flake inputs on code\.m3ta\.dev/);
    const withKey = run({ SSH_KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----', SSH_KNOWN_HOSTS: '' });
    assert.equal(withKey.status, 0, withKey.stderr);
    assert.equal(readFileSync(path.join(home, '.ssh/hostlens_inputs'), 'utf8'), '-----BEGIN KEY-----\nabc\n-----END KEY-----\n');
    assert.equal(statSync(path.join(home, '.ssh/hostlens_inputs')).mode & 0o777, 0o600);
    assert.equal(readFileSync(path.join(home, '.ssh/known_hosts'), 'utf8'), 'code.m3ta.dev ssh-ed25519 AAAAstandin\n');
    assert.match(readFileSync(path.join(home, '.ssh/config'), 'utf8'), /^Host code\.m3ta\.dev\n {2}IdentityFile ~\/\.ssh\/hostlens_inputs\n {2}IdentitiesOnly yes\n$/);
    const pinned = run({ SSH_KEY: 'k', SSH_KNOWN_HOSTS: 'code.m3ta.dev ssh-ed25519 AAAApinned' });
    assert.equal(pinned.status, 0);
    assert.match(readFileSync(path.join(home, '.ssh/known_hosts'), 'utf8'), /AAAApinned\n$/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the Install Nix step leaves a runner that already has Nix alone', () => {
  const step = load(generate('gitea')).jobs.checks!.steps.find((st) => st.id === 'nix')!;
  const bin = mkdtempSync(path.join(tmpdir(), 'hostlens-nix-'));
  try {
    // STAND-IN for an installed nix (a self-hosted NixOS runner); curl must not be reached.
    writeFileSync(path.join(bin, 'nix'), '#!/bin/sh\necho "nix (Nix) 2.24.11"\n');
    writeFileSync(path.join(bin, 'curl'), '#!/bin/sh\necho curl was called; exit 9\n');
    chmodSync(path.join(bin, 'nix'), 0o755);
    chmodSync(path.join(bin, 'curl'), 0o755);
    const r = spawnSync('bash', ['-eo', 'pipefail', '-c', step.run!], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin, NIX_VERSION: '2.24.11', GITHUB_PATH: path.join(bin, 'path') } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'nix (Nix) 2.24.11\n');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('HOSTLENS_VERSION, the package CI installs, is the version in package.json', () => {
  assert.equal(HOSTLENS_VERSION, (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
});

test('yamlText: awkward strings and shapes read back exactly', () => {
  const strings = [
    '', 'on', 'off', 'yes', 'No', 'null', '~', 'true', '2.24.11', '20', '0x1F', '.inf', '-dash', '- item', 'a: b', 'a #b', 'a#b',
    ' lead', 'trail ', '"quoted"', "it's", 'back\\slash', '${{ matrix.host }}', "contains(fromJSON(x), 'it''s')", '[x]', '{x}',
    '*alias', '&anchor', '!tag', '%dir', '@at', '`tick`', 'ünïcødé', 'tab\there', 'nul\u0000byte', '?q', '|pipe', '>fold',
    'script\n', 'no trailing newline\nsecond', 'trailing spaces  \nline', '  indented first\nsecond', 'two\n\n', 'crlf\r\nline\n',
    'blank\n\nlines\n', '\nleading newline', '#!/bin/sh\necho "$x" # comment\n',
  ];
  const doc: { [key: string]: YamlValue } = { on: ['push'], strings, nested: { list: [{ a: 1, b: [true, null] }, [], {}, [['x']]], empty: {} }, 'odd key': 1, 'key: colon': 2 };
  const text = yamlText(doc, ['header line', '']);
  assert.ok(text.startsWith('# header line\n#\n'));
  assert.deepEqual(parse(text), doc);
  assert.deepEqual(load11(text), doc);
});
