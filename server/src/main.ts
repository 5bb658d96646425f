// Process entry of the language server: `node dist/server.js --stdio` (any editor) or `--node-ipc` (VS Code).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { wasmDir } from './app/openWorkspace';
import { HostlensServer } from './lsp/server';

new HostlensServer(createConnection(ProposedFeatures.all), { wasmDir: wasmDir() }).listen();
