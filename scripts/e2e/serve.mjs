// `npm start` without desktop VS Code: installs code-server under .tools/ (once), packages the extension, opens
// the example fleet in code-server with Hostlens installed, and prints the local URL. Ctrl+C stops it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, startCodeServer } from './codeServer.mjs';

execFileSync('bash', [path.join(repoRoot, 'scripts/e2e/setup.sh')], { stdio: 'inherit' });
execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit' });
const version = (await import(path.join(repoRoot, 'package.json'), { with: { type: 'json' } })).default.version;
// A copy, so that edits and dry-run results never touch the repository's fixture.
const folder = mkdtempSync(path.join(tmpdir(), 'hostlens-fleet-'));
cpSync(path.join(repoRoot, 'test/fixtures/fleet'), folder, { recursive: true });
const cs = await startCodeServer({
  folder, vsix: path.join(repoRoot, `hostlens-${version}.vsix`), trusted: true, port: Number(process.env.PORT) || undefined,
  settings: { 'terminal.integrated.gpuAcceleration': 'off' },
});
console.log(`\nHostlens is running in VS Code (code-server): open ${cs.url}\n(example fleet copied to ${folder}; Ctrl+C to stop)`);
const stop = async () => { await cs.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await cs.exited;
