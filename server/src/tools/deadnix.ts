// Runs `deadnix -o json` on one file and turns its unused-binding reports into faded findings, with a fix where safe.
import type { Finding, Fix } from '../base/finding';
import { errorMessage } from '../base/log';
import { LineIndex, type Range } from '../base/text';
import {
  arr, ByteColumns, lintOneFile, fileArgument, MalformedOutput, num, record, str, type ToolRun,
} from './toolRun';

/**
 * Findings for deadnix's `-o json` output: one JSON object per line, per file with results. `column` and `endColumn`
 * are 1-based UTF-8 byte columns from the start of `line`, `endColumn` exclusive. Results without a position are
 * deadnix's parse and read errors; they are described in `notes` (when given) instead, as Nix reports syntax better.
 * Throws MalformedOutput on anything not in deadnix's shape.
 */
export function parseDeadnixJson(
  output: string,
  fileText: (file: string) => string | null,
  notes?: string[],
): Finding[] {
  const findings: Finding[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new MalformedOutput(`invalid JSON line: ${errorMessage(err)}`);
    }
    const obj = record(value, 'file entry');
    const file = str(obj.file, 'file');
    let context: { text: string | null; columns: ByteColumns } | undefined;
    const ctx = () => {
      if (!context) {
        const text = fileText(file);
        context = { text, columns: new ByteColumns(text) };
      }
      return context;
    };
    for (const resultValue of arr(obj.results, 'results')) {
      const result = record(resultValue, 'result');
      const message = str(result.message, 'message');
      if (result.line === undefined) {
        notes?.push(`deadnix: ${file}: ${message}`);
        continue;
      }
      const lineNo = num(result.line, 'line');
      const { text, columns } = ctx();
      // Both columns count from the start of `line`; a binding name is one token, so they share it.
      const range: Range = {
        start: columns.position(lineNo, num(result.column, 'column')),
        end: columns.position(lineNo, num(result.endColumn, 'endColumn')),
      };
      const finding: Finding = { file, range, severity: 'warning', source: 'deadnix', code: 'unused', message, unnecessary: true };
      const fix = text === null ? null : unusedFix(message, text, range);
      if (fix) finding.fixes = [fix];
      findings.push(finding);
    }
  }
  return findings;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/**
 * deadnix's JSON does not say which syntax a binding came from, so the fix is derived from the text around the name
 * and offered only where it cannot change what the code means:
 * - a plain lambda argument `x: …` is renamed `_x`, which deadnix never reports; not when `_x` already occurs in the
 *   file, since the new name could capture a reference to an outer `_x`;
 * - a pattern's `args@` / `@args` binding is removed (deadnix still reports `_args@`, so renaming would not help);
 * - a pattern name `{ lib, ... }` gets nothing: renaming or dropping it changes which arguments the function accepts;
 * - let bindings and the rest need a syntax tree to remove cleanly, so they get nothing here.
 */
function unusedFix(message: string, text: string, range: Range): Fix | null {
  const lines = new LineIndex(text);
  const start = lines.offset(range.start);
  const end = lines.offset(range.end);
  const name = text.slice(start, end);
  // A file edited since deadnix read it no longer has the name where deadnix saw it.
  if (!IDENT.test(name)) return null;
  if (message === `Unused lambda argument: ${name}`) {
    const renamed = `_${name}`;
    if (new RegExp(`(?<![A-Za-z0-9_'-])${escapeRegExp(renamed)}(?![A-Za-z0-9_'-])`).test(text)) return null;
    return { title: `deadnix: rename unused argument \`${name}\` to \`${renamed}\``, edits: [{ range: { start: range.start, end: range.start }, newText: '_' }] };
  }
  if (message === `Unused lambda pattern: ${name}`) {
    const removal = atBindingRemoval(text, start, end);
    if (!removal) return null;
    return { title: `deadnix: remove unused \`@${name}\` binding`, edits: [{ range: lines.range(removal), newText: '' }] };
  }
  return null;
}

/** The span to delete for `name @ {` or `} @ name`, or null when the name is not an @-binding. */
function atBindingRemoval(text: string, start: number, end: number): { start: number; end: number } | null {
  const isSpace = (i: number) => /[ \t\r\n]/.test(text[i] ?? '');
  let j = end;
  while (isSpace(j)) j++;
  if (text[j] === '@') {
    let k = j + 1;
    while (isSpace(k)) k++;
    if (text[k] === '{') return { start, end: k };
  }
  j = start - 1;
  while (j >= 0 && isSpace(j)) j--;
  if (text[j] === '@') {
    let k = j - 1;
    while (k >= 0 && isSpace(k)) k--;
    if (text[k] === '}') return { start: k + 1, end };
  }
  return null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

export interface DeadnixOptions {
  /** The deadnix executable: a name on PATH or a path. */
  deadnix: string;
  cwd: string;
  /** The file to lint, relative to `cwd` (what findings carry) or absolute. */
  file: string;
  /**
   * The file's saved text, which is what deadnix reads. Converting its byte columns needs it, and fixes are only
   * offered when it is known, since they are checked against the text around the name.
   */
  text?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Lints the saved file: deadnix has no stdin mode, so a buffer with unsaved edits gives positions in the saved text.
 */
export function runDeadnix(opts: DeadnixOptions): Promise<ToolRun> {
  // A file deadnix cannot stat or read comes back as a positionless record (a note), not as a failed exit.
  return lintOneFile('deadnix', opts.deadnix, ['-o', 'json', fileArgument(opts.file)], opts, parseDeadnixJson);
}
