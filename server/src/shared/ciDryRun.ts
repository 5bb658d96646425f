// The dry-build a generated CI job runs for one host: `nix build --dry-run …` (CI has no nixos-rebuild), the same
// argv as `hostlens dry-run --tool nix`; shared by `hostlens ci` and the editor's Create CI Workflow command.
import { dryRunArgv } from './commandLines';
import type { HostRef } from './protocol';

export function ciDryRunArgv(host: HostRef): string[] {
  const argv = dryRunArgv(host, { flake: '.', tool: 'nix', sudo: false, available: () => false });
  return [argv.command, ...argv.args];
}
