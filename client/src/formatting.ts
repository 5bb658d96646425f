// The document formatter for Nix (alejandra by default, nixfmt by setting), run by the server on the buffer's text.
// Formatting starts a program, so the provider exists only in a trusted workspace.
import * as vscode from 'vscode';
import { installHint } from '../../server/src/shared/commandLines';
import { FormatRequest, type FormatResult } from '../../server/src/shared/protocol';
import type { Runtime } from './runtime';

export class NixFormatter implements vscode.DocumentFormattingEditProvider {
  /** A missing formatter is said once per session, not on every format-on-save. */
  private readonly warned = new Set<string>();

  constructor(private readonly rt: Runtime) {}

  provideDocumentFormattingEdits(doc: vscode.TextDocument): Promise<vscode.TextEdit[] | null> {
    return this.format(doc, false);
  }

  /** Edits that make the buffer formatted ([] when it already is), or null when formatting failed (and was said). */
  async format(doc: vscode.TextDocument, explicit: boolean): Promise<vscode.TextEdit[] | null> {
    if (!vscode.workspace.isTrusted) return null;
    const settings = this.rt.settings();
    if (settings.formatter === 'none') return null;
    const tool = settings.formatter;
    const command = settings.run.paths[tool];
    const result = await this.rt.client.sendRequest<FormatResult | null>(FormatRequest, {
      uri: doc.uri.toString(), text: doc.getText(), formatter: tool, ...(command ? { command } : {}),
    }).catch(() => null);
    if (!result) return null;
    if (result.status === 'ok') {
      const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
      return [vscode.TextEdit.replace(whole, result.text)];
    }
    if (result.status === 'unchanged') return [];
    if (result.status === 'cancelled') return null;
    if (result.status === 'missing') {
      if (explicit || !this.warned.has(tool)) {
        this.warned.add(tool);
        // Not awaited: format-on-save must not wait for the user to dismiss a notification.
        void vscode.window.showWarningMessage(`Hostlens: ${tool} is not installed; ${installHint(tool)}. (Setting hostlens.formatter chooses alejandra, nixfmt or none.)`, 'Open Settings')
          .then((choice) => { if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'hostlens.formatter'); });
      }
      return null;
    }
    // A syntax error is the usual cause: say it briefly, the Problems panel has the details.
    void vscode.window.setStatusBarMessage(`Hostlens: ${result.detail.split('\n')[0]}`, 10_000);
    if (explicit) void vscode.window.showWarningMessage(`Hostlens: ${result.detail}`);
    return null;
  }
}

/** Registers the provider now if the workspace is trusted, else as soon as it is. */
export function registerFormatter(formatter: NixFormatter): vscode.Disposable[] {
  let registration: vscode.Disposable | undefined;
  const register = () => {
    if (registration || !vscode.workspace.isTrusted) return;
    registration = vscode.languages.registerDocumentFormattingEditProvider({ language: 'nix' }, formatter);
  };
  register();
  return [
    vscode.workspace.onDidGrantWorkspaceTrust(register),
    { dispose: () => registration?.dispose() },
  ];
}
