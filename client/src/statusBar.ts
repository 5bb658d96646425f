// The status bar item on Nix files: `⬡ 2 hosts`, the host list in the tooltip, a click dry-runs them (or, in an
// untrusted workspace, explains why it cannot).
import * as vscode from 'vscode';
import { COMMANDS } from './commandCatalog';
import { statusBarModel } from './hostModel';
import type { Runtime } from './runtime';

export class HostsStatusBar {
  private readonly item = vscode.window.createStatusBarItem('hostlens.fileHosts', vscode.StatusBarAlignment.Left, 50);
  /** Answers to an earlier editor are dropped when the user has moved on. */
  private generation = 0;

  constructor(private readonly rt: Runtime) {
    this.item.name = 'Hostlens: hosts of this file';
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'nix' || doc.uri.scheme !== 'file' || this.rt.relative(doc.uri) === null) {
      this.item.hide();
      return;
    }
    const result = await this.rt.fileHosts(doc.uri);
    if (generation !== this.generation) return;
    const trusted = vscode.workspace.isTrusted;
    const model = statusBarModel(result, trusted);
    if (!model) {
      this.item.hide();
      return;
    }
    this.item.text = model.text;
    this.item.tooltip = model.tooltip;
    this.item.accessibilityInformation = { label: model.ariaLabel };
    const file = this.rt.relative(doc.uri) ?? undefined;
    this.item.command = model.hosts.length === 0 ? undefined
      : trusted ? { command: COMMANDS.dryRunHosts.id, title: 'Dry-run these hosts', arguments: [{ hosts: model.hosts, file }] }
      : { command: COMMANDS.explainTrust.id, title: 'Why are run commands disabled?' };
    this.item.show();
  }

  dispose(): void { this.item.dispose(); }
}

export function registerStatusBar(rt: Runtime): { bar: HostsStatusBar; disposables: vscode.Disposable[] } {
  const bar = new HostsStatusBar(rt);
  void bar.refresh();
  return {
    bar,
    disposables: [
      bar,
      vscode.window.onDidChangeActiveTextEditor(() => { void bar.refresh(); }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => { void bar.refresh(); }),
    ],
  };
}
