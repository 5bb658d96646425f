// Locked flake inputs as external sources over LSP, with the real nix: a fleet whose m3ta-home input is a local
// flake, locked by `nix flake lock`; jumps land in the store path `nix flake archive` reports, once trusted only,
// asked once per flake.lock content and again after the lock moves.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

const NIX_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];
const HAS_NIX = spawnSync('nix', [...NIX_FLAGS, '--version']).status === 0;
const needsNix = HAS_NIX ? {} : { skip: 'nix is not installed' };

let tmp: string;
let root: string;
let home: string;
const sessions: LspSession[] = [];

interface Pos { line: number; character: number }
interface Loc { uri: string; range: { start: Pos; end: Pos } }

function nix(cwd: string, ...args: string[]): string {
  const r = spawnSync('nix', [...args.slice(0, 2), ...NIX_FLAGS, '--option', 'substituters', '', ...args.slice(2)], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `nix ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The m3ta-home store path as nix itself reports it for the workspace's current lock. */
function lockedHome(): string {
  const out = JSON.parse(nix(root, 'flake', 'archive', '--json', '--dry-run', '.')) as { inputs: Record<string, { path: string }> };
  return out.inputs['m3ta-home']!.path;
}

before(() => {
  if (!HAS_NIX) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'hostlens-lock-'));
  // An m3ta-home flake without inputs of its own, so that locking needs no network.
  home = path.join(tmp, 'm3ta-home');
  mkdirSync(home);
  for (const d of ['lib', 'modules']) cpSync(path.join(FIXTURES, 'm3ta-home', d), path.join(home, d), { recursive: true });
  writeFileSync(path.join(home, 'flake.nix'), '{\n  outputs = {self, ...}: {\n    lib = import ./lib {inherit self;};\n    homeManagerModules.default = ./modules;\n  };\n}\n');
  // Nix adds the `outputs` formals (nixpkgs, home-manager) as inputs too: empty local flakes stand in for them.
  const stub = path.join(tmp, 'stub');
  mkdirSync(stub);
  writeFileSync(path.join(stub, 'flake.nix'), '{\n  outputs = _: {};\n}\n');
  root = path.join(tmp, 'fleet');
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  const flake = path.join(root, 'flake.nix');
  const inputs = `  inputs = {\n    nixpkgs.url = "path:${stub}";\n    home-manager.url = "path:${stub}";\n    m3ta-home.url = "path:${home}";\n  };\n`;
  const text = readFileSync(flake, 'utf8').replace(/\n {2}inputs = \{[\s\S]*?\n {2}\};\n/, `\n${inputs}`);
  assert.notEqual(text, readFileSync(flake, 'utf8'));
  writeFileSync(flake, text);
  nix(root, 'flake', 'lock');
});

after(() => {
  for (const s of sessions) s.child.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A session whose nix is a wrapper that records each run in `calls` before running the real nix. */
async function start(trusted: boolean, calls: string, extra: object = {}): Promise<LspSession> {
  const wrapper = path.join(tmp, `nix-${path.basename(calls)}`);
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${calls}'\nexec nix "$@"\n`, { mode: 0o755 });
  const s = await LspSession.start(root, {
    maxFiles: 10_000, maxFileSize: 2 * 1024 * 1024, nixPath: wrapper, trusted,
    hostFlags: { files: ['hosts/common/users/m3tam3re.nix'], optionPrefixes: ['m3ta.home.profiles'] }, ...extra,
  });
  sessions.push(s);
  await s.ready();
  return s;
}

function posOf(text: string, offset: number): Pos {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

function at(file: string, needle: string, sub = needle): { start: Pos; end: Pos } {
  const text = readFileSync(path.isAbsolute(file) ? file : path.join(root, file), 'utf8');
  assert.ok(text.includes(needle), `${needle} in ${file}`);
  const i = text.indexOf(needle) + needle.indexOf(sub);
  return { start: posOf(text, i), end: posOf(text, i + sub.length) };
}

const USERS = 'hosts/common/users/m3tam3re.nix';

async function definition(s: LspSession, needle: string, sub: string): Promise<{ file: string; range: Loc['range'] }[]> {
  const position = at(USERS, needle, sub).start;
  position.character += 1;
  const locs = await s.rpc.sendRequest('textDocument/definition', { textDocument: { uri: s.uri(USERS) }, position }) as Loc[] | null;
  return (locs ?? []).map((l) => ({ file: fileURLToPath(l.uri), range: l.range }));
}

/** Asks until a definition lands under `folder` (Nix answers in the background; no request waits for it). */
async function definitionUnder(s: LspSession, folder: string, needle: string, sub: string): Promise<{ file: string; range: Loc['range'] }[]> {
  const end = Date.now() + 30_000;
  for (;;) {
    const defs = await definition(s, needle, sub);
    if (defs.some((d) => d.file.startsWith(`${folder}/`))) return defs;
    if (Date.now() > end) throw new Error(`no definition under ${folder}: ${JSON.stringify(defs)}; logs: ${s.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runs = (calls: string) => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);

test('trusted: mkHome and a flag jump into the locked m3ta-home store path; nix runs once per flake.lock', needsNix, async () => {
  const calls = path.join(tmp, 'calls-trusted');
  const s = await start(true, calls);
  s.open(USERS, readFileSync(path.join(root, USERS), 'utf8'));
  const store = lockedHome();
  assert.match(store, /^\/nix\/store\/[a-z0-9]{32}-source$/);

  const lib = path.join(store, 'lib/default.nix');
  assert.deepEqual(await definitionUnder(s, store, 'inputs.m3ta-home.lib.mkHome', 'mkHome'), [{ file: lib, range: at(lib, 'mkHome = {', 'mkHome') }]);
  const flag = await definition(s, 'gaming = true', 'gaming');
  const profiles = path.join(store, 'modules/profiles.nix');
  assert.deepEqual(flag.filter((d) => !d.file.startsWith(`${root}/`)), [{ file: profiles, range: at(profiles, 'gaming = lib.mkEnableOption', 'gaming') }]);
  assert.ok(flag.some((d) => d.file === path.join(root, USERS)), 'the flag table definitions are still peeked');
  assert.deepEqual(runs(calls).length, 1, 'one nix run for one flake.lock');
  assert.match(runs(calls)[0]!, /^flake archive .*--json --dry-run --no-update-lock-file/);

  // The input moves: a new revision of m3ta-home (mkHome one line lower), locked as a user would.
  const source = path.join(home, 'lib/default.nix');
  writeFileSync(source, `# a new revision\n${readFileSync(source, 'utf8')}`);
  nix(root, 'flake', 'lock', '--update-input', 'm3ta-home');
  const moved = lockedHome();
  assert.notEqual(moved, store);
  const lib2 = path.join(moved, 'lib/default.nix');
  assert.deepEqual(await definitionUnder(s, moved, 'inputs.m3ta-home.lib.mkHome', 'mkHome'), [{ file: lib2, range: at(lib2, 'mkHome = {', 'mkHome') }]);
  assert.equal(at(lib2, 'mkHome = {').start.line, at(lib, 'mkHome = {').start.line + 1);
  assert.equal(runs(calls).length, 2, 'asked again only because flake.lock changed');
});

/** Asked three times over 300 ms, definition never lands in the store and nix never runs. */
async function expectNoStoreTargets(s: LspSession, calls: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const defs = await definition(s, 'inputs.m3ta-home.lib.mkHome', 'mkHome');
    assert.deepEqual(defs.filter((d) => d.file.startsWith('/nix/store/')), []);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(runs(calls), []);
}

test('untrusted: nix never runs and nothing lands in the store, until the workspace is trusted', needsNix, async () => {
  const calls = path.join(tmp, 'calls-untrusted');
  const s = await start(false, calls);
  s.open(USERS, readFileSync(path.join(root, USERS), 'utf8'));
  await expectNoStoreTargets(s, calls);

  s.rpc.sendNotification('hostlens/diagnosticSettings', { trusted: true });
  const store = lockedHome();
  const defs = await definitionUnder(s, store, 'inputs.m3ta-home.lib.mkHome', 'mkHome');
  assert.deepEqual(defs.map((d) => d.file), [path.join(store, 'lib/default.nix')]);
  assert.equal(runs(calls).length, 1);
});

test('hostlens.externalSources wins over flake.lock for the input it maps; the other inputs still come from the lock', needsNix, async () => {
  const calls = path.join(tmp, 'calls-explicit');
  const folder = path.join(FIXTURES, 'm3ta-home');
  const s = await start(true, calls, { externalSources: { 'm3ta-home': folder } });
  s.open(USERS, readFileSync(path.join(root, USERS), 'utf8'));
  // nixpkgs (read through the `nixpkgs` formal in flake.nix) is indexed from the lock: the lock has been read.
  await definition(s, 'inputs.m3ta-home.lib.mkHome', 'mkHome');
  const end = Date.now() + 30_000;
  while (!s.logs.some((l) => /^Indexed external source nixpkgs .*\(flake\.lock\)$/.test(l))) {
    if (Date.now() > end) throw new Error(`nixpkgs not indexed from the lock: ${s.logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const defs = await definition(s, 'inputs.m3ta-home.lib.mkHome', 'mkHome');
  assert.deepEqual(defs.map((d) => d.file), [path.join(folder, 'lib/default.nix')]);
});

test('hostlens.externalSourcesFromFlakeLock: false runs no nix', needsNix, async () => {
  const calls = path.join(tmp, 'calls-off');
  const s = await start(true, calls, { externalSourcesFromFlakeLock: false });
  s.open(USERS, readFileSync(path.join(root, USERS), 'utf8'));
  await expectNoStoreTargets(s, calls);
});
