// Runs a plan as a VS Code task in the integrated terminal: the CLI's runner under VS Code's own Node, its words
// quoted by VS Code for the user's shell (the plan is one base64url word, so no name is ever shell-parsed).
import * as vscode from 'vscode';
import { taskWords, type RunPlan } from '../../server/src/shared/runPlan';

export interface TaskOptions {
  /** The terminal tab and task name, e.g. `dry-run m3-atlas m3-hermes`. */
  label: string;
  /** The contributed command that started it (the task definition's `command`). */
  command: string;
  problemMatchers?: string[];
}

/** Executes the plan in the shared Hostlens panel and resolves with the runner's exit code. */
export async function runPlanTask(cliPath: string, plan: RunPlan, opts: TaskOptions): Promise<number | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  // The CLI runs under VS Code's own Node (ELECTRON_RUN_AS_NODE), so users need no Node of their own.
  const words = taskWords(process.execPath, cliPath, plan);
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  const execution = words.viaShell
    ? new vscode.ShellExecution(
      { value: words.command, quoting: vscode.ShellQuoting.Strong },
      words.args.map((a) => ({ value: a, quoting: vscode.ShellQuoting.Strong })),
      { cwd: plan.root, env },
    )
    // A `'` in VS Code's or the extension's own path cannot survive strong quoting: run without a shell instead.
    : new vscode.ProcessExecution(words.command, words.args, { cwd: plan.root, env });
  const definition = { type: 'hostlens', command: opts.command };
  const task = new vscode.Task(definition, folder ?? vscode.TaskScope.Workspace, opts.label, 'Hostlens', execution, opts.problemMatchers ?? []);
  // No echo: the runner heads each step with the real command line, which says more than the plan word would.
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Shared, clear: true, focus: false, echo: false, showReuseMessage: false };
  const running = await vscode.tasks.executeTask(task);
  return new Promise((resolve) => {
    const done = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution !== running) return;
      done.dispose();
      resolve(e.exitCode);
    });
  });
}
