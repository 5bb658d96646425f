// Runs validation steps as VS Code tasks in the integrated terminal, with argument arrays so that VS Code quotes
// every argument for the user's shell.
import * as vscode from 'vscode';

export interface TaskLine { label: string; command: string; args: string[]; cwd: string; env?: Record<string, string> }

/** Executes the task in the shared Hostlens panel and resolves with its exit code. */
export async function runTask(line: TaskLine): Promise<number | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const exec = new vscode.ShellExecution(
    { value: line.command, quoting: vscode.ShellQuoting.Strong },
    line.args.map((a) => ({ value: a, quoting: vscode.ShellQuoting.Strong })),
    { cwd: line.cwd, ...(line.env ? { env: line.env } : {}) },
  );
  const task = new vscode.Task({ type: 'hostlens', label: line.label }, folder ?? vscode.TaskScope.Workspace, line.label, 'Hostlens', exec, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Shared, clear: true, showReuseMessage: false };
  const running = await vscode.tasks.executeTask(task);
  return new Promise((resolve) => {
    const done = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution !== running) return;
      done.dispose();
      resolve(e.exitCode);
    });
  });
}
