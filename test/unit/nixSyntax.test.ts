// Unit tests for checkNixSyntax and syntaxFinding against the real nix-instantiate: exact positions, ranges, failures.
//
// Run from the repository root:
//   npx esbuild test/unit/nixSyntax.test.ts --bundle --platform=node --format=cjs --outfile=out/test/nixSyntax.test.js \
//     --alias:web-tree-sitter=./node_modules/web-tree-sitter/tree-sitter.cjs && node --test out/test/nixSyntax.test.js
// Cases that need Nix skip when nix-instantiate is not on PATH; the failure-mode cases use fake binaries and always run.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../server/src/base/finding';
import { checkNixSyntax, parseNixError, type NixSyntaxResult } from '../../server/src/tools/nixSyntax';
import { nixPositionToOffset, syntaxFinding } from '../../server/src/tools/syntaxFinding';

const nixAvailable = (() => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'nix-instantiate'))) return true;
  }
  return false;
})();
const needsNix = nixAvailable ? {} : { skip: 'nix-instantiate is not installed' };

async function check(text: string): Promise<{ result: NixSyntaxResult; finding: Finding | null }> {
  const result = await checkNixSyntax(text);
  return { result, finding: syntaxFinding(result, text, 'test.nix') };
}

/** The range as [startLine, startChar, endLine, endChar], 0-based, to keep expectations on one line. */
function span(f: Finding | null): number[] {
  assert.ok(f, 'expected a finding');
  return [f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character];
}

const fakeDirs: string[] = [];
after(() => { for (const d of fakeDirs) fs.rmSync(d, { recursive: true, force: true }); });

function fakeBinary(name: string, script: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-fake-nix-'));
  fakeDirs.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

test('valid Nix is ok and yields no finding', needsNix, async () => {
  const { result, finding } = await check('{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.git ];\n}\n');
  assert.deepEqual(result, { status: 'ok' });
  assert.equal(finding, null);
});

test('missing semicolon: nix reads `1\\n  b` as an application and stops at the `=`', needsNix, async () => {
  const { result, finding } = await check('{\n  a = 1\n  b = 2;\n}\n');
  assert.deepEqual(result, { status: 'error', message: "syntax error, unexpected '=', expecting ';'", line: 3, column: 5 });
  assert.deepEqual(span(finding), [2, 4, 2, 5]);
  assert.equal(finding?.message, "syntax error, unexpected '=', expecting ';'");
  assert.equal(finding?.source, 'nix');
  assert.equal(finding?.code, 'syntax');
  assert.equal(finding?.severity, 'error');
  assert.equal(finding?.file, 'test.nix');
});

test('missing semicolon before `in`', needsNix, async () => {
  const { result, finding } = await check('let\n  a = 1\nin a\n');
  assert.deepEqual(result, { status: 'error', message: "syntax error, unexpected IN, expecting ';'", line: 3, column: 1 });
  assert.deepEqual(span(finding), [2, 0, 2, 2]);
});

test('unterminated string: end of file, placed where nix puts it (start of the last lexeme), zero width', needsNix, async () => {
  const text = '{\n  name = "hello;\n  b = 2;\n}\n';
  const { result, finding } = await check(text);
  assert.deepEqual(result, {
    status: 'error', message: `syntax error, unexpected end of file, expecting '"'`, line: 2, column: 11,
  });
  assert.deepEqual(span(finding), [1, 10, 1, 10]);
});

test('unexpected end of file after the last token, not at the trailing blank lines', needsNix, async () => {
  const { result, finding } = await check('{\n  a = 1;\n  b = 2;\n\n\n');
  assert.deepEqual(result, { status: 'error', message: 'syntax error, unexpected end of file', line: 3, column: 9 });
  assert.deepEqual(span(finding), [2, 8, 2, 8]);
});

test('empty buffer: end of file at 1:1', needsNix, async () => {
  const { result, finding } = await check('');
  assert.deepEqual(result, { status: 'error', message: 'syntax error, unexpected end of file', line: 1, column: 1 });
  assert.deepEqual(span(finding), [0, 0, 0, 0]);
});

test('stray closing brace', needsNix, async () => {
  const { result, finding } = await check('{ lib, ... }:\n{\n  x = lib.mkIf true { };\n}}\n');
  assert.deepEqual(result, {
    status: 'error', message: "syntax error, unexpected '}', expecting end of file", line: 4, column: 2,
  });
  assert.deepEqual(span(finding), [3, 1, 3, 2]);
});

test('trailing comma in formals is valid Nix', needsNix, async () => {
  const { result } = await check('{ lib, pkgs, }: lib');
  assert.deepEqual(result, { status: 'ok' });
});

test('pipe operator: nix is the authority (2.8 rejects `|>` as an invalid token)', needsNix, async () => {
  const { result, finding } = await check('x: x |> f');
  assert.equal(result.status, 'error');
  if (result.status !== 'error') return;
  // Newer Nix with the pipe-operators feature enabled may accept it or name the feature; both come from Nix.
  assert.match(result.message, /invalid token|pipe/);
  assert.equal(result.line, 1);
  assert.equal(result.column, 6);
  assert.deepEqual(span(finding), [0, 5, 0, 7]);
});

test('non-ASCII before the error: nix counts bytes, the finding counts UTF-16 units', needsNix, async () => {
  // ü, n, ï are 5 bytes and 3 units; 😀 is 4 bytes and 2 units.
  const text = '{ s = "ünï😀"; t = 1 }';
  const { result, finding } = await check(text);
  assert.equal(result.status, 'error');
  if (result.status !== 'error') return;
  assert.equal(result.column, 26);
  assert.equal(text[21], '}');
  assert.deepEqual(span(finding), [0, 21, 0, 22]);
});

test('non-ASCII identifier is an invalid token ranged over the one character', needsNix, async () => {
  const { result, finding } = await check('# é ü\n{ é = 1; }\n');
  assert.deepEqual(result, { status: 'error', message: 'syntax error, unexpected invalid token', line: 2, column: 3 });
  assert.deepEqual(span(finding), [1, 2, 1, 3]);
});

test('CRLF line endings', needsNix, async () => {
  const { result, finding } = await check('{\r\n  a = 1\r\n}\r\n');
  assert.deepEqual(result, { status: 'error', message: "syntax error, unexpected '}', expecting ';'", line: 3, column: 1 });
  assert.deepEqual(span(finding), [2, 0, 2, 1]);
});

test('parse-time errors that are not syntax errors keep their own codes', needsNix, async () => {
  const undef = await check('{ lib }: lib.foo ++ barBaz');
  assert.deepEqual(undef.result, { status: 'error', message: "undefined variable 'barBaz'", line: 1, column: 21 });
  assert.equal(undef.finding?.code, 'undefined-variable');
  assert.deepEqual(span(undef.finding), [0, 20, 0, 26]);

  const dup = await check('{\n  a = 1;\n  a = 2;\n}');
  assert.equal(dup.finding?.code, 'parse');
  assert.equal(dup.finding?.message, "attribute 'a' already defined at line 2, column 3");
  assert.deepEqual(span(dup.finding), [2, 2, 2, 3]);

  const slash = await check('{ src = ./foo/; }');
  assert.equal(slash.finding?.message, 'path has a trailing slash');
  assert.deepEqual(span(slash.finding), [0, 8, 0, 14]);
});

test('search paths and relative paths are parsed without lookups', needsNix, async () => {
  const { result } = await check('{ a = <nixpkgs-that-does-not-exist>; b = ./missing/file.nix; c = ~/x; }');
  assert.deepEqual(result, { status: 'ok' });
});

test('missing binary is unavailable', async () => {
  const result = await checkNixSyntax('1', { nixInstantiate: path.join(os.tmpdir(), 'no-such-dir', 'nix-instantiate') });
  assert.equal(result.status, 'unavailable');
  if (result.status === 'unavailable') assert.match(result.reason, /not found/);
});

test('a hanging nix-instantiate times out', async () => {
  // `exec` so that sleep is the killed process itself: a forked grandchild would hold the pipes open after the kill.
  const bin = fakeBinary('nix-instantiate', 'exec sleep 10');
  const started = Date.now();
  const result = await checkNixSyntax('1', { nixInstantiate: bin, timeoutMs: 300 });
  assert.equal(result.status, 'unavailable');
  if (result.status === 'unavailable') assert.match(result.reason, /timed out/);
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
});

test('cancellation is unavailable, not an error', async () => {
  const bin = fakeBinary('nix-instantiate', 'exec sleep 10');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const result = await checkNixSyntax('1', { nixInstantiate: bin, signal: controller.signal });
  assert.deepEqual(result, { status: 'unavailable', reason: 'cancelled' });
});

test('unexpected output is unavailable, never a finding', async () => {
  const bin = fakeBinary('nix-instantiate', 'echo "Segmentation fault" >&2; exit 139');
  const result = await checkNixSyntax('1', { nixInstantiate: bin });
  assert.equal(result.status, 'unavailable');
  if (result.status === 'unavailable') assert.match(result.reason, /unexpected output.*Segmentation fault/);
  assert.equal(syntaxFinding(result, '1', 'x.nix'), null);
});

test('a Nix without the dummy store is retried without --store', async () => {
  // Stands in for Nix < 2.4: rejects `--store dummy://`, then answers in the old one-line format.
  const bin = fakeBinary('nix-instantiate', [
    'if [ "$1" = "--store" ]; then echo "error: don\'t know how to open Nix store \'dummy://\'" >&2; exit 1; fi',
    'echo "error: syntax error, unexpected \'}\', expecting \';\', at (string):1:9" >&2; exit 1',
  ].join('\n'));
  assert.deepEqual(await checkNixSyntax('{ a = 1 }', { nixInstantiate: bin }), {
    status: 'error', message: "syntax error, unexpected '}', expecting ';'", line: 1, column: 9,
  });
});

test('parseNixError reads the old and new stderr formats', () => {
  assert.deepEqual(
    parseNixError("error: syntax error, unexpected '}', expecting ';'\n\n       at «stdin»:1:9:\n\n            1| { a = 1 }\n             |         ^\n"),
    { message: "syntax error, unexpected '}', expecting ';'", line: 1, column: 9 },
  );
  assert.deepEqual(
    parseNixError(`error: syntax error, unexpected INT, expecting ID or OR_KW or DOLLAR_CURLY or '"', at (string):1:74`),
    { message: `syntax error, unexpected INT, expecting ID or OR_KW or DOLLAR_CURLY or '"'`, line: 1, column: 74 },
  );
  assert.deepEqual(
    parseNixError('error: syntax error, unexpected $end, at /home/u/x/default.nix:12:1'),
    { message: 'syntax error, unexpected $end', line: 12, column: 1 },
  );
  assert.deepEqual(
    parseNixError("warning: unknown setting 'foo'\n\u001b[31;1merror:\u001b[0m syntax error, unexpected ')'\n\n       at \u001b[35;1m«string»:1:107:\u001b[0m\n"),
    { message: "syntax error, unexpected ')'", line: 1, column: 107 },
  );
  assert.equal(parseNixError("error: getting status of '/x.nix': No such file or directory"), null);
  assert.equal(parseNixError(''), null);
});

test('nixPositionToOffset follows Nix: CR, LF and CRLF end lines; columns are UTF-8 bytes; overshoot clamps', () => {
  assert.equal(nixPositionToOffset('a\rb\r\nc\nd', 2, 1), 2);
  assert.equal(nixPositionToOffset('a\rb\r\nc\nd', 3, 1), 5);
  assert.equal(nixPositionToOffset('a\rb\r\nc\nd', 4, 1), 7);
  assert.equal(nixPositionToOffset('é😀x', 1, 7), 3);
  assert.equal(nixPositionToOffset('ab\ncd', 1, 40), 2);
  assert.equal(nixPositionToOffset('ab', 9, 1), 2);
});
