// Asks Nix itself whether a buffer parses (`nix-instantiate --parse -`): the authority on syntax, unlike tree-sitter.
import * as os from 'node:os';
import { exec } from './exec';

export type NixSyntaxResult =
  | { status: 'ok' }
  /** `line` and `column` are Nix's own: 1-based, lines split at LF, CR or CRLF, columns counted in UTF-8 bytes. */
  | { status: 'error'; message: string; line: number; column: number }
  | { status: 'unavailable'; reason: string };

export interface NixSyntaxOptions {
  nixInstantiate?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Binaries known to reject `--store dummy://` (Nix before 2.4). The dummy store keeps a parse from opening the
 * store database or connecting to the daemon, which costs time, takes the big lock, and fails for users without access.
 */
const noDummyStore = new Set<string>();

export async function checkNixSyntax(text: string, opts: NixSyntaxOptions = {}): Promise<NixSyntaxResult> {
  const bin = opts.nixInstantiate ?? 'nix-instantiate';
  const dummy = !noDummyStore.has(bin);
  const first = await run(bin, text, opts, dummy);
  if (!dummy || first.result.status !== 'unavailable' || !/dummy|--store/.test(first.stderr)) return first.result;
  noDummyStore.add(bin);
  return (await run(bin, text, opts, false)).result;
}

async function run(
  bin: string, text: string, opts: NixSyntaxOptions, dummyStore: boolean,
): Promise<{ result: NixSyntaxResult; stderr: string }> {
  const args = [...(dummyStore ? ['--store', 'dummy://'] : []), '--parse', '-'];
  const r = await exec(bin, args, {
    stdin: text,
    timeoutMs: opts.timeoutMs ?? 10_000,
    signal: opts.signal,
    // `./relative` path literals resolve against the cwd when parsed; a neutral directory keeps the workspace untouched.
    cwd: os.tmpdir(),
    // The parsed expression is echoed on stdout and is of no use; only stderr matters, and it is short.
    maxOutput: 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const done = (result: NixSyntaxResult) => ({ result, stderr: r.stderr });
  if (r.failure === 'not-found') return done({ status: 'unavailable', reason: `${bin} not found` });
  if (r.failure === 'timeout') return done({ status: 'unavailable', reason: `${bin} timed out` });
  if (r.failure === 'cancelled') return done({ status: 'unavailable', reason: 'cancelled' });
  if (r.code === 0) return done({ status: 'ok' });
  const parsed = parseNixError(r.stderr);
  if (parsed) return done({ status: 'error', ...parsed });
  const firstLine = stripAnsi(r.stderr).trim().split('\n')[0] ?? '';
  return done({ status: 'unavailable', reason: `unexpected output from ${bin} (exit ${r.code ?? 'signal'}): ${firstLine}` });
}

// «stdin» (2.4+), (string) and (stdin) (older), or a file path when a caller passes one.
const ORIGIN = String.raw`(?:«[^»\n]*»|\([^)\n]*\)|/[^\n:]*)`;
/** Nix 2.4+: the position on its own line after the message, then a code frame. */
const POSITION_LINE = new RegExp(String.raw`^\s*at ${ORIGIN}:(\d+):(\d+):?\s*$`);
/** Nix 2.3 and older: `error: <message>, at (string):1:19` on one line. */
const POSITION_SUFFIX = new RegExp(String.raw`^(.*?),? at ${ORIGIN}:(\d+):(\d+)\s*$`);

/** Nix's stderr for a failed parse, or null when it is not a positioned error (a crash, a store problem, …). */
export function parseNixError(stderr: string): { message: string; line: number; column: number } | null {
  const lines = stripAnsi(stderr).split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('error:'));
  if (start < 0) return null;
  const head = (lines[start] ?? '').slice('error:'.length).trim();
  const message: string[] = [head];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const m = POSITION_LINE.exec(l);
    if (m) return { message: message.join(' ').trim(), line: Number(m[1]), column: Number(m[2]) };
    // The code frame and traces come after the position; anything before it continues the message.
    if (l.trim() !== '') message.push(l.trim());
  }
  const old = POSITION_SUFFIX.exec(head);
  if (old) return { message: (old[1] ?? '').trim(), line: Number(old[2]), column: Number(old[3]) };
  return null;
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
