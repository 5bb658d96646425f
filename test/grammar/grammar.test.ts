// Tests for the Nix TextMate grammar (syntaxes/nix.tmLanguage.json) and
// language-configuration.json.
//
// Run from the repository root (paths are resolved from process.cwd()):
//   npx esbuild test/grammar/grammar.test.ts --bundle --platform=node --format=cjs \
//     --outfile=out/test/grammar.test.js --packages=external && node --test out/test/grammar.test.js
//
// Snapshot tests tokenize every test/grammar/fixtures/*.nix file and compare the
// result with test/grammar/snapshots/<name>.snap. Set UPDATE_SNAPSHOTS=1 to
// rewrite the snapshots, then review the diff by eye: a snapshot is only worth
// something if the scopes in it are right.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const ROOT = process.cwd();
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'nix.tmLanguage.json');
const LANGUAGE_CONFIG_PATH = path.join(ROOT, 'language-configuration.json');
const FIXTURES_DIR = path.join(ROOT, 'test', 'grammar', 'fixtures');
const SNAPSHOTS_DIR = path.join(ROOT, 'test', 'grammar', 'snapshots');
const WASM_PATH = path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const ROOT_SCOPE = 'source.nix';

// ---------------------------------------------------------------- loading

let wasmLoaded: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  if (!wasmLoaded) {
    const bytes = fs.readFileSync(WASM_PATH);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    wasmLoaded = oniguruma.loadWASM(buffer);
  }
  return wasmLoaded;
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;
function loadGrammar(): Promise<vsctm.IGrammar> {
  if (!grammarPromise) {
    grammarPromise = (async () => {
      await loadOniguruma();
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
          createOnigString: (s: string) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName: string) => {
          if (scopeName !== ROOT_SCOPE) return null;
          return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
        },
      });
      const grammar = await registry.loadGrammar(ROOT_SCOPE);
      if (!grammar) throw new Error(`could not load ${ROOT_SCOPE} from ${GRAMMAR_PATH}`);
      return grammar;
    })();
  }
  return grammarPromise;
}

// ------------------------------------------------------------- tokenizing

interface Token {
  line: number; // 0-based
  text: string;
  scopes: string[];
}

async function tokenize(source: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const lines = source.split(/\r?\n/);
  const tokens: Token[] = [];
  // vscode-textmate reports grammar loops ("Grammar is in an endless loop")
  // through console.error and carries on; treat that as a failure.
  const errors: unknown[][] = [];
  const originalError = console.error;
  console.error = (...args: unknown[]) => void errors.push(args);
  try {
    let stack = vsctm.INITIAL;
    lines.forEach((lineText, line) => {
      const result = grammar.tokenizeLine(lineText, stack);
      for (const t of result.tokens) {
        const text = lineText.substring(t.startIndex, Math.min(t.endIndex, lineText.length));
        if (text.length > 0) tokens.push({ line, text, scopes: t.scopes });
      }
      stack = result.ruleStack;
    });
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(errors, [], 'vscode-textmate reported errors while tokenizing');
  return tokens;
}

function renderText(text: string): string {
  const shown = text.replace(/\t/g, '⇥');
  return /^\s|\s$/.test(text) ? `«${shown}»` : shown;
}

/**
 * Snapshot format: for each source line a header `@@ <n>: <source>`, then one
 * line per token: `<text><TAB><scopes>`. The root scope (source.nix) is left
 * out, and so are whitespace tokens that carry nothing but the root scope.
 * Text with leading/trailing whitespace is wrapped in «», and tabs are shown as ⇥.
 */
async function renderSnapshot(source: string): Promise<string> {
  const tokens = await tokenize(source);
  const lines = source.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  lines.forEach((lineText, n) => {
    out.push(`@@ ${n + 1}: ${lineText}`);
    for (const t of tokens) {
      if (t.line !== n) continue;
      const scopes = t.scopes.filter((s) => s !== ROOT_SCOPE);
      if (scopes.length === 0 && t.text.trim() === '') continue;
      out.push(`${renderText(t.text)}\t${scopes.join(' ')}`);
    }
  });
  return out.join('\n') + '\n';
}

// ------------------------------------------------------------ assertions

/** All tokens whose text is exactly `text`, in document order. */
function find(tokens: Token[], text: string): Token[] {
  return tokens.filter((t) => t.text === text);
}

function scopesOf(tokens: Token[], text: string, nth = 0): string[] {
  const hit = find(tokens, text)[nth];
  assert.ok(hit, `no token #${nth} with text ${JSON.stringify(text)}; tokens:\n${dump(tokens)}`);
  return hit.scopes;
}

function dump(tokens: Token[]): string {
  return tokens.map((t) => `  ${JSON.stringify(t.text)}  ${t.scopes.join(' ')}`).join('\n');
}

function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

function assertScope(tokens: Token[], text: string, prefix: string, nth = 0): void {
  const scopes = scopesOf(tokens, text, nth);
  assert.ok(
    hasScope(scopes, prefix),
    `${JSON.stringify(text)} (#${nth}) should have scope ${prefix}, has: ${scopes.join(' ')}`,
  );
}

function assertNoScope(tokens: Token[], text: string, prefix: string, nth = 0): void {
  const scopes = scopesOf(tokens, text, nth);
  assert.ok(
    !hasScope(scopes, prefix),
    `${JSON.stringify(text)} (#${nth}) should not have scope ${prefix}, has: ${scopes.join(' ')}`,
  );
}

/** The innermost (most specific) scope, which is what a theme colours by. */
function innermost(tokens: Token[], text: string, nth = 0): string {
  const scopes = scopesOf(tokens, text, nth);
  return scopes[scopes.length - 1] ?? '';
}

// ------------------------------------------------------------ grammar shape

test('grammar file is well-formed and every include resolves', () => {
  const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8')) as {
    scopeName: string;
    repository: Record<string, unknown>;
    patterns: unknown[];
  };
  assert.equal(raw.scopeName, 'source.nix');
  const missing: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'include' && typeof value === 'string' && value.startsWith('#')) {
        if (!(value.slice(1) in raw.repository)) missing.push(value);
      } else {
        visit(value);
      }
    }
  };
  visit(raw);
  assert.deepEqual(missing, [], 'includes without a repository entry');
});

test('every regex in the grammar compiles with oniguruma', async () => {
  await loadOniguruma();
  const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8')) as unknown;
  const bad: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if ((key === 'match' || key === 'begin' || key === 'end') && typeof value === 'string') {
        try {
          const scanner = new oniguruma.OnigScanner([value]);
          scanner.dispose();
        } catch (e) {
          bad.push(`${key}: ${value} (${String(e)})`);
        }
      } else {
        visit(value);
      }
    }
  };
  visit(raw);
  assert.deepEqual(bad, []);
});

// ---------------------------------------------------------------- snapshots

const fixtures = fs.existsSync(FIXTURES_DIR)
  ? fs.readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.nix')).sort()
  : [];

test('there are grammar fixtures', () => {
  assert.ok(fixtures.length > 0, `no *.nix fixtures in ${FIXTURES_DIR}`);
});

for (const fixture of fixtures) {
  test(`snapshot: ${fixture}`, async () => {
    const source = fs.readFileSync(path.join(FIXTURES_DIR, fixture), 'utf8');
    const actual = await renderSnapshot(source);
    const snapPath = path.join(SNAPSHOTS_DIR, fixture.replace(/\.nix$/, '.snap'));
    if (UPDATE) {
      fs.mkdirSync(SNAPSHOTS_DIR, { recursive: true });
      fs.writeFileSync(snapPath, actual);
      return;
    }
    assert.ok(
      fs.existsSync(snapPath),
      `missing snapshot ${path.relative(ROOT, snapPath)}; run with UPDATE_SNAPSHOTS=1 and review it`,
    );
    const expected = fs.readFileSync(snapPath, 'utf8').replace(/\r\n/g, '\n');
    assert.equal(actual, expected, `tokens of ${fixture} differ from ${path.relative(ROOT, snapPath)}`);
  });
}

// -------------------------------------------------------- explicit key cases

test('path with ${x} is a path containing an interpolation', async () => {
  const tokens = await tokenize('import ./hosts/${name}/default.nix { }');
  assertScope(tokens, './hosts/', 'string.unquoted.path');
  assertScope(tokens, '${', 'punctuation.section.embedded.begin');
  assertScope(tokens, '${', 'string.unquoted.path');
  assertScope(tokens, 'name', 'meta.embedded.interpolation');
  assertScope(tokens, 'name', 'variable.other');
  assertScope(tokens, '}', 'punctuation.section.embedded.end');
  assertScope(tokens, '/default.nix', 'string.unquoted.path');
  assertNoScope(tokens, '/default.nix', 'meta.embedded');
  assertScope(tokens, 'import', 'support.function.builtin');
});

test("''${ inside an indented string is an escape, not an interpolation", async () => {
  const tokens = await tokenize("''\n  a ''${b} c ${d}\n''");
  assert.equal(innermost(tokens, "''$"), 'constant.character.escape.nix');
  assert.ok(!tokens.some((t) => t.text === 'b' && hasScope(t.scopes, 'meta.embedded')), 'b must not be interpolated');
  assertScope(tokens, 'd', 'meta.embedded.interpolation');
  assertScope(tokens, 'd', 'string.quoted.other.indented');
});

test("''' and ''\\n are escapes and do not close the indented string", async () => {
  const tokens = await tokenize("{ x = ''\n  it'''s ''\\n done\n''; }");
  assert.equal(innermost(tokens, "'''"), 'constant.character.escape.nix');
  assert.equal(innermost(tokens, "''\\n"), 'constant.character.escape.nix');
  assertScope(tokens, ' done', 'string.quoted.other.indented');
  assertScope(tokens, "''", 'punctuation.definition.string.end', 1);
  assertScope(tokens, ';', 'punctuation.terminator.binding');
});

test('"\\${" inside a double-quoted string is an escape', async () => {
  const tokens = await tokenize('"a \\${b} c"');
  assert.equal(innermost(tokens, '\\$'), 'constant.character.escape.nix');
  assert.ok(!tokens.some((t) => hasScope(t.scopes, 'meta.embedded')), 'nothing may be interpolated');
  assertScope(tokens, '"', 'punctuation.definition.string.end', 1);
});

test('$${ is literal in both string kinds', async () => {
  for (const src of ['"$${HOME}"', "''$${HOME}''"]) {
    const tokens = await tokenize(src);
    assert.ok(!tokens.some((t) => hasScope(t.scopes, 'meta.embedded')), `${src} must not interpolate`);
  }
});

test('nested interpolations balance their braces', async () => {
  const tokens = await tokenize('{ x = "a ${ f { b = "${c}"; } } d"; y = 1; }');
  assertScope(tokens, 'c', 'meta.embedded.interpolation');
  assertScope(tokens, ' d', 'string.quoted.double');
  assertNoScope(tokens, ' d', 'meta.embedded');
  assert.equal(innermost(tokens, 'y'), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, '1'), 'constant.numeric.integer.nix');
});

test('attribute names in bindings are scoped differently from values', async () => {
  const tokens = await tokenize('{ foo.bar."baz" = lib.mkDefault foo.bar; }');
  assert.equal(innermost(tokens, 'foo', 0), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'bar', 0), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'baz'), 'entity.other.attribute-name.nix');
  assertScope(tokens, 'baz', 'string.quoted.double');
  assert.equal(innermost(tokens, '=', 0), 'keyword.operator.assignment.nix');
  assert.equal(innermost(tokens, 'lib'), 'variable.other.nix');
  assert.equal(innermost(tokens, 'mkDefault'), 'variable.other.property.nix');
  assert.equal(innermost(tokens, 'foo', 1), 'variable.other.nix');
  assert.equal(innermost(tokens, 'bar', 1), 'variable.other.property.nix');
});

test('let bindings and inherit names are attribute names', async () => {
  const tokens = await tokenize('let a = 1; inherit (lib) mkIf types; in a');
  assert.equal(innermost(tokens, 'let'), 'keyword.other.let.nix');
  assert.equal(innermost(tokens, 'a', 0), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'inherit'), 'keyword.other.inherit.nix');
  assert.equal(innermost(tokens, 'lib'), 'variable.other.nix');
  assert.equal(innermost(tokens, 'mkIf'), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'types'), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'in'), 'keyword.other.in.nix');
  assert.equal(innermost(tokens, 'a', 1), 'variable.other.nix');
});

test('or is a keyword after a select, and a plain name elsewhere', async () => {
  const tokens = await tokenize('{ x = a.b or c; or = 1; y = a.or; }');
  assert.equal(innermost(tokens, 'or', 0), 'keyword.other.or.nix');
  assert.equal(innermost(tokens, 'or', 1), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'or', 2), 'variable.other.property.nix');
});

test('a.${b}.c selects through an interpolation', async () => {
  const tokens = await tokenize('a.${b}.c');
  assert.equal(innermost(tokens, 'a'), 'variable.other.nix');
  assert.equal(innermost(tokens, '.', 0), 'punctuation.accessor.nix');
  assertScope(tokens, 'b', 'meta.embedded.interpolation');
  assert.equal(innermost(tokens, 'c'), 'variable.other.property.nix');
});

test('a # inside a string is not a comment', async () => {
  const tokens = await tokenize('{ a = "x # y"; b = \'\'# z\'\'; } # real');
  assert.ok(!tokens.some((t) => t.text.includes('y') && hasScope(t.scopes, 'comment')));
  assert.ok(!tokens.some((t) => t.text.includes('z') && hasScope(t.scopes, 'comment')));
  assertScope(tokens, ' real', 'comment.line.number-sign');
});

test('comments: line, block and doc', async () => {
  const tokens = await tokenize('/* a */ x /** doc */ # tail');
  assertScope(tokens, ' a ', 'comment.block');
  assertScope(tokens, ' doc ', 'comment.block.documentation');
  assertScope(tokens, '#', 'punctuation.definition.comment');
  assert.equal(innermost(tokens, 'x'), 'variable.other.nix');
});

test('function formals and lambda parameters', async () => {
  const tokens = await tokenize('{ lib, pkgs ? import <nixpkgs> { }, ... }@args: x: y: lib.id x');
  for (const name of ['lib', 'pkgs', 'args', 'x', 'y']) {
    assert.equal(innermost(tokens, name, 0), 'variable.parameter.nix', name);
  }
  assert.equal(innermost(tokens, '?'), 'keyword.operator.default.nix');
  assert.equal(innermost(tokens, '...'), 'keyword.operator.ellipsis.nix');
  assert.equal(innermost(tokens, '@'), 'keyword.operator.at.nix');
  assertScope(tokens, 'nixpkgs', 'string.unquoted.path.lookup');
  assert.equal(innermost(tokens, 'lib', 1), 'variable.other.nix');
  assert.equal(innermost(tokens, 'x', 1), 'variable.other.nix');
});

test('multi-line formals (nixfmt and leading-comma styles)', async () => {
  const nixfmt = await tokenize('{\n  config,\n  lib,\n  ...\n}:\n{ }');
  assert.equal(innermost(nixfmt, 'config'), 'variable.parameter.nix');
  assert.equal(innermost(nixfmt, 'lib'), 'variable.parameter.nix');
  const leading = await tokenize('{ stdenv\n, fetchurl\n}:\nstdenv');
  assert.equal(innermost(leading, 'stdenv', 0), 'variable.parameter.nix');
  assert.equal(innermost(leading, 'fetchurl'), 'variable.parameter.nix');
  assert.equal(innermost(leading, 'stdenv', 1), 'variable.other.nix');
});

test('URIs are not paths, and x:x is a URI while x: x is a lambda', async () => {
  const tokens = await tokenize('[ https://x.org/a ./b x:x (x: x) ]');
  assert.equal(innermost(tokens, 'https://x.org/a'), 'string.unquoted.uri.nix');
  assertScope(tokens, './b', 'string.unquoted.path');
  assert.equal(innermost(tokens, 'x:x'), 'string.unquoted.uri.nix');
  assert.equal(innermost(tokens, 'x', 0), 'variable.parameter.nix');
});

test('paths of every kind', async () => {
  const tokens = await tokenize('[ ../b /abs/p ~/x a/b <nixpkgs/lib> ./. ]');
  for (const p of ['../b', '/abs/p', '~/x', 'a/b', './.']) assertScope(tokens, p, 'string.unquoted.path');
  assertScope(tokens, 'nixpkgs/lib', 'string.unquoted.path.lookup');
  assertScope(tokens, '<', 'punctuation.definition.string.begin');
});

test('division and update are operators, not paths', async () => {
  const tokens = await tokenize('a / b // c');
  assert.equal(innermost(tokens, '/'), 'keyword.operator.arithmetic.nix');
  assert.equal(innermost(tokens, '//'), 'keyword.operator.update.nix');
  assert.equal(innermost(tokens, 'c'), 'variable.other.nix');
});

test('numbers, constants, keywords and builtins', async () => {
  const tokens = await tokenize(
    'if true then -1 else rec { a = 2.5; b = null; c = builtins.map toString [ ]; d = map; e = with lib; x; }',
  );
  assert.equal(innermost(tokens, 'if'), 'keyword.control.conditional.nix');
  assert.equal(innermost(tokens, 'true'), 'constant.language.boolean.nix');
  assert.equal(innermost(tokens, '-'), 'keyword.operator.arithmetic.nix');
  assert.equal(innermost(tokens, '1'), 'constant.numeric.integer.nix');
  assert.equal(innermost(tokens, 'rec'), 'keyword.other.rec.nix');
  assert.equal(innermost(tokens, '2.5'), 'constant.numeric.float.nix');
  assert.equal(innermost(tokens, 'null'), 'constant.language.null.nix');
  assert.equal(innermost(tokens, 'builtins'), 'support.constant.builtins.nix');
  assert.equal(innermost(tokens, 'map', 0), 'support.function.builtin.nix');
  assert.equal(innermost(tokens, 'toString'), 'support.function.builtin.nix');
  assert.equal(innermost(tokens, 'map', 1), 'support.function.builtin.nix');
  assert.equal(innermost(tokens, 'with'), 'keyword.other.with.nix');
  // `with lib;` must not end the binding `e = ...;` early.
  assert.equal(innermost(tokens, 'x'), 'variable.other.nix');
  assert.equal(innermost(tokens, ';', 5), 'punctuation.terminator.binding.nix');
});

test('operators', async () => {
  const src = 'a ++ b // c -> d == e != f && g || !h ? i < j > k <= l >= m + n - o * p / q |> r <| s';
  const tokens = await tokenize(src);
  const expected: Record<string, string> = {
    '++': 'keyword.operator.concat.nix',
    '//': 'keyword.operator.update.nix',
    '->': 'keyword.operator.logical.nix',
    '==': 'keyword.operator.comparison.nix',
    '!=': 'keyword.operator.comparison.nix',
    '&&': 'keyword.operator.logical.nix',
    '||': 'keyword.operator.logical.nix',
    '!': 'keyword.operator.logical.nix',
    '?': 'keyword.operator.has-attr.nix',
    '<': 'keyword.operator.relational.nix',
    '>': 'keyword.operator.relational.nix',
    '<=': 'keyword.operator.relational.nix',
    '>=': 'keyword.operator.relational.nix',
    '+': 'keyword.operator.arithmetic.nix',
    '-': 'keyword.operator.arithmetic.nix',
    '*': 'keyword.operator.arithmetic.nix',
    '/': 'keyword.operator.arithmetic.nix',
    '|>': 'keyword.operator.pipe.nix',
    '<|': 'keyword.operator.pipe.nix',
  };
  for (const [op, scope] of Object.entries(expected)) assert.equal(innermost(tokens, op), scope, op);
});

test('identifiers may contain - and \'', async () => {
  const tokens = await tokenize("let foo-bar' = x; in' = 1; in foo-bar' in'");
  assert.equal(innermost(tokens, "foo-bar'", 0), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, "in'", 0), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, 'in'), 'keyword.other.in.nix');
  assert.equal(innermost(tokens, "foo-bar'", 1), 'variable.other.nix');
  assert.equal(innermost(tokens, "in'", 1), 'variable.other.nix');
});

// ---------------------------------------------------- language configuration

test('language-configuration.json is valid and its regexes work', () => {
  const config = JSON.parse(fs.readFileSync(LANGUAGE_CONFIG_PATH, 'utf8')) as {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
    surroundingPairs: [string, string][];
    wordPattern: string;
    folding?: { markers?: { start: string; end: string } };
    onEnterRules?: { beforeText: string }[];
  };
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
  assert.deepEqual(config.brackets, [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ]);
  const opens = config.autoClosingPairs.map((p) => p.open);
  for (const open of ['{', '[', '(', '"', "''"]) assert.ok(opens.includes(open), `autoClosingPairs lacks ${open}`);

  const word = new RegExp(config.wordPattern, 'g');
  const words = "foo-bar' = x'' + lib.mkIf 12 (a_b)".match(word);
  assert.deepEqual(words, ["foo-bar'", "x''", 'lib', 'mkIf', '12', 'a_b']);

  if (config.folding?.markers) {
    assert.ok(new RegExp(config.folding.markers.start).test('  # region hosts'));
    assert.ok(new RegExp(config.folding.markers.end).test('  # endregion'));
  }
  for (const rule of config.onEnterRules ?? []) new RegExp(rule.beforeText);
});

test('has-attr names and the obsolete let { } form', async () => {
  const tokens = await tokenize('(a ? b.c) (let { body = 1; })');
  assert.equal(innermost(tokens, '?'), 'keyword.operator.has-attr.nix');
  assert.equal(innermost(tokens, 'b'), 'variable.other.property.nix');
  assert.equal(innermost(tokens, 'c'), 'variable.other.property.nix');
  assert.equal(innermost(tokens, 'let'), 'keyword.other.let.nix');
  assert.equal(innermost(tokens, 'body'), 'entity.other.attribute-name.nix');
  assert.equal(innermost(tokens, ')', 1), 'punctuation.section.parens.end.nix');
});
