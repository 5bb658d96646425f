// What the Hosts view and status bar show (files grouped per host, descriptions with flags, `⬡ 2 hosts`) and the
// questions asked before changing files or switching, on the fixture fleet's real host data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { confirmFileChange, confirmSwitch } from '../../client/src/confirmations';
import { entryFile, flagsText, groupFiles, hostDescription, hostTooltip, statusBarModel, type HostInfo } from '../../client/src/hostModel';
import { cli } from '../support/cli';
import { FIXTURES } from '../support/workspace';

/** The fleet's hosts in the shape of `hostlens/hosts` (workspace entries only, as the server sends them). */
function fleetHosts(): HostInfo[] {
  const r = cli(['hosts', '--json', path.join(FIXTURES, 'fleet')]);
  assert.equal(r.code, 0, r.stderr);
  const hosts = (JSON.parse(r.stdout) as { hosts: HostInfo[] }).hosts;
  return hosts.map((h) => ({ ...h, entry: h.entry.filter((e) => e.startsWith('hosts/')) }));
}

test('a host\'s files are grouped as entry, host, common and modules; each file in exactly one group', () => {
  const hosts = fleetHosts();
  const atlas = hosts.find((h) => h.name === 'm3-atlas')!;
  const groups = Object.fromEntries(groupFiles(atlas).map((g) => [g.group, g.files]));
  assert.deepEqual(Object.keys(groups), ['entry', 'host', 'common', 'modules']);
  assert.deepEqual(groups.entry, ['hosts/m3-atlas/default.nix']);
  assert.ok(groups.host!.includes('hosts/m3-atlas/services/traefik.nix') && groups.host!.includes('hosts/m3-atlas/configuration.nix'));
  assert.ok(groups.common!.includes('hosts/common/default.nix') && groups.common!.includes('hosts/common/users/m3tam3re.nix'));
  assert.ok(groups.modules!.includes('modules/nixos/default.nix') && groups.modules!.includes('secrets/n8n-env.age') && groups.modules!.includes('overlays/default.nix'));
  for (const h of hosts) {
    const all = groupFiles(h).flatMap((g) => g.files);
    assert.deepEqual([...all].sort(), [...h.files].sort(), `${h.name}: every file once`);
    assert.ok(!groupFiles(h).find((g) => g.group === 'host')?.files.some((f) => f.startsWith('hosts/common/')), `${h.name}: common is not the host's`);
  }
  const home = hosts.find((h) => h.name === 'm3tam3re@m3-daedalus')!;
  const homeGroups = Object.fromEntries(groupFiles(home).map((g) => [g.group, g.files]));
  assert.deepEqual(homeGroups.entry, ['hosts/m3-daedalus/home.nix'], 'an entry file, not a folder');
  assert.ok(homeGroups.host!.includes('hosts/m3-daedalus/programs/git.nix'));
  assert.deepEqual(homeGroups.common, ['hosts/common/users/home.nix']);
  assert.equal(entryFile(atlas), 'hosts/m3-atlas/default.nix');
  assert.equal(entryFile({ ...atlas, entry: [] }), null);
});

test('view labels: the host name as label, kind and flags as description, a tooltip with entry and size', () => {
  const host: HostInfo = { name: 'm3-ares', kind: 'nixos', entry: ['hosts/m3-ares'], files: ['hosts/m3-ares/default.nix', 'a.nix'] };
  assert.equal(hostDescription(host), 'nixos');
  assert.equal(hostDescription({ ...host, flags: { desktop: true, gaming: true, server: false, gpu: 'amd' } }), 'nixos · desktop, gaming, gpu=amd');
  assert.equal(hostDescription({ ...host, flags: ['desktop', 'gaming'] }), 'nixos · desktop, gaming');
  assert.equal(flagsText(null), '');
  assert.equal(hostTooltip(host), 'm3-ares (nixos)\nentry: hosts/m3-ares/default.nix\n2 files');
});

test('status bar: ⬡ N hosts with the list in the tooltip; a click dry-runs them only when trusted', () => {
  const two = { hosts: [{ name: 'm3-atlas', kind: 'nixos' as const }, { name: 'm3-hermes', kind: 'nixos' as const }], total: 7 };
  const m = statusBarModel(two, true)!;
  assert.equal(m.text, '⬡ 2 hosts');
  assert.equal(m.tooltip, 'Reaches 2 of 7 hosts:\n• m3-atlas\n• m3-hermes\n\nClick to dry-run them.');
  assert.equal(m.ariaLabel, 'Hostlens: this file reaches 2 hosts: m3-atlas, m3-hermes');
  assert.deepEqual(m.hosts, two.hosts);
  assert.match(statusBarModel(two, false)!.tooltip, /Dry-runs are disabled until this workspace is trusted\.$/);
  assert.equal(statusBarModel({ hosts: [two.hosts[0]!], total: 7 }, true)!.text, '⬡ 1 host');
  const none = statusBarModel({ hosts: [], total: 7 }, true)!;
  assert.deepEqual([none.text, none.tooltip], ['⬡ no host', 'This file reaches no host.']);
  assert.equal(statusBarModel(null, true), null, 'not indexed yet: no item');
});

test('confirmations name the command line, the target, and a host that is not this machine', () => {
  const fix = confirmFileChange('statixFix', '.', { command: 'statix', args: ['fix', '.'] }, '/home/me/nixos-config');
  assert.equal(fix.message, 'Run `statix fix .` on every Nix file in /home/me/nixos-config?');
  assert.match(fix.detail, /rewrites Nix files in place/);
  assert.equal(fix.action, 'Apply Fixes');
  const edit = confirmFileChange('deadnixEdit', 'hosts/it\'s.nix', { command: 'deadnix', args: ['--edit', 'hosts/it\'s.nix'] }, '/r');
  assert.equal(edit.message, 'Run `deadnix --edit \'hosts/it\'\\\'\'s.nix\'` on hosts/it\'s.nix (in /r)?');
  assert.match(edit.detail, /removes unused bindings/);
  const sw = confirmSwitch({ name: 'm3-atlas', kind: 'nixos' }, { command: 'sudo', args: ['nixos-rebuild', 'switch', '--flake', '.#m3-atlas'] }, 'm3-kratos');
  assert.equal(sw.message, 'Switch this machine to the configuration of m3-atlas (nixos)?');
  assert.equal(sw.detail, 'Runs `sudo nixos-rebuild switch --flake .#m3-atlas` in the terminal and activates the result now.\n\nWarning: this machine is "m3-kratos", not "m3-atlas".');
  assert.equal(sw.action, 'Switch to m3-atlas');
  assert.doesNotMatch(confirmSwitch({ name: 'm3tam3re@m3-kratos', kind: 'home-manager' }, { command: 'home-manager', args: [] }, 'm3-kratos').detail, /Warning/);
});
