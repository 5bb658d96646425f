// The batch syntax check (`nix-instantiate --parse a.nix b.nix …`, restarted after each bad file) against one stdin
// run per file: same verdict, message and position for every fixture file and for mutants of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkNixSyntax } from '../../server/src/tools/nixSyntax';
import { checkNixSyntaxFiles, errorOrigin } from '../../server/src/tools/nixSyntaxBatch';

const HAS_NIX = spawnSync('nix-instantiate', ['--version']).status === 0;

test('the file a positioned error names, for Nix 2.4+ and older formats', () => {
  assert.equal(errorOrigin("error: syntax error, unexpected ';'\n\n       at /tmp/w s/a.nix:1:7:\n\n            1| { a = ; }\n"), '/tmp/w s/a.nix');
  assert.equal(errorOrigin('error: undefined variable \'y\', at /tmp/x/b.nix:1:4'), '/tmp/x/b.nix');
  assert.equal(errorOrigin("error: syntax error, unexpected ';'\n\n       at «stdin»:1:7:\n"), null);
});

test('one batch agrees with a stdin run per file on fixtures and mutants', { skip: !HAS_NIX && 'nix-instantiate not installed' }, async () => {
  const files = spawnSync('find', ['test/fixtures', '-name', '*.nix'], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
  const root = mkdtempSync(path.join(tmpdir(), 'hostlens-batch-'));
  try {
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const texts = new Map<string, string>();
    files.forEach((f, i) => {
      const text = readFileSync(f, 'utf8');
      texts.set(`orig/${i}.nix`, text);
      // Every third file also gets a mutant: a deleted or duplicated character somewhere in it.
      if (i % 3 === 0 && text.length > 0) {
        const at = rand(text.length);
        texts.set(`mut/${i}.nix`, rand(2) ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + text[at] + text.slice(at));
      }
    });
    for (const [rel, text] of texts) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    const batch = await checkNixSyntaxFiles(root, [...texts.keys()]);
    let errors = 0;
    let n = 0;
    for (const [rel, text] of texts) {
      // Every mutant, and a sample of the (nearly all valid) originals: one process each is what makes this slow.
      if (rel.startsWith('orig/') && n++ % 4 !== 0) continue;
      const one = await checkNixSyntax(text);
      // Relative paths resolve differently on stdin (against the cwd) than in a file, but no fixture depends on that.
      assert.deepEqual(batch.get(rel), one, rel);
      if (one.status === 'error') errors++;
    }
    assert.ok(errors > 10, `the mutants exercise restarts (${errors} bad files)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
