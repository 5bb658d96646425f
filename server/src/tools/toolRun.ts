// What running an external linter yields, and the pieces statix and deadnix share: exit classification and byte columns.
import type { Finding } from '../base/finding';
import type { Position } from '../base/text';
import { errorMessage } from '../base/log';
import { exec, onPath, type ExecOptions, type ExecResult } from './exec';

/**
 * A linter run never throws: a missing, hanging or broken tool is an expected state the editor shows once, not a crash.
 * `notes` are reports deliberately not turned into findings (syntax errors Nix reports better, unreadable files), for
 * the log. `cancelled` lets callers drop a superseded run silently instead of reporting it as a failure.
 */
export type ToolRun =
  | { status: 'ok'; findings: Finding[]; notes?: string[] }
  | { status: 'missing' | 'timeout' | 'failed' | 'malformed' | 'cancelled'; detail: string };

/**
 * exec, but a synchronous spawn error (a NUL byte in an argument, an invalid option) becomes a result: the run
 * functions promise never to throw.
 */
export async function execTool(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult | { error: string }> {
  try {
    return await exec(command, args, options);
  } catch (err) {
    return { error: `could not start ${command}: ${errorMessage(err)}` };
  }
}

/** Thrown by the output parsers; the run functions turn it into `{ status: 'malformed' }`. */
export class MalformedOutput extends Error {}

/**
 * Shared verdict on a finished linter process, or null when its stdout should be parsed. Both linters exit 0 or 1 on
 * success, and statix prints internal errors (unreadable file, bad statix.toml) to stderr yet still exits 0, so empty
 * stdout beside a complaint on stderr is a failure whatever the code.
 */
export function classifyLinterExit(tool: string, command: string, cwd: string, r: ExecResult): ToolRun | null {
  if (r.failure === 'not-found') return notFound(tool, command, cwd);
  if (r.failure === 'timeout') return { status: 'timeout', detail: `${tool} did not finish in time` };
  if (r.failure === 'cancelled') return { status: 'cancelled', detail: 'cancelled' };
  const stderr = firstLines(r.stderr);
  if (r.code === null) return { status: 'failed', detail: stderr || `${tool} could not be started or was killed` };
  if (r.code !== 0 && r.code !== 1) return { status: 'failed', detail: `${tool} exited with code ${r.code}${stderr ? `: ${stderr}` : ''}` };
  if (r.stdout.trim() === '' && stderr !== '') return { status: 'failed', detail: stderr };
  return null;
}

/**
 * spawn reports a missing working directory as ENOENT too; when the program itself can be found, that is the cause,
 * and "not installed" would send the user looking in the wrong place.
 */
export function notFound(tool: string, command: string, cwd: string | undefined): { status: 'missing' | 'failed'; detail: string } {
  if (cwd !== undefined && onPath(command)) return { status: 'failed', detail: `could not start ${tool} in ${cwd}: no such directory` };
  return { status: 'missing', detail: `${tool} not found (${command})` };
}

/** Enough of a tool's stderr to identify the problem without flooding a log line. */
export function firstLines(text: string, max = 5): string {
  return text.trim().split('\n').slice(0, max).join('\n');
}

/**
 * A leading `-` would make the tool read the file name as a flag; `./` keeps the same file without a `--`, which not
 * every tool version accepts in the same place.
 */
export function fileArgument(file: string): string {
  return file.startsWith('-') ? `./${file}` : file;
}

/**
 * Converts the Rust linters' positions (1-based line split at LF only, 1-based column counted in UTF-8 bytes from the
 * line start) to editor positions in the text the tool read. Without the text, columns are taken as characters,
 * which is exact for ASCII lines and close otherwise, better than dropping the finding.
 */
export class ByteColumns {
  private readonly lineStarts: number[] | null;

  constructor(private readonly text: string | null) {
    if (text === null) {
      this.lineStarts = null;
      return;
    }
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /**
   * Lines past the end clamp to the end of the text and columns past the end of a line clamp to its end, so a file
   * edited since the tool read it still yields a usable range. A column inside a multi-byte character rounds down.
   */
  position(line: number, byteColumn: number): Position {
    const lineIndex = Math.max(0, line - 1);
    if (this.text === null || this.lineStarts === null) return { line: lineIndex, character: Math.max(0, byteColumn - 1) };
    const text = this.text;
    if (lineIndex >= this.lineStarts.length) {
      const last = this.lineStarts.length - 1;
      return { line: last, character: text.length - (this.lineStarts[last] ?? 0) };
    }
    const start = this.lineStarts[lineIndex] ?? 0;
    let i = start;
    let bytes = byteColumn - 1;
    while (bytes > 0 && i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) break;
      const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      // A lone surrogate reached the tool as the 3-byte U+FFFD.
      const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
      if (size > bytes) break;
      bytes -= size;
      i += pair ? 2 : 1;
    }
    return { line: lineIndex, character: i - start };
  }
}

// Narrowing helpers for tool JSON: checked field by field so a format change is reported, not half-parsed.

export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedOutput(`${what} is not an object`);
  return value as Record<string, unknown>;
}

export function arr(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedOutput(`${what} is not an array`);
  return value;
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new MalformedOutput(`${what} is not a string`);
  return value;
}

/** A non-negative integer, as every line, column and code in these formats is. */
export function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new MalformedOutput(`${what} is not a count`);
  return value;
}

/** What a single-file lint run needs; `text` is the saved file (the tools read the disk, not the editor). */
export interface LintFileOptions { cwd: string; file: string; text?: string | null; signal?: AbortSignal; timeoutMs?: number }

/**
 * Runs a linter on one saved file and parses its JSON: shared by statix and deadnix, which differ only in their
 * arguments and their output format. Findings are re-labelled with `file`, since one file was linted.
 */
export async function lintOneFile(
  tool: 'statix' | 'deadnix', command: string, args: readonly string[], opts: LintFileOptions,
  parse: (stdout: string, text: () => string | null, notes: string[]) => Finding[],
): Promise<ToolRun> {
  const r = await execTool(command, args, { cwd: opts.cwd, signal: opts.signal, timeoutMs: opts.timeoutMs ?? 15_000 });
  if ('error' in r) return { status: 'failed', detail: r.error };
  const verdict = classifyLinterExit(tool, command, opts.cwd, r);
  if (verdict) return verdict;
  const text = opts.text ?? null;
  const notes: string[] = [];
  try {
    const findings = parse(r.stdout, () => text, notes).map((f) => ({ ...f, file: opts.file }));
    return notes.length > 0 ? { status: 'ok', findings, notes } : { status: 'ok', findings };
  } catch (err) {
    if (err instanceof MalformedOutput) return { status: 'malformed', detail: `${tool}: ${err.message}` };
    return { status: 'failed', detail: `${tool} output could not be read: ${errorMessage(err)}` };
  }
}
