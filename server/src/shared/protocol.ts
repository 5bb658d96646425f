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

/** Settings under `hostlens.*` that the server reads. */
export interface ServerSettings {
  maxFiles: number;
  maxFileSize: number;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = { maxFiles: 10_000, maxFileSize: 2 * 1024 * 1024 };
