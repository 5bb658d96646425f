// What every Hostlens command needs: the workspace folder, trust-aware settings, the server's host lists, and a way
// to run a plan in the terminal with the command's own trust check.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  FileHostsRequest, HostsRequest, type FileHostsResult, type HostRef, type HostsResult,
} from '../../server/src/shared/protocol';
import type { RunPlan, RunStep } from '../../server/src/shared/runPlan';
import type { CommandSpec } from './commandCatalog';
import type { HostInfo } from './hostModel';
import { readSettings, type ClientSettings } from './settingsModel';
import { runPlanTask } from './tasks';
import { mayRun } from './trust';

export class Runtime {
  constructor(readonly context: vscode.ExtensionContext, readonly client: LanguageClient) {}

  folder(): vscode.WorkspaceFolder | undefined { return vscode.workspace.workspaceFolders?.[0]; }

  root(): string | undefined { return this.folder()?.uri.fsPath; }

  settings(): ClientSettings {
    const config = vscode.workspace.getConfiguration('hostlens', this.folder()?.uri);
    return readSettings((key) => config.inspect(key), vscode.workspace.isTrusted);
  }

  /** Workspace-relative path with `/`, or null outside the workspace. */
  relative(uri: vscode.Uri): string | null {
    const root = this.root();
    if (!root || uri.scheme !== 'file') return null;
    const rel = path.relative(root, uri.fsPath);
    if (rel === '') return '.';
    return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep).join('/');
  }

  async hosts(): Promise<HostsResult | null> {
    return this.client.sendRequest<HostsResult | null>(HostsRequest, {}).catch(() => null);
  }

  async fileHosts(uri: vscode.Uri): Promise<FileHostsResult | null> {
    return this.client.sendRequest<FileHostsResult | null>(FileHostsRequest, { uri: uri.toString() }).catch(() => null);
  }

  /** One host from the argument (a view item, a HostRef), else from a quick pick over the index. */
  async pickHost(arg: unknown, placeHolder: string): Promise<HostRef | undefined> {
    const given = asHost(arg);
    if (given) return given;
    const result = await this.hosts();
    if (!result || result.hosts.length === 0) {
      void vscode.window.showInformationMessage(result?.indexing ? 'Hostlens is still indexing the workspace.' : 'Hostlens found no hosts in flake.nix.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      result.hosts.map((h) => ({ label: h.name, description: h.kind, detail: `${h.files.length} files`, host: { name: h.name, kind: h.kind } })),
      { placeHolder, matchOnDescription: true },
    );
    return picked?.host;
  }

  /** Runs steps in the terminal after the trust check; resolves with the exit code (undefined when not run). */
  async run(command: CommandSpec, label: string, steps: RunStep[], extra: { file?: string; summary?: boolean; problemMatchers?: string[] } = {}): Promise<number | undefined> {
    if (!mayRun(command)) return undefined;
    const root = this.root();
    if (!root) {
      void vscode.window.showInformationMessage('Hostlens: open a folder with a flake.nix first.');
      return undefined;
    }
    const plan: RunPlan = {
      root, title: label, steps, settings: this.settings().run, summary: extra.summary ?? false,
      ...(extra.file ? { file: extra.file } : {}),
    };
    const code = await runPlanTask(this.context.asAbsolutePath('dist/cli.js'), plan, { label, command: command.id, ...(extra.problemMatchers ? { problemMatchers: extra.problemMatchers } : {}) });
    vscode.window.setStatusBarMessage(`Hostlens: ${label} ${code === 0 ? 'passed' : code === undefined ? 'ended' : `failed (exit ${code})`}`, 10_000);
    return code;
  }
}

/** A HostRef from whatever a command was invoked with: a view node `{ host }`, a HostRef, or nothing. */
export function asHost(arg: unknown): HostRef | undefined {
  const candidate = (arg && typeof arg === 'object' && 'host' in arg ? (arg as { host: unknown }).host : arg) as Partial<HostInfo> | undefined;
  if (candidate && typeof candidate.name === 'string' && (candidate.kind === 'nixos' || candidate.kind === 'home-manager' || candidate.kind === 'darwin')) {
    return { name: candidate.name, kind: candidate.kind };
  }
  return undefined;
}
