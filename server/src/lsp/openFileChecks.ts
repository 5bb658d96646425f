// Checks of open buffers that need a whole parse: Nix's syntax verdict and the scope findings, run once typing pauses
// (debounced), cancelled when a newer edit supersedes them, and bounded by a timeout.
import type { Finding } from '../base/finding';
import { errorMessage } from '../base/log';
import { scopeFindings } from '../features/scopeDiagnostics';
import { approximateSyntaxFindings, explainSyntaxFinding } from '../features/syntaxFallback';
import type { ParsedFile } from '../syntax/parsedFile';
import { checkNixSyntax } from '../tools/nixSyntax';
import { syntaxFinding } from '../tools/syntaxFinding';
import type { CheckContext } from './checkContext';

export const DEBOUNCE_MS = 150;
const NIX_TIMEOUT_MS = 5_000;

export class OpenFileChecks {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly ctx: CheckContext) {}

  /** Checks `parsed` (the buffer of `file`) after `delay` ms unless a newer version arrives first. */
  schedule(file: string, parsed: ParsedFile, delay = DEBOUNCE_MS): void {
    this.cancel(file);
    const timer = setTimeout(() => {
      this.timers.delete(file);
      void this.run(file, parsed).catch((err) => this.ctx.log.error(`checking ${file} failed: ${errorMessage(err)}`));
    }, delay);
    this.timers.set(file, timer);
  }

  cancel(file: string): void {
    const t = this.timers.get(file);
    if (t) { clearTimeout(t); this.timers.delete(file); }
    this.running.get(file)?.abort();
    this.running.delete(file);
  }

  dispose(): void {
    for (const file of [...this.timers.keys(), ...this.running.keys()]) this.cancel(file);
  }

  private async run(file: string, parsed: ParsedFile): Promise<void> {
    const only = new Set([file]);
    this.ctx.publish('scope', only, this.ctx.settings().scope ? scopeFindings(file, parsed) : []);
    const controller = new AbortController();
    this.running.set(file, controller);
    try {
      const findings = await this.syntax(file, parsed, controller.signal);
      if (findings && !controller.signal.aborted) this.ctx.publish('nix', only, findings);
    } finally {
      if (this.running.get(file) === controller) this.running.delete(file);
    }
  }

  /** Nix's verdict on the buffer, tree-sitter's when Nix cannot be asked; null when superseded. */
  private async syntax(file: string, parsed: ParsedFile, signal: AbortSignal): Promise<Finding[] | null> {
    const { tools, status } = this.ctx;
    const trusted = this.ctx.trusted();
    if (!tools.nixUsable(trusted)) {
      status.setSyntax('approximate', tools.approximateReason(trusted));
      return approximateSyntaxFindings(file, parsed);
    }
    const result = await checkNixSyntax(parsed.text, { signal, timeoutMs: NIX_TIMEOUT_MS });
    if (signal.aborted) return null;
    if (result.status === 'ok') { status.setSyntax('nix', null); return []; }
    if (result.status === 'error') {
      status.setSyntax('nix', null);
      return [explainSyntaxFinding(syntaxFinding(result, parsed.text, file)!, parsed)];
    }
    if (result.reason === 'cancelled') return null;
    if (/not found$/.test(result.reason)) {
      tools.nixMissing = 'nix-instantiate was not found';
      status.setSyntax('approximate', tools.nixMissing);
      status.nixMissing(tools.nixMissing);
    } else {
      this.ctx.log.warn(`nix-instantiate on ${file}: ${result.reason}; showing tree-sitter's view of its syntax instead.`);
    }
    return approximateSyntaxFindings(file, parsed);
  }
}

