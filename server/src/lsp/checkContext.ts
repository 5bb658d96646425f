// What the diagnostic runners share: settings, trust, where findings go, and whether nix-instantiate and each linter
// can be run at all (learnt once per session, reset when their settings change).
import type { Finding } from '../base/finding';
import type { Logger } from '../base/log';
import type { DiagnosticSettings } from '../shared/diagnosticsProtocol';
import type { NixParser } from '../syntax/parser';
import type { DiagnosticsStatusReporter, LinterName } from './diagnosticsStatus';

/** Publisher channels: each replaces only its own findings. */
export type Channel = 'scope' | 'nix' | 'statix' | 'deadnix' | 'fleet';

export interface CheckContext {
  readonly log: Logger;
  readonly status: DiagnosticsStatusReporter;
  settings(): DiagnosticSettings;
  trusted(): boolean;
  root(): string | null;
  parser(): NixParser | null;
  /** Replaces `channel`'s findings for exactly the `files` given (files absent from `findings` are cleared). */
  publish(channel: Channel, files: ReadonlySet<string>, findings: readonly Finding[]): void;
  /** Whether the file is open in the editor now (its buffer, not the disk, is the truth). */
  isOpen(file: string): boolean;
  readonly tools: ToolAvailability;
}

/** Learnt from runs: a program that was not found is not tried again until its setting changes. */
export class ToolAvailability {
  nixMissing: string | null = null;
  readonly linterMissing = new Set<LinterName>();

  /** Nix may be asked: the workspace is trusted and nix-instantiate was not found missing. */
  nixUsable(trusted: boolean): boolean { return trusted && this.nixMissing === null; }

  /** Why syntax is approximate, or null when Nix judges it. */
  approximateReason(trusted: boolean): string | null {
    if (!trusted) return 'the workspace is not trusted, so Hostlens runs no programs';
    return this.nixMissing;
  }
}
