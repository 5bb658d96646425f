// Lifecycle and composition root of the language server: disk -> index -> features, wired to one connection.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest, DidChangeWatchedFilesNotification, FileChangeType, type CancellationToken, type Connection,
  type DidChangeTextDocumentParams, type DidChangeWatchedFilesParams, type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { errorMessage, Logger } from '../base/log';
import { LineIndex } from '../base/text';
import { WorkspaceIndex, type IndexSnapshot } from '../index/workspaceIndex';
import {
  DEFAULT_SERVER_SETTINGS, FileHostsRequest, HostsRequest, type FileHostsParams, type FileHostsResult, type HostsResult,
  type ServerSettings,
} from '../shared/protocol';
import type { TextEdit } from '../syntax/parser';
import { NixParser } from '../syntax/parser';
import { isDirectory, readsText, readText, scanWorkspace } from '../vfs/discovery';
import { capabilities } from './capabilities';
import { Paths } from './convert';
import { guarded, guardedNotification } from './guard';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { onCodeLens, onHover, type HandlerContext } from './handlers';
import { NavigationHandlers } from './navigationHandlers';
import { ciWorkflow } from './ciWorkflowHandler';
import { CiWorkflowRequest, type CiWorkflowParams } from '../shared/protocol';
import { formatBuffer, gitAffected } from './editorRequests';
import { FormatRequest, GitAffectedRequest, IndexChangedNotification, type FormatParams, type FormatResult, type GitAffectedParams, type GitAffectedResult } from '../shared/protocol';
import { DiagnosticsController } from './diagnosticsController';
import { collectWhenIdle } from './idleCollector';
import { COALESCE_MS } from './openFileChecks';

export interface ServerOptions { wasmDir: string }

export class HostlensServer {
  private readonly log = new Logger();
  private paths: Paths | null = null;
  private index: WorkspaceIndex | null = null;
  private parser: NixParser | null = null;
  private settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  private canRefreshLenses = false;
  private canWatchFiles = false;
  private lastGraphRevision = -1;
  private indexing = true;
  /** Opens that arrive before the scan ends are replayed once the index exists. */
  private readonly pendingOpens = new Map<string, string>();
  private readonly settleTimers = new Map<string, NodeJS.Timeout>();
  private readonly diagnostics: DiagnosticsPublisher;
  private lastDiagnosedRevision = -1;
  private readonly diagnosticChecks: DiagnosticsController;

  constructor(private readonly connection: Connection, private readonly options: ServerOptions) {
    this.diagnostics = new DiagnosticsPublisher(connection, () => this.paths);
    this.diagnosticChecks = new DiagnosticsController(connection, this.diagnostics, this.log, {
      snapshot: () => this.snapshot(), paths: () => this.paths, isOpen: (f) => this.index?.isOpen(f) ?? false, parser: () => this.parser,
    });
    this.log.setSink((level, message) => {
      if (level === 'error') connection.console.error(message);
      else if (level === 'warn') connection.console.warn(message);
      else if (level === 'info') connection.console.info(message);
      else connection.console.log(message);
    });
  }

  listen(): void {
    const c = this.connection;
    const ctx: HandlerContext = { snapshot: () => this.snapshot(), paths: () => this.paths };
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => { void this.start(); });
    c.onDidOpenTextDocument(guardedNotification(this.log, 'didOpen', (p) => this.didOpen(p)));
    c.onDidChangeTextDocument(guardedNotification(this.log, 'didChange', (p) => this.didChange(p)));
    c.onDidCloseTextDocument(guardedNotification(this.log, 'didClose', (p) => this.serially(() => this.didClose(p))));
    c.onDidChangeWatchedFiles(guardedNotification(this.log, 'didChangeWatchedFiles', (p) => this.serially(() => this.didChangeWatchedFiles(p))));
    c.onCodeLens(this.request('codeLens', null, (p) => onCodeLens(ctx, p)));
    const nav = new NavigationHandlers(ctx, () => this.settings, this.log, (name, fallback, handler) => this.request(name, fallback, handler), () => this.diagnosticChecks.trusted);
    ctx.extraLenses = (snap, file) => nav.lenses(snap, file);
    nav.register(c, (p) => onHover(ctx, p));
    c.onRequest(HostsRequest, this.request(HostsRequest, null, () => this.hosts()));
    c.onRequest(FileHostsRequest, this.request(FileHostsRequest, null, (p: FileHostsParams) => this.fileHosts(p)));
    c.onRequest(CiWorkflowRequest, this.request(CiWorkflowRequest, null, (p: CiWorkflowParams) => ciWorkflow(this.snapshot(), p)));
    c.onRequest(GitAffectedRequest, this.request<GitAffectedParams, Promise<GitAffectedResult | null>>(GitAffectedRequest, Promise.resolve(null), (p) => gitAffected(ctx, p)));
    c.onRequest(FormatRequest, this.request<FormatParams, Promise<FormatResult | null>>(FormatRequest, Promise.resolve(null), (p) => formatBuffer(ctx, p)));
    this.diagnosticChecks.listen(c);
    c.onShutdown(() => {
      for (const t of this.settleTimers.values()) clearTimeout(t);
      this.settleTimers.clear();
      this.index = null;
      this.diagnosticChecks.dispose();
      nav.dispose();
    });
    c.listen();
  }

  /** Notifications that read the disk finish in order, and requests see their effect (as if handled synchronously). */
  private pending: Promise<void> = Promise.resolve();

  private serially(work: () => Promise<void>): Promise<void> {
    this.pending = this.pending.then(work, work);
    return this.pending;
  }

  private request<P, R>(name: string, fallback: R, handler: (params: P) => R): (params: P, token: CancellationToken) => Promise<R> {
    return guarded(this.log, name, fallback, async (params: P, token: CancellationToken) => {
      await this.pending.catch(() => undefined);
      return token.isCancellationRequested ? fallback : handler(params);
    });
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? null;
    if (folder?.startsWith('file:')) this.paths = new Paths(fileURLToPath(folder));
    else if (params.rootPath) this.paths = new Paths(path.resolve(params.rootPath));
    const opts = params.initializationOptions as Partial<ServerSettings> | undefined;
    this.settings = { ...DEFAULT_SERVER_SETTINGS, ...(opts ?? {}) };
    this.diagnosticChecks.configure(opts);
    this.canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    this.canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return { capabilities, serverInfo: { name: 'hostlens', version: '0.1.0' } };
  }

  private async start(): Promise<void> {
    if (this.canWatchFiles) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
    }
    this.parser = await NixParser.load(this.options.wasmDir);
    if (!this.paths) {
      this.indexing = false;
      this.log.info('No workspace folder: Hostlens indexes nothing.');
      return;
    }
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => null);
    progress?.begin('Hostlens', 0, 'Scanning workspace…', false);
    const scan = await scanWorkspace(this.paths.root, this.settings, (n) => progress?.report(`Scanning: ${n.toLocaleString('en-US')} files`));
    if (scan.truncated) {
      // A notification, not a request: an editor that never answers message requests must not hold anything up.
      this.connection.sendNotification('window/showMessage', { type: 2, message: `Hostlens indexed the first ${this.settings.maxFiles.toLocaleString('en-US')} files only (setting hostlens.index.maxFiles).` });
    }
    const index = new WorkspaceIndex(this.parser, { maxFileSize: this.settings.maxFileSize });
    index.load(scan.files);
    const nixFiles = [...scan.files.keys()].filter((f) => f.endsWith('.nix'));
    await this.warm(index, nixFiles, (done) => progress?.report(Math.round((100 * done) / Math.max(1, nixFiles.length)), `Indexing ${done.toLocaleString('en-US')} / ${nixFiles.length.toLocaleString('en-US')} files`));
    for (const [file, text] of this.pendingOpens) index.open(file, text);
    this.pendingOpens.clear();
    this.index = index;
    this.indexing = false;
    progress?.done();
    this.afterChange();
    collectWhenIdle();
  }

  /** Parses in slices, yielding between them, so requests are answered while a large repo indexes. */
  private async warm(index: WorkspaceIndex, files: string[], report: (done: number) => void): Promise<void> {
    let next = Date.now() + 30;
    for (let i = 0; i < files.length; i++) {
      index.prepare(files[i]!);
      if (Date.now() >= next) {
        report(i + 1);
        await new Promise((r) => setImmediate(r));
        next = Date.now() + 30;
      }
    }
    report(files.length);
    index.snapshot();
  }

  private snapshot(): IndexSnapshot | null { return this.index?.snapshot() ?? null; }

  private didOpen(p: DidOpenTextDocumentParams): void {
    const file = this.paths?.relative(p.textDocument.uri);
    if (!file) return;
    if (!this.index) { this.pendingOpens.set(file, p.textDocument.text); return; }
    this.index.open(file, p.textDocument.text);
    this.afterChange(file);
  }

  private didChange(p: DidChangeTextDocumentParams): void {
    const file = this.paths?.relative(p.textDocument.uri);
    if (!file) return;
    if (!this.index) {
      const text = this.pendingOpens.get(file);
      if (text !== undefined) this.pendingOpens.set(file, applyChanges(text, p.contentChanges).text);
      return;
    }
    const current = this.index.snapshot().parsed(file)?.text;
    if (current === undefined || !this.index.isOpen(file)) return;
    const { edits } = applyChanges(current, p.contentChanges);
    this.index.edit(file, edits);
    this.scheduleSettle(file);
    this.afterChange(file);
  }

  /**
   * A keystroke in a long set may be read as a window of the file, and a broken window's reading is interim: once the
   * burst of keystrokes is over, a full parse confirms or corrects it (before the lens request VS Code sends later).
   */
  private scheduleSettle(file: string): void {
    const pending = this.settleTimers.get(file);
    if (pending) clearTimeout(pending);
    this.settleTimers.set(file, setTimeout(() => {
      this.settleTimers.delete(file);
      try {
        if (this.index?.settle(file)) this.afterChange(file);
      } catch (err) {
        this.log.error(`settling ${file} failed: ${errorMessage(err)}`);
      }
    }, COALESCE_MS));
  }

  private async didClose(p: DidCloseTextDocumentParams): Promise<void> {
    const file = this.paths?.relative(p.textDocument.uri);
    if (!file || !this.paths) return;
    this.pendingOpens.delete(file);
    const disk = await readText(this.paths.absolute(file), this.settings.maxFileSize);
    this.index?.close(file, disk);
    this.afterChange();
  }

  private async didChangeWatchedFiles(p: DidChangeWatchedFilesParams): Promise<void> {
    if (!this.index || !this.paths) return;
    for (const change of p.changes) {
      const file = this.paths.relative(change.uri);
      if (!file || file.split('/').some((part) => part === '.git' || part === 'node_modules' || part === '.direnv')) continue;
      if (change.type === FileChangeType.Deleted) {
        this.index.removeTree(file);
      } else {
        const text = readsText(file) ? await readText(this.paths.absolute(file), this.settings.maxFileSize) : null;
        if (await isDirectory(this.paths.absolute(file))) continue;
        this.index.setText(file, text);
      }
    }
    this.afterChange();
  }

  /** Tells the editor to re-ask for lenses when host membership may have changed, and refreshes index findings. */
  private afterChange(changedFile?: string): void {
    if (!this.index) return;
    const rev = this.index.hostGraphRevision;
    this.publishIndexFindings(rev === this.lastGraphRevision ? changedFile : undefined);
    if (rev === this.lastGraphRevision) return;
    this.lastGraphRevision = rev;
    if (this.canRefreshLenses) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    void this.connection.sendNotification(IndexChangedNotification, { revision: rev }).catch(() => undefined);
  }

  /**
   * Unresolved hosts on flake.nix and missing references in every file; when host membership did not move, only
   * the edited file can have changed, so only it is re-checked (a keystroke must not cost a workspace pass).
   */
  private publishIndexFindings(onlyFile?: string): void {
    const snap = this.snapshot();
    if (!snap || snap.revision === this.lastDiagnosedRevision) return;
    this.lastDiagnosedRevision = snap.revision;
    this.diagnosticChecks.refresh(snap, onlyFile);
  }

  private hosts(): HostsResult {
    const snap = this.snapshot();
    return {
      root: this.paths?.root ?? null,
      indexing: this.indexing,
      hosts: (snap?.flake.hosts ?? []).map((h) => ({
        name: h.name, kind: h.kind,
        entry: h.modules.flatMap((m) => (m.kind === 'file' ? [m.path] : [])),
        files: [...(snap?.graph.closures.get(h.name)?.files.keys() ?? [])].sort(),
      })),
    };
  }

  private fileHosts(p: FileHostsParams): FileHostsResult | null {
    const snap = this.snapshot();
    const file = this.paths?.relative(p.uri);
    if (!snap || !file) return null;
    const kinds = new Map(snap.flake.hosts.map((h) => [h.name, h.kind]));
    const names = file === 'flake.nix' ? [...kinds.keys()].sort() : snap.hostsOf(file);
    return { hosts: names.map((name) => ({ name, kind: kinds.get(name) ?? 'nixos' })), total: kinds.size };
  }
}

type Change = DidChangeTextDocumentParams['contentChanges'][number];

/** Applies LSP content changes in order, producing the offset edits tree-sitter needs. */
export function applyChanges(text: string, changes: readonly Change[]): { text: string; edits: TextEdit[] } {
  const edits: TextEdit[] = [];
  let current = text;
  for (const change of changes) {
    if ('range' in change) {
      const lines = new LineIndex(current);
      const start = lines.offset(change.range.start);
      const end = lines.offset(change.range.end);
      edits.push({ span: { start, end }, text: change.text });
      current = current.slice(0, start) + change.text + current.slice(end);
    } else {
      edits.push({ span: { start: 0, end: current.length }, text: change.text });
      current = change.text;
    }
  }
  return { text: current, edits };
}
