// Structural typing inside a set, `let` or list re-reads only the touched stretch of it: after every keystroke the
// facts must be a full parse's (at once when the stretch parses cleanly, after `settle` when it is broken), and the
// AST always a full parse's.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FACT_INTEREST } from '../../server/src/index/fileSummary';
import type { TextEdit } from '../../server/src/syntax/parser';
import type { SyntaxFacts } from '../../server/src/syntax/facts';
import { OpenFile, parseText, type ParsedFile } from '../../server/src/syntax/parsedFile';
import { FIXTURES, fixtureIndex, parser } from '../support/workspace';

function nixFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? nixFiles(p) : n.endsWith('.nix') ? [p] : [];
  });
}

/** Conditions are found by kind (`if`, then `&&`, then `||`), so their order is not the text's; the set is what counts. */
const canonical = (f: SyntaxFacts) => JSON.stringify({ ...f, conditionalSpans: [...f.conditionalSpans].sort((a, b) => a.start - b.start || a.end - b.end) });

const SNIPPETS = [
  'imports = [ ./extra.nix ../common/x.nix ];\n  ',
  'services.web.enable = lib.mkIf cfg.enable true;\n  ',
  'hw = if hostname == "a" then ./a.nix else ./b.nix;\n  ',
  'inherit (pkgs) hello;\n  ',
  'deep = { bar = 1; baz = [ 1 2 ]; };\n  ',
  '# a note about it\n  ',
  '"quoted-name" = "s ${x} t";\n  ',
  'pkg = pkgs.callPackage ./pkgs/foo { };\n  ',
  'o = outputs.overlays.additions;\n  ',
  'age.secrets.k.file = ../../secrets/k.age;\n  ',
];

/**
 * The checks after one keystroke. A proven reading (a token edit, or a window that parsed cleanly: both need an
 * error-free text) must be a fresh parse's. On clean text, settling and lowering must give a fresh parse's facts and
 * AST. On broken text tree-sitter's own recovery depends on the parse history (an incremental parse may differ from
 * a fresh one, window or not; see syntax.test.ts), so there a settle only has to end the interim state.
 */
function check(open: OpenFile, truth: ParsedFile, label: string, settle: boolean, ast: boolean): 'proven' | 'clean' | 'broken' {
  const clean = truth.problems.length === 0;
  const proven = open.reparsePending && !open.factsInterim;
  if (proven) assert.equal(canonical(open.parsed.facts), canonical(truth.facts), `${label}: proven facts`);
  if (settle) {
    const settled = open.settle() ?? open.parsed;
    assert.equal(open.factsInterim, false, `${label}: still interim after settle`);
    if (clean) assert.equal(canonical(settled.facts), canonical(truth.facts), `${label}: settled facts`);
  }
  if (ast && clean) {
    assert.equal(JSON.stringify(open.parsed.ast), JSON.stringify(truth.ast), `${label}: ast`);
    assert.deepEqual(open.parsed.problems, [], `${label}: problems`);
  }
  return proven ? 'proven' : clean ? 'clean' : 'broken';
}

test('typing whole bindings at binding boundaries: window facts are exact, interim ones settle to a full parse', async () => {
  const p = await parser();
  let seed = 11;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 8) % n; };
  let windowed = 0;
  let interim = 0;
  let proven = 0;
  let full = 0;
  for (const f of nixFiles(FIXTURES).sort()) {
    const open = new OpenFile(p, readFileSync(f, 'utf8'), FACT_INTEREST);
    for (let session = 0; session < 2; session++) {
      // Binding starts: a name at the start of an indented line.
      const starts = [...open.parsed.text.matchAll(/\n( +)[A-Za-z_"]/g)].map((m) => m.index + 1 + m[1]!.length);
      if (starts.length === 0) break;
      const snippet = SNIPPETS[rand(SNIPPETS.length)]!;
      let at = starts[rand(starts.length)]!;
      for (const ch of snippet) {
        const after = open.applyEdits([{ span: { start: at, end: at }, text: ch }]);
        at++;
        if (open.reparsePending) windowed++; else full++;
        if (open.factsInterim) interim++;
        // A burst ends at random: the full parse replaces interim facts.
        const label = `${f} after ${JSON.stringify(after.text.slice(at - 20, at))}`;
        if (check(open, parseText(p, after.text, FACT_INTEREST), label, rand(3) === 0, rand(5) === 0) === 'proven') proven++;
      }
      // Each snippet is a whole binding: the file is as clean as it was, and a settle gives a fresh parse's facts.
      check(open, parseText(p, open.parsed.text, FACT_INTEREST), `${f} end of session`, true, true);
    }
    open.dispose();
  }
  assert.ok(windowed > 500 && interim > 200 && proven > 200 && full > 0, `${windowed} keystrokes read a window (${interim} interim, ${proven} proven), ${full} parsed the file`);
});

test('random keystrokes anywhere, deletions included, then undone: back on clean text, a fresh parse\'s facts and AST', async () => {
  const p = await parser();
  let seed = 5;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 8) % n; };
  const pieces = ['x', ' ', '\n', ';', '=', '{', '}', '[', ']', '"', './a.nix', 'imports', ' = ', '#', 'in', 'let ', '(', ')', "''"];
  const seen = { proven: 0, clean: 0, broken: 0 };
  for (const f of nixFiles(FIXTURES).sort().filter((_, i) => i % 3 === 0)) {
    const open = new OpenFile(p, readFileSync(f, 'utf8'), FACT_INTEREST);
    for (let session = 0; session < 4; session++) {
      // A few keystrokes, most of which break the file, then undo (as an editor sends it: the inverse edits).
      const undo: TextEdit[] = [];
      for (let i = 0, n = 1 + rand(5); i < n; i++) {
        const text = open.parsed.text;
        const at = rand(text.length + 1);
        const change = rand(4) === 0
          ? { span: { start: at, end: Math.min(text.length, at + 1 + rand(6)) }, text: '' }
          : { span: { start: at, end: at }, text: pieces[rand(pieces.length)]! };
        undo.push({ span: { start: at, end: at + change.text.length }, text: text.slice(change.span.start, change.span.end) });
        const after = open.applyEdits([change]);
        const settle = rand(4) === 0;
        seen[check(open, parseText(p, after.text, FACT_INTEREST), `${f} keystroke ${JSON.stringify(change)}`, settle, settle)]++;
      }
      for (const back of undo.reverse()) {
        const after = open.applyEdits([back]);
        seen[check(open, parseText(p, after.text, FACT_INTEREST), `${f} undo ${JSON.stringify(back)}`, rand(2) === 0, rand(2) === 0)]++;
      }
      check(open, parseText(p, open.parsed.text, FACT_INTEREST), `${f} undone`, true, true);
    }
    open.dispose();
  }
  assert.ok(seen.proven > 50 && seen.clean > 100, JSON.stringify(seen));
});

test('a new binding typed into a 2,000-binding set is read as a window on every keystroke, and its import is found', async () => {
  const p = await parser();
  const lines = ['{ config, lib, ... }:', '{', '  imports = [ ./a.nix ];'];
  for (let i = 0; i < 2000; i++) lines.push(`  services.big.item${i} = { enable = true; port = ${1000 + i}; };`);
  lines.push('}', '');
  const text = lines.join('\n');
  const open = new OpenFile(p, text, FACT_INTEREST);
  let at = text.indexOf('  services.big.item1000 ') + 2;
  const typed = 'extra = { imports = [ ./b.nix ]; };\n  ';
  for (const ch of typed) {
    open.applyEdits([{ span: { start: at, end: at }, text: ch }]);
    at++;
    assert.equal(open.reparsePending, true, `re-parsed the whole file after ${JSON.stringify(ch)}`);
  }
  assert.equal(open.factsInterim, false);
  assert.deepEqual(open.parsed.facts.paths.map((x) => x.text), ['./a.nix', './b.nix']);
  assert.equal(canonical(open.parsed.facts), canonical(parseText(p, open.parsed.text, FACT_INTEREST).facts));
  open.dispose();
});

test('an unclosed string or bracket is an interim reading until the full parse decides how far it runs', async () => {
  const p = await parser();
  const text = '{\n  a = 1;\n  b = ./b.nix;\n  c = 3;\n}\n';
  for (const typed of ['"', '{', '[', "''"]) {
    const open = new OpenFile(p, text, FACT_INTEREST);
    const at = text.indexOf('  a') + 2;
    const after = open.applyEdits([{ span: { start: at, end: at }, text: `x = ${typed}` }]);
    assert.equal(open.factsInterim, true, `${typed} was read as exact`);
    const settled = open.settle() ?? after;
    assert.equal(open.factsInterim, false);
    assert.equal(canonical(settled.facts), canonical(parseText(p, after.text, FACT_INTEREST).facts));
    open.dispose();
  }
});

test('the index settles an interim reading: a quote typed into a list of overlays swallows the reads after it', async () => {
  const p = await parser();
  const index = await fixtureIndex('fleet');
  const file = 'hosts/common/default.nix';
  const text = readFileSync(path.join(FIXTURES, 'fleet', file), 'utf8');
  index.open(file, text);
  const reads = () => index.snapshot().parsed(file)!.facts.selects.map((r) => r.attrs.join('.'));
  assert.ok(reads().includes('overlays.pinned-packages') && reads().includes('overlays.llm-agents'));
  const at = text.indexOf('outputs.overlays.pinned-packages');
  index.edit(file, [{ span: { start: at, end: at }, text: '"' }]);
  const truth = parseText(p, index.snapshot().parsed(file)!.text, FACT_INTEREST);
  assert.notEqual(canonical(index.snapshot().parsed(file)!.facts), canonical(truth.facts), 'the window reading was already the full parse\'s');
  assert.equal(index.settle(file), true);
  assert.equal(canonical(index.snapshot().parsed(file)!.facts), canonical(truth.facts));
  // The string now runs over the later overlays: the full parse no longer reads them as selects.
  assert.ok(!reads().includes('overlays.llm-agents'), reads().join(' '));
  const revision = index.snapshot().revision;
  assert.equal(index.settle(file), false, 'nothing left to settle');
  assert.equal(index.snapshot().revision, revision);
});
