// Start a real VS Code (code-server, installed by scripts/e2e/setup.sh into .tools/code-server)
// and a headless Debian Chromium driven by playwright-core. Plain ESM, runs on the repo's Node 20;
// code-server itself runs on the Node 24 binary that setup.sh installs next to it.
//
//   import { startCodeServer, launchBrowser } from '../../scripts/e2e/codeServer.mjs';
//   const cs = await startCodeServer({ folder: '/abs/ws', vsix: 'x.vsix', trusted: true });
//   const { browser, page } = await launchBrowser();
//   await page.goto(cs.url);              // cs.url already carries ?folder=<folder>
//   ...; await browser.close(); await cs.stop();
//
// See test/e2e/README.md for the selectors and the tricks that make the DOM readable.
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const toolsDir = process.env.HOSTLENS_E2E_TOOLS || path.join(repoRoot, '.tools', 'code-server');
export const node24 = path.join(toolsDir, 'node_modules', 'node', 'bin', 'node');
export const codeServerEntry = path.join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function assertInstalled() {
  for (const f of [node24, codeServerEntry]) {
    if (!fs.existsSync(f)) throw new Error(`${f} missing: run scripts/e2e/setup.sh first`);
  }
}

/** A free TCP port on 127.0.0.1 (asks the kernel, then releases it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Settings that make the workbench quiet, deterministic and DOM-readable. */
export function defaultSettings({ trusted }) {
  return {
    // Workspace trust: see README "Trusted vs untrusted". When untrusted we keep trust enabled,
    // never prompt, and never trust anything, so the folder opens in Restricted Mode.
    'security.workspace.trust.enabled': !trusted ? true : false,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'always',
    'security.workspace.trust.untrustedFiles': 'open',
    'security.workspace.trust.emptyWindow': false,
    // Terminal: the DOM renderer (gpuAcceleration off) writes text into .xterm-rows spans.
    'terminal.integrated.gpuAcceleration': 'off',
    'terminal.integrated.defaultProfile.linux': 'bash',
    'terminal.integrated.enablePersistentSessions': false,
    'terminal.integrated.showExitAlert': false,
    'task.allowAutomaticTasks': 'off',
    // No first-run UI, no network.
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'editor.codeLens': true,
    'editor.minimap.enabled': false,
    'editor.accessibilitySupport': 'off',
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
  };
}

/** Install a .vsix (or an extension id) into extensionsDir with the code-server CLI. */
export async function installExtension(vsix, { extensionsDir, userDataDir, configFile }) {
  const args = [codeServerEntry, '--config', configFile, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsix), '--force'];
  const { stdout, stderr } = await execFileP(node24, args, { timeout: 120_000 });
  if (!/successfully installed/i.test(stdout + stderr)) {
    throw new Error(`install of ${vsix} failed:\n${stdout}\n${stderr}`);
  }
  return stdout.trim();
}

/**
 * Start code-server.
 * @param {object} o
 * @param {string} [o.folder]    absolute folder to open (goes into url as ?folder=)
 * @param {string|string[]} [o.vsix] .vsix file(s) to install first
 * @param {boolean} [o.trusted=true] false → folder opens in Restricted Mode
 * @param {number} [o.port]      default: a free port
 * @param {object} [o.settings]  extra user settings (merged over defaultSettings)
 * @param {boolean} [o.smokeTestDriver=false] pass VS Code's --enable-smoke-test-driver: exposes window.driver
 *                               and makes the workbench honour the ?payload= URL param (needed by runExtensionTests)
 * @param {string[]} [o.extraArgs] extra code-server args; VS Code server flags go through
 *                               ['--vscode-option', 'flag=value'] (code-server rejects flags it does not know)
 * @param {object} [o.env]       extra env for the server (inherited by the extension host and terminals)
 * @param {string} [o.tmpDir]    where to put user-data/extensions dirs (default: fresh mkdtemp)
 * @param {boolean} [o.keepTmp]  keep tmpDir after stop()
 * @param {number} [o.timeoutMs=60000] readiness timeout
 * @returns {Promise<{url:string, baseUrl:string, port:number, tmpDir:string, userDataDir:string,
 *   extensionsDir:string, logs:()=>string, stop:()=>Promise<void>, proc:import('node:child_process').ChildProcess}>}
 */
export async function startCodeServer(o = {}) {
  assertInstalled();
  const trusted = o.trusted !== false;
  const tmpDir = o.tmpDir || fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-e2e-cs-'));
  const userDataDir = path.join(tmpDir, 'user-data');
  const extensionsDir = path.join(tmpDir, 'extensions');
  const configFile = path.join(tmpDir, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.join(tmpDir, 'tmp'), { recursive: true });
  // An explicit (empty) config keeps code-server from writing ~/.config/code-server/config.yaml.
  fs.writeFileSync(configFile, '');
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings({ trusted }), ...(o.settings || {}) }, null, 2));

  const vsixes = o.vsix ? [].concat(o.vsix) : [];
  for (const v of vsixes) await installExtension(v, { extensionsDir, userDataDir, configFile });

  const port = o.port || await freePort();
  const args = [codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    ...(o.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(o.extraArgs || []),
  ];
  const started = Date.now();
  const proc = spawn(node24, args, {
    // EXTENSIONS_GALLERY={} disables the Open VSX marketplace (no DNS lookups / errors on a closed network).
    // TMPDIR inside tmpDir: VS Code leaves vscode-ipc-*.sock files in os.tmpdir() when killed.
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...(o.env || {}), XDG_CONFIG_HOME: path.join(tmpDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmpDir, 'xdg-data'), TMPDIR: path.join(tmpDir, 'tmp') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() can end the extension host and pty children too
  });
  let log = '';
  const onData = (d) => { log += d.toString(); if (process.env.HOSTLENS_E2E_VERBOSE) process.stderr.write(d); };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  let exited = null;
  const exitP = new Promise((r) => proc.on('exit', (code, sig) => { exited = { code, sig }; r(exited); }));

  const baseUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (o.timeoutMs || 60_000);
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${log}`);
    try {
      const r = await fetch(`${baseUrl}healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { killGroup(proc); throw new Error(`code-server not ready after ${o.timeoutMs || 60_000} ms:\n${log}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  const readyMs = Date.now() - started;
  const url = o.folder ? `${baseUrl}?folder=${encodeURIComponent(path.resolve(o.folder))}` : baseUrl;

  const stop = async () => {
    if (!exited) {
      killGroup(proc, 'SIGTERM');
      const t = setTimeout(() => killGroup(proc, 'SIGKILL'), 5000);
      await exitP;
      clearTimeout(t);
      killGroup(proc, 'SIGKILL'); // stragglers in the group (extension host, ptys)
    }
    if (!o.keepTmp && !o.tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  return { url, baseUrl, port, tmpDir, userDataDir, extensionsDir, readyMs, logs: () => log, stop, proc, exited: exitP };
}

function killGroup(proc, sig = 'SIGTERM') {
  try { process.kill(-proc.pid, sig); } catch { /* gone */ }
}

/**
 * Launch Debian's headless Chromium with playwright-core (from .tools/code-server).
 * @returns {Promise<{browser, context, page, close:()=>Promise<void>}>}
 */
export async function launchBrowser({ viewport = { width: 1400, height: 900 }, headless = true } = {}) {
  const require = createRequire(path.join(toolsDir, 'package.json'));
  const { chromium } = require('playwright-core');
  // playwright's launch() always starts Chromium on a fresh, empty profile dir of its own (it
  // refuses a --user-data-dir arg) and adds --headless itself when headless is true.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Clipboard permissions let tests read what VS Code copies (e.g. terminal selection).
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const close = () => browser.close().catch(() => {});
  return { browser, context, page, close };
}

/**
 * Run an extension-host test suite (VS Code's --extensionDevelopmentPath / --extensionTestsPath contract)
 * inside code-server's *remote* extension host (Node 24, real `vscode` API), by opening the workbench in
 * headless Chromium with the dev paths in the ?payload= URL param. See test/e2e/README.md.
 *
 * The suite module must export `run(): Promise<void>`; the extension host exits with 0 when it resolves
 * and 1 when it rejects. That code reaches the page as window.codeAutomationExit(code, logs), which we
 * expose with Playwright.
 *
 * @param {object} o
 * @param {string} o.extensionDevelopmentPath  folder with the extension's package.json
 * @param {string} o.extensionTestsPath        the suite module (CommonJS .js, or a folder with index.js)
 * @param {string} [o.folder]                  workspace folder to open
 * @param {boolean} [o.trusted=true]
 * @param {string|string[]} [o.vsix]            other extensions to install first
 * @param {object} [o.env]                      env for code-server and so the extension host (suite config)
 * @param {object} [o.settings]
 * @param {number} [o.timeoutMs=180000]
 * @param {(line:string)=>void} [o.onLog]        receives the suite's console lines that match logFilter and
 *                                               errors thrown by the suite; default: process.stdout
 * @param {RegExp} [o.logFilter]                 default: TAP/mocha-like result lines (ok / not ok / N passing /
 *                                               N passed, N failed / #...)
 * @param {string} [o.screenshot]              path for a screenshot taken when the run ends
 * @returns {Promise<{code:number, ms:number, timedOut?:boolean, logs:{relativePath:string, contents:string}[],
 *   consoleLines:{level:string,text:string}[], serverLog:string}>}
 */
export async function runExtensionTests(o) {
  const started = Date.now();
  const cs = await startCodeServer({ folder: o.folder, trusted: o.trusted, vsix: o.vsix, env: o.env,
    settings: o.settings, smokeTestDriver: true });
  const { page, close } = await launchBrowser();
  const onLog = o.onLog || ((l) => process.stdout.write(`${l}\n`));
  try {
    let resolveExit;
    const exitP = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', (code, logs) => resolveExit({ code, logs }));
    // The remote extension host's console.log/error reach the page console as workbench log lines,
    // "%c INFO color: #33f <text>" / "%c  ERR color: #f33 <text>", mixed with the workbench's own logging.
    const consoleLines = [];
    const logFilter = o.logFilter || /^(ok|not ok)\b|^\d+ passing|^\d+ failing|^\d+ passed, \d+ failed|^#/;
    page.on('console', (m) => {
      const mm = /^%c\s+(INFO|ERR|WARN|DEBUG|TRACE) color: #[0-9a-f]+ ([\s\S]*)$/i.exec(m.text());
      if (!mm) return;
      const line = { level: mm[1], text: mm[2] };
      consoleLines.push(line);
      const fromSuite = line.level === 'ERR' && line.text.includes(path.resolve(o.extensionTestsPath).replace(/\/index\.js$/, ''));
      if (logFilter.test(line.text) || fromSuite) onLog(line.text);
    });
    const auth = `127.0.0.1:${cs.port}`;
    const remote = (p) => `vscode-remote://${auth}${path.resolve(p)}`;
    const payload = [['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(o.extensionTestsPath)]];
    const url = `${cs.url}${cs.url.includes('?') ? '&' : '?'}payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeoutMs = o.timeoutMs || 180_000;
    let timer;
    const result = await Promise.race([exitP,
      new Promise((r) => { timer = setTimeout(() => r({ code: 124, logs: [], timedOut: true }), timeoutMs); })]);
    clearTimeout(timer);
    if (o.screenshot) await page.screenshot({ path: o.screenshot }).catch(() => {});
    if (result.timedOut) onLog(`runExtensionTests: no exit from the extension host after ${timeoutMs} ms`);
    return { code: result.code, ms: Date.now() - started, timedOut: !!result.timedOut, logs: result.logs || [],
      consoleLines, serverLog: cs.logs() };
  } finally {
    await close();
    await cs.stop();
  }
}
