// What the server offers, in one place.
import { TextDocumentSyncKind, type ServerCapabilities } from 'vscode-languageserver';

export const capabilities: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
  codeLensProvider: { resolveProvider: false },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: ['quickfix'] },
  definitionProvider: true,
  referencesProvider: true,
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  completionProvider: { triggerCharacters: ['.', '"'] },
  workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
};
