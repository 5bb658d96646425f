// `npm run test:vscode`: the tier-1 suite (test/vscode) inside a VS Code extension host. Desktop VS Code through
// @vscode/test-electron when VSCODE_EXECUTABLE or `code` is available; otherwise code-server's extension host
// (scripts/e2e, what runs here and in CI); otherwise one line saying why the tier was skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repo = path.resolve('.');
execFileSync('node', ['esbuild.mjs'], { stdio: 'inherit' });
const folder = mkdtempSync(path.join(tmpdir(), 'hostlens-vscode-'));
cpSync(path.join(repo, 'test/fixtures/fleet'), folder, { recursive: true });
const suite = path.join(repo, 'test/vscode/index.js');
let code = 0;
try {
  const desktop = process.env.VSCODE_EXECUTABLE || spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
  if (desktop) {
    const { runTests } = await import('@vscode/test-electron');
    code = await runTests({ vscodeExecutablePath: desktop, extensionDevelopmentPath: repo, extensionTestsPath: suite, launchArgs: [folder, '--disable-extensions'] })
      .then(() => 0, () => 1);
  } else if (existsSync(path.join(repo, '.tools/code-server/.setup-ok'))) {
    const { runExtensionTests } = await import('./e2e/codeServer.mjs');
    const r = await runExtensionTests({ folder, extensionDevelopmentPath: repo, extensionTestsPath: suite, trusted: true, timeoutMs: 240_000 });
    code = r.code;
  } else {
    console.log('test:vscode skipped: no VS Code here (set VSCODE_EXECUTABLE or put `code` on PATH; or run `npm run e2e:setup` for code-server), and downloading one is not possible offline');
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
process.exit(code);
