// Workspace Trust gate: anything that executes a program asks here first.
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE = 'Hostlens runs no programs in an untrusted workspace. Trust this folder (Workspaces: Manage Workspace Trust) to run dry-runs, linters and formatters.';

/** True when running is allowed; otherwise explains why not, once per attempt. */
export function mayRun(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${what}: ${UNTRUSTED_MESSAGE}`, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
