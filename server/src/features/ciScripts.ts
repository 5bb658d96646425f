// The shell that generated CI steps run: installing Nix, loading an SSH key for private flake inputs, the static
// checks, and turning `hostlens affected --json` into job outputs. Steps run under bash (the workflow's default shell).

/** What a push event gives as `before` for a new branch or a first push: no base revision, so every host. */
export const NULL_SHA = '0'.repeat(40);

export type Formatter = 'alejandra' | 'nixfmt';
export type FlakeEval = 'show' | 'check';
export interface SshHost { host: string; port: number | null }

/**
 * The official installer in single-user mode, pinned by `$NIX_VERSION`. Job containers of Gitea's act_runner run as
 * root without systemd or sudo (the multi-user installer and cachix/install-nix-action need both); a single-user
 * install needs only a writable /nix, which root creates directly and a hosted runner's user creates with sudo.
 */
export function installNixScript(): string {
  return [
    'if command -v nix >/dev/null 2>&1; then nix --version; exit 0; fi',
    'if [ "$(id -u)" -eq 0 ]; then mkdir -p -m 0755 /nix; else sudo mkdir -p -m 0755 /nix && sudo chown "$(id -u)" /nix; fi',
    'curl --proto \'=https\' -sSfL --retry 3 "https://releases.nixos.org/nix/nix-$NIX_VERSION/install" \\',
    '  | USER="${USER:-$(id -un)}" sh -s -- --no-daemon --no-channel-add --no-modify-profile',
    'echo "$HOME/.nix-profile/bin" >> "$GITHUB_PATH"',
    '"$HOME/.nix-profile/bin/nix" --version',
  ].join('\n') + '\n';
}

/**
 * Private `git+ssh://` inputs need a key: the secret HOSTLENS_SSH_KEY (a read-only deploy key), used only for the
 * input hosts. Without the secret the step warns and evaluation fails later with git's own message. Host keys come
 * from HOSTLENS_SSH_KNOWN_HOSTS when set, else from ssh-keyscan (trust on first use, per job).
 */
export function sshKeyScript(hosts: readonly SshHost[]): string {
  const names = hosts.map((h) => h.host).join(', ');
  const scans = hosts.map((h) => `ssh-keyscan -p ${h.port ?? 22} ${h.host}`).join('; ');
  return [
    `if [ -z "$SSH_KEY" ]; then echo "::warning::secret HOSTLENS_SSH_KEY is not set: private flake inputs on ${names} cannot be fetched"; exit 0; fi`,
    'mkdir -p -m 700 ~/.ssh && printf \'%s\\n\' "$SSH_KEY" > ~/.ssh/hostlens_inputs && chmod 600 ~/.ssh/hostlens_inputs',
    `if [ -n "$SSH_KNOWN_HOSTS" ]; then printf '%s\\n' "$SSH_KNOWN_HOSTS"; else ${scans}; fi >> ~/.ssh/known_hosts`,
    ...hosts.map((h) => `printf 'Host ${h.host}\\n  IdentityFile ~/.ssh/hostlens_inputs\\n  IdentitiesOnly yes\\n' >> ~/.ssh/config`),
  ].join('\n') + '\n';
}

/** Tools come from the flake's own locked nixpkgs (`--inputs-from .`), so CI and the user's machine agree. */
export function formatCommand(formatter: Formatter): string {
  if (formatter === 'alejandra') return 'nix run --inputs-from . nixpkgs#alejandra -- --check .';
  return "git ls-files -z -- '*.nix' | xargs -0 --no-run-if-empty nix run --inputs-from . nixpkgs#nixfmt -- --check";
}

export const STATIX_COMMAND = 'nix run --inputs-from . nixpkgs#statix -- check .';
export const DEADNIX_COMMAND = 'nix run --inputs-from . nixpkgs#deadnix -- --fail .';

export function flakeEvalCommand(mode: FlakeEval): string {
  return mode === 'show' ? 'nix flake show' : 'nix flake check --no-build';
}

/**
 * The base is the pull request's merge base (the PR's own changes, whether the runner checked out the head or a
 * merge commit) or the push's `before` (for a merge pushed to a branch, its first parent). No usable base (a first
 * push's all-zero SHA, a force push whose old tip was not fetched, another event) means every host.
 * `regenerate` is the command that rebuilds the workflow when the flake gained a host it has no job for.
 */
export function affectedScript(regenerate: string): string {
  return `zero=${NULL_SHA}
case "$EVENT_NAME" in
  pull_request*) base=$(git merge-base "$PR_BASE" HEAD 2>/dev/null || true) ;;
  *) base=$PUSH_BEFORE ;;
esac
if [ -z "$base" ] || [ "$base" = "$zero" ] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  echo "No base revision to compare with (\${base:-none}): every host is affected."
  base=$zero
fi
report="\${RUNNER_TEMP:-/tmp}/hostlens-affected.json"
hostlens affected --json --git "$base" > "$report"
REPORT="$report" node <<'JS'
const fs = require('node:fs');
const report = JSON.parse(fs.readFileSync(process.env.REPORT, 'utf8'));
const say = (line) => process.stdout.write(\`\${line}\\n\`);
for (const [file, hosts] of Object.entries(report.files)) say(\`\${file}: \${hosts.join(', ') || '(no host)'}\`);
say(\`hosts to dry-build: \${report.hosts.join(' ') || '(none)'}\`);
const covered = process.env.WORKFLOW_HOSTS ? JSON.parse(process.env.WORKFLOW_HOSTS) : null;
const missing = covered ? report.hosts.filter((h) => !covered.includes(h)) : [];
if (missing.length) {
  say(\`::error::this workflow has no dry-build job for \${missing.join(', ')}; regenerate it: ${regenerate}\`);
  process.exitCode = 1;
}
fs.appendFileSync(process.env.GITHUB_OUTPUT, \`hosts=\${JSON.stringify(report.hosts)}\\nany=\${report.hosts.length > 0}\\n\`);
JS
`;
}

/** A POSIX-shell rendering of an argument vector (for a `run:` line); each word stays one argument. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./#-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Hosts of `git+ssh://` inputs in flake.nix text: the ones CI needs a key for. */
export function sshInputHosts(flakeText: string): SshHost[] {
  const seen = new Map<string, SshHost>();
  for (const m of flakeText.matchAll(/git\+ssh:\/\/(?:[^@/\s"']+@)?([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?\//g)) {
    const port = m[2] ? Number(m[2]) : null;
    seen.set(`${m[1]}:${port ?? 22}`, { host: m[1]!, port });
  }
  return [...seen.values()];
}

/** The formatter a flake declares (its `formatter` output or dev shell names one), alejandra otherwise. */
export function detectFormatter(flakeText: string): Formatter {
  return /\bnixfmt\b/.test(flakeText) && !/\balejandra\b/.test(flakeText) ? 'nixfmt' : 'alejandra';
}
