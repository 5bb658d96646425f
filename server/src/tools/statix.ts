// Runs `statix check -o json` on one file and turns its reports into findings, with statix's suggestions as fixes.
import type { Finding, Fix, Severity } from '../base/finding';
import { errorMessage } from '../base/log';
import type { Range } from '../base/text';
import {
  arr, ByteColumns, lintOneFile, fileArgument, MalformedOutput, num, record, str, type ToolRun,
} from './toolRun';

/**
 * Lint names by code, from statix 0.5.8 `lib/src/lints.rs` and `lib/src/lints/*.rs`. JSON carries only the number, and
 * the name is what `statix.toml`'s `disabled` list takes. W09 exists in the source but is not registered; it is kept
 * so a build that enables it still gets a name.
 */
export const STATIX_LINTS: ReadonlyMap<number, string> = new Map([
  [1, 'bool_comparison'],
  [2, 'empty_let_in'],
  [3, 'manual_inherit'],
  [4, 'manual_inherit_from'],
  [5, 'legacy_let_syntax'],
  [6, 'collapsible_let_in'],
  [7, 'eta_reduction'],
  [8, 'useless_parens'],
  [9, 'unquoted_splice'],
  [10, 'empty_pattern'],
  [11, 'redundant_pattern_bind'],
  [12, 'unquoted_uri'],
  [14, 'empty_inherit'],
  [17, 'deprecated_to_path'],
  [18, 'bool_simplification'],
  [19, 'useless_has_attr'],
  [20, 'repeated_keys'],
  [23, 'empty_list_concat'],
]);

/** `W04`, the spelling statix prints and `statix explain` accepts. */
export function statixCodeName(code: number): string {
  return `W${String(code).padStart(2, '0')}`;
}

/** The finding code: `W04/manual_inherit_from`, or just `W04` for a lint newer than the table. */
export function statixFindingCode(code: number): string {
  const name = STATIX_LINTS.get(code);
  return name ? `${statixCodeName(code)}/${name}` : statixCodeName(code);
}

const SEVERITIES: Readonly<Record<string, Severity>> = { Warn: 'warning', Error: 'error', Hint: 'hint' };

/**
 * Splits statix's JSON output, one pretty-printed object per file written back to back (neither an array nor one per
 * line), into the text of each object. Braces inside strings (fix texts are Nix code) do not count.
 */
export function splitConcatenatedJson(output: string): string[] {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 0) {
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (c !== '{') throw new MalformedOutput(`unexpected ${JSON.stringify(c)} between objects at offset ${i}`);
      start = i;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) throw new MalformedOutput(`unbalanced ${c} at offset ${i}`);
      if (depth === 0) objects.push(output.slice(start, i + 1));
    }
  }
  if (depth !== 0 || inString) throw new MalformedOutput('output ends inside an object');
  return objects;
}

/**
 * Findings for statix's `-o json` output. `fileText` returns the text statix read for a reported path (its columns
 * are UTF-8 bytes) or null when unknown. Syntax errors (code 0) are left to Nix, which words them better; when
 * `notes` is given they are described there. Throws MalformedOutput on anything not in statix's shape.
 */
export function parseStatixJson(
  output: string,
  fileText: (file: string) => string | null,
  notes?: string[],
): Finding[] {
  const findings: Finding[] = [];
  for (const chunk of splitConcatenatedJson(output)) {
    let value: unknown;
    try {
      value = JSON.parse(chunk);
    } catch (err) {
      throw new MalformedOutput(`invalid JSON: ${errorMessage(err)}`);
    }
    const obj = record(value, 'file entry');
    const file = str(obj.file, 'file');
    let columns: ByteColumns | undefined;
    const cols = () => (columns ??= new ByteColumns(fileText(file)));
    for (const reportValue of arr(obj.report, 'report')) {
      const report = record(reportValue, 'report');
      const note = str(report.note, 'note');
      const code = num(report.code, 'code');
      const severityName = str(report.severity, 'severity');
      const diagnostics = arr(report.diagnostics, 'diagnostics');
      if (code === 0) {
        for (const d of diagnostics) notes?.push(`statix: syntax error in ${file}: ${str(record(d, 'diagnostic').message, 'message')}`);
        continue;
      }
      // A severity newer than this code still deserves to be seen.
      const severity = SEVERITIES[severityName] ?? 'warning';
      for (const diagnosticValue of diagnostics) {
        const d = record(diagnosticValue, 'diagnostic');
        const finding: Finding = {
          file,
          range: span(d.at, cols()),
          severity,
          source: 'statix',
          code: statixFindingCode(code),
          message: str(d.message, 'message'),
        };
        const fix = suggestionFix(d.suggestion, note, cols());
        if (fix) finding.fixes = [fix];
        findings.push(finding);
      }
    }
  }
  return findings;
}

function suggestionFix(value: unknown, note: string, cols: ByteColumns): Fix | null {
  if (value === null || value === undefined) return null;
  const s = record(value, 'suggestion');
  const newText = str(s.fix, 'fix');
  // exec decodes output chunk by chunk, so a character split across chunks arrives as U+FFFD; applying that would
  // corrupt the file, while a missing fix costs nothing.
  if (newText.includes('\uFFFD')) return null;
  return { title: `statix: ${note}`, edits: [{ range: span(s.at, cols), newText }] };
}

function span(value: unknown, cols: ByteColumns): Range {
  const at = record(value, 'at');
  return { start: point(at.from, cols), end: point(at.to, cols) };
}

function point(value: unknown, cols: ByteColumns) {
  const p = record(value, 'position');
  return cols.position(num(p.line, 'line'), num(p.column, 'column'));
}

export interface StatixOptions {
  /** The statix executable: a name on PATH or a path. */
  statix: string;
  /** Where statix runs; it looks for statix.toml from here upward. */
  cwd: string;
  /** The file to lint, relative to `cwd` (what findings carry) or absolute. */
  file: string;
  /**
   * The file's saved text, which is what statix reads: its columns are UTF-8 bytes, and converting them needs the
   * text. Without it, columns are taken as characters (exact for ASCII lines).
   */
  text?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Lints the saved file, as deadnix (which has no stdin mode) must too. A buffer with unsaved edits gets positions in
 * the saved text, so callers lint on save or map the ranges.
 */
export function runStatix(opts: StatixOptions): Promise<ToolRun> {
  return lintOneFile('statix', opts.statix, ['check', '-o', 'json', fileArgument(opts.file)], opts, parseStatixJson);
}
