// Extension entry: starts the Hostlens language server and registers the commands lenses and menus invoke.
import * as vscode from 'vscode';
import { registerCiWorkflowCommand } from './ciWorkflowCommand';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnosticsClient';
import { startClient } from './languageClient';

let stop: (() => Promise<void>) | undefined;

/** What other extensions (and the extension-host tests) can read: the Hosts view as its rows show it. */
export interface HostlensApi { hostsViewRows(): Promise<{ label: string; description: string }[]> }

export async function activate(context: vscode.ExtensionContext): Promise<HostlensApi> {
  const client = await startClient(context);
  stop = () => client.stop();
  const view = registerCommands(context, client);
  registerCiWorkflowCommand(context, client);
  registerDiagnostics(context, client);
  return {
    hostsViewRows: async () => (await view.getChildren()).map((n) => {
      const item = view.getTreeItem(n);
      return { label: String(typeof item.label === 'object' ? item.label?.label : item.label ?? ''), description: String(item.description ?? '') };
    }),
  };
}

export async function deactivate(): Promise<void> {
  await stop?.();
}
