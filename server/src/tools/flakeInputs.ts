// Where the locked inputs of a flake live in the Nix store, as `nix flake archive --json --dry-run` reports them:
// computed from flake.lock's hashes, so nothing is fetched, flake.lock is never written, and no network is waited on.
import { NIX_FLAGS } from '../shared/commandLines';
import { exec } from './exec';

export type FlakeInputsResult =
  /** Top-level input name -> store path (which may not have been fetched to this machine yet). */
  | { status: 'ok'; inputs: Map<string, string> }
  /** `missing`: the nix executable was not found (worth remembering; other failures may pass). */
  | { status: 'unavailable'; reason: string; missing?: true };

export interface FlakeInputsOptions {
  /** The nix executable: a name on PATH or a path. */
  nix?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * `--dry-run` computes store paths from the lock instead of fetching (a private `git+ssh` input would otherwise
 * prompt or hang, and a nixpkgs tarball costs minutes offline); `--no-update-lock-file` refuses to change
 * flake.lock (the user updates inputs on purpose); `--offline` keeps an unlocked input from retrying the network.
 * The flake is `.` in its own folder, so a path with `#` or `?` is not read as a URL.
 */
export function flakeArchiveArgs(): string[] {
  return ['flake', 'archive', ...NIX_FLAGS, '--json', '--dry-run', '--no-update-lock-file', '--offline', '.'];
}

export async function lockedInputPaths(flakeDir: string, opts: FlakeInputsOptions = {}): Promise<FlakeInputsResult> {
  const bin = opts.nix?.trim() || 'nix';
  const r = await exec(bin, flakeArchiveArgs(), {
    cwd: flakeDir, timeoutMs: opts.timeoutMs ?? 30_000, signal: opts.signal, maxOutput: 4 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.failure === 'not-found') return { status: 'unavailable', reason: `${bin} was not found`, missing: true };
  if (r.failure === 'timeout') return { status: 'unavailable', reason: `${bin} flake archive timed out` };
  if (r.failure === 'cancelled') return { status: 'unavailable', reason: 'cancelled' };
  if (r.code !== 0) return { status: 'unavailable', reason: `${bin} flake archive failed (exit ${r.code ?? 'signal'}): ${firstError(r.stderr)}` };
  const parsed = parseFlakeArchive(r.stdout);
  return 'error' in parsed ? { status: 'unavailable', reason: `unexpected output from ${bin} flake archive: ${parsed.error}` } : { status: 'ok', inputs: parsed.inputs };
}

/**
 * `{"path": "/nix/store/…-source", "inputs": {"<name>": {"path": "/nix/store/…", "inputs": {…}}}}` -> the top-level
 * inputs' store paths. An entry without an absolute path is left out; a document of another shape is an error.
 */
export function parseFlakeArchive(stdout: string): { inputs: Map<string, string> } | { error: string } {
  let doc: unknown;
  try { doc = JSON.parse(stdout); } catch { return { error: stdout.trim() === '' ? 'no output' : 'not JSON' }; }
  if (!isObject(doc)) return { error: 'not a JSON object' };
  if (!isObject(doc.inputs)) return { error: 'no "inputs" object' };
  const inputs = new Map<string, string>();
  for (const [name, entry] of Object.entries(doc.inputs)) {
    const p = isObject(entry) ? entry.path : undefined;
    if (name !== '' && typeof p === 'string' && p.startsWith('/')) inputs.set(name, p);
  }
  return { inputs };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first `error:` line of Nix's stderr (or its first line), for a log message. */
function firstError(stderr: string): string {
  const lines = stderr.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.find((l) => l.startsWith('error:')) ?? lines[0] ?? 'no message';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
