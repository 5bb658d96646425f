// Keeps findings per file and per source (index, nix, statix, deadnix), merges them, and publishes only what changed.
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Finding } from '../base/finding';
import { dedupeFindings } from '../features/findingDedupe';
import type { Paths } from './convert';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range, severity: SEVERITY[f.severity], source: f.source, message: f.message,
    ...(f.code ? { code: f.code } : {}),
    ...(f.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data: f.fixes ? { fixes: f.fixes } : undefined,
  };
}

export class DiagnosticsPublisher {
  /** file -> source -> findings */
  private readonly bySource = new Map<string, Map<string, Finding[]>>();
  private readonly published = new Map<string, string>();

  constructor(private readonly connection: Connection, private readonly paths: () => Paths | null) {}

  /** Replaces what `source` says about each listed file; files of that source not listed are cleared. */
  replaceSource(source: string, findings: readonly Finding[], scope?: ReadonlySet<string>): void {
    const grouped = new Map<string, Finding[]>();
    for (const f of findings) grouped.set(f.file, [...(grouped.get(f.file) ?? []), f]);
    const touched = new Set<string>(grouped.keys());
    for (const [file, sources] of this.bySource) {
      if (sources.has(source) && (!scope || scope.has(file)) && !grouped.has(file)) { sources.delete(source); touched.add(file); }
    }
    for (const [file, list] of grouped) {
      const sources = this.bySource.get(file) ?? new Map<string, Finding[]>();
      sources.set(source, list);
      this.bySource.set(file, sources);
    }
    for (const file of touched) this.publish(file);
  }

  /** What the editor shows for `file`: every source's findings, one per problem (see dedupeFindings). */
  findings(file: string): Finding[] {
    return dedupeFindings([...(this.bySource.get(file)?.values() ?? [])].flat());
  }

  private publish(file: string): void {
    const paths = this.paths();
    if (!paths) return;
    const diagnostics = this.findings(file).map(toDiagnostic);
    const key = JSON.stringify(diagnostics);
    if (this.published.get(file) === key) return;
    this.published.set(file, key);
    void this.connection.sendDiagnostics({ uri: paths.uri(file), diagnostics });
  }
}
