// Nix's parse verdict for many saved files with few processes: `nix-instantiate --parse a.nix b.nix …` stops at the
// first bad file, whose path its error names, so a workspace costs one process plus one per file with an error.
import * as os from 'node:os';
import * as path from 'node:path';
import { exec } from './exec';
import { parseNixError, type NixSyntaxResult } from './nixSyntax';

export interface NixBatchOptions {
  nixInstantiate?: string;
  /** For each process; a batch runs several. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Keeps each argument vector far below ARG_MAX (2 MiB on Linux, less elsewhere). */
const MAX_ARGS_BYTES = 96 * 1024;

/**
 * The verdict for each of `files` (paths relative to `root`), read from disk. A file Nix could not be asked about
 * (no nix-instantiate, a timeout, output it did not understand) is `unavailable`, so the caller falls back for it.
 */
export async function checkNixSyntaxFiles(root: string, files: readonly string[], opts: NixBatchOptions = {}): Promise<Map<string, NixSyntaxResult>> {
  const out = new Map<string, NixSyntaxResult>();
  const bin = opts.nixInstantiate ?? 'nix-instantiate';
  let dummyStore = true;
  let rest = [...files];
  while (rest.length > 0) {
    const chunk = takeChunk(root, rest);
    const abs = chunk.map((f) => path.join(root, f));
    const args = [...(dummyStore ? ['--store', 'dummy://'] : []), '--parse', ...abs];
    const r = await exec(bin, args, {
      timeoutMs: opts.timeoutMs ?? 20_000, signal: opts.signal, cwd: os.tmpdir(), stdout: 'ignore', env: { ...process.env, NO_COLOR: '1' },
    });
    const giveUp = (reason: string) => { for (const f of rest) out.set(f, { status: 'unavailable', reason }); rest = []; };
    if (r.failure === 'not-found') { giveUp(`${bin} not found`); break; }
    if (r.failure) { giveUp(r.failure === 'timeout' ? `${bin} timed out` : 'cancelled'); break; }
    if (r.code === 0) {
      for (const f of chunk) out.set(f, { status: 'ok' });
      rest = rest.slice(chunk.length);
      continue;
    }
    if (dummyStore && /dummy|--store/.test(r.stderr) && !errorOrigin(r.stderr)) { dummyStore = false; continue; }
    const origin = errorOrigin(r.stderr);
    const bad = origin === null ? -1 : abs.indexOf(origin);
    const parsed = parseNixError(r.stderr);
    if (bad < 0 || !parsed) { giveUp(`unexpected output from ${bin}: ${firstLine(r.stderr)}`); break; }
    for (const f of chunk.slice(0, bad)) out.set(f, { status: 'ok' });
    out.set(chunk[bad]!, { status: 'error', ...parsed });
    rest = rest.slice(bad + 1);
  }
  return out;
}

function takeChunk(root: string, files: readonly string[]): string[] {
  let bytes = 0;
  let n = 0;
  while (n < files.length && (n === 0 || bytes < MAX_ARGS_BYTES)) bytes += root.length + files[n++]!.length + 2;
  return files.slice(0, n);
}

/** The file a positioned Nix error is about: `at /abs/file.nix:3:5:` (2.4+) or `…, at /abs/file.nix:3:5` (older). */
export function errorOrigin(stderr: string): string | null {
  for (const line of stderr.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n/)) {
    const m = /(?:^\s*|, )at (\/.*?):\d+:\d+:?\s*$/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
