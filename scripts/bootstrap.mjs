// Set-up shared by `npm start` and `npm test`, so the README's two commands work on a fresh clone: installs the npm
// dependencies when missing and, as root on Debian, the system packages the tests use (nix-bin, git).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

export function ensureNodeModules() {
  const stamp = 'node_modules/.package-lock.json';
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync('package-lock.json').mtimeMs) return;
  console.log('> npm ci (first run)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

/** Debian packages by the command they provide; installed only when missing and when we may (root + apt). */
export function ensureSystemPackages(wanted = { 'nix-instantiate': 'nix-bin', git: 'git', strace: 'strace' }) {
  const missing = Object.entries(wanted).filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    console.log(`note: ${missing.join(', ')} not installed; tests that need them are skipped (apt-get install ${missing.join(' ')})`);
    return;
  }
  console.log(`> apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}
