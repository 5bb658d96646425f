// `npm start`: builds Hostlens and opens the example fleet with the extension loaded: desktop VS Code when `code`
// is on PATH, otherwise code-server in the browser (installed under .tools/ on first use), printing its URL.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ensureNodeModules } from './bootstrap.mjs';

ensureNodeModules();
execFileSync('node', ['esbuild.mjs'], { stdio: 'inherit' });
const fleet = path.resolve('test/fixtures/fleet');
const ext = path.resolve('.');
const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
if (code) {
  console.log(`Opening ${fleet} in VS Code with Hostlens loaded from ${ext}`);
  spawn(code, ['--extensionDevelopmentPath', ext, fleet], { stdio: 'inherit', detached: true }).unref();
} else if (existsSync('scripts/e2e/serve.mjs')) {
  await import('./e2e/serve.mjs');
} else {
  console.log('VS Code (`code`) is not on PATH. Install it, or run the packaged extension: npm run package, then');
  console.log(`  code --install-extension hostlens-0.1.0.vsix && code ${fleet}`);
}
