// Tree-sitter's ERROR and MISSING nodes as syntax findings, for when Nix itself cannot be asked (not installed, an
// untrusted workspace, a timeout): approximate, and said so in every message.
import type { Finding } from '../base/finding';
import { lineIndexOf } from '../index/astQueries';
import type { ParsedFile } from '../syntax/parsedFile';

export function approximateSyntaxFindings(file: string, parsed: ParsedFile): Finding[] {
  const lines = lineIndexOf(parsed);
  return parsed.problems.map((p) => ({
    file, range: lines.range(p.span), severity: 'error', source: 'hostlens', code: 'syntax-approximate',
    message: `syntax error (approximate, without nix-instantiate): ${p.message}`,
  }));
}

const PIPE_HINT = ' (this Nix predates the pipe operators `|>` and `<|`: they need Nix 2.24 or later with the pipe-operators experimental feature)';

/** Nix's own syntax finding, explained when an older Nix stumbles on a pipe operator. */
export function explainSyntaxFinding(finding: Finding, parsed: ParsedFile): Finding {
  const lines = lineIndexOf(parsed);
  const token = parsed.text.slice(lines.offset(finding.range.start), lines.offset(finding.range.end));
  return token === '|>' || token === '<|' ? { ...finding, message: finding.message + PIPE_HINT } : finding;
}
