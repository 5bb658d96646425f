// Per-file results over a fixed list of files, carried from one snapshot to the next: a file is worked out again only
// when the index says it changed, so after a keystroke only the edited file is read. Holders key a scan on the
// HostGraph their file list comes from (the same object until the graph is rebuilt, which also restarts the log).
import type { IndexSnapshot } from '../index/workspaceIndex';

export class FileScan<R> {
  private readonly out: R[] = [];
  private at: IndexSnapshot | null = null;
  private index: Map<string, number> | null = null;

  constructor(
    readonly files: readonly string[],
    /** The result for `files[index]` as of `snap`. */
    private readonly work: (index: number, snap: IndexSnapshot) => R,
    /** Whether a result contributes nothing (its file changing then changes no answer). */
    private readonly isNone: (r: R) => boolean,
  ) {}

  /**
   * Brings every result up to `snap`. True when a result that contributes something changed (a file that mattered
   * before or matters now): callers then assemble their answer again, else the previous answer still holds.
   * Which files changed comes from the index's change log, so no parse is held here (an old version of a large file
   * would stay in memory with its AST for as long as the scan lives).
   */
  update(snap: IndexSnapshot): boolean {
    if (snap === this.at) return false;
    const changedFiles = this.at ? snap.changedFiles(this.at.revision) : null;
    this.at = snap;
    if (!changedFiles) {
      for (let i = 0; i < this.files.length; i++) this.out[i] = this.work(i, snap);
      return true;
    }
    let changed = false;
    for (const f of changedFiles) {
      const i = this.indexOf(f);
      if (i === undefined) continue;
      const r = this.work(i, snap);
      if (!(this.isNone(r) && this.isNone(this.out[i]!))) changed = true;
      this.out[i] = r;
    }
    return changed;
  }

  indexOf(file: string): number | undefined {
    this.index ??= new Map(this.files.map((f, i) => [f, i]));
    return this.index.get(file);
  }

  /** The results, in the order of `files`, for the snapshot last passed to `update` (read them before the next). */
  get results(): readonly R[] { return this.out; }
}

/** A bounded map: cleared when full, so caches keyed by request (hosts, option path) cannot grow without end. */
export function boundedGet<K, V>(map: Map<K, V>, key: K, limit: number, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= limit) map.clear();
    v = make();
    map.set(key, v);
  }
  return v;
}
