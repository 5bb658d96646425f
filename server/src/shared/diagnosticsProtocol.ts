// What client and server share about diagnostics: their settings, Workspace Trust, the status the client shows, and
// the request by which the server asks the client to turn a missing linter off.

export interface LinterSettings {
  enable: boolean;
  /** The executable: a name on PATH or a path (used only in a trusted workspace). */
  path: string;
}

/** `hostlens.diagnostics.*`, `hostlens.statix.enable`, `hostlens.deadnix.enable`, `hostlens.paths.statix`/`.deadnix`. */
export interface DiagnosticSettings {
  /** Undefined variables and unused bindings (off for users of nil or nixd, which report them too). */
  scope: boolean;
  /** Publish diagnostics for open files only instead of every `.nix` file of the workspace. */
  openFilesOnly: boolean;
  statix: LinterSettings;
  deadnix: LinterSettings;
}

export const DEFAULT_DIAGNOSTIC_SETTINGS: DiagnosticSettings = {
  scope: true,
  openFilesOnly: false,
  statix: { enable: true, path: 'statix' },
  deadnix: { enable: true, path: 'deadnix' },
};

/**
 * In `initializationOptions` (next to the other settings) and, after a settings change or when the user trusts the
 * workspace, as `hostlens/diagnosticSettings`. `trusted` absent means trusted: editors without Workspace Trust.
 */
export interface DiagnosticsConfig {
  diagnostics?: Partial<DiagnosticSettings>;
  trusted?: boolean;
}

export const DiagnosticSettingsNotification = 'hostlens/diagnosticSettings';

/** Keys under `hostlens.` the server may ask the client to set (a linter the user chose to turn off). */
export type SettableKey = 'statix.enable' | 'deadnix.enable';

/** `hostlens/updateSetting` (server -> client): write a workspace setting the user agreed to change. */
export const UpdateSettingRequest = 'hostlens/updateSetting';
export interface UpdateSettingParams { key: SettableKey; value: boolean }

export type ToolState = 'running' | 'missing' | 'disabled' | 'untrusted' | 'unknown';

/** `hostlens/diagnosticsStatus` (server -> client): how diagnostics are produced right now, for a status item. */
export const DiagnosticsStatusNotification = 'hostlens/diagnosticsStatus';
export interface DiagnosticsStatus {
  /** `nix` when nix-instantiate judges syntax; `approximate` when tree-sitter stands in. */
  syntax: 'nix' | 'approximate' | 'unknown';
  /** Why syntax is approximate, in words for the user. */
  reason: string | null;
  statix: ToolState;
  deadnix: ToolState;
}

/** Settings as the client reads them from a `hostlens` configuration section (`get(key, default)`). */
export function readDiagnosticSettings(get: <T>(key: string, fallback: T) => T): DiagnosticSettings {
  const d = DEFAULT_DIAGNOSTIC_SETTINGS;
  return {
    scope: get('diagnostics.scope', d.scope),
    openFilesOnly: get('diagnostics.openFilesOnly', d.openFilesOnly),
    // The executables are the ones every Hostlens command uses: `hostlens.paths.statix` / `.deadnix` (empty: PATH).
    statix: { enable: get('statix.enable', d.statix.enable), path: get('paths.statix', '').trim() || d.statix.path },
    deadnix: { enable: get('deadnix.enable', d.deadnix.enable), path: get('paths.deadnix', '').trim() || d.deadnix.path },
  };
}

/** Whatever arrived (initializationOptions are untyped) merged over the defaults. */
export function normalizeDiagnosticSettings(raw: Partial<DiagnosticSettings> | undefined): DiagnosticSettings {
  const d = DEFAULT_DIAGNOSTIC_SETTINGS;
  const bool = (v: unknown, f: boolean) => (typeof v === 'boolean' ? v : f);
  const linter = (v: Partial<LinterSettings> | undefined, f: LinterSettings): LinterSettings => ({
    enable: bool(v?.enable, f.enable),
    path: typeof v?.path === 'string' && v.path.trim() !== '' ? v.path : f.path,
  });
  return {
    scope: bool(raw?.scope, d.scope),
    openFilesOnly: bool(raw?.openFilesOnly, d.openFilesOnly),
    statix: linter(raw?.statix, d.statix),
    deadnix: linter(raw?.deadnix, d.deadnix),
  };
}

/** The language status item's wording for a status: short text, a detail line, and whether it is a warning. */
export function describeDiagnosticsStatus(s: DiagnosticsStatus): { text: string; detail: string; warning: boolean } {
  const tool = (name: string, state: ToolState) => `${name}: ${state === 'running' ? 'on' : state === 'unknown' ? 'not run yet' : state}`;
  const linters = `${tool('statix', s.statix)}, ${tool('deadnix', s.deadnix)}`;
  if (s.syntax === 'approximate') {
    return { text: 'Nix syntax: approximate', detail: `tree-sitter stands in: ${s.reason ?? 'nix-instantiate unavailable'}. ${linters}`, warning: true };
  }
  return { text: s.syntax === 'nix' ? 'Nix syntax: nix-instantiate' : 'Nix syntax: checking…', detail: linters, warning: false };
}
