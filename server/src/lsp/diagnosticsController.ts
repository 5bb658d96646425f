// Composes every diagnostic source for the Problems panel: graph findings on each change, open buffers' syntax and
// scope once typing pauses, fleet checks (hostName, agenix), closed files in the background, statix and deadnix on
// open and save; honours the settings, Workspace Trust, and quick fixes.
import type { Connection, DidSaveTextDocumentParams } from 'vscode-languageserver';
import type { Finding } from '../base/finding';
import { errorMessage, type Logger } from '../base/log';
import { graphFindings, moduleFindings } from '../features/fleetDiagnostics';
import type { IndexSnapshot } from '../index/workspaceIndex';
import {
  DiagnosticSettingsNotification, normalizeDiagnosticSettings, type DiagnosticSettings, type DiagnosticsConfig,
} from '../shared/diagnosticsProtocol';
import type { ParsedFile } from '../syntax/parsedFile';
import type { NixParser } from '../syntax/parser';
import { ToolAvailability, type Channel, type CheckContext } from './checkContext';
import { codeActions } from './codeActions';
import type { Paths } from './convert';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import { DiagnosticsStatusReporter, type LinterName } from './diagnosticsStatus';
import { guarded, guardedNotification } from './guard';
import { LinterChecks } from './linterChecks';
import { COALESCE_MS, DEBOUNCE_MS, OpenFileChecks } from './openFileChecks';
import { WorkspaceChecks } from './workspaceChecks';

export interface DiagnosticsHost {
  snapshot(): IndexSnapshot | null;
  paths(): Paths | null;
  isOpen(file: string): boolean;
  parser(): NixParser | null;
}

const PER_FILE: readonly Channel[] = ['scope', 'nix', 'statix', 'deadnix'];

export class DiagnosticsController {
  private settingsValue: DiagnosticSettings = normalizeDiagnosticSettings(undefined);
  private trustedValue = true;
  private readonly disabled = new Set<LinterName>();
  /** Open files -> the buffer version last checked. */
  private readonly open = new Map<string, ParsedFile>();
  private fleetTimer: NodeJS.Timeout | null = null;
  private workspaceLinted = false;
  private readonly ctx: CheckContext;
  private readonly openChecks: OpenFileChecks;
  private readonly linters: LinterChecks;
  private readonly workspace: WorkspaceChecks;

  constructor(connection: Connection, private readonly publisher: DiagnosticsPublisher, log: Logger, private readonly host: DiagnosticsHost) {
    this.ctx = {
      log,
      status: new DiagnosticsStatusReporter(connection, log),
      settings: () => this.settings(),
      trusted: () => this.trustedValue,
      root: () => host.paths()?.root ?? null,
      parser: () => host.parser(),
      isOpen: (f) => host.isOpen(f),
      publish: (channel, files, findings) => this.publish(channel, files, findings),
      tools: new ToolAvailability(),
    };
    this.openChecks = new OpenFileChecks(this.ctx);
    this.linters = new LinterChecks(this.ctx, (tool) => this.disableForSession(tool));
    this.workspace = new WorkspaceChecks(this.ctx, () => host.snapshot(), (files) => {
      for (const ch of ['statix', 'deadnix'] as const) this.publisher.replaceSource(ch, [], files);
    });
  }

  /** `initializationOptions` carry the settings and trust next to the index settings. */
  configure(options: unknown): void {
    const o = (options ?? {}) as DiagnosticsConfig;
    this.settingsValue = normalizeDiagnosticSettings(o.diagnostics);
    this.trustedValue = o.trusted !== false;
  }

  /** Workspace Trust as the client last reported it (other features gate programs on it too). */
  get trusted(): boolean { return this.trustedValue; }

  listen(c: Connection): void {
    const log = this.ctx.log;
    c.onDidSaveTextDocument(guardedNotification(log, 'didSave', (p) => this.didSave(p)));
    c.onCodeAction(guarded(log, 'codeAction', [], (p) => codeActions(p, this.host.paths(), (f) => this.publisher.findings(f))));
    c.onNotification(DiagnosticSettingsNotification, guardedNotification(log, DiagnosticSettingsNotification, (p: DiagnosticsConfig) => this.reconfigure(p)));
  }

  private settings(): DiagnosticSettings {
    if (this.disabled.size === 0) return this.settingsValue;
    const s = { ...this.settingsValue };
    for (const tool of this.disabled) s[tool] = { ...s[tool], enable: false };
    return s;
  }

  /**
   * After every index change: graph findings now (for `onlyFile` alone when only it changed), open buffers and the
   * fleet checks once typing pauses, closed files in the background.
   */
  refresh(snap: IndexSnapshot, onlyFile?: string): void {
    const only = onlyFile ? new Set([onlyFile]) : undefined;
    this.publisher.replaceSource('hostlens', this.visible(graphFindings(snap, only)), only);
    this.trackOpenFiles(snap, onlyFile);
    this.scheduleFleet();
    if (onlyFile) return;
    this.workspace.kick();
    if (!this.workspaceLinted && !this.settings().openFilesOnly) {
      this.workspaceLinted = true;
      this.background(this.linters.lintWorkspace((f) => this.host.snapshot()?.parsed(f)?.text ?? null, (f) => snap.files.isFile(f)), 'linting the workspace');
    }
  }

  private trackOpenFiles(snap: IndexSnapshot, onlyFile?: string): void {
    const candidates = onlyFile ? [onlyFile] : [...new Set([...this.open.keys(), ...[...snap.files.files].filter((f) => this.host.isOpen(f))])];
    for (const file of candidates) {
      if (!file.endsWith('.nix')) continue;
      const parsed = this.host.isOpen(file) ? snap.parsed(file) : null;
      const prev = this.open.get(file);
      if (parsed) {
        if (prev === parsed) continue;
        this.open.set(file, parsed);
        this.openChecks.schedule(file, parsed, prev ? DEBOUNCE_MS : 0);
        if (!prev) this.background(this.linters.lintFile(file, parsed.text), `linting ${file}`);
      } else if (prev) {
        this.open.delete(file);
        this.openChecks.cancel(file);
        // Closed: its disk text is checked with the rest of the workspace, or it leaves the Problems panel.
        if (this.settings().openFilesOnly) for (const ch of PER_FILE) this.publisher.replaceSource(ch, [], new Set([file]));
      }
    }
  }

  private scheduleFleet(): void {
    if (this.fleetTimer) clearTimeout(this.fleetTimer);
    this.fleetTimer = setTimeout(() => {
      this.fleetTimer = null;
      const snap = this.host.snapshot();
      if (snap) this.publisher.replaceSource('fleet', this.visible(moduleFindings(snap)));
    }, COALESCE_MS);
  }

  private didSave(p: DidSaveTextDocumentParams): void {
    const file = this.host.paths()?.relative(p.textDocument.uri);
    const parsed = file ? this.host.snapshot()?.parsed(file) : null;
    if (file && parsed) this.background(this.linters.lintFile(file, parsed.text), `linting ${file}`);
  }

  /** Work nobody awaits: a failure is a log line, never an unhandled rejection (which would end the server). */
  private background(work: Promise<void>, what: string): void {
    work.catch((err) => this.ctx.log.error(`${what} failed: ${errorMessage(err)}`));
  }

  private publish(channel: Channel, files: ReadonlySet<string>, findings: readonly Finding[]): void {
    const shown = this.visible(findings.filter((f) => files.has(f.file)));
    this.publisher.replaceSource(channel, shown, files);
  }

  private visible(findings: readonly Finding[]): Finding[] {
    return this.settings().openFilesOnly ? findings.filter((f) => this.host.isOpen(f.file)) : [...findings];
  }

  private disableForSession(tool: LinterName): void {
    this.disabled.add(tool);
    this.ctx.status.setTool(tool, 'disabled');
    this.publisher.replaceSource(tool, []);
  }

  /** New settings or trust: everything is recomputed under them (rare, so simplicity wins over reuse). */
  private reconfigure(p: DiagnosticsConfig): void {
    const before = this.settings();
    this.configure({ diagnostics: p.diagnostics ?? this.settingsValue, trusted: p.trusted ?? this.trustedValue });
    for (const tool of ['statix', 'deadnix'] as const) {
      if (this.settingsValue[tool].path !== before[tool].path || this.settingsValue[tool].enable) this.ctx.tools.linterMissing.delete(tool);
      if (this.settingsValue[tool].enable) this.disabled.delete(tool);
    }
    for (const ch of PER_FILE) this.publisher.replaceSource(ch, []);
    this.open.clear();
    this.workspace.reset();
    this.workspaceLinted = false;
    const snap = this.host.snapshot();
    if (snap) this.refresh(snap);
  }

  dispose(): void {
    this.openChecks.dispose();
    this.linters.dispose();
    if (this.fleetTimer) clearTimeout(this.fleetTimer);
  }
}
