// The commands behind lenses and menus: dry-run hosts (through the CLI's runner) and explain why a file is reached.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, type DryRunArgs } from '../../server/src/shared/protocol';
import { runTask } from './tasks';
import { mayRun } from './trust';

export function registerCommands(context: vscode.ExtensionContext, _client: LanguageClient): void {
  const cli = context.asAbsolutePath('dist/cli.js');
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.dryRunHosts, async (args?: DryRunArgs) => {
      const hosts = args?.hosts ?? [];
      if (hosts.length === 0) return;
      if (!mayRun('Dry-run')) return;
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!root) return;
      const config = vscode.workspace.getConfiguration('hostlens');
      const extra = config.get<boolean>('dryRun.sudo', false) ? ['--sudo'] : [];
      await runTask({
        label: `dry-run ${hosts.map((h) => h.name).join(' ')}`,
        // The CLI runs under VS Code's own Node (ELECTRON_RUN_AS_NODE), so users need no Node of their own.
        command: process.execPath,
        args: [cli, 'dry-run', '--root', root, '--tool', config.get<string>('dryRun.tool', 'auto'), ...extra, '--', ...hosts.map((h) => h.name)],
        cwd: root,
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
    }),
    vscode.commands.registerCommand(Commands.showReach, async (args?: { file: string; text: string }) => {
      if (!args) return;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Why ${args.file} reaches these hosts\n\n${args.text}\n` });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    }),
  );
}
