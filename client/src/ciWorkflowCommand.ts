// "Hostlens: Create CI Workflow…": asks Gitea or GitHub, shows the workflow the server generates (the same text as
// `hostlens ci <forge>`) in an editor, and writes it only when confirmed, never over an existing file unasked.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CiWorkflowRequest, CreateCiWorkflowCommand, type CiWorkflowParams, type CiWorkflowResult } from '../../server/src/shared/protocol';

interface ForgePick extends vscode.QuickPickItem { forge: CiWorkflowParams['forge'] }

export function registerCiWorkflowCommand(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(vscode.commands.registerCommand(CreateCiWorkflowCommand, () => createCiWorkflow(client)));
}

async function createCiWorkflow(client: LanguageClient): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Hostlens: open the folder that holds your flake.nix first.');
    return;
  }
  const picks: ForgePick[] = [
    { label: 'Gitea Actions', description: '.gitea/workflows/hostlens.yml', detail: 'One dry-build job per host, run only for the hosts a change affects (works on every Gitea).', forge: 'gitea' },
    { label: 'GitHub Actions', description: '.github/workflows/hostlens.yml', detail: 'A matrix over the hosts a change affects.', forge: 'github' },
  ];
  const pick = await vscode.window.showQuickPick(picks, { title: 'Hostlens: Create CI Workflow', placeHolder: 'Which forge runs your CI?' });
  if (!pick) return;
  // The formatter the user set for the editor (hostlens.formatter), if any; otherwise the server reads flake.nix.
  const set = vscode.workspace.getConfiguration('hostlens').inspect<string>('formatter');
  const formatter = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
  const params: CiWorkflowParams = { forge: pick.forge, ...(formatter === 'alejandra' || formatter === 'nixfmt' ? { formatter } : {}) };
  const result = await client.sendRequest<CiWorkflowResult | null>(CiWorkflowRequest, params);
  if (!result) {
    void vscode.window.showWarningMessage('Hostlens is still indexing this workspace; try again in a moment.');
    return;
  }
  const preview = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.text });
  await vscode.window.showTextDocument(preview, { preview: false });
  const target = vscode.Uri.joinPath(folder.uri, ...result.path.split('/'));
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  const action = exists ? 'Overwrite' : 'Write';
  const question = exists
    ? `${result.path} already exists. Replace it with the workflow shown?`
    : `Write the workflow shown to ${result.path}?`;
  const answer = await vscode.window.showInformationMessage(question, { modal: true, detail: 'Edits you make in the shown editor are written too.' }, action);
  if (answer !== action) return;
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(preview.getText()));
  // The untitled copy has served its purpose; closing it unsaved avoids a "save changes?" prompt later.
  await vscode.window.showTextDocument(preview);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  void vscode.window.showInformationMessage(`Hostlens wrote ${result.path}. Commit it to run the checks on every push and pull request.`);
}
