// Differential test: Nix-backed syntax findings must match raw `nix-instantiate --parse` on thousands of mutants of the
// fixture files; tree-sitter's fallback is measured against the same mutants and its gaps written to a report.
//
// Run from the repository root (needs nix-instantiate on PATH; skips otherwise):
//   npx esbuild test/unit/syntaxDifferential.test.ts --bundle --platform=node --format=cjs \
//     --outfile=out/test/syntaxDifferential.test.js --alias:web-tree-sitter=./node_modules/web-tree-sitter/tree-sitter.cjs \
//     && HOSTLENS_WASM_DIR=$PWD/dist node --test out/test/syntaxDifferential.test.js
// HOSTLENS_MUTANTS overrides the mutant count (default 2000), HOSTLENS_NIX_JOBS the number of concurrent nix processes.
// test/unit/syntax-fallback-gaps.txt is rewritten on every run; its content depends only on the fixtures and the seed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineIndex } from '../../server/src/base/text';
import { parseText } from '../../server/src/syntax/parsedFile';
import { NixParser } from '../../server/src/syntax/parser';
import { checkNixSyntax } from '../../server/src/tools/nixSyntax';
import { syntaxFinding } from '../../server/src/tools/syntaxFinding';

const ROOT = process.cwd();
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const GAPS_REPORT = path.join(ROOT, 'test', 'unit', 'syntax-fallback-gaps.txt');
const SEED = 0x5eed_2025;
const MUTANTS = Number(process.env.HOSTLENS_MUTANTS ?? 2000);
const JOBS = Number(process.env.HOSTLENS_NIX_JOBS ?? Math.max(2, os.availableParallelism()));

const nixAvailable = (process.env.PATH ?? '').split(path.delimiter)
  .some((dir) => dir !== '' && fs.existsSync(path.join(dir, 'nix-instantiate')));

// ---------------------------------------------------------------- a small modal Nix lexer

interface Token { start: number; end: number }

const EXPR_TOKENS: readonly RegExp[] = [
  /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y,
  /[a-zA-Z0-9._\-+]*(?:\/[a-zA-Z0-9._\-+]+)+\/?/y,
  /~(?:\/[a-zA-Z0-9._\-+]+)+\/?/y,
  /<[a-zA-Z0-9._\-+]+(?:\/[a-zA-Z0-9._\-+]+)*>/y,
  /[a-zA-Z_][a-zA-Z0-9_'-]*/y,
  /(?:[1-9][0-9]*|0)?\.[0-9]+(?:[Ee][+-]?[0-9]+)?|[0-9]+/y,
  /\.\.\.|==|!=|<=|>=|&&|\|\||->|\/\/|\+\+|\|>|<\|/y,
];

/**
 * Tokens of Nix source, strings split into their delimiters, literal runs and interpolations so that mutants can break
 * a string as well as an expression. Comments and whitespace are not tokens. Unknown characters are one-char tokens.
 */
function lex(text: string): Token[] {
  const out: Token[] = [];
  const stack: Array<'str' | 'istr' | 'interp' | 'brace'> = [];
  let i = 0;
  const push = (start: number, end: number) => { out.push({ start, end }); i = end; };
  const match = (re: RegExp): number => { re.lastIndex = i; return re.test(text) ? re.lastIndex : -1; };
  while (i < text.length) {
    const mode = stack[stack.length - 1];
    if (mode === 'str' || mode === 'istr') {
      if (text.startsWith('${', i)) { stack.push('interp'); push(i, i + 2); continue; }
      if (mode === 'str' && text[i] === '"') { stack.pop(); push(i, i + 1); continue; }
      if (mode === 'istr' && text.startsWith("''", i) && !/^''['$\\]/.test(text.slice(i, i + 3))) {
        stack.pop(); push(i, i + 2); continue;
      }
      const end = match(mode === 'str' ? /(?:\\[^]|\$(?!\{)|[^"\\$])+/y : /(?:''\\[^]|'''|''\$|'(?!')|\$(?!\{)|[^'$])+/y);
      push(i, end > i ? end : i + 1);
      continue;
    }
    const ws = match(/(?:\s+|#[^\n]*|\/\*[^]*?(?:\*\/|$))+/y);
    if (ws > i) { i = ws; continue; }
    if (text[i] === '"') { stack.push('str'); push(i, i + 1); continue; }
    if (text.startsWith("''", i)) { stack.push('istr'); push(i, i + 2); continue; }
    if (text.startsWith('${', i)) { stack.push('interp'); push(i, i + 2); continue; }
    if (text[i] === '{') { stack.push('brace'); push(i, i + 1); continue; }
    if (text[i] === '}') { stack.pop(); push(i, i + 1); continue; }
    let end = -1;
    for (const re of EXPR_TOKENS) if ((end = match(re)) > i) break;
    push(i, end > i ? end : i + 1);
  }
  return out;
}

// ---------------------------------------------------------------- mutants

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Source { file: string; text: string; tokens: Token[] }
interface Mutant { file: string; op: string; at: number; text: string }

function mutate(src: Source, rand: () => number): Mutant | null {
  const { text, tokens } = src;
  const pick = Math.floor(rand() * tokens.length);
  const t = tokens[pick];
  if (!t) return null;
  const tok = text.slice(t.start, t.end);
  const kind = rand();
  if (kind < 0.4) {
    return { file: src.file, op: `delete ${JSON.stringify(tok)}`, at: t.start, text: text.slice(0, t.start) + text.slice(t.end) };
  }
  if (kind < 0.7) {
    return { file: src.file, op: `duplicate ${JSON.stringify(tok)}`, at: t.start, text: text.slice(0, t.end) + ' ' + text.slice(t.start) };
  }
  const u = tokens[pick + 1];
  if (!u) return null;
  const next = text.slice(u.start, u.end);
  if (next === tok) return null;
  return {
    file: src.file,
    op: `swap ${JSON.stringify(tok)} ${JSON.stringify(next)}`,
    at: t.start,
    text: text.slice(0, t.start) + next + text.slice(t.end, u.start) + tok + text.slice(u.end),
  };
}

function nixFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...nixFiles(p));
    else if (e.isFile() && e.name.endsWith('.nix')) out.push(p);
  }
  return out.sort();
}

// ---------------------------------------------------------------- verdicts

/**
 * A tap in front of nix-instantiate, one per worker: runs the real binary with the arguments and stdin it was given,
 * keeps Nix's raw stderr and exit status where the test can read them, and passes both through unchanged. So every
 * mutant costs one Nix process, and the raw verdict is the very output checkNixSyntax interpreted.
 */
function makeTap(dir: string, worker: number): { bin: string; read: () => { args: string; code: number; stderr: string } } {
  const base = path.join(dir, `w${worker}`);
  const bin = `${base}-nix-instantiate`;
  fs.writeFileSync(bin, [
    '#!/bin/sh',
    `echo "$*" > '${base}.args'`,
    `nix-instantiate "$@" 2> '${base}.err'`,
    'rc=$?',
    `echo $rc > '${base}.rc'`,
    `cat '${base}.err' >&2`,
    'exit $rc',
    '',
  ].join('\n'), { mode: 0o755 });
  return {
    bin,
    read: () => {
      const out = {
        args: fs.readFileSync(`${base}.args`, 'utf8').trim(),
        code: Number(fs.readFileSync(`${base}.rc`, 'utf8')),
        stderr: fs.readFileSync(`${base}.err`, 'utf8'),
      };
      fs.rmSync(`${base}.rc`);
      return out;
    },
  };
}

type Category = 'ok' | 'syntax' | 'scope' | 'other';
interface RawVerdict { category: Category; line?: number; character?: number; detail: string }

/** Raw Nix, read as plainly as possible: exit status and the `at «stdin»:L:C` line, mapped to an editor position. */
function rawVerdict(text: string, code: number, stderr: string): RawVerdict {
  if (code === 0) return { category: 'ok', detail: 'ok' };
  const m = /^error: (.*)$[^]*?at «stdin»:(\d+):(\d+)/m.exec(stderr);
  if (!m) throw new Error(`unpositioned nix error: ${stderr}`);
  // Independent of nixPositionToOffset: split lines the way Nix does, decode the byte prefix of the line.
  const lines = text.split(/\r\n|\r|\n/);
  const line = Number(m[2]);
  let offset = 0;
  for (let l = 0; l < line - 1 && l < lines.length; l++) {
    offset += (lines[l] ?? '').length;
    offset += text.startsWith('\r\n', offset) ? 2 : offset < text.length ? 1 : 0;
  }
  offset += Buffer.from(lines[line - 1] ?? '', 'utf8').subarray(0, Number(m[3]) - 1).toString('utf8').length;
  const pos = new LineIndex(text).position(offset);
  const message = m[1] ?? '';
  const category = message.startsWith('syntax error') ? 'syntax' : message.startsWith('undefined variable') ? 'scope' : 'other';
  return { category, line: pos.line, character: pos.character, detail: `${message} at ${m[2]}:${m[3]}` };
}

interface Verdict { error: boolean; line?: number; detail: string }

function fallback(parser: NixParser, text: string): Verdict {
  // No facts are needed, only the problems.
  const problems = parseText(parser, text, { callees: new Set(), bindings: new Set(), selectBases: new Set() }).problems;
  if (problems.length === 0) return { error: false, detail: 'ok' };
  const first = problems.reduce((a, b) => (b.span.start < a.span.start ? b : a));
  const pos = new LineIndex(text).position(first.span.start);
  return { error: true, line: pos.line, detail: `${first.message} at ${pos.line + 1}:${pos.character + 1}` };
}

async function pool<T, R>(items: readonly T[], jobs: number, fn: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (w: number) => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, w);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, (_, w) => worker(w)));
  return out;
}

function snippet(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).trim();
  return JSON.stringify(line.length > 90 ? `${line.slice(0, 87)}...` : line);
}

// ---------------------------------------------------------------- the test

test('syntax findings with Nix agree with raw nix-instantiate on fixture mutants; fallback gaps are reported',
  { skip: nixAvailable ? false : 'nix-instantiate is not installed', timeout: 600_000 }, async () => {
    const started = Date.now();
    const parser = await NixParser.load(process.env.HOSTLENS_WASM_DIR ?? 'dist');
    const sources: Source[] = nixFiles(FIXTURES).map((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return { file: path.relative(ROOT, f), text, tokens: lex(text) };
    }).filter((s) => s.tokens.length > 0);
    assert.ok(sources.some((s) => s.file.startsWith(path.join('test', 'fixtures', 'fleet'))), 'fleet fixtures missing');

    const rand = mulberry32(SEED);
    const mutants: Mutant[] = [];
    const seen = new Set<string>();
    while (mutants.length < MUTANTS) {
      const src = sources[Math.floor(rand() * sources.length)];
      const m = src && mutate(src, rand);
      if (!m || m.text === src.text || seen.has(m.text)) continue;
      seen.add(m.text);
      mutants.push(m);
    }

    // The unmutated fixtures first: a fixture tree-sitter misreads is a gap too, and a named one.
    const cases: Mutant[] = [...sources.map((s) => ({ file: s.file, op: 'original', at: 0, text: s.text })), ...mutants];
    const tapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-nix-tap-'));
    const taps = Array.from({ length: JOBS }, (_, w) => makeTap(tapDir, w));
    const nixStarted = Date.now();
    const results = await pool(cases, JOBS, async (c, w) => {
      const tap = taps[w]!;
      const checked = await checkNixSyntax(c.text, { nixInstantiate: tap.bin, timeoutMs: 30_000 });
      const raw = tap.read();
      assert.match(raw.args, /--parse -$/);
      return { raw: rawVerdict(c.text, raw.code, raw.stderr), checked };
    });
    const nixMs = Date.now() - nixStarted;
    fs.rmSync(tapDir, { recursive: true, force: true });

    // Nix is deterministic, and the tap changes nothing: a sample re-run on the real binary must give identical results.
    const sample = cases.filter((_, i) => i % 50 === 0);
    const again = await pool(sample, JOBS, (c) => checkNixSyntax(c.text, { timeoutMs: 30_000 }));
    sample.forEach((c, i) => assert.deepEqual(again[i], results[cases.indexOf(c)]?.checked, `${c.file}: ${c.op}`));

    const fbStarted = Date.now();
    const counts: Record<Category, number> = { ok: 0, syntax: 0, scope: 0, other: 0 };
    let verdictAgree = 0;
    let syntaxCases = 0;
    let syntaxAgree = 0;
    let bothErrors = 0;
    let lineAgree = 0;
    let lineNear = 0;
    const missed: string[] = [];
    const missedScope: string[] = [];
    const falseAlarms: string[] = [];
    const wrongLine: string[] = [];
    cases.forEach((c, i) => {
      const { raw, checked } = results[i]!;
      const where = `${c.file}: ${c.op}`;
      assert.notEqual(checked.status, 'unavailable', `${where}: ${JSON.stringify(checked)}`);
      const finding = syntaxFinding(checked, c.text, c.file);
      assert.equal(finding !== null, raw.category !== 'ok', `${where}: verdict differs from raw nix (${raw.detail})`);
      if (finding) {
        // Nix 2.8 reports a trailing-slash path just after it; the finding ranges back over the path, ending there.
        const backOverPath = raw.detail.startsWith('path has a trailing slash') && finding.range.end.line === raw.line
          && finding.range.end.character === raw.character;
        assert.deepEqual(backOverPath ? finding.range.end : finding.range.start, { line: raw.line, character: raw.character }, `${where}: ${raw.detail}`);
        assert.equal(finding.source, 'nix');
      }

      const nixError = raw.category !== 'ok';
      const fb = fallback(parser, c.text);
      counts[raw.category]++;
      if (fb.error === nixError) verdictAgree++;
      // Tree-sitter cannot know scopes or duplicate attributes; its own measure leaves those cases out.
      if (raw.category === 'ok' || raw.category === 'syntax') {
        syntaxCases++;
        if (fb.error === nixError) syntaxAgree++;
      }
      const entry = `${where}\n    nix:         ${raw.detail}\n    tree-sitter: ${fb.detail}\n    near:        ${snippet(c.text, c.at)}`;
      if (fb.error && nixError) {
        bothErrors++;
        if (fb.line === raw.line) lineAgree++; else wrongLine.push(entry);
        // Tree-sitter puts a missing `;` at the end of the previous line, Nix at the next token.
        if (Math.abs((fb.line ?? -9) - (raw.line ?? -9)) <= 1) lineNear++;
      } else if (nixError && !fb.error) (raw.category === 'syntax' ? missed : missedScope).push(entry);
      else if (!nixError && fb.error) falseAlarms.push(entry);
    });
    const fbMs = Date.now() - fbStarted;

    const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
    const evenly = (xs: string[], n: number) => (xs.length <= n ? xs : Array.from({ length: n }, (_, k) => xs[Math.floor((k * xs.length) / n)]!));
    const section = (title: string, xs: string[], n: number) => [`## ${title}: ${xs.length}, sample of ${Math.min(n, xs.length)}`, ...evenly(xs, n), ''];
    const report = [
      '# Tree-sitter fallback vs Nix: known syntax gaps',
      '#',
      '# Written by test/unit/syntaxDifferential.test.ts (deterministic: fixtures + seed). The fallback is used only',
      '# when nix-instantiate is unavailable; Nix is the authority. "line" compares the first problem\'s line.',
      '',
      `fixtures: ${sources.length} files; mutants: ${mutants.length} (seed ${SEED.toString(16)}; delete/duplicate/swap a token)`,
      `nix verdicts: ok ${counts.ok}, syntax error ${counts.syntax}, undefined variable ${counts.scope}, other parse error ${counts.other}`,
      `verdict agreement, all cases: ${pct(verdictAgree, cases.length)} (${verdictAgree}/${cases.length})`,
      `verdict agreement, syntax only (nix ok or syntax error): ${pct(syntaxAgree, syntaxCases)} (${syntaxAgree}/${syntaxCases})`,
      `disagreements: missed syntax errors ${missed.length}; missed scope/other errors ${missedScope.length}; false alarms ${falseAlarms.length}`,
      `same first line when both report an error: ${pct(lineAgree, bothErrors)} (${lineAgree}/${bothErrors}); ` +
        `within one line: ${pct(lineNear, bothErrors)} (${lineNear}/${bothErrors})`,
      '',
      ...section('Missed syntax errors (nix rejects, tree-sitter accepts)', missed, 10),
      ...section('False alarms (nix accepts, tree-sitter reports)', falseAlarms, 10),
      ...section('Both report an error, on different lines', wrongLine, 10),
      ...section('Missed non-syntax errors (undefined variable, duplicate attribute; out of tree-sitter\'s reach)', missedScope, 3),
    ].join('\n');
    fs.writeFileSync(GAPS_REPORT, report);

    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log([
      `syntax differential: ${cases.length} cases (${mutants.length} mutants of ${sources.length} fixtures), ${JOBS} jobs`,
      `  nix: ${seconds(nixMs)} (${(nixMs / cases.length).toFixed(1)} ms/case), then a determinism re-run of ${sample.length}`,
      `  tree-sitter fallback: ${seconds(fbMs)}; verdict agreement ${pct(verdictAgree, cases.length)} ` +
        `(syntax only ${pct(syntaxAgree, syntaxCases)}), missed syntax errors ${missed.length}, ` +
        `false alarms ${falseAlarms.length}, same line ${pct(lineAgree, bothErrors)}`,
      `  total ${seconds(Date.now() - started)}; gaps written to ${path.relative(ROOT, GAPS_REPORT)}`,
    ].join('\n'));
  });
