// The flake inputs to index from the Nix store: asks Nix once per flake.lock content (trusted workspaces only, in the
// background so no request waits for a process) and keeps the inputs the workspace reads that are on this machine.
import * as path from 'node:path';
import { errorMessage, type Logger } from '../base/log';
import { usedInputNames } from '../features/usedInputs';
import type { IndexSnapshot } from '../index/workspaceIndex';
import { lockedInputPaths } from '../tools/flakeInputs';
import { isDirectory, readText } from '../vfs/discovery';

export interface FlakeLockOptions {
  /** `hostlens.externalSourcesFromFlakeLock`. */
  enabled: boolean;
  /** Workspace Trust: nix runs only in a trusted workspace. */
  trusted: boolean;
  /** `hostlens.paths.nix`; empty: `nix` on PATH. */
  nix: string;
}

const EMPTY: ReadonlyMap<string, string> = new Map();
/** A flake.lock larger than this is not read (real ones are tens of kilobytes). */
const MAX_LOCK_SIZE = 4 * 1024 * 1024;

export class FlakeLockInputs {
  /** Root, nix and flake.lock text of the last resolution started: a new text starts another. */
  private key = '';
  private resolved: ReadonlyMap<string, string> = EMPTY;
  private running: AbortController | null = null;
  /** The nix setting that was not found: not tried again until the setting changes. */
  private nixMissing: string | null = null;

  constructor(private readonly log: Logger, private readonly changed: () => void = () => undefined) {}

  /**
   * Input name -> store folder for the locked inputs resolved so far (empty until Nix has answered). Reads
   * flake.lock (one small file) and, when its content is new, starts resolving it; never waits for Nix.
   */
  async current(root: string | null, opts: FlakeLockOptions, snapshot: () => IndexSnapshot | null): Promise<ReadonlyMap<string, string>> {
    if (!root || !opts.enabled || !opts.trusted || this.nixMissing === opts.nix || !snapshot()) return EMPTY;
    const lock = await readText(path.join(root, 'flake.lock'), MAX_LOCK_SIZE);
    const key = JSON.stringify([root, opts.nix, lock]);
    if (key !== this.key) {
      this.key = key;
      this.running?.abort();
      this.resolved = EMPTY;
      if (lock !== null) this.start(root, opts.nix, key, snapshot);
    }
    return this.resolved;
  }

  dispose(): void { this.running?.abort(); }

  private start(root: string, nix: string, key: string, snapshot: () => IndexSnapshot | null): void {
    const controller = new AbortController();
    this.running = controller;
    this.resolve(root, nix, controller.signal, snapshot)
      .then((found) => {
        if (this.key !== key) return;
        this.running = null;
        this.resolved = found;
        if (found.size > 0) this.changed();
      })
      .catch((err: unknown) => this.log.error(`resolving flake inputs failed: ${errorMessage(err)}`));
  }

  private async resolve(root: string, nix: string, signal: AbortSignal, snapshot: () => IndexSnapshot | null): Promise<ReadonlyMap<string, string>> {
    const r = await lockedInputPaths(root, { nix: nix || undefined, signal });
    if (r.status !== 'ok') {
      if (r.missing) this.nixMissing = nix;
      if (r.reason !== 'cancelled') this.log.warn(`Flake inputs are not indexed from the Nix store: ${r.reason}`);
      return EMPTY;
    }
    const snap = snapshot();
    const used = snap ? usedInputNames(snap, r.inputs.keys()) : new Set<string>();
    const out = new Map<string, string>();
    const absent: string[] = [];
    for (const [name, storePath] of [...r.inputs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!used.has(name)) continue;
      if (await isDirectory(storePath)) out.set(name, storePath);
      else absent.push(name);
    }
    const unused = [...r.inputs.keys()].filter((n) => !used.has(n));
    this.log.info(`Flake inputs from flake.lock: ${out.size > 0 ? [...out.keys()].join(', ') : 'none'} indexed`
      + (unused.length > 0 ? `; not read by the workspace: ${unused.join(', ')}` : ''));
    if (absent.length > 0) this.log.info(`Locked inputs not in the Nix store yet (\`nix flake archive\` fetches them): ${absent.join(', ')}`);
    return out;
  }
}
