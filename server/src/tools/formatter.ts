// Formats a buffer with alejandra or nixfmt through stdin, and asks either whether a buffer is already formatted.
import type { ExecResult } from './exec';
import { execTool, firstLines, notFound } from './toolRun';

export type FormatterTool = 'alejandra' | 'nixfmt';

export interface FormatterOptions {
  /** The executable: a name on PATH or a path; defaults to the tool's name. */
  command?: string;
  /**
   * Where the formatter runs. alejandra reads `alejandra.toml` from its working directory, so this should be the
   * workspace root.
   */
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

type Trouble = { status: 'missing' | 'failed' | 'timeout' | 'cancelled'; detail: string };
export type FormatResult = { status: 'ok'; text: string } | { status: 'unchanged' } | Trouble;
export type CheckResult = { status: 'formatted' } | { status: 'needs-formatting' } | Trouble;

/**
 * Argument vectors for formatting stdin to stdout, or for checking stdin with `check`. `path` only names the buffer
 * in nixfmt's messages (alejandra has no such option and says `<anonymous file on stdin>`). Both read a lone `-` as
 * stdin; a bare call also does, but nixfmt warns that this is deprecated. `--filename=` is one argument so a path
 * starting with `-` cannot be taken for a flag.
 */
export function formatArgs(tool: FormatterTool, path: string, opts: { check?: boolean } = {}): string[] {
  const check = opts.check ? ['--check'] : [];
  if (tool === 'alejandra') return [...check, '-q', '-'];
  return [...check, ...(path ? [`--filename=${path}`] : []), '-'];
}

/**
 * What a check run's exit means. alejandra: 2 needs formatting, 1 is an error (a parse error, a bad
 * alejandra.toml). nixfmt uses 1 for both, and tells them apart only by printing `<name>: not formatted`.
 */
export function interpretCheck(tool: FormatterTool, path: string, r: ExecResult): CheckResult {
  if (r.code === 0) return { status: 'formatted' };
  if (tool === 'alejandra' && r.code === 2) return { status: 'needs-formatting' };
  if (tool === 'nixfmt' && r.code === 1) {
    const name = path || '<stdin>';
    if (r.stderr.split('\n').some((line) => line.trimEnd() === `${name}: not formatted`)) return { status: 'needs-formatting' };
  }
  return { status: 'failed', detail: failureDetail(tool, r) };
}

/**
 * Formats `text` as the file `path`. Only a clean exit counts: on a parse error alejandra still prints its input
 * unchanged to stdout, which must not read as "already formatted".
 */
export async function formatWith(tool: FormatterTool, path: string, text: string, opts: FormatterOptions = {}): Promise<FormatResult> {
  const command = opts.command ?? tool;
  // exec stops collecting at the cap without saying so; a cap the output cannot legitimately reach makes hitting it
  // proof of truncation rather than a silently shortened document.
  const maxOutput = Math.max(8 * 1024 * 1024, text.length * 4 + 1024);
  const r = await run(tool, command, formatArgs(tool, path), text, opts, maxOutput);
  if ('status' in r) return r;
  if (r.code !== 0) return { status: 'failed', detail: failureDetail(tool, r) };
  if (r.stdout.length >= maxOutput) return { status: 'failed', detail: `${tool} output was too large` };
  // exec decodes each chunk on its own, so a character split across chunks arrives as U+FFFD; replacing the buffer
  // with that would corrupt the file.
  if (r.stdout.includes('\uFFFD') && !text.includes('\uFFFD')) return { status: 'failed', detail: `${tool} output could not be decoded` };
  if (r.stdout.trim() === '' && text.trim() !== '') return { status: 'failed', detail: `${tool} printed nothing` };
  return r.stdout === text ? { status: 'unchanged' } : { status: 'ok', text: r.stdout };
}

/** Whether `text` is already formatted, by the tool's own check mode. */
export async function checkFormatting(tool: FormatterTool, path: string, text: string, opts: FormatterOptions = {}): Promise<CheckResult> {
  const command = opts.command ?? tool;
  // alejandra prints the formatted text even when checking; only the exit code and stderr matter.
  const r = await run(tool, command, formatArgs(tool, path, { check: true }), text, opts, 1024 * 1024);
  if ('status' in r) return r;
  return interpretCheck(tool, path, r);
}

async function run(
  tool: FormatterTool, command: string, args: string[], text: string, opts: FormatterOptions, maxOutput: number,
): Promise<ExecResult | Trouble> {
  const r = await execTool(command, args, { cwd: opts.cwd, stdin: text, signal: opts.signal, timeoutMs: opts.timeoutMs ?? 10_000, maxOutput });
  if ('error' in r) return { status: 'failed', detail: r.error };
  if (r.failure === 'not-found') return notFound(tool, command, opts.cwd);
  if (r.failure === 'timeout') return { status: 'timeout', detail: `${tool} did not finish in time` };
  if (r.failure === 'cancelled') return { status: 'cancelled', detail: 'cancelled' };
  return r;
}

function failureDetail(tool: FormatterTool, r: ExecResult): string {
  const stderr = firstLines(r.stderr, 10);
  const code = r.code === null ? 'was killed' : `exited with code ${r.code}`;
  return stderr ? `${tool} ${code}: ${stderr}` : `${tool} ${code}`;
}
