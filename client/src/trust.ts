// Workspace Trust gate: anything that executes a program asks here first, and an untrusted workspace is told why.
import * as vscode from 'vscode';
import { gate, UNTRUSTED_MESSAGE, type CommandSpec } from './commandCatalog';

export { UNTRUSTED_MESSAGE };

/** True when running is allowed; otherwise explains why not, once per attempt. */
export function mayRun(what: string | CommandSpec): boolean {
  const verdict = gate(typeof what === 'string' ? { id: '', title: what, runs: true } : what, vscode.workspace.isTrusted);
  if (verdict.allowed) return true;
  explain(verdict.message);
  return false;
}

/** The explanation with a way out: VS Code's own trust editor. */
export function explain(message = UNTRUSTED_MESSAGE): void {
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}
