// `hostlens hook pre-commit`: the generated hook installed in a temporary repo and triggered by a real `git commit`.
// statix, deadnix and alejandra cannot be installed here: without them the hook skips each with a note; with
// STAND-IN scripts on PATH (they only log their arguments and the file contents they see) it proves which files and
// which content (the staged one) the tools receive, and that their failures block the commit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { cli, git } from '../support/cli';
import { FIXTURES, REPO } from '../support/workspace';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const tempDir = (prefix: string) => { const d = mkdtempSync(path.join(tmpdir(), prefix)); dirs.push(d); return d; };
const TRAEFIK = 'hosts/m3-atlas/services/traefik.nix';
const SPACED = 'hosts/m3-atlas/services/my service.nix';

function repoWithHook(): string {
  const dir = tempDir('hostlens-hook-');
  cpSync(path.join(FIXTURES, 'fleet'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  const r = cli(['hook', 'pre-commit', '--write', dir]);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/** PATH without any Nix tool or hostlens: node (for the hook's fallback to this checkout's CLI), git, coreutils. */
const BASE_PATH = `${path.dirname(process.execPath)}:/usr/bin:/bin`;

function commit(dir: string, env: Record<string, string> = {}, pathPrefix = '') {
  const r = spawnSync('git', ['commit', '-m', 'change'], {
    cwd: dir, encoding: 'utf8',
    env: { ...process.env, PATH: `${pathPrefix}${BASE_PATH}`, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}
const commits = (dir: string) => Number(git(dir, 'rev-list', '--count', 'HEAD').trim());

/** STAND-INS for alejandra, statix, deadnix and hostlens's `check`; each logs what it was given. */
function standIns(log: string): string {
  const bin = tempDir('hostlens-hook-standins-');
  const logger = (name: string, failIf: string, code: number) => `#!/bin/sh
# STAND-IN for ${name} (the real tool is not installable in this test environment): logs its call, never formats.
{ printf '%s' '${name}'; for a in "$@"; do printf ' [%s]' "$a"; done; printf ' cwd-has-files=%s\\n' "$(basename "$(pwd)")"; } >> '${log}'
fail=0
for a in "$@"; do
  if [ -f "$a" ]; then printf '  %s: %s\\n' "$a" "$(tr '\\n' ' ' < "$a")" >> '${log}'; if grep -q '${failIf}' "$a"; then fail=1; fi; fi
done
if [ $fail -eq 1 ]; then echo "${name} (stand-in): problem in a staged file" >&2; exit ${code}; fi
exit 0
`;
  writeFileSync(path.join(bin, 'alejandra'), logger('alejandra', 'UNFORMATTED', 2));
  writeFileSync(path.join(bin, 'statix'), logger('statix', 'STATIX-BAD', 1));
  writeFileSync(path.join(bin, 'deadnix'), logger('deadnix', 'DEAD-CODE', 1));
  writeFileSync(path.join(bin, 'hostlens'), `#!/bin/sh
# STAND-IN for hostlens: \`check\` prints findings in the documented format (one in a file this commit does not touch,
# and, when HOOK_CHECK_ERROR is set, one in the staged traefik.nix); everything else runs this checkout's real CLI.
if [ "$1" = check ]; then
  echo "hosts/m3-helios/default.nix:2:3: error hostlens: an old problem elsewhere"
  if [ -n "$HOOK_CHECK_ERROR" ]; then echo "${TRAEFIK}:1:1: error hostlens: a problem in the staged file"; fi
  echo "${TRAEFIK}:3:1: warning hostlens: a warning in the staged file"
  exit 1
fi
exec '${process.execPath}' '${path.join(REPO, 'dist/cli.js')}' "$@"
`);
  for (const f of ['alejandra', 'statix', 'deadnix', 'hostlens']) chmodSync(path.join(bin, f), 0o755);
  return bin;
}

test('hook --write installs an executable hook once; --force replaces it; without --write it prints', () => {
  const dir = repoWithHook();
  const hook = path.join(dir, '.git/hooks/pre-commit');
  assert.ok(statSync(hook).mode & 0o100, 'executable');
  assert.match(readFileSync(hook, 'utf8'), /^#!\/bin\/sh\n# Hostlens pre-commit hook/);
  writeFileSync(hook, '#!/bin/sh\nexit 0\n');
  const again = cli(['hook', 'pre-commit', '--write', dir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists; not overwritten/);
  assert.equal(readFileSync(hook, 'utf8'), '#!/bin/sh\nexit 0\n');
  assert.equal(cli(['hook', 'pre-commit', '--write', '--force', dir]).code, 0);
  assert.match(readFileSync(hook, 'utf8'), /hostlens affected --staged/);
  const printed = cli(['hook', 'pre-commit', '--formatter', 'nixfmt', dir]);
  assert.match(printed.stdout, /^formatter=nixfmt$/m);
  assert.equal(cli(['hook', 'pre-push', dir]).code, 2);
  assert.equal(spawnSync('sh', ['-n', hook]).status, 0, 'valid POSIX sh');
});

test('without statix, deadnix or alejandra the commit goes through with a note for each, and names the hosts', () => {
  const dir = repoWithHook();
  writeFileSync(path.join(dir, TRAEFIK), `${readFileSync(path.join(dir, TRAEFIK), 'utf8')}\n# edit\n`);
  git(dir, 'add', TRAEFIK);
  const r = commit(dir);
  assert.equal(r.status, 0, r.out);
  assert.equal(commits(dir), 2);
  for (const tool of ['alejandra', 'statix', 'deadnix']) assert.match(r.stderr, new RegExp(`hostlens pre-commit: ${tool} not found: skipped \\(try: nix shell nixpkgs#${tool}\\)`));
  assert.match(r.out, /hosts this commit affects:\nFILE +HOSTS\nhosts\/m3-atlas\/services\/traefik\.nix +m3-atlas\n\nhosts to validate: m3-atlas/);
});

test('with stand-ins: the tools get exactly the staged .nix files, with their staged content, as single arguments', () => {
  const dir = repoWithHook();
  const log = path.join(tempDir('hostlens-hook-log-'), 'calls.log');
  const bin = standIns(log);
  writeFileSync(path.join(dir, TRAEFIK), '{ ... }: {\n  # staged version\n}\n');
  writeFileSync(path.join(dir, SPACED), '{ }\n');
  writeFileSync(path.join(dir, 'README.md'), 'not nix\n');
  git(dir, 'add', TRAEFIK, SPACED, 'README.md');
  // An unstaged edit after `git add`: the commit does not contain it, so the tools must not see it.
  writeFileSync(path.join(dir, TRAEFIK), '{ ... }: {\n  # UNFORMATTED working-tree version\n}\n');
  const r = commit(dir, {}, `${bin}:`);
  assert.equal(r.status, 0, r.out);
  const calls = readFileSync(log, 'utf8');
  assert.match(calls, /^alejandra \[--check\] \[\.\/hosts\/m3-atlas\/services\/my service\.nix\] \[\.\/hosts\/m3-atlas\/services\/traefik\.nix\] cwd-has-files=files$/m);
  assert.match(calls, /^statix \[check\] \[\.\/hosts\/m3-atlas\/services\/my service\.nix\]/m);
  assert.match(calls, /^statix \[check\] \[\.\/hosts\/m3-atlas\/services\/traefik\.nix\]/m);
  assert.match(calls, /^deadnix \[--fail\] \[\.\/hosts\/m3-atlas\/services\/my service\.nix\] \[\.\/hosts\/m3-atlas\/services\/traefik\.nix\]/m);
  assert.match(calls, /traefik\.nix: \{ \.\.\. \}: \{   # staged version \}/);
  assert.doesNotMatch(calls, /UNFORMATTED|README/);
  assert.match(r.out, /hosts\/m3-atlas\/services\/traefik\.nix:3:1: warning hostlens: a warning in the staged file/);
  assert.doesNotMatch(r.out, /an old problem elsewhere/, 'findings in files the commit does not touch are not listed');
  assert.match(r.stderr, /hostlens check reports errors in files this commit does not touch/);
  assert.match(r.out, /hosts to validate: m3-atlas/);
});

test('with stand-ins: an unformatted file, a statix finding or a hostlens error in a staged file blocks the commit', () => {
  const dir = repoWithHook();
  const bin = standIns(path.join(tempDir('hostlens-hook-log-'), 'calls.log'));
  const cases: { content: string; env?: Record<string, string>; message: RegExp }[] = [
    { content: '# UNFORMATTED\n{ }\n', message: /alejandra: staged files are not formatted/ },
    { content: '# STATIX-BAD\n{ }\n', message: /statix \(stand-in\): problem in a staged file/ },
    { content: '# DEAD-CODE\n{ }\n', message: /deadnix \(stand-in\): problem in a staged file/ },
    { content: '# fine\n{ }\n', env: { HOOK_CHECK_ERROR: '1' }, message: /traefik\.nix:1:1: error hostlens: a problem in the staged file/ },
  ];
  for (const c of cases) {
    writeFileSync(path.join(dir, TRAEFIK), c.content);
    git(dir, 'add', TRAEFIK);
    const r = commit(dir, c.env, `${bin}:`);
    assert.notEqual(r.status, 0, `${c.content}: the commit must fail`);
    assert.match(r.out, c.message);
    assert.match(r.stderr, /checks failed; fix them, or commit with --no-verify/);
    assert.equal(commits(dir), 1, 'nothing was committed');
  }
  writeFileSync(path.join(dir, TRAEFIK), '# fine\n{ }\n');
  git(dir, 'add', TRAEFIK);
  assert.equal(commit(dir, {}, `${bin}:`).status, 0);
});
