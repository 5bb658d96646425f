// Dry-run commands: the hosts a lens or the status bar carries, the current file's hosts, one picked host, all
// hosts, and the hosts reached by uncommitted git changes. Each runs the hosts one after another with a summary.
import * as vscode from 'vscode';
import { GitAffectedRequest, type DryRunArgs, type GitAffectedResult, type HostRef } from '../../server/src/shared/protocol';
import { COMMANDS } from './commandCatalog';
import type { Runtime } from './runtime';
import { mayRun } from './trust';

export function dryRunHosts(rt: Runtime, hosts: readonly HostRef[], file?: string): Promise<number | undefined> {
  if (hosts.length === 0) return Promise.resolve(undefined);
  const label = `dry-run ${hosts.length > 3 ? `${hosts.length} hosts` : hosts.map((h) => h.name).join(' ')}`;
  return rt.run(COMMANDS.dryRunHosts, label, hosts.map((host) => ({ kind: 'dry-run', host })), { summary: true, ...(file ? { file } : {}) });
}

export function registerDryRunCommands(rt: Runtime): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.dryRunHosts.id, (args?: DryRunArgs) => dryRunHosts(rt, args?.hosts ?? [], args?.file)),

    vscode.commands.registerCommand(COMMANDS.dryRunFile.id, async (uri?: vscode.Uri) => {
      if (!mayRun(COMMANDS.dryRunFile)) return;
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Hostlens: open a Nix file to dry-run the hosts it reaches.');
        return;
      }
      const result = await rt.fileHosts(target);
      const file = rt.relative(target) ?? undefined;
      if (!result) {
        void vscode.window.showInformationMessage('Hostlens is still indexing, or this file is outside the workspace.');
        return;
      }
      if (result.hosts.length === 0) {
        void vscode.window.showInformationMessage(`Hostlens: ${file ?? 'this file'} reaches no host; nothing to dry-run.`);
        return;
      }
      await dryRunHosts(rt, result.hosts, file);
    }),

    vscode.commands.registerCommand(COMMANDS.dryRunHost.id, async (arg?: unknown) => {
      if (!mayRun(COMMANDS.dryRunHost)) return;
      const host = await rt.pickHost(arg, 'Host to dry-run');
      if (host) await dryRunHosts(rt, [host]);
    }),

    vscode.commands.registerCommand(COMMANDS.dryRunAll.id, async () => {
      if (!mayRun(COMMANDS.dryRunAll)) return;
      const result = await rt.hosts();
      if (!result || result.hosts.length === 0) {
        void vscode.window.showInformationMessage(result?.indexing ? 'Hostlens is still indexing the workspace.' : 'Hostlens found no hosts in flake.nix.');
        return;
      }
      await dryRunHosts(rt, result.hosts.map((h) => ({ name: h.name, kind: h.kind })));
    }),

    vscode.commands.registerCommand(COMMANDS.dryRunChanged.id, async () => {
      if (!mayRun(COMMANDS.dryRunChanged)) return;
      const result = await rt.client.sendRequest<GitAffectedResult | null>(GitAffectedRequest, { rev: 'HEAD' }).catch(() => null);
      if (!result) {
        void vscode.window.showWarningMessage('Hostlens could not compute the changed files (is the workspace indexed?).');
        return;
      }
      if ('error' in result) {
        void vscode.window.showWarningMessage(`Hostlens: ${result.error}${/git is not installed/.test(result.error) ? '; install git (e.g. `apt install git` or `nix shell nixpkgs#git`)' : ''}`);
        return;
      }
      if (result.hosts.length === 0) {
        const n = result.files.length;
        void vscode.window.showInformationMessage(n === 0 ? 'Hostlens: no uncommitted changes.' : `Hostlens: ${n} changed file${n === 1 ? '' : 's'}, reaching no host.`);
        return;
      }
      await dryRunHosts(rt, result.hosts);
    }),
  ];
}
