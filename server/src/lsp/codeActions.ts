// Quick fixes: each published finding's fixes (statix suggestions, removing or renaming dead bindings) as LSP code
// actions for the diagnostics the editor asks about.
import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { Finding, Fix } from '../base/finding';
import type { Range } from '../base/text';
import type { Paths } from './convert';
import { toDiagnostic } from './diagnosticsPublisher';

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Fixes come from the findings published for the file, matched to the diagnostics in the request by range, source
 * and message (the editor may drop a diagnostic's `data`); a fix whose finding is no longer current is not offered.
 */
export function codeActions(params: CodeActionParams, paths: Paths | null, findings: (file: string) => Finding[]): CodeAction[] {
  const file = paths?.relative(params.textDocument.uri);
  if (!file) return [];
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const current = findings(file);
  const out: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const finding = current.find((f) => sameRange(f.range, diagnostic.range) && f.message === diagnostic.message && f.source === diagnostic.source);
    if (!finding?.fixes) continue;
    finding.fixes.forEach((fix, i) => out.push(action(params.textDocument.uri, fix, toDiagnostic(finding), i === 0)));
  }
  return out;
}

function action(uri: string, fix: Fix, diagnostic: Diagnostic, preferred: boolean): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
  };
}
