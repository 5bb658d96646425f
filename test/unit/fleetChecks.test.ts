// The fleet checks (hostName literals, agenix) keep their last answer across edits that cannot change it, and
// answer afresh, exactly as a new index would, when an edit touches a file that takes part in them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { moduleFindings } from '../../server/src/features/fleetDiagnostics';
import type { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { FIXTURES, fixtureIndex } from '../support/workspace';

const summary = (index: WorkspaceIndex) => moduleFindings(index.snapshot()).map((f) => `${f.file}:${f.range.start.line}:${f.code}:${f.message}`).sort();

async function freshWith(edits: Record<string, string>): Promise<string[]> {
  const fresh = await fixtureIndex('broken');
  for (const [file, text] of Object.entries(edits)) fresh.open(file, text);
  return summary(fresh);
}

test('fleet findings follow edits to the files they involve and hold across others', async () => {
  const index = await fixtureIndex('broken');
  const read = (f: string) => readFileSync(path.join(FIXTURES, 'broken', f), 'utf8');
  const texts: Record<string, string> = {};
  for (const f of ['hosts/common/scope.nix', 'hosts/alpha/configuration.nix', 'hosts/alpha/secrets.nix']) { texts[f] = read(f); index.open(f, texts[f]!); }
  const type = (file: string, after: string, typed: string) => {
    const at = texts[file]!.indexOf(after) + after.length;
    index.edit(file, [{ span: { start: at, end: at }, text: typed }]);
    texts[file] = texts[file]!.slice(0, at) + typed + texts[file]!.slice(at);
  };
  const first = summary(index);
  assert.ok(first.some((f) => f.includes('hostname-mismatch') && f.includes('"alpha-old"')));
  assert.ok(first.some((f) => f.includes('secret-not-registered')));

  // A module that defines no hostName and no secret: the answer stands.
  type('hosts/common/scope.nix', 'unusedLet = 42', '0');
  assert.deepEqual(summary(index), first);
  // The same module starts defining a hostName: a second mismatch for alpha.
  type('hosts/common/scope.nix', 'in {', '\n  networking.hostName = "zzz";');
  const withZzz = summary(index);
  assert.ok(withZzz.some((f) => f.includes('"zzz"')), 'a new hostName definition is judged');
  assert.deepEqual(withZzz, await freshWith(texts));
  // The host module's literal is fixed: no mismatch is left for alpha.
  const conf = texts['hosts/alpha/configuration.nix']!;
  const old = conf.indexOf('-old"');
  index.edit('hosts/alpha/configuration.nix', [{ span: { start: old, end: old + 4 }, text: '' }]);
  texts['hosts/alpha/configuration.nix'] = conf.replace('"alpha-old"', '"alpha"');
  const fixed = summary(index);
  assert.ok(!fixed.some((f) => f.includes('hostname-mismatch')), fixed.join('\n'));
  // The unregistered secret is removed from the module that used it.
  const secrets = texts['hosts/alpha/secrets.nix']!;
  texts['hosts/alpha/secrets.nix'] = secrets.replace(/\n\s*age\.secrets\.unlisted\.file = [^;]*;/, '');
  index.edit('hosts/alpha/secrets.nix', [{ span: { start: 0, end: secrets.length }, text: texts['hosts/alpha/secrets.nix']! }]);
  const after = summary(index);
  assert.ok(!after.some((f) => f.includes('secret-not-registered')), after.join('\n'));
  assert.deepEqual(after, await freshWith(texts));
});
