// The questions asked before a command changes files or the running system, naming exactly what will run where.
// No vscode import (unit-tested); commands show them as modal dialogs.
import { displayArgv, type Argv } from '../../server/src/shared/commandLines';
import type { HostRef } from '../../server/src/shared/protocol';

export interface Confirmation { message: string; detail: string; action: string }

const WHAT: Record<'statixFix' | 'deadnixEdit' | 'formatWorkspace', { does: string; action: string }> = {
  statixFix: { does: "rewrites Nix files in place with statix's suggested fixes", action: 'Apply Fixes' },
  deadnixEdit: { does: 'removes unused bindings and arguments from Nix files in place', action: 'Remove Unused Code' },
  formatWorkspace: { does: 'rewrites Nix files in place in the formatter\'s style', action: 'Format Files' },
};

export function confirmFileChange(command: keyof typeof WHAT, target: string, argv: Argv, root: string): Confirmation {
  const where = target === '.' ? `every Nix file in ${root}` : `${target} (in ${root})`;
  const w = WHAT[command];
  return {
    message: `Run \`${displayArgv(argv)}\` on ${where}?`,
    detail: `This ${w.does}. Unsaved editors are not included; commit or stash first if you want an easy way back.`,
    action: w.action,
  };
}

/**
 * Switching activates a configuration on this machine now. When the machine's name differs from the host's, the
 * question says so: switching a laptop to a server's configuration is rarely what was meant.
 */
export function confirmSwitch(host: HostRef, argv: Argv, localHostname: string): Confirmation {
  const short = host.name.split('@').pop() ?? host.name;
  const mismatch = localHostname !== '' && localHostname !== short
    ? `\n\nWarning: this machine is "${localHostname}", not "${short}".`
    : '';
  return {
    message: `Switch this machine to the configuration of ${host.name} (${host.kind})?`,
    detail: `Runs \`${displayArgv(argv)}\` in the terminal and activates the result now.${mismatch}`,
    action: `Switch to ${host.name}`,
  };
}
