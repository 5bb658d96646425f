// Diagnostics, client side: tells the server the diagnostic settings and Workspace Trust (at start and whenever they
// change), writes the setting when the user turns a missing linter off, and shows how Nix syntax is being checked.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  describeDiagnosticsStatus, DiagnosticSettingsNotification, DiagnosticsStatusNotification, readDiagnosticSettings, UpdateSettingRequest,
  type DiagnosticsConfig, type DiagnosticsStatus, type UpdateSettingParams,
} from '../../server/src/shared/diagnosticsProtocol';

const SECTIONS = ['hostlens.diagnostics', 'hostlens.statix', 'hostlens.deadnix', 'hostlens.paths.statix', 'hostlens.paths.deadnix'];
const SETTABLE = new Set(['statix.enable', 'deadnix.enable']);

/** What `initializationOptions` carry for diagnostics, and what the notification repeats later. */
export function diagnosticsConfig(): DiagnosticsConfig {
  const config = vscode.workspace.getConfiguration('hostlens');
  return { diagnostics: readDiagnosticSettings((key, fallback) => config.get(key, fallback)), trusted: vscode.workspace.isTrusted };
}

export function registerDiagnostics(context: vscode.ExtensionContext, client: LanguageClient): void {
  const send = () => { void client.sendNotification(DiagnosticSettingsNotification, diagnosticsConfig()); };
  const status = vscode.languages.createLanguageStatusItem('hostlens.diagnostics', { language: 'nix' });
  status.name = 'Hostlens diagnostics';
  status.text = 'Nix syntax: checking…';
  context.subscriptions.push(
    status,
    vscode.workspace.onDidChangeConfiguration((e) => { if (SECTIONS.some((s) => e.affectsConfiguration(s))) send(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(send),
    client.onRequest(UpdateSettingRequest, async (p: UpdateSettingParams) => {
      if (!SETTABLE.has(p.key) || typeof p.value !== 'boolean') return null;
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await vscode.workspace.getConfiguration('hostlens').update(p.key, p.value, target);
      return null;
    }),
    client.onNotification(DiagnosticsStatusNotification, (s: DiagnosticsStatus) => {
      const view = describeDiagnosticsStatus(s);
      status.text = view.text;
      status.detail = view.detail;
      status.severity = view.warning ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    }),
  );
}
