// `hostlens.externalSources` and `hostlens.hostFlags.*` over LSP: a local m3ta-home-like folder indexed read-only
// (mkHome and flag declarations jump into it), flags set under an option prefix, and a custom flag file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { LspSession } from '../support/lspSession';
import { FIXTURES } from '../support/workspace';

let root: string;
let s: LspSession;
const external = path.join(FIXTURES, 'm3ta-home');

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hostlens-ext-'));
  cpSync(path.join(FIXTURES, 'fleet'), root, { recursive: true });
  // m3-kratos turns gaming on through the m3ta-home option rather than the flag table.
  writeFileSync(path.join(root, 'hosts/m3-kratos/profile.nix'), '{\n  m3ta.home.profiles.gaming = true;\n}\n');
  const entry = path.join(root, 'hosts/m3-kratos/default.nix');
  writeFileSync(entry, readFileSync(entry, 'utf8').replace('./programs', './programs\n    ./profile.nix'));
  s = await LspSession.start(root, {
    maxFiles: 10_000, maxFileSize: 2 * 1024 * 1024,
    hostFlags: { files: ['hosts/common/users/m3tam3re.nix'], optionPrefixes: ['m3ta.home.profiles'] },
    externalSources: { 'm3ta-home': external },
  });
  await s.ready();
});
after(() => { s.child.kill(); rmSync(root, { recursive: true, force: true }); });

interface Pos { line: number; character: number }
interface Loc { uri: string; range: { start: Pos; end: Pos } }

function posOf(text: string, offset: number): Pos {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** Where `sub` (inside the first `needle`) is, in a workspace file or an absolute one. */
function at(file: string, needle: string, sub = needle): { start: Pos; end: Pos } {
  const text = readFileSync(path.isAbsolute(file) ? file : path.join(root, file), 'utf8');
  const i = text.indexOf(needle) + needle.indexOf(sub);
  assert.ok(text.includes(needle), `${needle} in ${file}`);
  return { start: posOf(text, i), end: posOf(text, i + sub.length) };
}

async function definition(file: string, needle: string, sub = needle): Promise<{ file: string; range: Loc['range'] }[]> {
  const position = at(file, needle, sub).start;
  position.character += 1;
  const locs = await s.rpc.sendRequest('textDocument/definition', { textDocument: { uri: s.uri(file) }, position }) as Loc[] | null;
  return (locs ?? []).map((l) => ({ file: fileURLToPath(l.uri), range: l.range }));
}

test('inputs.m3ta-home.lib.mkHome jumps to mkHome in the external source', async () => {
  const defs = await definition('hosts/common/users/m3tam3re.nix', 'inputs.m3ta-home.lib.mkHome', 'mkHome');
  const lib = path.join(external, 'lib/default.nix');
  assert.deepEqual(defs, [{ file: lib, range: at(lib, 'mkHome = {', 'mkHome') }]);
});

test('a flag peeks each host\'s definition, then its declaration in the external source', async () => {
  const users = 'hosts/common/users/m3tam3re.nix';
  const defs = await definition(users, 'gaming = true', 'gaming');
  const profiles = path.join(external, 'modules/profiles.nix');
  assert.deepEqual(defs.map((d) => path.relative(root, d.file).startsWith('..') ? path.relative(external, d.file) : path.relative(root, d.file)), [
    users, users, 'hosts/m3-kratos/profile.nix', 'modules/profiles.nix',
  ]);
  assert.deepEqual(defs[3]!.range, at(profiles, 'gaming = lib.mkEnableOption', 'gaming'));
});

test('flags set under an option prefix count for the hosts that import them', async () => {
  const users = 'hosts/common/users/m3tam3re.nix';
  const lenses = await s.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: s.uri(users) } }) as { range: { start: Pos }; command: { title: string } }[];
  const line = at(users, 'gaming = true').start.line;
  assert.deepEqual(lenses.filter((l) => l.range.start.line === line).map((l) => l.command.title), ['on: m3-ares, m3-kratos']);
  const hover = await s.rpc.sendRequest('textDocument/hover', { textDocument: { uri: s.uri('hosts/m3-kratos/profile.nix') }, position: { line: 1, character: 24 } }) as { contents: { value: string } };
  assert.match(hover.contents.value, /m3-kratos: `false` \(hosts\/common\/users\/m3tam3re\.nix\), `true` \(hosts\/m3-kratos\/profile\.nix\)/);
  assert.match(hover.contents.value, /m3-atlas: unset/);
});

test('workspace symbols include options declared in the external source', async () => {
  const syms = await s.rpc.sendRequest('workspace/symbol', { query: 'profiles.cloud' }) as { name: string; location: Loc }[];
  assert.ok(syms.some((x) => x.name === 'm3ta.home.profiles.cloud' && fileURLToPath(x.location.uri) === path.join(external, 'modules/profiles.nix')), JSON.stringify(syms));
});
