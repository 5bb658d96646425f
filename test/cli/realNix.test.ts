// Debian's real nix (offline: no substituters) dry-builds the hosts of a small fixture flake through
// `hostlens dry-run` and through the editor's task command line; nix's own output appears in the terminal output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_RUN_SETTINGS, taskWords, type RunPlan } from '../../server/src/shared/runPlan';
import { onPath } from '../../server/src/tools/exec';
import { FIXTURES, REPO } from '../support/workspace';

const CLI = path.join(REPO, 'dist/cli.js');
const NIX = spawnSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).stdout.trim();
const skip = NIX === '' ? 'nix is not installed (apt install nix-bin)' : false;
const ODD = 'odd host; $HOME `x` it\'s';

// Inside the git work tree nix would read the flake through the enclosing repository; a copy stands alone.
const scratch = mkdtempSync(path.join(tmpdir(), 'hostlens-realnix-'));
const flake = path.join(scratch, 'flake');
cpSync(path.join(FIXTURES, 'offline-flake'), flake, { recursive: true });
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Offline: no binary cache to ask (the argv carries the experimental features itself). */
const env = (PATH = process.env.PATH ?? '') => ({ ...process.env, PATH, NIX_CONFIG: 'substituters =\n', ELECTRON_RUN_AS_NODE: '1' });

test('hostlens dry-run --tool nix: a real nix build --dry-run per host, its output, and the summary', { skip }, () => {
  // `2>&1` as in a terminal: nix reports on stderr, and the terminal shows both streams.
  const r = spawnSync('bash', ['-c', '"$0" "$@" 2>&1', process.execPath, CLI, 'dry-run', '--root', flake, '--tool', 'nix', '--', 'tiny', 'broken', 'me@tiny'], {
    encoding: 'utf8', env: env(),
  });
  assert.equal(r.status, 1, r.stdout);
  const out = r.stdout;
  assert.match(out, /==> tiny \(nixos\): nix build --extra-experimental-features 'nix-command flakes' --dry-run --no-link \.#nixosConfigurations\.tiny\.config\.system\.build\.toplevel\n/);
  assert.match(out, /this derivation will be built:\n\s+\/nix\/store\/[0-9a-z]{32}-nixos-system-tiny\.drv/);
  assert.match(out, /hosts\/broken\.nix is broken on purpose/);
  assert.match(out, /==> me@tiny \(home-manager\): nix build .* '\.#homeConfigurations\."me@tiny"\.activationPackage'\n/);
  assert.match(out, /\/nix\/store\/[0-9a-z]{32}-home-manager-generation-me\.drv/);
  assert.match(out, /==> Summary\n {2}PASS {2}tiny\n {2}FAIL {2}broken {2}\(exit 1\)\n {2}PASS {2}me@tiny\n2 passed, 1 failed/);
  // Headings come before the output they head.
  assert.ok(out.indexOf('==> tiny') < out.indexOf('nixos-system-tiny.drv') && out.indexOf('nixos-system-tiny.drv') < out.indexOf('==> broken'));
});

test('the editor\'s task line through bash: auto falls back to nix, and a hostile host name reaches nix intact', { skip }, () => {
  // A PATH with nix and nothing else of Nix's: no nixos-rebuild, so `auto` must pick `nix build`.
  const bin = path.join(scratch, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(NIX, path.join(bin, 'nix'));
  assert.equal(onPath('nixos-rebuild', bin), false);
  const plan: RunPlan = {
    root: flake, title: 'dry-run', summary: true, settings: { ...DEFAULT_RUN_SETTINGS },
    steps: [{ kind: 'dry-run', host: { name: ODD, kind: 'nixos' } }, { kind: 'dry-run', host: { name: 'me@tiny', kind: 'home-manager' } }],
  };
  const words = taskWords(process.execPath, CLI, plan);
  const line = [words.command, ...words.args].map((w) => `'${w}'`).join(' ');
  const r = spawnSync('/bin/bash', ['-c', `${line} 2>&1`], { cwd: flake, encoding: 'utf8', env: env(`${bin}:/bin`) });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /\.#nixosConfigurations\."odd host; \$HOME %60x%60 it'\\''s"\.config\.system\.build\.toplevel/);
  assert.match(r.stdout, /\/nix\/store\/[0-9a-z]{32}-nixos-system-odd\.drv/);
  assert.match(r.stdout, /\/nix\/store\/[0-9a-z]{32}-home-manager-generation-me\.drv/);
  assert.ok(r.stdout.includes(`  PASS  ${ODD}\n  PASS  me@tiny\n2 passed, 0 failed`), r.stdout);
});
