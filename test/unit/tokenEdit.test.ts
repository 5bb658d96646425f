// Typing that only changes one token's text (or blanks) shifts the file's facts instead of re-parsing: after every
// such keystroke the facts, AST and problems must equal those of a full parse of the new text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FACT_INTEREST } from '../../server/src/index/fileSummary';
import type { SyntaxFacts } from '../../server/src/syntax/facts';
import { OpenFile, parseText } from '../../server/src/syntax/parsedFile';
import { FIXTURES, parser } from '../support/workspace';

function nixFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? nixFiles(p) : n.endsWith('.nix') ? [p] : [];
  });
}

/** Conditions are found by kind, so a window's merge may order them differently; the set is what counts. */
const sortConditions = (f: SyntaxFacts) => ({ ...f, conditionalSpans: [...f.conditionalSpans].sort((a, b) => a.start - b.start || a.end - b.end) });

test('keystrokes inside names, numbers, strings, comments and blanks leave exactly the facts of a full parse', async () => {
  const p = await parser();
  let seed = 7;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 8) % n; };
  // Mostly what typing inside a word or a line produces; some pieces and deletions hit structure.
  const pieces = ['x', 'q', '1', '_', ' ', '\n', '  ', 'e', 'x', ' ', '/', '"', '$', '{', '#', "'", '-', '.'];
  let deferred = 0;
  let exact = 0;
  const files = nixFiles(FIXTURES).sort();
  for (const f of files.filter((_, i) => i % 2 === 0)) {
    const original = readFileSync(f, 'utf8');
    // Short sessions from the clean text: one stray quote breaks the file, and a broken file is always re-parsed.
    for (let session = 0; session < 3; session++) {
      const open = new OpenFile(p, original, FACT_INTEREST);
      for (let i = 0; i < 10; i++) {
        const text = open.parsed.text;
        // Land next to a letter, digit or blank most of the time, as typing does.
        let at = rand(text.length + 1);
        if (rand(4) !== 0) while (at < text.length && !/[A-Za-z0-9 ]/.test(text[at]!)) at++;
        const change = rand(5) === 0
          ? { span: { start: at, end: Math.min(text.length, at + 1 + rand(2)) }, text: '' }
          : { span: { start: at, end: at }, text: pieces[rand(pieces.length)]! };
        const after = open.applyEdits([change]);
        if (open.reparsePending) deferred++; else exact++;
        const full = parseText(p, after.text, FACT_INTEREST);
        // A structural keystroke may be read as a window with interim facts (windowEdit.test.ts): settled here.
        const facts = open.factsInterim ? (open.settle() ?? open.parsed).facts : after.facts;
        assert.equal(JSON.stringify(sortConditions(facts)), JSON.stringify(sortConditions(full.facts)), `${f} keystroke ${i}: ${JSON.stringify(change)}`);
        // Several keystrokes pile up on the unparsed tree before something reads it.
        if (rand(4) === 0) {
          assert.equal(JSON.stringify(after.ast), JSON.stringify(full.ast), `${f} keystroke ${i} ast`);
          assert.deepEqual(after.problems, full.problems, `${f} keystroke ${i} problems`);
        }
      }
      open.dispose();
    }
  }
  assert.ok(deferred > 200 && exact > 200, `${deferred} keystrokes took the proof, ${exact} were re-parsed at once`);
});

test('typing a name of interest, a path, an interpolation or a comment break is re-parsed and found', async () => {
  const p = await parser();
  const cases: [string, string, string][] = [
    // [text, where to type (the text before the cursor), what to type]
    ['{ a = impor ./x.nix; }', 'impor', 't'],
    ['{ imports = [ ]; b = 1; }', '[ ', './y.nix '],
    ['{ a = "s"; b = ./p.nix; }', '"s', '${'],
    ['{ a = 1; # note\n b = ./p.nix; }', '# note', '\n c = ./q.nix;'],
    ['{ a = self; }', 'self', '.outputs'],
    ['{ "import" = 1; x = a: a; }', '"import', 's'],
  ];
  for (const [text, before, typed] of cases) {
    const open = new OpenFile(p, text, FACT_INTEREST);
    let at = text.indexOf(before) + before.length;
    for (const ch of typed) {
      const after = open.applyEdits([{ span: { start: at, end: at }, text: ch }]);
      at++;
      const full = parseText(p, after.text, FACT_INTEREST);
      assert.equal(JSON.stringify(after.facts), JSON.stringify(full.facts), `${JSON.stringify(after.text)}`);
    }
    open.dispose();
  }
});

test('a run of keystrokes inside a string, a name, a comment and blanks needs no re-parse, not even for the AST', async () => {
  const p = await parser();
  const text = '{ lib, ... }:\n{\n  services.foo = { name = "svc"; port = 80; }; # port\n  imports = [ ./a.nix ];\n}\n';
  const open = new OpenFile(p, text, FACT_INTEREST);
  const typeAt = (after: string, typed: string) => {
    let at = open.parsed.text.indexOf(after) + after.length;
    for (const ch of typed) {
      open.applyEdits([{ span: { start: at, end: at }, text: ch }]);
      at++;
      assert.ok(open.reparsePending, `typing ${JSON.stringify(ch)} after ${JSON.stringify(after)} needs no parse yet`);
    }
  };
  typeAt('"svc', '-main web');
  typeAt('services.foo', 'bar');
  typeAt('port = 80', '80');
  typeAt('# port', ' and more words');
  typeAt('};', '\n  ');
  const full = parseText(p, open.parsed.text, FACT_INTEREST);
  assert.equal(JSON.stringify(open.parsed.facts), JSON.stringify(full.facts));
  assert.equal(JSON.stringify(open.parsed.ast), JSON.stringify(full.ast));
  assert.ok(open.reparsePending, 'the AST after token edits is read from the unparsed tree');
  assert.equal(open.parsed.facts.paths[0]?.text, './a.nix');
  open.dispose();
});
