// Locked flake inputs from `nix flake archive --json --dry-run`: the parser on real output, every failure as a reason
// (never a throw), the argv, which inputs the workspace reads, and the size check that keeps nixpkgs out.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { usedInputNames } from '../../server/src/features/usedInputs';
import { flakeArchiveArgs, lockedInputPaths, parseFlakeArchive } from '../../server/src/tools/flakeInputs';
import { countFilesUpTo } from '../../server/src/vfs/discovery';
import { indexOf } from '../support/workspace';

/** Nix 2.8's output for a flake with a `follows`, a nested flake input and a `flake = false` input. */
const REAL_OUTPUT = '{"path":"/nix/store/hqfhp51sw1cy0m2pzgnkfmpfrgxbgjbj-source","inputs":{"home-manager":{"path":"/nix/store/nz9jpydjyhvn293zqbvbfy4ibq9r6xqx-source","inputs":{"nixpkgs":{"path":"/nix/store/i1gkszkhrsrq4mgygvwnk0hj9ajkrvkv-source","inputs":{}}}},"m3ta-home":{"path":"/nix/store/img0cb5kla4bmdf0npbzb6h5cfm5gjhq-source","inputs":{}},"nixpkgs":{"path":"/nix/store/i1gkszkhrsrq4mgygvwnk0hj9ajkrvkv-source","inputs":{}},"secrets":{"path":"/nix/store/i1gkszkhrsrq4mgygvwnk0hj9ajkrvkv-source","inputs":{}}}}';

test('the top-level inputs of real nix output map to their store paths; nested inputs are not top-level', () => {
  const r = parseFlakeArchive(REAL_OUTPUT);
  assert.ok('inputs' in r);
  assert.deepEqual(Object.fromEntries(r.inputs), {
    'home-manager': '/nix/store/nz9jpydjyhvn293zqbvbfy4ibq9r6xqx-source',
    'm3ta-home': '/nix/store/img0cb5kla4bmdf0npbzb6h5cfm5gjhq-source',
    nixpkgs: '/nix/store/i1gkszkhrsrq4mgygvwnk0hj9ajkrvkv-source',
    secrets: '/nix/store/i1gkszkhrsrq4mgygvwnk0hj9ajkrvkv-source',
  });
  const none = parseFlakeArchive('{"path":"/nix/store/yb3bpv9cr5iaiybrhf6j2mn1ldrqk62j-source","inputs":{}}\n');
  assert.ok('inputs' in none && none.inputs.size === 0);
});

test('malformed output is an error to report, and odd entries are left out', () => {
  assert.deepEqual(parseFlakeArchive(''), { error: 'no output' });
  assert.deepEqual(parseFlakeArchive('{"path":"/nix/store/x"'), { error: 'not JSON' });
  assert.deepEqual(parseFlakeArchive('[1,2]'), { error: 'not a JSON object' });
  assert.deepEqual(parseFlakeArchive('{"path":"/nix/store/x"}'), { error: 'no "inputs" object' });
  const r = parseFlakeArchive('{"inputs":{"a":{"path":"relative"},"b":null,"c":{"path":7},"d":{"path":"/nix/store/d-source"}}}');
  assert.ok('inputs' in r);
  assert.deepEqual([...r.inputs], [['d', '/nix/store/d-source']]);
});

test('nix is asked for store paths without fetching, without writing flake.lock, with flakes enabled', () => {
  const args = flakeArchiveArgs();
  assert.deepEqual(args.slice(0, 2), ['flake', 'archive']);
  for (const flag of ['--json', '--dry-run', '--no-update-lock-file', '--offline']) assert.ok(args.includes(flag), flag);
  assert.equal(args[args.indexOf('--extra-experimental-features') + 1], 'nix-command flakes');
  assert.equal(args[args.length - 1], '.');
});

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function fakeNix(script: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-fake-nix-'));
  dirs.push(dir);
  const file = path.join(dir, 'nix');
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

test('a missing nix, a failing fetch, garbage output and a hang each end in a reason', async () => {
  const cwd = os.tmpdir();
  const missing = await lockedInputPaths(cwd, { nix: path.join(cwd, 'no-such-nix-here') });
  assert.equal(missing.status, 'unavailable');
  assert.ok(missing.status === 'unavailable' && missing.missing && /was not found/.test(missing.reason));

  const failing = await lockedInputPaths(cwd, { nix: fakeNix([
    'echo "warning: Git tree \'/x\' is dirty" >&2',
    'echo "error: flake \'path:/x\' requires lock file changes but they\'re not allowed due to \'--no-update-lock-file\'" >&2',
    'exit 1',
  ].join('\n')) });
  assert.ok(failing.status === 'unavailable' && !failing.missing);
  assert.match(failing.status === 'unavailable' ? failing.reason : '', /exit 1\): error: flake 'path:\/x' requires lock file changes/);

  const garbage = await lockedInputPaths(cwd, { nix: fakeNix('echo "this is not json"') });
  assert.ok(garbage.status === 'unavailable' && /unexpected output .*: not JSON/.test(garbage.reason));

  const hang = await lockedInputPaths(cwd, { nix: fakeNix('exec sleep 10'), timeoutMs: 200 });
  assert.ok(hang.status === 'unavailable' && /timed out/.test(hang.reason));

  const controller = new AbortController();
  const pending = lockedInputPaths(cwd, { nix: fakeNix('exec sleep 10'), signal: controller.signal });
  controller.abort();
  assert.deepEqual(await pending, { status: 'unavailable', reason: 'cancelled' });
});

test('the arguments reach nix as separate words, run in the flake folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-flake #1?-'));
  dirs.push(dir);
  const nix = fakeNix('printf \'{"inputs":{"cwd":{"path":"%s"},"argc":{"path":"/%s"}}}\' "$PWD" "$#"');
  const r = await lockedInputPaths(dir, { nix });
  assert.deepEqual(r.status === 'ok' ? Object.fromEntries(r.inputs) : r, { cwd: fs.realpathSync(dir), argc: `/${flakeArchiveArgs().length}` });
});

test('only inputs the workspace reads count: inputs.<name>, outputs formals, not their declarations', async () => {
  const index = await indexOf({
    'flake.nix': [
      '{',
      '  inputs = {',
      '    nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";',
      '    home-manager = { url = "github:nix-community/home-manager"; inputs.nixpkgs.follows = "nixpkgs"; };',
      '    m3ta-home.url = "git+ssh://gitea@code.m3ta.dev/m3tam3re/m3ta-home";',
      '    m3ta-nixpkgs.url = "git+ssh://gitea@code.m3ta.dev/m3tam3re/nixpkgs";',
      '    disko.url = "github:nix-community/disko";',
      '    unused.url = "github:someone/unused";',
      '  };',
      '  outputs = { self, nixpkgs, ... } @ inputs: {',
      '    nixosConfigurations.a = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./a.nix ]; };',
      '  };',
      '}',
    ].join('\n'),
    'a.nix': '{ inputs, ... }: {\n  imports = [ (inputs.m3ta-home.lib.mkHome { }) inputs.disko.nixosModules.default ];\n  nixpkgs.overlays = [ inputs."m3ta-nixpkgs".overlays.default ];\n}\n',
  });
  const used = usedInputNames(index.snapshot(), ['nixpkgs', 'home-manager', 'm3ta-home', 'm3ta-nixpkgs', 'disko', 'unused']);
  assert.deepEqual([...used].sort(), ['disko', 'm3ta-home', 'm3ta-nixpkgs', 'nixpkgs']);
});

test('an input folder is counted without reading files, and only up to just past the cap', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-count-'));
  dirs.push(dir);
  for (const sub of ['a', 'b/c', '.git']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (const f of ['flake.nix', 'a/1.nix', 'a/2.nix', 'b/c/3.nix', 'b/c/4.md', '.git/HEAD']) fs.writeFileSync(path.join(dir, f), '');
  assert.equal(await countFilesUpTo(dir, 100), 5);
  assert.ok((await countFilesUpTo(dir, 2)) > 2, 'more than a cap of 2');
  assert.equal(await countFilesUpTo(path.join(dir, 'missing'), 100), 0);
});
