// Extension entry: starts the Hostlens language server and registers the commands lenses and menus invoke.
import * as vscode from 'vscode';
import { registerCiWorkflowCommand } from './ciWorkflowCommand';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnosticsClient';
import { startClient } from './languageClient';

let stop: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const client = await startClient(context);
  stop = () => client.stop();
  registerCommands(context, client);
  registerCiWorkflowCommand(context, client);
  registerDiagnostics(context, client);
}

export async function deactivate(): Promise<void> {
  await stop?.();
}
