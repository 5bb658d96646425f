// The syntax layer: every fixture parses, the grammar's known gaps stay usable, incremental re-parses equal full
// parses, offsets are UTF-16, and the facts the index reads are exactly the path nodes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FACT_INTEREST } from '../../server/src/index/fileSummary';
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
  let seed = 42;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pieces = ['./x.nix ', ' ', '\n', '{', '}', ';', 'imports = [ ', ' if a then ./b else ./c', '"s"', 'é'];
  for (const f of nixFiles(path.join(FIXTURES, 'fleet')).slice(0, 25)) {
    const open = new OpenFile(p, readFileSync(f, 'utf8'), FACT_INTEREST);
    for (let i = 0; i < 8; i++) {
      const text = open.parsed.text;
      const start = rand(text.length + 1);
      const end = Math.min(text.length, start + rand(6));
      const after = open.applyEdits([{ span: { start, end }, text: pieces[rand(pieces.length)]! }]);
      const full = parseText(p, after.text, FACT_INTEREST);
      assert.equal(strip(after.facts), strip(full.facts), `${f} edit ${i}`);
      assert.equal(JSON.stringify(after.facts.paths), JSON.stringify(full.facts.paths), `${f} edit ${i} spans`);
      assert.equal(strip(after.ast), strip(full.ast), `${f} edit ${i} ast`);
    }
    open.dispose();
  }
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
