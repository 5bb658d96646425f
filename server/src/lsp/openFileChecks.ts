// Checks of open buffers that need a whole parse: the scope findings right after each change (a few milliseconds'
// delay coalesces the bursts a paste or a formatter sends) and Nix's syntax verdict once typing pauses (a process
// per keystroke would cost more than it tells); both cancelled when a newer edit supersedes them.
import type { Finding } from '../base/finding';
import { errorMessage } from '../base/log';
import { scopeFindings } from '../features/scopeDiagnostics';
import { optionsOf } from '../index/optionIndex';
import { approximateSyntaxFindings, explainSyntaxFinding } from '../features/syntaxFallback';
import type { ParsedFile } from '../syntax/parsedFile';
import { checkNixSyntax } from '../tools/nixSyntax';
import { syntaxFinding } from '../tools/syntaxFinding';
import type { CheckContext } from './checkContext';
import { collectWhenIdle } from './idleCollector';

/** Nix's parser runs in its own process: once typing pauses. */
export const DEBOUNCE_MS = 150;
/** Scope findings cost milliseconds in this process: after each change, once the burst it belongs to is over. */
export const COALESCE_MS = 10;
const NIX_TIMEOUT_MS = 5_000;

export class OpenFileChecks {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly scopeTimers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly ctx: CheckContext) {}

  /** Checks `parsed` (the buffer of `file`): scope after COALESCE_MS, syntax after `delay`, unless a newer version arrives first. */
  schedule(file: string, parsed: ParsedFile, delay = DEBOUNCE_MS): void {
    this.cancel(file);
    const fail = (err: unknown) => this.ctx.log.error(`checking ${file} failed: ${errorMessage(err)}`);
    this.scopeTimers.set(file, setTimeout(() => {
      this.scopeTimers.delete(file);
      try {
        this.ctx.publish('scope', new Set([file]), this.ctx.settings().scope ? scopeFindings(file, parsed) : []);
        // A hover or F12 in the buffer first needs its option index: built now, while typing pauses, not on request.
        optionsOf(parsed);
      } catch (err) { fail(err); }
      collectWhenIdle();
    }, Math.min(delay, COALESCE_MS)));
    this.timers.set(file, setTimeout(() => {
      this.timers.delete(file);
      void this.run(file, parsed).catch(fail);
    }, delay));
  }

  cancel(file: string): void {
    for (const timers of [this.timers, this.scopeTimers]) {
      const t = timers.get(file);
      if (t) { clearTimeout(t); timers.delete(file); }
    }
    this.running.get(file)?.abort();
    this.running.delete(file);
  }

  dispose(): void {
    for (const file of [...this.timers.keys(), ...this.scopeTimers.keys(), ...this.running.keys()]) this.cancel(file);
  }

  private async run(file: string, parsed: ParsedFile): Promise<void> {
    const only = new Set([file]);
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

