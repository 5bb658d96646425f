// How diagnostics are being produced (Nix or tree-sitter syntax, which linters run), told to the client as a status
// and, for what the user can act on, once per session as a message: never an error per file.
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import type { Logger } from '../base/log';
import {
  DiagnosticsStatusNotification, UpdateSettingRequest, type DiagnosticsStatus, type ToolState, type UpdateSettingParams,
} from '../shared/diagnosticsProtocol';

export type LinterName = 'statix' | 'deadnix';

export class DiagnosticsStatusReporter {
  private status: DiagnosticsStatus = { syntax: 'unknown', reason: null, statix: 'unknown', deadnix: 'unknown' };
  private readonly told = new Set<string>();

  constructor(private readonly connection: Connection, private readonly log: Logger) {}

  get current(): DiagnosticsStatus { return this.status; }

  setSyntax(syntax: DiagnosticsStatus['syntax'], reason: string | null): void {
    if (this.status.syntax === syntax && this.status.reason === reason) return;
    this.status = { ...this.status, syntax, reason };
    if (syntax === 'approximate') this.log.info(`Syntax diagnostics are approximate (tree-sitter): ${reason ?? 'nix-instantiate unavailable'}.`);
    if (syntax === 'nix') this.log.info('Syntax diagnostics come from nix-instantiate --parse.');
    this.send();
  }

  setTool(tool: LinterName, state: ToolState): void {
    if (this.status[tool] === state) return;
    this.status = { ...this.status, [tool]: state };
    this.send();
  }

  /** Once per session: Nix is not installed, so syntax errors are tree-sitter's guess. */
  nixMissing(reason: string): void {
    if (!this.once('nix')) return;
    // A notification: nothing to answer, and no request left pending in editors that do not show messages.
    void this.connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Info,
      message: `Hostlens: ${reason}, so syntax errors are approximate (tree-sitter). Install Nix (nix-instantiate) for exact syntax checking.`,
    }).catch(() => undefined);
  }

  /**
   * Once per session and tool: the linter is not installed. Offers to turn it off; the choice is written as a
   * setting by the client (when it can) and honoured for this session right away through `disable`.
   */
  linterMissing(tool: LinterName, command: string, disable: () => void): void {
    if (!this.once(tool)) return;
    const turnOff = `Turn off ${tool}`;
    void this.connection.window.showInformationMessage(
      `Hostlens: ${tool} was not found (${command}), so its lints are not shown. Install it, set hostlens.paths.${tool}, or turn it off.`,
      { title: turnOff },
    ).then((choice) => {
      if (choice?.title !== turnOff) return;
      disable();
      const params: UpdateSettingParams = { key: `${tool}.enable`, value: false };
      void this.connection.sendRequest(UpdateSettingRequest, params).catch(() => undefined);
    }, () => undefined);
  }

  private once(key: string): boolean {
    if (this.told.has(key)) return false;
    this.told.add(key);
    return true;
  }

  private send(): void {
    void this.connection.sendNotification(DiagnosticsStatusNotification, this.status).catch(() => undefined);
  }
}
