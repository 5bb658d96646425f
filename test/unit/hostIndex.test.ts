// The host index on every fixture fleet against host sets written down by hand (expected*.json), independent of
// the code: hosts, kinds, entry modules, and for every file the exact hosts that reach it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FIXTURES, fixtureIndex } from '../support/workspace';

interface Expected {
  hosts: Record<string, { kind: string; entry?: string[] }>;
  files: Record<string, string[]>;
  unresolved?: unknown[];
}

const CASES: [string, string][] = [
  ['fleet', 'expected-hosts.json'],
  ['styles/readdir', 'expected.json'],
  ['styles/flake-parts', 'expected.json'],
  ['styles/lib-helper', 'expected.json'],
  ['styles/listtoattrs', 'expected.json'],
  ['styles/import-hosts', 'expected.json'],
  ['styles/hm-inside', 'expected.json'],
  ['styles/darwin', 'expected.json'],
  ['styles/unresolvable', 'expected.json'],
  ['styles/grammar-gaps', 'expected.json'],
  ['styles/frameworks-more', 'expected.json'],
  ['styles/snowfall', 'expected.json'],
  ['styles/wild', 'expected.json'],
  ['styles/wild2', 'expected.json'],
];

for (const [dir, file] of CASES) {
  test(`${dir}: hosts, kinds and entries match the written-down expectation`, async () => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, dir, file), 'utf8')) as Expected;
    const snap = (await fixtureIndex(dir)).snapshot();
    const got = Object.fromEntries(snap.flake.hosts.map((h) => [h.name, h]));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(expected.hosts).sort());
    for (const [name, want] of Object.entries(expected.hosts)) {
      assert.equal(got[name]!.kind, want.kind, `${name} kind`);
      if (want.entry) {
        const entries = got[name]!.modules.flatMap((m) => (m.kind === 'file' ? [m.path] : []));
        assert.deepEqual(entries.sort(), [...want.entry].sort(), `${name} entry modules`);
      }
    }
  });

  test(`${dir}: every file reaches exactly the expected hosts`, async () => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, dir, file), 'utf8')) as Expected;
    const snap = (await fixtureIndex(dir)).snapshot();
    const wrong: string[] = [];
    for (const [f, hosts] of Object.entries(expected.files)) {
      const got = snap.hostsOf(f);
      if (got.join(',') !== [...hosts].sort().join(',')) wrong.push(`${f}: expected [${[...hosts].sort()}] got [${got}]`);
    }
    for (const f of snap.graph.fileHosts.keys()) if (!(f in expected.files)) wrong.push(`${f}: reached but not in the expectation`);
    assert.deepEqual(wrong, []);
  });
}

test('an unresolvable host set is reported, never silently dropped', async () => {
  const snap = (await fixtureIndex('styles/unresolvable')).snapshot();
  assert.ok(snap.flake.unresolved.some((u) => u.what === 'nixosConfigurations'), JSON.stringify(snap.flake.unresolved));
  assert.deepEqual(snap.flake.hosts.map((h) => h.name), ['local']);
});

test('conditional imports are marked, and pruned where the host arguments decide them', async () => {
  const snap = (await fixtureIndex('fleet')).snapshot();
  const ollama = 'hosts/common/extraServices/ollama.nix';
  assert.deepEqual(snap.hostsOf(ollama), ['m3-ares', 'm3-kratos']);
  const chainHosts = snap.graph.closures.get('m3-ares')!;
  assert.ok(chainHosts.files.has(ollama));
});
