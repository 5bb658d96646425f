// The "NixOS Hosts" view in the Explorer: each host (label = name, description = kind and flags), expandable to
// its files grouped as entry / host / common / modules. It refreshes when the server says the index changed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostsResult } from '../../server/src/shared/protocol';
import { COMMANDS } from './commandCatalog';
import { entryFile, GROUP_TOOLTIP, groupFiles, hostDescription, hostTooltip, type FileGroup, type HostInfo } from './hostModel';
import { asHost, type Runtime } from './runtime';

export const HOSTS_VIEW_ID = 'hostlens.hosts';

export type HostNode =
  | { type: 'host'; host: HostInfo }
  | { type: 'group'; host: HostInfo; group: FileGroup; files: string[] }
  | { type: 'file'; host: HostInfo; group: FileGroup; file: string };

const ICON: Record<HostInfo['kind'], string> = { nixos: 'server', 'home-manager': 'home', darwin: 'device-desktop' };

export class HostsView implements vscode.TreeDataProvider<HostNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<HostNode> | undefined;
  private last: HostsResult | null = null;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly rt: Runtime) {}

  attach(view: vscode.TreeView<HostNode>): void { this.view = view; }

  refresh(): void { this.changed.fire(); }

  getTreeItem(node: HostNode): vscode.TreeItem {
    if (node.type === 'host') {
      const item = new vscode.TreeItem(node.host.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `host:${node.host.name}`;
      item.description = hostDescription(node.host);
      item.tooltip = hostTooltip(node.host);
      item.contextValue = `hostlens.host.${node.host.kind}`;
      item.iconPath = new vscode.ThemeIcon(ICON[node.host.kind] ?? 'server');
      item.accessibilityInformation = { label: `${node.host.name}, ${item.description}, ${node.host.files.length} files` };
      return item;
    }
    if (node.type === 'group') {
      const item = new vscode.TreeItem(node.group, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `host:${node.host.name}/${node.group}`;
      item.description = `${node.files.length} file${node.files.length === 1 ? '' : 's'}`;
      item.tooltip = GROUP_TOOLTIP[node.group];
      item.contextValue = 'hostlens.fileGroup';
      item.iconPath = new vscode.ThemeIcon(node.group === 'entry' ? 'debug-start' : 'folder');
      return item;
    }
    const uri = vscode.Uri.file(path.join(this.rt.root() ?? '', node.file));
    const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
    item.id = `host:${node.host.name}/${node.group}/${node.file}`;
    item.label = node.file;
    item.contextValue = 'hostlens.file';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    return item;
  }

  async getChildren(node?: HostNode): Promise<HostNode[]> {
    if (!node) return this.roots();
    if (node.type === 'host') return groupFiles(node.host).map((g) => ({ type: 'group', host: node.host, group: g.group, files: g.files }));
    if (node.type === 'group') return node.files.map((file) => ({ type: 'file', host: node.host, group: node.group, file }));
    return [];
  }

  /** Used by `openHostEntry` when it gets a host name only. */
  hostNamed(name: string): HostInfo | undefined { return this.last?.hosts.find((h) => h.name === name); }

  async latest(): Promise<HostsResult | null> { return this.last ?? this.rt.hosts(); }

  private async roots(): Promise<HostNode[]> {
    const result = await this.rt.hosts();
    this.last = result;
    const view = this.view;
    if (view) {
      view.description = result && !result.indexing ? `${result.hosts.length} host${result.hosts.length === 1 ? '' : 's'}` : undefined;
      view.message = !result ? 'The Hostlens server is not running.'
        : result.indexing ? 'Indexing the workspace…'
        : result.hosts.length === 0 ? 'No hosts found in flake.nix.'
        : !vscode.workspace.isTrusted ? 'Untrusted workspace: dry-runs and tools are disabled (run "Hostlens: Why Are Run Commands Disabled?").'
        : undefined;
    }
    // The index-changed notification normally ends "indexing"; polling covers one sent before the view listened.
    if (result?.indexing && !this.poll) this.poll = setTimeout(() => { this.poll = undefined; this.refresh(); }, 1000);
    return (result?.hosts ?? []).map((host) => ({ type: 'host', host }));
  }

  dispose(): void {
    if (this.poll) clearTimeout(this.poll);
    this.changed.dispose();
  }
}

export function registerHostsView(rt: Runtime): { view: HostsView; disposables: vscode.Disposable[] } {
  const provider = new HostsView(rt);
  const tree = vscode.window.createTreeView(HOSTS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.attach(tree);
  const openEntry = async (arg?: unknown) => {
    const ref = asHost(arg) ?? await rt.pickHost(undefined, 'Host whose entry file to open');
    if (!ref) return;
    const host = (arg as { host?: HostInfo } | undefined)?.host ?? provider.hostNamed(ref.name) ?? (await provider.latest())?.hosts.find((h) => h.name === ref.name);
    const file = host ? entryFile(host) : null;
    if (!file) {
      void vscode.window.showInformationMessage(`Hostlens: ${ref.name} has no entry file in this workspace.`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(rt.root() ?? '', file)));
  };
  return {
    view: provider,
    disposables: [
      tree, provider,
      vscode.commands.registerCommand(COMMANDS.refreshHosts.id, () => provider.refresh()),
      vscode.commands.registerCommand(COMMANDS.openHostEntry.id, openEntry),
      vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
    ],
  };
}
