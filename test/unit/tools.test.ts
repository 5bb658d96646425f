// Tests for the statix, deadnix and formatter wrappers: output parsing against recorded data, and the run functions
// against fake executables.
//
// Run from the repository root (paths are resolved from process.cwd()):
//   npx esbuild test/unit/tools.test.ts --bundle --platform=node --format=cjs --outfile=out/test/tools.test.js \
//     && node --test out/test/tools.test.js
//
// statix, deadnix, alejandra and nixfmt are not installed where these tests run. The run functions are exercised
// with FAKE EXECUTABLES: small /bin/sh scripts written into a temp directory at test time that stand in for the real
// tools. They print recorded output, sleep, exit with chosen codes or write to stderr, and record the exact argument
// vector they received (NUL-separated) so the argv each wrapper builds is proven, not assumed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding, TextReplacement } from '../../server/src/base/finding';
import { LineIndex, type Range } from '../../server/src/base/text';
import { parseDeadnixJson, runDeadnix } from '../../server/src/tools/deadnix';
import { checkFormatting, formatArgs, formatWith } from '../../server/src/tools/formatter';
import { parseStatixJson, runStatix, splitConcatenatedJson, statixFindingCode } from '../../server/src/tools/statix';
import { ByteColumns, MalformedOutput } from '../../server/src/tools/toolRun';

const ROOT = process.cwd();
const DATA = path.join(ROOT, 'test', 'data', 'tools');
const read = (name: string) => fs.readFileSync(path.join(DATA, name), 'utf8');

/** Reported path -> the source the recorded byte columns were computed from (see test/data/tools/README.md). */
const SOURCES: Record<string, string> = {
  'hosts/desktop/default.nix': 'nix/desktop.nix',
  'modules/broken.nix': 'nix/broken.nix',
  'hosts/laptop/default.nix': 'nix/laptop.nix',
  'modules/wifi.nix': 'nix/wifi.nix',
};
const sourceText = (file: string): string | null => (SOURCES[file] ? read(SOURCES[file]) : null);

/** A file name a shell would mangle in every way: spaces, both quotes, `$`, `;` and backticks. */
const HOSTILE_NAME = 'my host\'s "cfg" $HOME; `touch pwned` x.nix';

function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

function applyEdits(text: string, edits: TextReplacement[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

function lineOf(text: string, line: number): string {
  return text.split('\n')[line] ?? '';
}

function byMessage(findings: Finding[], message: string): Finding {
  const found = findings.find((f) => f.message === message);
  assert.ok(found, `no finding with message ${message}`);
  return found;
}

// ---------------------------------------------------------------- fake executables

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-tools-'));
process.on('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let fakeCount = 0;

/** Single-quotes for /bin/sh, so the fake scripts themselves are immune to odd temp paths. */
function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

interface Fake {
  /** The fake executable's path. */
  command: string;
  /** A fresh directory to use as the wrapper's cwd. */
  cwd: string;
  /** The argument vector the fake received, one element per argument. */
  argv(): string[];
  /** What the fake read on stdin (only when `captureStdin`). */
  stdin(): string;
}

/**
 * Writes a FAKE stand-in for a real tool: a /bin/sh script that records "$@" NUL-separated, optionally saves stdin,
 * then runs `body`. Not the real statix/deadnix/alejandra/nixfmt.
 */
function fakeTool(body: string, opts: { captureStdin?: boolean } = {}): Fake {
  const dir = path.join(tmpRoot, `fake-${++fakeCount}`);
  const cwd = path.join(dir, 'work');
  fs.mkdirSync(cwd, { recursive: true });
  const argvFile = path.join(dir, 'argv');
  const stdinFile = path.join(dir, 'stdin');
  const command = path.join(dir, 'tool');
  const script = [
    '#!/bin/sh',
    '# FAKE tool for test/unit/tools.test.ts: stands in for the real program, which is not installed here.',
    `printf '%s\\0' "$@" > ${sq(argvFile)}`,
    opts.captureStdin ? `cat > ${sq(stdinFile)}` : '',
    body,
    '',
  ].join('\n');
  fs.writeFileSync(command, script, { mode: 0o755 });
  return {
    command,
    cwd,
    argv: () => {
      const raw = fs.readFileSync(argvFile, 'utf8');
      return raw === '' ? [] : raw.slice(0, -1).split('\0');
    },
    stdin: () => fs.readFileSync(stdinFile, 'utf8'),
  };
}

/** Saves `content` next to the fake so its body can `cat` it without any quoting of the content itself. */
function recorded(fake: Fake, name: string, content: string): string {
  const file = path.join(path.dirname(fake.command), name);
  fs.writeFileSync(file, content);
  return sq(file);
}

// ---------------------------------------------------------------- byte columns

test('ByteColumns converts UTF-8 byte columns to UTF-16, clamping past the line end', () => {
  const cols = new ByteColumns('aé🌍b\nx\n');
  assert.deepEqual(cols.position(1, 1), { line: 0, character: 0 });
  assert.deepEqual(cols.position(1, 2), { line: 0, character: 1 }); // after `a`
  assert.deepEqual(cols.position(1, 4), { line: 0, character: 2 }); // after the 2-byte é
  assert.deepEqual(cols.position(1, 8), { line: 0, character: 4 }); // after the 4-byte, 2-unit emoji
  assert.deepEqual(cols.position(1, 6), { line: 0, character: 2 }); // inside the emoji: rounds down
  assert.deepEqual(cols.position(1, 99), { line: 0, character: 5 }); // clamps at the line end, not the next line
  assert.deepEqual(cols.position(2, 2), { line: 1, character: 1 });
  assert.deepEqual(cols.position(9, 1), { line: 2, character: 0 }); // past the last line: end of text
  assert.deepEqual(new ByteColumns(null).position(3, 7), { line: 2, character: 6 });
});

// ---------------------------------------------------------------- statix parsing

test('splitConcatenatedJson splits back-to-back objects and ignores braces inside strings', () => {
  const out = '{"a": "}{\\"}"}\n{\n  "b": [{"c": "{"}]\n}\n';
  assert.deepEqual(splitConcatenatedJson(out), ['{"a": "}{\\"}"}', '{\n  "b": [{"c": "{"}]\n}']);
  assert.deepEqual(splitConcatenatedJson(''), []);
  assert.deepEqual(splitConcatenatedJson('  \n'), []);
  assert.throws(() => splitConcatenatedJson('{"a": 1'), MalformedOutput);
  assert.throws(() => splitConcatenatedJson('{"a": "1}'), MalformedOutput);
  assert.throws(() => splitConcatenatedJson('warning: something\n{}'), MalformedOutput);
  assert.throws(() => splitConcatenatedJson('{}}'), MalformedOutput);
});

test('statix: every report becomes a finding with exact UTF-16 ranges', () => {
  const notes: string[] = [];
  const findings = parseStatixJson(read('statix-check.json'), sourceText, notes);
  assert.equal(findings.length, 5);
  assert.ok(findings.every((f) => f.source === 'statix'));

  const inheritFrom = findings[0]!;
  assert.deepEqual(inheritFrom, {
    file: 'hosts/desktop/default.nix',
    range: range(2, 2, 2, 33),
    severity: 'warning',
    source: 'statix',
    code: 'W04/manual_inherit_from',
    message: 'This assignment is better written with `inherit`',
    fixes: [{
      title: 'statix: Assignment instead of inherit from',
      edits: [{ range: range(2, 2, 2, 33), newText: 'inherit (pkgs.haskellPackages) mtl;' }],
    }],
  });

  // Line 6 has `ü ß` (2 bytes each) before the span and `ü ß ö` plus a 4-byte emoji inside it.
  const parens = byMessage(findings, 'Useless parentheses around value in binding');
  assert.deepEqual(parens.range, range(5, 33, 5, 54));
  assert.equal(parens.code, 'W08/useless_parens');
  assert.deepEqual(parens.fixes?.[0]?.edits[0]?.range, range(5, 33, 5, 54));

  const boolCmp = byMessage(findings, 'Comparing `true` with boolean literal `true`');
  assert.deepEqual(boolCmp.range, range(6, 25, 6, 37));
  assert.equal(boolCmp.code, 'W01/bool_comparison');
  assert.equal(boolCmp.fixes, undefined, 'a null suggestion gives no fix');

  const emptyLet = byMessage(findings, 'This let-in expression has no entries');
  assert.deepEqual(emptyLet.range, range(8, 16, 8, 35));
  assert.equal(emptyLet.fixes?.[0]?.edits[0]?.newText, '{ x = "}"; }');

  const inherit = findings[4]!;
  assert.equal(inherit.file, 'modules/broken.nix');
  assert.equal(inherit.code, 'W03/manual_inherit');
  assert.deepEqual(inherit.range, range(3, 17, 3, 37));

  // The syntax error is dropped (Nix reports syntax) but noted for the log.
  assert.ok(!findings.some((f) => f.severity === 'error'));
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /syntax error in modules\/broken\.nix: Unexpected TOKEN_R_BRACE/);
});

test('statix: applying the suggestions yields the fixed source', () => {
  const findings = parseStatixJson(read('statix-check.json'), sourceText);
  const desktop = read('nix/desktop.nix');
  const edits = findings.filter((f) => f.file === 'hosts/desktop/default.nix').flatMap((f) => f.fixes?.[0]?.edits ?? []);
  const fixed = applyEdits(desktop, edits);
  assert.equal(lineOf(fixed, 2), '  inherit (pkgs.haskellPackages) mtl;');
  assert.equal(lineOf(fixed, 5), '  environment.etc."grüße".text = "Grüße aus Köln 🌍";');
  assert.equal(lineOf(fixed, 8), '  boot.initrd = { x = "}"; };');
});

test('statix: severities, unknown codes and missing file text', () => {
  const out = (severity: string, code: number) => JSON.stringify({
    file: 'a.nix',
    report: [{ note: 'n', code, severity, diagnostics: [{ at: { from: { line: 1, column: 5 }, to: { line: 1, column: 9 } }, message: 'm', suggestion: null }] }],
  }, null, 2) + '\n';
  const one = (severity: string, code = 1) => parseStatixJson(out(severity, code), () => null)[0]!;
  assert.equal(one('Warn').severity, 'warning');
  assert.equal(one('Error').severity, 'error');
  assert.equal(one('Hint').severity, 'hint');
  assert.equal(one('Fatal').severity, 'warning', 'a severity newer than this code still shows');
  assert.equal(one('Warn', 99).code, 'W99');
  assert.equal(one('Warn', 123).code, 'W123');
  assert.equal(statixFindingCode(20), 'W20/repeated_keys');
  // Without the file's text, byte columns are taken as characters.
  assert.deepEqual(one('Warn').range, range(0, 4, 0, 8));
  assert.deepEqual(parseStatixJson(read('statix-check.json'), () => null)[1]!.range, range(5, 35, 5, 61));
});

test('statix: malformed or misshapen output throws MalformedOutput', () => {
  assert.throws(() => parseStatixJson(read('statix-malformed.json'), sourceText), MalformedOutput);
  assert.throws(() => parseStatixJson('{"file": "a.nix", "report": {}}', sourceText), /report is not an array/);
  assert.throws(() => parseStatixJson('{"file": 3, "report": []}', sourceText), /file is not a string/);
  assert.throws(() => parseStatixJson('{"file": "a.nix", "report": [{"note": "n", "code": 1, "severity": "Warn", "diagnostics": [{"message": "m"}]}]}', sourceText), /at is not an object/);
  assert.throws(() => parseStatixJson('{"file": "a.nix", "report": [] ,}', sourceText), /invalid JSON/);
  assert.deepEqual(parseStatixJson('', sourceText), []);
});

test('statix: a fix text carrying U+FFFD (a split UTF-8 character) is not offered', () => {
  const out = JSON.stringify({
    file: 'a.nix',
    report: [{ note: 'n', code: 8, severity: 'Warn', diagnostics: [{
      at: { from: { line: 1, column: 1 }, to: { line: 1, column: 3 } }, message: 'm',
      suggestion: { at: { from: { line: 1, column: 1 }, to: { line: 1, column: 3 } }, fix: 'K\uFFFDln' },
    }] }],
  });
  const [f] = parseStatixJson(out, () => '(x)\n');
  assert.equal(f?.fixes, undefined);
});

// ---------------------------------------------------------------- deadnix parsing

test('deadnix: unused bindings become faded warnings with exact UTF-16 ranges', () => {
  const notes: string[] = [];
  const findings = parseDeadnixJson(read('deadnix.ndjson'), sourceText, notes);
  assert.equal(findings.length, 5);
  for (const f of findings) {
    assert.equal(f.source, 'deadnix');
    assert.equal(f.code, 'unused');
    assert.equal(f.severity, 'warning');
    assert.equal(f.unnecessary, true);
  }
  assert.deepEqual(byMessage(findings, 'Unused lambda pattern: config'), {
    file: 'hosts/laptop/default.nix',
    range: range(0, 2, 0, 8),
    severity: 'warning',
    source: 'deadnix',
    code: 'unused',
    message: 'Unused lambda pattern: config',
    unnecessary: true,
  });
  assert.deepEqual(byMessage(findings, 'Unused lambda pattern: lib').range, range(0, 10, 0, 13));
  // Line 3 has `¡ ñ` (2 bytes) and a 4-byte emoji before the name.
  const helper = byMessage(findings, 'Unused let binding: unusedHelper');
  assert.deepEqual(helper.range, range(2, 33, 2, 45));
  assert.equal(helper.fixes, undefined, 'let bindings get no fix here');
  // Line 7 has `Ĉ` (2 bytes) and a 4-byte emoji before the argument.
  assert.deepEqual(byMessage(findings, 'Unused lambda argument: n').range, range(6, 46, 6, 47));
  assert.deepEqual(byMessage(findings, 'Unused lambda pattern: args').range, range(0, 0, 0, 4));
  // Positionless results are parse and stat errors: dropped, with the reason kept.
  assert.deepEqual(notes, [
    'deadnix: modules/broken.nix: unexpected TOKEN_R_BRACE at 151..152, wanted any of [TOKEN_SEMICOLON]',
    'deadnix: modules/gone.nix: No such file or directory (os error 2)',
  ]);
});

test('deadnix: fixes only where they cannot change meaning', () => {
  const findings = parseDeadnixJson(read('deadnix.ndjson'), sourceText);
  // Pattern names: renaming or removing changes which arguments the function accepts.
  assert.equal(byMessage(findings, 'Unused lambda pattern: config').fixes, undefined);
  assert.equal(byMessage(findings, 'Unused lambda pattern: lib').fixes, undefined);

  const arg = byMessage(findings, 'Unused lambda argument: n');
  assert.deepEqual(arg.fixes, [{ title: 'deadnix: rename unused argument `n` to `_n`', edits: [{ range: range(6, 46, 6, 46), newText: '_' }] }]);
  assert.equal(lineOf(applyEdits(read('nix/laptop.nix'), arg.fixes![0]!.edits), 6), '  environment.etc.motd.text = "Ĉu vi? 🙂 " + (_n: "ok") 1 + greeting;');

  const at = byMessage(findings, 'Unused lambda pattern: args');
  assert.equal(at.fixes?.[0]?.title, 'deadnix: remove unused `@args` binding');
  assert.equal(lineOf(applyEdits(read('nix/wifi.nix'), at.fixes![0]!.edits), 0), '{ lib, ... }:');
});

test('deadnix: fix edge cases derived from the text', () => {
  const one = (text: string, line: number, column: number, endColumn: number, message: string) =>
    parseDeadnixJson(JSON.stringify({ file: 'f.nix', results: [{ column, endColumn, line, message }] }), () => text)[0]!;
  // `} @ inputs` form: the whitespace and `@` go too.
  const trailing = one('{ self, ... } @ inputs: self\n', 1, 17, 23, 'Unused lambda pattern: inputs');
  assert.deepEqual(trailing.fixes?.[0]?.edits, [{ range: range(0, 13, 0, 22), newText: '' }]);
  assert.equal(applyEdits('{ self, ... } @ inputs: self\n', trailing.fixes![0]!.edits), '{ self, ... }: self\n');
  // `_x` already exists: renaming could capture it.
  assert.equal(one('let _x = 1; in x: _x\n', 1, 16, 17, 'Unused lambda argument: x').fixes, undefined);
  // The file changed since deadnix ran: the name is no longer where it was.
  assert.equal(one('y: 1\n', 1, 1, 2, 'Unused lambda argument: x').fixes, undefined);
  // A comment between the name and `@` is not something to delete blindly.
  assert.equal(one('args /* c */ @ { ... }: 1\n', 1, 1, 5, 'Unused lambda pattern: args').fixes, undefined);
  // Used-underscore warnings (`-W`) and rec attrsets carry no fix either.
  assert.equal(one('let _a = 1; in _a\n', 1, 5, 7, 'Used let binding: _a').fixes, undefined);
});

test('deadnix: malformed output throws MalformedOutput', () => {
  assert.throws(() => parseDeadnixJson(read('deadnix-malformed.ndjson'), sourceText), MalformedOutput);
  assert.throws(() => parseDeadnixJson('{"file":"a.nix","results":[{"line":1,"message":"m"}]}', sourceText), /column is not a count/);
  assert.throws(() => parseDeadnixJson('{"file":"a.nix"}', sourceText), /results is not an array/);
  assert.deepEqual(parseDeadnixJson('\n', sourceText), []);
});

// ---------------------------------------------------------------- runStatix with a fake statix

const DESKTOP_OBJECT = splitConcatenatedJson(read('statix-check.json'))[0]! + '\n';

test('runStatix: exact argv, a hostile file name as one literal argument, ranges in the given text', async () => {
  const fake = fakeTool('');
  fs.appendFileSync(fake.command, `cat ${recorded(fake, 'out.json', DESKTOP_OBJECT)}\nexit 1\n`);
  const run = await runStatix({ statix: fake.command, cwd: fake.cwd, file: HOSTILE_NAME, text: read('nix/desktop.nix') });
  assert.deepEqual(fake.argv(), ['check', '-o', 'json', HOSTILE_NAME]);
  assert.ok(!fs.existsSync(path.join(fake.cwd, 'pwned')), 'nothing was run by a shell');
  assert.equal(run.status, 'ok');
  if (run.status !== 'ok') return;
  assert.equal(run.findings.length, 4);
  // Findings name the file that was linted, whatever path statix printed.
  assert.ok(run.findings.every((f) => f.file === HOSTILE_NAME));
  assert.deepEqual(byMessage(run.findings, 'Useless parentheses around value in binding').range, range(5, 33, 5, 54));
  assert.equal(run.notes, undefined);
});

test('runStatix: a leading dash cannot turn the file into a flag', async () => {
  const fake = fakeTool('exit 0');
  const run = await runStatix({ statix: fake.command, cwd: fake.cwd, file: '-o.nix' });
  assert.deepEqual(fake.argv(), ['check', '-o', 'json', './-o.nix']);
  assert.deepEqual(run, { status: 'ok', findings: [] });
});

test('runStatix: syntax errors are noted, not reported', async () => {
  const fake = fakeTool('');
  const brokenObject = splitConcatenatedJson(read('statix-check.json'))[1]!;
  fs.appendFileSync(fake.command, `cat ${recorded(fake, 'out.json', brokenObject)}\nexit 1\n`);
  const run = await runStatix({ statix: fake.command, cwd: fake.cwd, file: 'broken.nix', text: read('nix/broken.nix') });
  assert.equal(run.status, 'ok');
  if (run.status !== 'ok') return;
  assert.deepEqual(run.findings.map((f) => f.code), ['W03/manual_inherit']);
  assert.equal(run.notes?.length, 1);
});

test('runStatix: failure statuses', async () => {
  // Internal errors go to stderr with exit 0 (statix main.rs only eprintln!s).
  const internal = fakeTool(`echo 'error: failed to read statix.toml' >&2\nexit 0`);
  const r1 = await runStatix({ statix: internal.command, cwd: internal.cwd, file: 'a.nix' });
  assert.deepEqual(r1, { status: 'failed', detail: 'error: failed to read statix.toml' });

  const clap = fakeTool(`echo "error: invalid value 'json' for '--format'" >&2\nexit 2`);
  const r2 = await runStatix({ statix: clap.command, cwd: clap.cwd, file: 'a.nix' });
  assert.equal(r2.status, 'failed');
  assert.match((r2 as { detail: string }).detail, /exited with code 2: error: invalid value/);

  const truncated = fakeTool('');
  fs.appendFileSync(truncated.command, `cat ${recorded(truncated, 'out.json', read('statix-malformed.json'))}\nexit 1\n`);
  const r3 = await runStatix({ statix: truncated.command, cwd: truncated.cwd, file: 'a.nix' });
  assert.equal(r3.status, 'malformed');
  assert.match((r3 as { detail: string }).detail, /^statix: output ends inside an object/);

  const clean = fakeTool('exit 0');
  assert.deepEqual(await runStatix({ statix: clean.command, cwd: clean.cwd, file: 'a.nix' }), { status: 'ok', findings: [] });

  const missing = await runStatix({ statix: path.join(tmpRoot, 'no-such-statix'), cwd: tmpRoot, file: 'a.nix' });
  assert.equal(missing.status, 'missing');
  const notOnPath = await runStatix({ statix: 'hostlens-no-such-statix', cwd: tmpRoot, file: 'a.nix' });
  assert.equal(notOnPath.status, 'missing');
  // ENOENT from a missing cwd is not a missing tool.
  const badCwd = await runStatix({ statix: clean.command, cwd: path.join(tmpRoot, 'no-such-dir'), file: 'a.nix' });
  assert.equal(badCwd.status, 'failed');
  assert.match((badCwd as { detail: string }).detail, /could not start statix in .*no-such-dir: no such directory/);
  // A NUL byte makes spawn throw synchronously; the run still resolves.
  assert.equal((await runStatix({ statix: clean.command, cwd: clean.cwd, file: 'a\0.nix' })).status, 'failed');
});

test('runStatix: timeout and cancellation', async () => {
  // `exec` so the kill reaches the sleeping process itself, which holds the output pipe.
  const slow = fakeTool('exec sleep 5');
  const t0 = Date.now();
  const timedOut = await runStatix({ statix: slow.command, cwd: slow.cwd, file: 'a.nix', timeoutMs: 200 });
  assert.equal(timedOut.status, 'timeout');
  assert.ok(Date.now() - t0 < 3000);

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const cancelled = await runStatix({ statix: slow.command, cwd: slow.cwd, file: 'a.nix', signal: controller.signal });
  assert.equal(cancelled.status, 'cancelled');
});

// ---------------------------------------------------------------- runDeadnix with a fake deadnix

test('runDeadnix: exact argv, hostile file name, findings, notes and fixes in the given text', async () => {
  const fake = fakeTool('');
  const lines = read('deadnix.ndjson').split('\n');
  // The laptop line plus a positionless parse-error line, as deadnix would print for one file each.
  fs.appendFileSync(fake.command, `cat ${recorded(fake, 'out.ndjson', `${lines[0]}\n${lines[2]}\n`)}\n`);
  const run = await runDeadnix({ deadnix: fake.command, cwd: fake.cwd, file: HOSTILE_NAME, text: read('nix/laptop.nix') });
  assert.deepEqual(fake.argv(), ['-o', 'json', HOSTILE_NAME]);
  assert.ok(!fs.existsSync(path.join(fake.cwd, 'pwned')));
  assert.equal(run.status, 'ok');
  if (run.status !== 'ok') return;
  assert.equal(run.findings.length, 4);
  assert.ok(run.findings.every((f) => f.file === HOSTILE_NAME));
  const arg = byMessage(run.findings, 'Unused lambda argument: n');
  assert.deepEqual(arg.range, range(6, 46, 6, 47));
  assert.equal(arg.fixes?.length, 1);
  assert.equal(run.notes?.length, 1);
  // Without the text, columns are taken as characters and no fix is offered.
  const blind = await runDeadnix({ deadnix: fake.command, cwd: fake.cwd, file: HOSTILE_NAME });
  assert.equal(blind.status, 'ok');
  if (blind.status !== 'ok') return;
  assert.deepEqual(byMessage(blind.findings, 'Unused lambda argument: n').range, range(6, 49, 6, 50));
  assert.ok(blind.findings.every((f) => f.fixes === undefined));
});

test('runDeadnix: failure statuses', async () => {
  const panic = fakeTool(`echo "thread 'main' panicked at src/main.rs" >&2\nexit 101`);
  const r1 = await runDeadnix({ deadnix: panic.command, cwd: panic.cwd, file: 'a.nix' });
  assert.equal(r1.status, 'failed');
  assert.match((r1 as { detail: string }).detail, /exited with code 101: thread 'main' panicked/);

  const garbage = fakeTool('');
  fs.appendFileSync(garbage.command, `cat ${recorded(garbage, 'out', read('deadnix-malformed.ndjson'))}\n`);
  assert.equal((await runDeadnix({ deadnix: garbage.command, cwd: garbage.cwd, file: 'a.nix' })).status, 'malformed');

  const quiet = fakeTool('exit 0');
  assert.deepEqual(await runDeadnix({ deadnix: quiet.command, cwd: quiet.cwd, file: 'a.nix' }), { status: 'ok', findings: [] });

  assert.equal((await runDeadnix({ deadnix: path.join(tmpRoot, 'no-such-deadnix'), cwd: tmpRoot, file: 'a.nix' })).status, 'missing');
  const slow = fakeTool('exec sleep 5');
  assert.equal((await runDeadnix({ deadnix: slow.command, cwd: slow.cwd, file: 'a.nix', timeoutMs: 200 })).status, 'timeout');
});

// ---------------------------------------------------------------- formatters with fake alejandra / nixfmt

const UNFORMATTED = '{ pkgs, ... }: {\n  motd   = "Grüße 🌍";\n}\n';
const FORMATTED = '{pkgs, ...}: {\n  motd = "Grüße 🌍";\n}\n';

test('formatArgs: the documented stdin argument vectors', () => {
  assert.deepEqual(formatArgs('alejandra', 'hosts/a.nix'), ['-q', '-']);
  assert.deepEqual(formatArgs('alejandra', 'hosts/a.nix', { check: true }), ['--check', '-q', '-']);
  assert.deepEqual(formatArgs('nixfmt', 'hosts/a.nix'), ['--filename=hosts/a.nix', '-']);
  assert.deepEqual(formatArgs('nixfmt', 'hosts/a.nix', { check: true }), ['--check', '--filename=hosts/a.nix', '-']);
  assert.deepEqual(formatArgs('nixfmt', ''), ['-']);
  // A path that looks like a flag stays inside the one --filename= argument.
  assert.deepEqual(formatArgs('nixfmt', '--check'), ['--filename=--check', '-']);
});

test('formatWith alejandra: stdin in, formatted text out', async () => {
  const fake = fakeTool('', { captureStdin: true });
  fs.appendFileSync(fake.command, `cat ${recorded(fake, 'formatted.nix', FORMATTED)}\n`);
  const r = await formatWith('alejandra', HOSTILE_NAME, UNFORMATTED, { command: fake.command, cwd: fake.cwd });
  assert.deepEqual(r, { status: 'ok', text: FORMATTED });
  assert.deepEqual(fake.argv(), ['-q', '-']);
  assert.equal(fake.stdin(), UNFORMATTED);
});

test('formatWith: identical output is unchanged; a parse error is a failure even though alejandra echoes its input', async () => {
  const echo = fakeTool('cat');
  assert.deepEqual(await formatWith('alejandra', 'a.nix', FORMATTED, { command: echo.command, cwd: echo.cwd }), { status: 'unchanged' });

  // alejandra on a parse error: prints the input unchanged on stdout, the error on stderr, exits 1.
  const parseError = fakeTool(`cat\necho '' >&2\necho 'Failed! 1 error found at:' >&2\necho '- <anonymous file on stdin>: unexpected end of file' >&2\nexit 1`);
  const r = await formatWith('alejandra', 'a.nix', '{', { command: parseError.command, cwd: parseError.cwd });
  assert.equal(r.status, 'failed');
  assert.match((r as { detail: string }).detail, /^alejandra exited with code 1: Failed! 1 error found at:\n- <anonymous file on stdin>: unexpected end of file$/);

  const silent = fakeTool('exit 0');
  assert.deepEqual(await formatWith('alejandra', 'a.nix', UNFORMATTED, { command: silent.command, cwd: silent.cwd }), { status: 'failed', detail: 'alejandra printed nothing' });

  const mangled = fakeTool(`printf 'K\\357\\277\\275ln\\n'`);
  assert.deepEqual(await formatWith('alejandra', 'a.nix', 'Köln\n', { command: mangled.command, cwd: mangled.cwd }), { status: 'failed', detail: 'alejandra output could not be decoded' });
});

test('formatWith nixfmt: --filename carries the hostile path as one argument', async () => {
  const fake = fakeTool('', { captureStdin: true });
  fs.appendFileSync(fake.command, `cat ${recorded(fake, 'formatted.nix', FORMATTED)}\n`);
  const r = await formatWith('nixfmt', HOSTILE_NAME, UNFORMATTED, { command: fake.command, cwd: fake.cwd });
  assert.deepEqual(r, { status: 'ok', text: FORMATTED });
  assert.deepEqual(fake.argv(), [`--filename=${HOSTILE_NAME}`, '-']);
  assert.equal(fake.stdin(), UNFORMATTED);
  assert.ok(!fs.existsSync(path.join(fake.cwd, 'pwned')));
});

test('formatWith: missing, timeout, cancelled', async () => {
  assert.equal((await formatWith('nixfmt', 'a.nix', 'x', { command: path.join(tmpRoot, 'no-such-nixfmt') })).status, 'missing');
  assert.equal((await formatWith('nixfmt', 'a.nix', 'x', { command: 'hostlens-no-such-nixfmt' })).status, 'missing');
  const echo = fakeTool('cat');
  const badCwd = await formatWith('nixfmt', 'a.nix', 'x', { command: echo.command, cwd: path.join(tmpRoot, 'no-such-dir') });
  assert.equal(badCwd.status, 'failed', 'a missing cwd is not a missing formatter');
  const slow = fakeTool('exec sleep 5');
  assert.equal((await formatWith('alejandra', 'a.nix', 'x', { command: slow.command, cwd: slow.cwd, timeoutMs: 200 })).status, 'timeout');
  const controller = new AbortController();
  controller.abort();
  assert.equal((await formatWith('alejandra', 'a.nix', 'x', { command: slow.command, cwd: slow.cwd, signal: controller.signal })).status, 'cancelled');
});

test('checkFormatting: alejandra exit 2 and nixfmt "not formatted" mean needs formatting', async () => {
  const alejandraDirty = fakeTool('cat\nexit 2', { captureStdin: false });
  assert.deepEqual(await checkFormatting('alejandra', 'a.nix', UNFORMATTED, { command: alejandraDirty.command, cwd: alejandraDirty.cwd }), { status: 'needs-formatting' });
  assert.deepEqual(alejandraDirty.argv(), ['--check', '-q', '-']);
  const alejandraClean = fakeTool('cat\nexit 0');
  assert.deepEqual(await checkFormatting('alejandra', 'a.nix', FORMATTED, { command: alejandraClean.command, cwd: alejandraClean.cwd }), { status: 'formatted' });
  const alejandraBroken = fakeTool(`cat\necho '- <anonymous file on stdin>: unexpected end of file' >&2\nexit 1`);
  assert.equal((await checkFormatting('alejandra', 'a.nix', '{', { command: alejandraBroken.command, cwd: alejandraBroken.cwd })).status, 'failed');

  const nixfmtDirty = fakeTool(`printf '%s: not formatted\\n' "$2" >&2\nexit 1`);
  assert.deepEqual(await checkFormatting('nixfmt', HOSTILE_NAME, UNFORMATTED, { command: nixfmtDirty.command, cwd: nixfmtDirty.cwd }), { status: 'failed', detail: `nixfmt exited with code 1: --filename=${HOSTILE_NAME}: not formatted` });
  // The fake above echoed the whole argument; the real nixfmt prints the bare name, which is what counts.
  const nixfmtReal = fakeTool(`printf '%s: not formatted\\n' "\${2#--filename=}" >&2\nexit 1`);
  assert.deepEqual(await checkFormatting('nixfmt', HOSTILE_NAME, UNFORMATTED, { command: nixfmtReal.command, cwd: nixfmtReal.cwd }), { status: 'needs-formatting' });
  assert.deepEqual(nixfmtReal.argv(), ['--check', `--filename=${HOSTILE_NAME}`, '-']);
  const nixfmtBroken = fakeTool(`echo "${'a.nix'}:1:2:" >&2\necho 'unexpected end of input' >&2\nexit 1`);
  const broken = await checkFormatting('nixfmt', 'a.nix', '{', { command: nixfmtBroken.command, cwd: nixfmtBroken.cwd });
  assert.equal(broken.status, 'failed');
});
