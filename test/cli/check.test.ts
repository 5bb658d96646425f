// `hostlens check`: the editor's diagnostics as `path:line:col: severity source: message` lines (or JSON), exit 1
// on any error, 0 otherwise, 2 on bad usage; Nix's syntax verdict when installed, tree-sitter's otherwise; linters.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { cli } from '../support/cli';
import { brokenFleet, fakeTool } from '../support/diagnostics';
import { FIXTURES } from '../support/workspace';

const HAS_NIX = spawnSync('nix-instantiate', ['--version']).status === 0;
const temps: string[] = [];
after(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }); });
const temp = (prefix: string) => { const d = mkdtempSync(path.join(tmpdir(), prefix)); temps.push(d); return d; };
/** test/fixtures/broken plus a file with a syntax error, in a temporary folder. */
const BROKEN = brokenFleet('hostlens-check-broken-');
temps.push(BROKEN);

test('a healthy fleet exits 0 and prints only its notes', () => {
  const r = cli(['check', path.join(FIXTURES, 'fleet')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    'hosts/m3-atlas/services/old-unused.nix:1:1: information hostlens: Not imported by any host.',
    'secrets.nix:28:3: information hostlens: secrets/old-api-token.age is not used by any host',
    '0 errors, 0 warnings, 2 note(s) in 85 files',
    '',
  ].join('\n'));
});

test('a broken fleet exits 1 and lists every finding, sorted by file and position', () => {
  const r = cli(['check', BROKEN]);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const expected = [
    'hosts/alpha/configuration.nix:2:25: warning hostlens: networking.hostName is "alpha-old" but this module builds the host alpha (nixosConfigurations.alpha)',
    'hosts/alpha/secrets.nix:3:31: error hostlens: secrets/unlisted.age is not registered in secrets.nix: agenix cannot encrypt it for alpha',
    'hosts/alpha/unused.nix:1:1: information hostlens: Not imported by any host.',
    'hosts/beta/default.nix:4:5: error hostlens: ./missing.nix does not exist: hosts/beta/missing.nix (breaks beta)',
    'hosts/beta/default.nix:5:5: error hostlens: ./services is a directory without default.nix (hosts/beta/services/default.nix does not exist) (breaks beta)',
    'hosts/beta/default.nix:8:27: error hostlens: beta cannot decrypt secrets/wifi.age: the publicKeys of "secrets/wifi.age" in secrets.nix do not include its key',
    'hosts/beta/services/web.nix:1:1: information hostlens: Not imported by any host.',
    'hosts/common/a.nix:2:14: warning hostlens: Import cycle: hosts/common/a.nix -> hosts/common/b.nix -> hosts/common/a.nix',
    'hosts/common/b.nix:2:14: warning hostlens: Import cycle: hosts/common/b.nix -> hosts/common/a.nix -> hosts/common/b.nix',
    'hosts/common/scope.nix:6:5: warning hostlens: Unused lambda pattern: args',
    'hosts/common/scope.nix:7:3: warning hostlens: Unused let binding: unusedLet',
    'hosts/common/scope.nix:9:22: warning hostlens: Unused let binding: mkForce',
    `hosts/common/scope.nix:13:44: error ${HAS_NIX ? 'nix' : 'hostlens'}: undefined variable 'undefinedThing'`,
    'hosts/common/scope.nix:14:40: warning hostlens: Unused lambda argument: unusedArg',
    HAS_NIX ? "modules/broken.nix:2:43: error nix: syntax error, unexpected ';'" : null,
    'secrets.nix:6:3: error hostlens: secrets/wifi.age is used by beta (hosts/beta/default.nix), but its publicKeys do not include that host\'s key',
    'secrets.nix:7:3: error hostlens: secrets/gone.age does not exist',
    'secrets.nix:8:3: information hostlens: secrets/api.age is not used by any host',
    "secrets.nix:8:41: error hostlens: publicKeys of \"secrets/api.age\" name 'alhpa', which secrets.nix does not define",
    'secrets/stray.age:1:1: warning hostlens: secrets/stray.age is not registered in secrets.nix',
    'secrets/unlisted.age:1:1: warning hostlens: secrets/unlisted.age is not registered in secrets.nix (used by alpha)',
  ].filter((l): l is string => l !== null);
  if (HAS_NIX) {
    assert.deepEqual(lines, [...expected, '9 errors, 9 warnings, 3 note(s) in 13 files']);
  } else {
    for (const l of expected) assert.ok(lines.includes(l), l);
  }
});

test('--json carries positions, codes and counts', () => {
  const r = cli(['check', '--json', BROKEN]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as { syntax: string; counts: Record<string, number>; findings: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; source: string; code: string | null }[] };
  assert.equal(report.syntax, HAS_NIX ? 'nix' : 'approximate');
  assert.equal(report.counts.error, report.findings.filter((f) => f.severity === 'error').length);
  assert.deepEqual(report.findings.find((f) => f.code === 'missing-file'), {
    file: 'hosts/beta/default.nix', line: 4, column: 5, endLine: 4, endColumn: 18, severity: 'error', source: 'hostlens', code: 'missing-file',
    message: './missing.nix does not exist: hosts/beta/missing.nix (breaks beta)',
  });
  const noScope = JSON.parse(cli(['check', '--json', '--no-scope', BROKEN]).stdout) as typeof report;
  assert.ok(!noScope.findings.some((f) => f.code === 'unused-binding'));
});

test('bad usage exits 2', () => {
  assert.equal(cli(['check', '--bogus', BROKEN]).code, 2);
  assert.equal(cli(['check', BROKEN, BROKEN]).code, 2);
  assert.equal(cli(['check', path.join(BROKEN, 'hosts')]).code, 2, 'a folder without flake.nix');
  const missing = cli(['check', path.join(FIXTURES, 'no-such-folder')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not a directory/);
});

test('without nix-instantiate syntax is checked approximately, and says so on stderr', () => {
  const empty = temp('hostlens-check-nobin-');
  const r = cli(['check', BROKEN], { env: { ...process.env, PATH: empty } });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^modules\/broken\.nix:2:\d+: error hostlens: syntax error \(approximate, without nix-instantiate\): /m);
  assert.match(r.stderr, /syntax checked approximately \(tree-sitter\) in 13 file\(s\): nix-instantiate not found/);
});

test('statix and deadnix findings are included when installed, and --no-linters leaves them out', () => {
  const root = temp('hostlens-check-lint-');
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  writeFileSync(path.join(root, 'modules/lint.nix'), '{lib, ...}: {\n  a = (1);\n  b = lib.id 2;\n}\n');
  const bin = temp('hostlens-check-bin-');
  const statix = { file: './modules/lint.nix', report: [{ note: 'Useless parentheses around value in binding', code: 8, severity: 'Warn', diagnostics: [{ at: { from: { line: 2, column: 7 }, to: { line: 2, column: 10 } }, message: 'Useless parentheses around value in binding', suggestion: null }] }] };
  fakeTool(bin, 'statix', `${JSON.stringify(statix, null, 2)}\n`, path.join(bin, 'calls'), 1);
  fakeTool(bin, 'deadnix', '', path.join(bin, 'calls'), 0);
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  const r = cli(['check', root], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.split('\n').includes('modules/lint.nix:2:7: warning statix: Useless parentheses around value in binding'), r.stdout);
  assert.ok(!cli(['check', '--no-linters', root], { env }).stdout.includes('statix'));
});
