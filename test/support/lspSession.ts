// A JSON-RPC client that spawns `node dist/server.js --stdio` exactly as another editor would, for protocol tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import { FIXTURES, REPO } from './workspace';

export class LspSession {
  readonly refreshes: number[] = [];
  readonly logs: string[] = [];
  readonly diagnostics = new Map<string, unknown[]>();
  readonly progress: { kind: string; message?: string; title?: string }[] = [];
  initializeResult: { capabilities: Record<string, unknown> } | null = null;
  private constructor(readonly child: ChildProcess, readonly rpc: MessageConnection, readonly root: string) {}

  static async start(root: string, initializationOptions: object = {}, env?: NodeJS.ProcessEnv): Promise<LspSession> {
    const child = spawn(process.execPath, [path.join(REPO, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    const rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new LspSession(child, rpc, root);
    rpc.onRequest('window/workDoneProgress/create', () => null);
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onRequest('workspace/configuration', () => []);
    rpc.onRequest('workspace/codeLens/refresh', () => { session.refreshes.push(Date.now()); return null; });
    rpc.onNotification('$/progress', (p: { value: { kind: string; message?: string; title?: string } }) => { session.progress.push(p.value); });
    rpc.onNotification('window/logMessage', (p: { message: string }) => { session.logs.push(p.message); });
    rpc.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => { session.diagnostics.set(p.uri, p.diagnostics); });
    rpc.listen();
    session.initializeResult = await rpc.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'fleet' }],
      initializationOptions,
      capabilities: {
        workspace: { codeLens: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workDoneProgress: true },
        window: { workDoneProgress: true },
        textDocument: { synchronization: { didSave: true } },
      },
    });
    rpc.sendNotification('initialized', {});
    return session;
  }

  /**
   * A server on a fresh copy of a fixture folder (tests may edit it on disk), indexed and ready; `disposeCopy` ends
   * the server and removes the copy.
   */
  static async onCopy(fixture: string, label: string): Promise<LspSession> {
    const root = mkdtempSync(path.join(tmpdir(), `hostlens-${label}-`));
    cpSync(path.join(FIXTURES, fixture), root, { recursive: true });
    const session = await LspSession.start(root);
    await session.ready();
    return session;
  }

  disposeCopy(): void {
    this.child.kill();
    rmSync(this.root, { recursive: true, force: true });
  }

  uri(rel: string): string { return pathToFileURL(path.join(this.root, rel)).toString(); }

  /** Resolves once the workspace scan has finished and the index answers. */
  async ready(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.rpc.sendRequest('hostlens/hosts', {}) as { indexing: boolean } | null;
      if (r && !r.indexing) return;
      if (Date.now() > until) throw new Error('server did not finish indexing');
      await new Promise((res) => setTimeout(res, 20));
    }
  }

  open(rel: string, text: string, languageId = 'nix'): void {
    this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(rel), languageId, version: 1, text } });
  }

  async lensTitles(rel: string): Promise<string[]> {
    const lenses = await this.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: this.uri(rel) } }) as { command?: { title: string } }[] | null;
    return (lenses ?? []).map((l) => l.command?.title ?? '');
  }

  async stop(): Promise<number | null> {
    await this.rpc.sendRequest('shutdown');
    this.rpc.sendNotification('exit');
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      this.child.on('exit', (code) => resolve(code));
    });
  }
}
