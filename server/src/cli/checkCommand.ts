// `hostlens check [--json] [DIR]`: the editor's diagnostics for the whole workspace, for a pre-commit hook or CI job.
// Index, fleet, scope and agenix checks always; syntax from nix-instantiate when installed (tree-sitter otherwise);
// statix and deadnix when installed. Exit 1 when anything is an error.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../app/openWorkspace';
import type { Finding } from '../base/finding';
import { dedupeFindings } from '../features/findingDedupe';
import { graphFindings, moduleFindings, sortFindings } from '../features/fleetDiagnostics';
import { scopeFindings } from '../features/scopeDiagnostics';
import { approximateSyntaxFindings, explainSyntaxFinding } from '../features/syntaxFallback';
import { onPath } from '../tools/exec';
import { lintFolder, type Linter } from '../tools/linterBatch';
import { checkNixSyntaxFiles } from '../tools/nixSyntaxBatch';
import { syntaxFinding } from '../tools/syntaxFinding';
import { parseArgs, UsageError } from './args';

export const CHECK_USAGE = `  check [--json] [--no-scope] [--no-linters] [DIR]
                                            every diagnostic the editor shows (syntax, imports, hosts, scope,
                                            secrets, statix/deadnix when installed); exit 1 on any error`;

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export interface CheckReport {
  root: string;
  /** `nix` when nix-instantiate judged syntax, else `approximate` (tree-sitter). */
  syntax: 'nix' | 'approximate';
  /** Linters that ran. */
  linters: Linter[];
  files: number;
  findings: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: Finding['severity']; source: string; code: string | null; message: string }[];
  counts: Record<Finding['severity'], number>;
}

export async function runCheck(argv: readonly string[], out: Out): Promise<number> {
  const { flags, positionals } = parseArgs(argv, ['json', 'no-scope', 'no-linters'], []);
  if (positionals.length > 1) throw new UsageError('check takes at most one DIR');
  const root = path.resolve(positionals[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`not a directory: ${root}`);
  if (!existsSync(path.join(root, 'flake.nix'))) throw new UsageError(`no flake.nix in ${root}`);
  const report = await check(root, { scope: !flags.has('no-scope'), linters: !flags.has('no-linters') }, out.stderr);
  out.stdout(flags.has('json') ? JSON.stringify(report, null, 2) : renderCheck(report));
  return report.counts.error > 0 ? 1 : 0;
}

export async function check(root: string, opts: { scope: boolean; linters: boolean }, warn: (s: string) => void): Promise<CheckReport> {
  const { index, scanned } = await openWorkspace(root, undefined, { eagerAst: true });
  // Nix parses the saved files in its own process while this one builds the index.
  const readable = [...scanned.files].filter(([f, text]) => f.endsWith('.nix') && text !== null).map(([f]) => f).sort();
  const nixVerdicts = checkNixSyntaxFiles(root, readable);
  const snap = index.snapshot();
  const nixFiles = readable.filter((f) => snap.parsed(f) !== null);
  const findings: Finding[] = [...graphFindings(snap), ...moduleFindings(snap)];
  if (opts.scope) for (const f of nixFiles) findings.push(...scopeFindings(f, snap.parsed(f)!));

  const verdicts = await nixVerdicts;
  let approximate = 0;
  for (const f of nixFiles) {
    const v = verdicts.get(f);
    const parsed = snap.parsed(f)!;
    if (v?.status === 'error') findings.push(explainSyntaxFinding(syntaxFinding(v, parsed.text, f)!, parsed));
    else if (v?.status !== 'ok') { approximate++; findings.push(...approximateSyntaxFindings(f, parsed)); }
  }
  const firstUnavailable = [...verdicts.values()].find((v) => v.status === 'unavailable');
  if (approximate > 0) warn(`hostlens: syntax checked approximately (tree-sitter) in ${approximate} file(s): ${firstUnavailable?.status === 'unavailable' ? firstUnavailable.reason : 'nix-instantiate unavailable'}`);

  const linters: Linter[] = [];
  if (opts.linters) {
    for (const tool of ['statix', 'deadnix'] as const) {
      if (!onPath(tool)) continue;
      const run = await lintFolder(tool, { command: tool, root, fileText: (rel) => snap.parsed(rel)?.text ?? null });
      if (run.status !== 'ok') { warn(`hostlens: ${tool}: ${run.detail}`); continue; }
      linters.push(tool);
      findings.push(...run.findings.filter((f) => snap.files.isFile(f.file)));
    }
  }
  return toReport(root, nixFiles.length, approximate > 0 ? 'approximate' : 'nix', linters, sortFindings(dedupeFindings(findings)));
}

function toReport(root: string, files: number, syntax: CheckReport['syntax'], linters: Linter[], findings: Finding[]): CheckReport {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    root, syntax, linters, files, counts,
    findings: findings.map((f) => ({
      file: f.file, line: f.range.start.line + 1, column: f.range.start.character + 1,
      endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
      severity: f.severity, source: f.source, code: f.code ?? null, message: f.message,
    })),
  };
}

/** `path:line:col: severity source: message`, one per line, then a count. */
export function renderCheck(r: CheckReport): string {
  const lines = r.findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.source}: ${f.message}`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${plural(r.counts.error, 'error')}, ${plural(r.counts.warning, 'warning')}, ${r.counts.information + r.counts.hint} note(s) in ${plural(r.files, 'file')}`);
  return lines.join('\n');
}
