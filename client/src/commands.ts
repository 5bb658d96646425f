// Registers the commands behind lenses, menus and the palette, and the UI that invokes them: the Hosts view, the
// status bar item and the Nix formatter, all refreshed when the server reports an index change.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IndexChangedNotification } from '../../server/src/shared/protocol';
import { COMMANDS } from './commandCatalog';
import { registerDryRunCommands } from './dryRunCommands';
import { NixFormatter, registerFormatter } from './formatting';
import { registerHostsView, type HostsView } from './hostsView';
import { Runtime } from './runtime';
import { registerStatusBar } from './statusBar';
import { explain } from './trust';
import { registerToolCommands } from './workspaceTools';

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): HostsView {
  const rt = new Runtime(context, client);
  const formatter = new NixFormatter(rt);
  const { view, disposables: viewDisposables } = registerHostsView(rt);
  const { bar, disposables: barDisposables } = registerStatusBar(rt);
  context.subscriptions.push(
    ...registerDryRunCommands(rt),
    ...registerToolCommands(rt, formatter),
    ...registerFormatter(formatter),
    ...viewDisposables,
    ...barDisposables,
    client.onNotification(IndexChangedNotification, () => { view.refresh(); void bar.refresh(); }),
    vscode.commands.registerCommand(COMMANDS.explainTrust.id, () => explain()),
    vscode.commands.registerCommand(COMMANDS.showReach.id, async (args?: { file: string; text: string }) => {
      if (!args) return;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Why ${args.file} reaches these hosts\n\n${args.text}\n` });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    }),
  );
  return view;
}
