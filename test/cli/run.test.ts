// The terminal runner behind every editor command, executed the way VS Code runs a task: the task's words quoted
// as VS Code quotes them for bash (ShellQuoting.Strong), run by a real bash, with stand-in tools recording the argv
// they receive. Hostile host, file and folder names must arrive as one literal argument each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_RUN_SETTINGS, decodePlan, encodePlan, taskWords, type RunPlan, type RunStep } from '../../server/src/shared/runPlan';
import { toolStep } from '../../server/src/shared/toolCommands';
import { cli } from '../support/cli';
import { REPO } from '../support/workspace';

const CLI = path.join(REPO, 'dist/cli.js');
const HOSTILE = 'my host\'s "cfg" $HOME; `touch pwned` x';
const HOSTILE_FILE = 'hosts/it\'s $(touch pwned2); `id` "x".nix';
const scratch = mkdtempSync(path.join(tmpdir(), 'hostlens-run-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Stand-in programs that append their name and argv (NUL-separated, one record per call) to a log. */
function fakeBin(tools: Record<string, string>): { bin: string; calls: () => string[][] } {
  const bin = mkdtempSync(path.join(scratch, 'bin-'));
  const log = path.join(bin, 'calls.log');
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n{ printf '%s\\0' "$(basename "$0")" "$@"; printf '\\036'; } >> '${log}'\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\x1e').filter(Boolean).map((r) => r.split('\0').slice(0, -1)) : []);
  return { bin, calls };
}

/** A workspace folder whose own path needs quoting too. */
function workspace(): string {
  const root = path.join(mkdtempSync(path.join(scratch, 'ws-')), 'it\'s a "fleet" $HOME');
  mkdirSync(path.join(root, 'hosts'), { recursive: true });
  writeFileSync(path.join(root, 'flake.nix'), '{ outputs = _: { }; }\n');
  return root;
}

/** VS Code's bash command line for words under ShellQuoting.Strong: each word in '…', nothing escaped inside. */
const strongQuoted = (words: string[]) => words.map((w) => `'${w}'`).join(' ');

/** Runs the task exactly as the terminal would: `bash -c <command line>` in the workspace folder. */
function runTask(plan: RunPlan, bin: string): { code: number | null; out: string } {
  const words = taskWords(process.execPath, CLI, plan);
  assert.equal(words.viaShell, true);
  const r = spawnSync('bash', ['-c', `${strongQuoted([words.command, ...words.args])} 2>&1`], {
    cwd: plan.root, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, ELECTRON_RUN_AS_NODE: '1' },
  });
  return { code: r.status, out: r.stdout };
}

const plan = (root: string, steps: RunStep[], extra: Partial<RunPlan> = {}): RunPlan => ({
  root, title: 't', steps, settings: { ...DEFAULT_RUN_SETTINGS }, summary: false, ...extra,
});

test('hostile host, file and folder names reach each tool as one literal argument through bash', () => {
  const { bin, calls } = fakeBin({ 'nixos-rebuild': 'exit 0', nix: 'exit 0', statix: 'exit 0' });
  const root = workspace();
  const steps: RunStep[] = [
    { kind: 'dry-run', host: { name: HOSTILE, kind: 'nixos' } },
    { kind: 'dry-run', host: { name: `me@${HOSTILE}`, kind: 'home-manager' } },
    { kind: 'command', label: 'statix check', ...toolStep('statixCheck', { flake: '.', target: HOSTILE_FILE, formatter: 'alejandra', templates: {} }) },
  ];
  const r = runTask(plan(root, steps, { summary: true }), bin);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(calls(), [
    ['nixos-rebuild', 'dry-run', '--flake', `.#${HOSTILE}`],
    ['nix', 'build', '--extra-experimental-features', 'nix-command flakes', '--dry-run', '--no-link', '.#homeConfigurations."me@my host\'s "cfg" $HOME; %60touch pwned%60 x".activationPackage'],
    ['statix', 'check', '-o', 'errfmt', HOSTILE_FILE],
  ]);
  assert.ok(!existsSync(path.join(root, 'pwned')) && !existsSync(path.join(root, 'pwned2')), 'nothing was executed by a shell');
  assert.match(r.out, /==> Summary\n {2}PASS {2}my host's "cfg" \$HOME; `touch pwned` x\n/);
  assert.match(r.out, /3 passed, 0 failed/);
  // Why the plan travels as one base64url word: the same name quoted by VS Code directly does not survive bash.
  const naive = spawnSync('bash', ['-c', strongQuoted(['printf', '%s\\n', HOSTILE])], { cwd: root, encoding: 'utf8' });
  assert.notEqual(naive.stdout, `${HOSTILE}\n`);
});

test('host templates and ${file} from the editor stay single arguments; tool paths are honoured', () => {
  const { bin, calls } = fakeBin({ colmena: 'exit 0' });
  const elsewhere = fakeBin({ 'my-statix': 'exit 0' });
  const root = workspace();
  const settings = {
    ...DEFAULT_RUN_SETTINGS,
    templates: { 'dryRun.nixos': 'colmena build --on ${host} --file ${file} --flake \'${flake}\'' },
    paths: { statix: path.join(elsewhere.bin, 'my-statix') },
  };
  const steps: RunStep[] = [
    { kind: 'dry-run', host: { name: HOSTILE, kind: 'nixos' } },
    { kind: 'command', label: 'statix check', ...toolStep('statixCheck', { flake: '.', target: '.', formatter: 'alejandra', templates: {} }) },
  ];
  const r = runTask(plan(root, steps, { settings, file: HOSTILE_FILE }), bin);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(calls(), [['colmena', 'build', '--on', HOSTILE, '--file', HOSTILE_FILE, '--flake', '.']]);
  assert.deepEqual(elsewhere.calls(), [['my-statix', 'check', '-o', 'errfmt', '.']]);
});

test('a missing tool is named with how to get it; nh falls back with a note; exit statuses are reported', () => {
  const { bin, calls } = fakeBin({ nix: '[ "$6" = ".#nixosConfigurations.bad.config.system.build.toplevel" ] && exit 3; exit 0' });
  const root = workspace();
  const statix = { kind: 'command' as const, label: 'statix check', ...toolStep('statixCheck', { flake: '.', target: '.', formatter: 'alejandra', templates: {} }) };
  const missing = runTask(plan(root, [statix]), bin);
  assert.equal(missing.code, 127);
  assert.match(missing.out, /hostlens: statix is not installed; try `nix shell nixpkgs#statix`/);
  assert.match(missing.out, /==> statix check: failed \(statix not found\)/);
  assert.doesNotMatch(missing.out, /command not found/);

  const hosts = plan(root, [{ kind: 'dry-run', host: { name: 'good', kind: 'nixos' } }, { kind: 'dry-run', host: { name: 'bad', kind: 'nixos' } }], {
    summary: true, settings: { ...DEFAULT_RUN_SETTINGS, tool: 'nh' },
  });
  const r = runTask(hosts, bin);
  assert.equal(r.code, 1);
  assert.match(r.out, /hostlens: nh is not installed \(try `nix shell nixpkgs#nh`\); using the host's rebuild tool or nix instead/);
  assert.match(r.out, /PASS {2}good\n {2}FAIL {2}bad {2}\(exit 3\)\n1 passed, 1 failed/);
  assert.equal(calls().length, 2);

  const switchMissing = runTask(plan(root, [{ kind: 'switch', host: { name: 'good', kind: 'nixos' } }]), bin);
  assert.equal(switchMissing.code, 127);
  assert.match(switchMissing.out, /==> switch to good \(nixos\): sudo nixos-rebuild switch --flake \.#good/);
  assert.match(switchMissing.out, /hostlens: (sudo|nixos-rebuild) is not installed; /);
});

/** The contributed problem matchers, read from package.json as VS Code reads them. */
function matcher(name: string): RegExp {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { problemMatchers: { name: string; pattern: { regexp: string } }[] } };
  const m = pkg.contributes.problemMatchers.find((p) => p.name === name);
  assert.ok(m, `problem matcher ${name}`);
  return new RegExp(m.pattern.regexp);
}

test('statix errfmt and the rewritten deadnix report are read by the contributed problem matchers', () => {
  const errfmt = 'hosts/desktop/default.nix>2:3:W:4:This assignment is better written with `inherit`';
  const { bin } = fakeBin({
    statix: `printf '%s\\n' '${errfmt}'; exit 1`,
    deadnix: `cat '${path.join(REPO, 'test/data/tools/deadnix.ndjson')}'`,
  });
  const root = workspace();
  mkdirSync(path.join(root, 'hosts/laptop'), { recursive: true });
  copyFileSync(path.join(REPO, 'test/data/tools/nix/laptop.nix'), path.join(root, 'hosts/laptop/default.nix'));
  const step = (c: 'statixCheck' | 'deadnix') => ({ kind: 'command' as const, label: c, ...toolStep(c, { flake: '.', target: '.', formatter: 'alejandra', templates: {} }) });

  const s = runTask(plan(root, [step('statixCheck')]), bin);
  assert.equal(s.code, 1, 'statix exits 1 when it reports');
  assert.match(s.out, /==> statixCheck: failed \(exit 1\)/);
  const sm = matcher('hostlens-statix').exec(s.out.split('\n').find((l) => l.includes('>2:3:')) ?? '');
  assert.deepEqual(sm?.slice(1), ['hosts/desktop/default.nix', '2', '3', 'W', '4', 'This assignment is better written with `inherit`']);

  const d = runTask(plan(root, [step('deadnix')]), bin);
  assert.equal(d.code, 0, d.out);
  const lines = d.out.split('\n');
  assert.ok(lines.includes('hosts/laptop/default.nix:1:3: warning: Unused lambda pattern: config'));
  assert.ok(lines.includes('hosts/laptop/default.nix:3:34: warning: Unused let binding: unusedHelper'), 'byte column 38 is character 34 after ¡, ñ and an emoji');
  assert.ok(lines.includes('modules/wifi.nix:1:1: warning: Unused lambda pattern: args'));
  assert.ok(lines.some((l) => l.includes('modules/broken.nix') && l.includes('unexpected TOKEN_R_BRACE')), 'parse errors are shown, not dropped');
  assert.match(d.out, /deadnix: 5 unused declaration\(s\) in 2 file\(s\)/);
  const dm = matcher('hostlens-deadnix').exec('hosts/laptop/default.nix:3:34: warning: Unused let binding: unusedHelper');
  assert.deepEqual(dm?.slice(1), ['hosts/laptop/default.nix', '3', '34', 'warning', 'Unused let binding: unusedHelper']);
  assert.equal(matcher('hostlens-deadnix').exec('\n==> deadnix: deadnix -o json .'), null, 'headings are not problems');
});

test('nixfmt on a folder gets the .nix files under it, honouring .gitignore', () => {
  const { bin, calls } = fakeBin({ nixfmt: 'exit 0' });
  const root = workspace();
  for (const f of ['a.nix', 'hosts/b c.nix', 'ignored/c.nix', 'hosts/readme.md']) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '{ }\n');
  }
  writeFileSync(path.join(root, '.gitignore'), 'ignored/\n');
  const step = toolStep('formatWorkspace', { flake: '.', target: '.', formatter: 'nixfmt', templates: {} });
  assert.equal(runTask(plan(root, [{ kind: 'command', label: 'format', ...step }]), bin).code, 0);
  assert.deepEqual(calls(), [['nixfmt', 'a.nix', 'flake.nix', 'hosts/b c.nix']]);
});

test('the plan word is shell-safe; a quote in the runner\'s own path means running without a shell', () => {
  const p = plan('/w', [{ kind: 'dry-run', host: { name: HOSTILE, kind: 'nixos' } }], { file: HOSTILE_FILE });
  const words = taskWords('/usr/bin/code', '/home/u/.vscode/extensions/hostlens/dist/cli.js', p);
  assert.equal(words.viaShell, true);
  assert.match(words.args[3]!, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodePlan(words.args[3]!), p);
  assert.equal(taskWords('/usr/bin/code', "/home/o'brien/.vscode/extensions/hostlens/dist/cli.js", p).viaShell, false);
  assert.equal(taskWords('/opt/${x}/code', '/cli.js', p).viaShell, false, 'VS Code would substitute ${…} in task words');
  const big = plan('/w', Array.from({ length: 2000 }, (_, i) => ({ kind: 'dry-run' as const, host: { name: `host-number-${i}`, kind: 'nixos' as const } })));
  assert.ok(encodePlan(big).length < 128 * 1024, 'a 2,000-host plan fits in one argument');
});

test('a malformed plan is a usage error, not a crash', () => {
  for (const word of ['not base64!', 'AAAA', encodePlan({ root: '/', title: 't', steps: [{ kind: 'rm' }], settings: DEFAULT_RUN_SETTINGS, summary: false } as unknown as RunPlan)]) {
    const r = cli(['run', '--plan', word]);
    assert.equal(r.code, 2, word);
    assert.match(r.stderr, /hostlens: bad --plan: /);
  }
  assert.equal(cli(['run']).code, 2);
  const gone = cli(['run', '--plan', encodePlan(plan('/no/such/folder', []))]);
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /no such folder: \/no\/such\/folder/);
});
