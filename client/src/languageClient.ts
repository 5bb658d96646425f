// Starts the language server (dist/server.js) over IPC and wires its settings.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { diagnosticsConfig } from './diagnosticsClient';
import { DEFAULT_HOST_FLAGS, DEFAULT_SERVER_SETTINGS, type ServerSettings } from '../../server/src/shared/protocol';

export async function startClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const config = vscode.workspace.getConfiguration('hostlens');
  const settings: ServerSettings = {
    maxFiles: config.get('index.maxFiles', DEFAULT_SERVER_SETTINGS.maxFiles),
    maxFileSize: config.get('index.maxFileSize', DEFAULT_SERVER_SETTINGS.maxFileSize),
    hostFlags: {
      files: config.get('hostFlags.files', DEFAULT_HOST_FLAGS.files),
      optionPrefixes: config.get('hostFlags.optionPrefixes', DEFAULT_HOST_FLAGS.optionPrefixes),
    },
    externalSources: config.get('externalSources', {}),
    externalSourcesFromFlakeLock: config.get('externalSourcesFromFlakeLock', true),
    nixPath: config.get('paths.nix', ''),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'nix' }],
    initializationOptions: { ...settings, ...diagnosticsConfig() },
    outputChannelName: 'Hostlens',
  };
  const client = new LanguageClient('hostlens', 'Hostlens', serverOptions, clientOptions);
  await client.start();
  return client;
}
