// Names and payloads shared by the client and the server: command ids, custom requests, settings.

/** Client-side commands the server's lenses and hovers invoke. */
export const Commands = {
  dryRunHosts: 'hostlens.dryRunHosts',
  showReach: 'hostlens.showReach',
} as const;

/** Arguments of `hostlens.dryRunHosts` as a lens carries them. */
export interface DryRunArgs { hosts: HostRef[]; file?: string }

export interface HostRef { name: string; kind: 'nixos' | 'home-manager' | 'darwin' }

/** `hostlens/hosts`: the host list for views and pickers. */
export const HostsRequest = 'hostlens/hosts';
export interface HostsResult {
  root: string | null;
  indexing: boolean;
  hosts: { name: string; kind: HostRef['kind']; entry: string[]; files: string[] }[];
}

/** `hostlens/fileHosts`: the hosts one file reaches (status bar, dry-run of the current file). */
export const FileHostsRequest = 'hostlens/fileHosts';
export interface FileHostsParams { uri: string }
export interface FileHostsResult { hosts: HostRef[]; total: number }

/** `hostlens/indexChanged` (server -> client): host membership may have changed; views and the status bar re-ask. */
export const IndexChangedNotification = 'hostlens/indexChanged';
export interface IndexChangedParams { revision: number }

/**
 * `hostlens/gitAffected`: the hosts reached by files changed since `rev` (untracked included), as
 * `hostlens affected --git`. It runs git, so the client sends it only in a trusted workspace.
 */
export const GitAffectedRequest = 'hostlens/gitAffected';
export interface GitAffectedParams { rev: string }
export type GitAffectedResult = { hosts: HostRef[]; files: string[] } | { error: string };

/** `hostlens/format`: the buffer formatted by alejandra or nixfmt. It runs a program: trusted workspaces only. */
export const FormatRequest = 'hostlens/format';
export interface FormatParams { uri: string; text: string; formatter: 'alejandra' | 'nixfmt'; command?: string }
export type FormatResult = { status: 'ok'; text: string } | { status: 'unchanged' } | { status: 'missing' | 'failed' | 'timeout' | 'cancelled'; detail: string };

/** Settings under `hostlens.*` that the server reads. */
export interface ServerSettings {
  maxFiles: number;
  maxFileSize: number;
  /** `hostlens.hostFlags.files` / `.optionPrefixes`: where host profile flags live. */
  hostFlags?: HostFlagSettings;
  /** `hostlens.externalSources`: flake input name -> local folder indexed read-only (relative to the workspace). */
  externalSources?: Record<string, string>;
  /**
   * `hostlens.externalSourcesFromFlakeLock` (default true): in a trusted workspace, also index the inputs the
   * workspace reads from their locked store paths (`nix flake archive --json --dry-run`); the setting above wins.
   */
  externalSourcesFromFlakeLock?: boolean;
  /** `hostlens.paths.nix`: the nix executable; empty or absent: `nix` on PATH. */
  nixPath?: string;
}

export interface HostFlagSettings { files: string[]; optionPrefixes: string[] }

export const DEFAULT_HOST_FLAGS: HostFlagSettings = { files: ['hosts/common/users/m3tam3re.nix'], optionPrefixes: ['m3ta.home.profiles'] };

export const DEFAULT_SERVER_SETTINGS: ServerSettings = { maxFiles: 10_000, maxFileSize: 2 * 1024 * 1024 };

/** The palette command "Hostlens: Create CI Workflow…": asks for the forge, shows the file, writes it when confirmed. */
export const CreateCiWorkflowCommand = 'hostlens.createCiWorkflow';

/**
 * `hostlens/ciWorkflow`: the CI workflow `hostlens ci <forge>` would print for this workspace, and where it belongs
 * (relative to the workspace folder, with `/`). Null while the workspace is still being indexed.
 */
export const CiWorkflowRequest = 'hostlens/ciWorkflow';
export interface CiWorkflowParams { forge: 'gitea' | 'github'; formatter?: 'alejandra' | 'nixfmt' }
export interface CiWorkflowResult { path: string; text: string }
