// The workspace model: file texts in, host index out. Parses lazily, keeps trees only for open files, and rebuilds
// the host graph only when an edit changed what a file references (an edit inside a string or comment does not).
import type { Expr } from '../syntax/ast';
import { OpenFile, parseFull, parseText, type ParsedFile } from '../syntax/parsedFile';
import type { NixParser, TextEdit } from '../syntax/parser';
import { FileSet } from './eval/fileSet';
import { FACT_INTEREST, summarize, type FileSummary } from './fileSummary';
import { evaluateFlake, FLAKE, type FlakeModel } from './flake';
import { buildHostGraph, type HostGraph } from './hostGraph';

export interface IndexOptions {
  /** Files larger than this are listed (they can be referenced) but not parsed. */
  maxFileSize: number;
  /** Lower every file's AST while parsing it (a full check needs them all; the editor lowers on demand). */
  eagerAst?: boolean;
}

export const DEFAULT_OPTIONS: IndexOptions = { maxFileSize: 2 * 1024 * 1024 };

/** Why a `.nix` file is not parsed: it is listed and can be referenced, but its own references are unknown. */
export type SkipReason = 'too-large' | 'binary';

interface FileState {
  text: string | null;
  skipped: SkipReason | null;
  open: OpenFile | null;
  parsed: ParsedFile | null;
  summary: FileSummary | null;
  graphKey: string | null;
}

/** An immutable view for features and handlers: never sees a half-applied change. */
export interface IndexSnapshot {
  readonly revision: number;
  readonly files: FileSet;
  readonly flake: FlakeModel;
  readonly graph: HostGraph;
  parsed(file: string): ParsedFile | null;
  summary(file: string): FileSummary | null;
  skipped(file: string): SkipReason | null;
  hostsOf(file: string): string[];
  /**
   * The files whose parse may differ between this snapshot and the one at `revision` (older or newer) of the same
   * index and host graph; null when the index can no longer tell (the graph was rebuilt since, or the log trimmed).
   * Lets caches kept per host graph look at the edited files only.
   */
  changedFiles(revision: number): ReadonlySet<string> | null;
}

/** Changes kept for `changedFiles`; a longer typing run without a graph rebuild trims the oldest half. */
const CHANGE_LOG_LIMIT = 4096;

export class WorkspaceIndex {
  private readonly state = new Map<string, FileState>();
  private fileSet = new FileSet([]);
  private flake: FlakeModel | null = null;
  private graph: HostGraph | null = null;
  private revision = 0;
  private graphRevision = 0;
  private cached: IndexSnapshot | null = null;
  /** Files changed since the host graph was last dropped, by revision; revisions before `changesFrom` are unknown. */
  private changes: { revision: number; path: string }[] = [];
  private changesFrom = 0;

  constructor(private readonly parser: NixParser, private readonly options: IndexOptions = DEFAULT_OPTIONS) {}

  /** Replaces the whole workspace: `files` maps each relative path to its text (null for data files). */
  load(files: Iterable<[string, string | null]>): void {
    this.state.clear();
    for (const [path, text] of files) this.state.set(path, this.fresh(path, text));
    this.fileSet = new FileSet(this.state.keys());
    this.invalidate(true);
  }

  /** A file was created or changed on disk (ignored while the file is open: the editor's text wins). */
  setText(path: string, text: string | null): void {
    const prev = this.state.get(path);
    if (prev?.open) return;
    if (!prev) this.fileSet.add(path);
    const next = this.fresh(path, text);
    this.state.set(path, next);
    this.afterChange(path, prev ?? null, next, !prev);
  }

  remove(path: string): void {
    const prev = this.state.get(path);
    if (!prev) return;
    prev.open?.dispose();
    this.state.delete(path);
    this.fileSet.remove(path);
    this.invalidate(true);
  }

  /** A deleted path may be a directory: every file under it goes. */
  removeTree(path: string): void {
    const prefix = `${path}/`;
    for (const f of [...this.state.keys()]) if (f === path || f.startsWith(prefix)) this.remove(f);
  }

  /** Parses and summarises one file now (the server warms the whole workspace in slices after a scan). */
  prepare(path: string): void {
    this.summaryOf(path);
  }

  open(path: string, text: string): void {
    const prev = this.state.get(path);
    if (!prev) this.fileSet.add(path);
    prev?.open?.dispose();
    const next = this.fresh(path, text);
    if (!next.skipped && path.endsWith('.nix')) {
      next.open = new OpenFile(this.parser, text, FACT_INTEREST);
      next.parsed = next.open.parsed;
    }
    this.state.set(path, next);
    this.afterChange(path, prev ?? null, next, !prev);
  }

  edit(path: string, edits: readonly TextEdit[]): void {
    const prev = this.state.get(path);
    if (!prev?.open) return;
    const parsed = prev.open.applyEdits(edits);
    const next: FileState = { ...prev, text: parsed.text, parsed, summary: null, graphKey: null };
    this.state.set(path, next);
    this.afterChange(path, prev, next, false);
  }

  /**
   * Confirms an open file's interim facts (a broken stretch read on its own after a keystroke) with a full parse.
   * Returns whether they changed, as an edit would; the server calls it once a burst of keystrokes is over.
   */
  settle(path: string): boolean {
    const prev = this.state.get(path);
    const parsed = prev?.open?.settle();
    if (!prev || !parsed) return false;
    const next: FileState = { ...prev, parsed, summary: null, graphKey: null };
    this.state.set(path, next);
    this.afterChange(path, prev, next, false);
    return true;
  }

  /** The editor closed the file: its tree is freed; `diskText` (when known) replaces the unsaved text. */
  close(path: string, diskText?: string | null): void {
    const prev = this.state.get(path);
    if (!prev?.open) return;
    prev.open.dispose();
    const next = diskText === undefined ? { ...prev, open: null } : this.fresh(path, diskText);
    this.state.set(path, next);
    this.afterChange(path, prev, next, false);
  }

  isOpen(path: string): boolean { return !!this.state.get(path)?.open; }
  has(path: string): boolean { return this.state.has(path); }

  snapshot(): IndexSnapshot {
    if (this.cached) return this.cached;
    if (!this.flake) {
      this.flake = evaluateFlake(this.sources());
      this.graph = null;
    }
    if (!this.graph) {
      this.graph = buildHostGraph(this.sources(), this.flake);
      this.graphRevision++;
    }
    const files = this.fileSet;
    const flake = this.flake;
    const graph = this.graph;
    const parsed = (f: string) => this.parsedOf(f);
    const summary = (f: string) => this.summaryOf(f);
    const skipped = (f: string) => this.state.get(f)?.skipped ?? null;
    const revision = this.revision;
    this.cached = {
      revision, files, flake, graph, parsed, summary, skipped,
      hostsOf: (f) => graph.fileHosts.get(f) ?? [],
      changedFiles: (other) => this.changedBetween(Math.min(revision, other), Math.max(revision, other)),
    };
    return this.cached;
  }

  /** Increments whenever host membership may have changed; clients refresh lenses when it moves. */
  get hostGraphRevision(): number { this.snapshot(); return this.graphRevision; }

  private fresh(path: string, text: string | null): FileState {
    let skipped: SkipReason | null = null;
    if (text !== null && path.endsWith('.nix')) {
      if (text.length > this.options.maxFileSize) skipped = 'too-large';
      else if (text.includes('\u0000')) skipped = 'binary';
    }
    return { text: skipped ? null : text, skipped, open: null, parsed: null, summary: null, graphKey: null };
  }

  private afterChange(path: string, prev: FileState | null, next: FileState, created: boolean): void {
    this.revision++;
    this.cached = null;
    this.changes.push({ revision: this.revision, path });
    if (this.changes.length > CHANGE_LOG_LIMIT) {
      const dropped = this.changes.splice(0, CHANGE_LOG_LIMIT / 2);
      this.changesFrom = dropped[dropped.length - 1]!.revision;
    }
    if (created || path === FLAKE) { this.invalidate(true); return; }
    const before = prev?.graphKey ?? (prev ? this.keyOf(path, prev) : null);
    const after = this.keyOf(path, next);
    if (before === after) return;
    this.invalidate(this.flake?.evaluatedFiles.has(path) ?? true);
  }

  private invalidate(flake: boolean): void {
    this.revision++;
    this.cached = null;
    this.changes = [];
    this.changesFrom = this.revision;
    this.graph = null;
    if (flake) this.flake = null;
  }

  private changedBetween(lo: number, hi: number): ReadonlySet<string> | null {
    if (lo < this.changesFrom) return null;
    const out = new Set<string>();
    for (let i = this.changes.length - 1; i >= 0 && this.changes[i]!.revision > lo; i--) {
      const c = this.changes[i]!;
      if (c.revision <= hi) out.add(c.path);
    }
    return out;
  }

  private keyOf(path: string, s: FileState): string {
    if (s.graphKey !== null) return s.graphKey;
    // A data file (JSON) matters through its content, which evaluation may read (`lib.importJSON`).
    if (!path.endsWith('.nix')) return s.text ?? '';
    const summary = this.summaryOfState(path, s);
    const parsed = s.parsed;
    s.graphKey = !summary || !parsed ? '' : summary.needsEval || this.flake?.evaluatedFiles.has(path)
      ? structureKey(parsed.ast)
      : JSON.stringify([summary.refs.map((r) => [r.target, r.kind, r.conditional, r.viaImport === true]), summary.outputReads.map((o) => o.name)]);
    return s.graphKey;
  }

  private parsedOf(path: string): ParsedFile | null {
    const s = this.state.get(path);
    if (!s || s.text === null || !path.endsWith('.nix')) return null;
    s.parsed ??= (this.options.eagerAst ? parseFull : parseText)(this.parser, s.text, FACT_INTEREST);
    return s.parsed;
  }

  private summaryOf(path: string): FileSummary | null {
    const s = this.state.get(path);
    return s ? this.summaryOfState(path, s) : null;
  }

  private summaryOfState(path: string, s: FileState): FileSummary | null {
    if (s.summary) return s.summary;
    if (s.text === null || !path.endsWith('.nix')) return null;
    s.parsed ??= (this.options.eagerAst ? parseFull : parseText)(this.parser, s.text, FACT_INTEREST);
    s.summary = summarize(path, s.parsed.facts);
    return s.summary;
  }

  private sources() {
    return {
      files: this.fileSet,
      text: (f: string): string | null => this.state.get(f)?.text ?? null,
      ast: (f: string): Expr | null => this.parsedOf(f)?.ast ?? null,
      summary: (f: string) => this.summaryOf(f),
    };
  }
}

/** The AST without positions: equal keys mean an edit moved text but changed nothing evaluation can see. */
function structureKey(ast: Expr): string {
  return JSON.stringify(ast, (k, v) => (k === 'span' ? undefined : v));
}
