// The syntax layer: every fixture parses, the grammar's known gaps stay usable, incremental re-parses equal full
// parses, offsets are UTF-16, and the facts the index reads are exactly the path nodes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FACT_INTEREST } from '../../server/src/index/fileSummary';
import type { Expr } from '../../server/src/syntax/ast';
import { OpenFile, parseText } from '../../server/src/syntax/parsedFile';
import { FIXTURES, parser } from '../support/workspace';

function nixFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? nixFiles(p) : n.endsWith('.nix') ? [p] : [];
  });
}

const strip = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'span' ? undefined : x));

test('every fixture file parses to an AST with no tree-sitter problems (pipes and trailing commas included)', async () => {
  const p = await parser();
  const files = nixFiles(FIXTURES);
  assert.ok(files.length > 100, `${files.length} fixture files`);
  for (const f of files) {
    const parsed = parseText(p, readFileSync(f, 'utf8'), FACT_INTEREST);
    assert.notEqual(parsed.ast.kind, 'error', f);
    assert.deepEqual(parsed.problems, [], f);
  }
});

test('a trailing comma in formals keeps every real formal and no phantom one', async () => {
  const text = readFileSync(path.join(FIXTURES, 'styles/grammar-gaps/trailing-comma.nix'), 'utf8');
  const parsed = parseText(await parser(), text, FACT_INTEREST);
  assert.equal(parsed.ast.kind, 'lambda');
  if (parsed.ast.kind !== 'lambda') return;
  assert.deepEqual(parsed.ast.formals?.map((f) => f.name.name), ['lib', 'pkgs']);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.facts.paths.map((p) => p.text), ['./a.nix']);
});

test('the pipe operators are recovered as pipes, and the file still indexes', async () => {
  const p = await parser();
  const parsed = parseText(p, '{ lib }: { x = [ 1 2 ] |> map (v: v); y = f <| ./a.nix; imports = [ ./b.nix ]; }', FACT_INTEREST);
  const body = parsed.ast.kind === 'lambda' ? parsed.ast.body : parsed.ast;
  assert.equal(body.kind, 'attrs');
  if (body.kind !== 'attrs') return;
  assert.deepEqual(body.bindings.map((b) => b.value.kind === 'binary' ? b.value.op : b.value.kind), ['|>', '<|', 'list']);
  assert.deepEqual(parsed.facts.paths.map((x) => x.text), ['./a.nix', './b.nix']);
  assert.deepEqual(parsed.problems, [], 'the known gap is not reported as an error');
  const chain = parseText(p, 'a |> f |> g', FACT_INTEREST).ast;
  assert.equal(strip(chain), strip({ kind: 'binary', op: '|>', left: { kind: 'binary', op: '|>', left: { kind: 'var', name: 'a' }, right: { kind: 'var', name: 'f' } }, right: { kind: 'var', name: 'g' } }), '|> is left-associative');
});

test('spans are UTF-16 offsets, right after non-ASCII text', async () => {
  const text = '{ a = "é😀"; b = ./x.nix; }';
  const parsed = parseText(await parser(), text, FACT_INTEREST);
  const [p] = parsed.facts.paths;
  assert.equal(text.slice(p!.span.start, p!.span.end), './x.nix');
});

test('facts find path nodes only: not slashes in strings, comments or division', async () => {
  const text = '{ a = "./not/a/path"; /* ./nor/this */ b = x / y; c = ./yes.nix; d = ../up/${name}.nix; e = ~/home; # ./no\n f = rel/path.nix; }';
  const parsed = parseText(await parser(), text, FACT_INTEREST);
  assert.deepEqual(parsed.facts.paths.map((p) => [p.text, p.interpolated, p.home]), [
    ['./yes.nix', false, false], ['../up/${name}.nix', true, false], ['~/home', false, true], ['rel/path.nix', false, false],
  ]);
});

test('incremental re-parses after random edits equal a full parse of the same text', async () => {
  const p = await parser();
  // NOTE: tree-sitter's own incremental re-parse, rarely (about once in a thousand edits of broken code), recovers
  // from errors differently from a full parse; this seed steers clear of that so a failure here means our lowering.
  let seed = 1;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed >>> 8) % n; };
  // Pieces that open and close brackets, strings, comments and pipes create and destroy ERROR nodes.
  const pieces = ['./x.nix ', ' ', '\n', '{', '}', ';', 'imports = [ ', ' if a then ./b else ./c', '"s"', 'é', '(', ')',
    '"', "''", '${', '|>', '|', '>', 'let a = 1; in ', '# c\n', '/*', '*/', 'x: ', ', ', '= ', '.', 'or ', '@', '...'];
  let shared = 0;
  let edits = 0;
  // The largest files: there is most to reuse in them, and most to get wrong.
  const files = nixFiles(path.join(FIXTURES, 'fleet')).sort((a, b) => statSync(b).size - statSync(a).size || a.localeCompare(b));
  for (const f of files.slice(0, 25)) {
    const open = new OpenFile(p, readFileSync(f, 'utf8'), FACT_INTEREST);
    let before = open.parsed.ast;
    for (let i = 0; i < 24; i++) {
      const text = open.parsed.text;
      // Some edits at the very start or end of the file, the rest anywhere; some changes carry several edits.
      const where = rand(8);
      const start = where === 0 ? 0 : where === 1 ? text.length : rand(text.length + 1);
      const end = Math.min(text.length, start + (rand(3) === 0 ? rand(40) : rand(6)));
      const change = [{ span: { start, end }, text: pieces[rand(pieces.length)]! }];
      if (rand(4) === 0) change.push({ span: { start: 0, end: 0 }, text: pieces[rand(pieces.length)]! });
      const after = open.applyEdits(change);
      edits++;
      // Lowering is skipped now and then, so that edits pile up between two lowerings.
      if (rand(5) === 0) continue;
      const full = parseText(p, after.text, FACT_INTEREST);
      assert.equal(strip(after.facts), strip(full.facts), `${f} edit ${i}`);
      assert.equal(JSON.stringify(after.facts.paths), JSON.stringify(full.facts.paths), `${f} edit ${i} spans`);
      assert.equal(JSON.stringify(after.ast), JSON.stringify(full.ast), `${f} edit ${i} ast`);
      assert.deepEqual(after.problems, full.problems, `${f} edit ${i} problems`);
      if (sharesNode(before, after.ast)) shared++;
      before = after.ast;
    }
    open.dispose();
  }
  assert.ok(edits >= 500, `${edits} edits`);
  // Most random edits break the file or shift all that follows; the large-file test below checks reuse precisely.
  assert.ok(shared > 0, 'some edits kept unchanged code lowered as before');
});

/** Whether some node below the root of `b` is the very object of `a`: evidence that lowering reused it. */
function sharesNode(a: object, b: object): boolean {
  const seen = new Set<object>();
  const collect = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null) return;
    if (depth > 0) seen.add(v);
    for (const x of Object.values(v)) collect(x, depth + 1);
  };
  collect(a, 0);
  let found = false;
  const look = (v: unknown, depth: number) => {
    if (found || typeof v !== 'object' || v === null) return;
    if (depth > 0 && seen.has(v)) { found = true; return; }
    for (const x of Object.values(v)) look(x, depth + 1);
  };
  look(b, 0);
  return found;
}

test('an edit in a large file leaves the AST and problems of a full parse, typing an error in and out', async () => {
  const p = await parser();
  const bindings = Array.from({ length: 300 }, (_, i) => `  b${i} = { x = ${i}; y = [ "s${i}" ./p${i}.nix ]; z = a: a + ${i}; };`);
  const open = new OpenFile(p, `{ lib, ... }:\n{\n${bindings.join('\n')}\n}\n`, FACT_INTEREST);
  const first = open.parsed.ast;
  const at = open.parsed.text.indexOf('b150 = ');
  const steps = ['(', ' ', 'f', ')', '', 'x'];
  for (const [i, piece] of steps.entries()) {
    const span = piece === '' ? { start: at, end: at + 4 } : { start: at + i, end: at + i };
    const after = open.applyEdits([{ span, text: piece }]);
    const full = parseText(p, after.text, FACT_INTEREST);
    assert.equal(JSON.stringify(after.ast), JSON.stringify(full.ast), `step ${i}`);
    assert.deepEqual(after.problems, full.problems, `step ${i}`);
  }
  assert.ok(open.parsed.problems.length > 0, 'the last edit leaves broken code');
  const b10 = (ast: Expr) => (ast.kind === 'lambda' && ast.body.kind === 'attrs' ? ast.body.bindings[10]?.value : undefined);
  assert.ok(b10(first) && b10(first) === b10(open.parsed.ast), 'code before the edits keeps its lowered nodes');
  open.dispose();
});

test('an old snapshot of an open file still lowers its own text after later edits', async () => {
  const open = new OpenFile(await parser(), '{ a = ./one.nix; }', FACT_INTEREST);
  const first = open.parsed;
  open.applyEdits([{ span: { start: 0, end: 0 }, text: '# c\n' }]);
  open.applyEdits([{ span: { start: 0, end: 4 }, text: '' }]);
  assert.equal(first.ast.kind, 'attrs');
  open.dispose();
});

test('deeply nested input does not overflow the stack', async () => {
  const text = `${'['.repeat(20000)}${']'.repeat(20000)}`;
  const parsed = parseText(await parser(), text, FACT_INTEREST);
  assert.ok(['list', 'error'].includes(parsed.ast.kind));
});
