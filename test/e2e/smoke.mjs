// e2e smoke test of the harness itself: a real VS Code (code-server) in headless Chromium, driven by
// playwright-core, with the tiny probe extension from test/e2e/probe. Proves every DOM read the
// Hostlens e2e tests need: Quick Open, code lens (read + click), Problems panel, command palette,
// task output in the integrated terminal, typing in a terminal, notifications, status bar, and
// workspace trust (Restricted Mode).
//
//   bash scripts/e2e/setup.sh          # once: code-server + node 24 + playwright-core into .tools/
//   node --test test/e2e/smoke.mjs     # or: node test/e2e/smoke.mjs
//
// Screenshots go to test/e2e/screenshots/ (git-ignored). HOSTLENS_E2E_VERBOSE=1 echoes server logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer, launchBrowser, repoRoot } from '../../scripts/e2e/codeServer.mjs';
import * as vs from './vscodeDom.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
const T0 = Date.now();
const lap = (m) => console.log(`[smoke ${((Date.now() - T0) / 1000).toFixed(1)}s] ${m}`);

/** Package test/e2e/probe into a vsix with the repo's @vscode/vsce (about 1.5 s). */
function packageProbe(outDir) {
  const vsix = path.join(outDir, 'probe.vsix');
  execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
    { cwd: path.join(here, 'probe'), stdio: 'pipe' });
  return vsix;
}

function makeWorkspace(root) {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'alpha.txt'), 'hello probe\nsecond line\n');
  fs.writeFileSync(path.join(root, 'beta.txt'), 'other file\n');
  return root;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-e2e-smoke-'));
const vsix = packageProbe(tmp);
lap(`packaged ${vsix}`);

test('trusted folder: lens, problems, palette, task, terminal', { timeout: 240_000 }, async (t) => {
  const ws = makeWorkspace(path.join(tmp, 'trusted-ws'));
  const cs = await startCodeServer({ folder: ws, vsix, trusted: true });
  lap(`code-server ready in ${cs.readyMs} ms at ${cs.url}`);
  const { page, close } = await launchBrowser();
  t.after(async () => { await close(); await cs.stop(); });
  try {
    await page.goto(cs.url);
    await vs.waitForWorkbench(page);
    await vs.statusBarItem(page, 'probe: active (trusted)').waitFor({ timeout: 60_000 });
    lap('workbench up, probe extension active');
    await page.screenshot({ path: path.join(shots, 'smoke-01-workbench.png') });

    await t.test('quick open a file', async () => {
      await vs.quickOpen(page, 'alpha.txt');
      assert.equal(await vs.activeTabName(page), 'alpha.txt');
    });

    await t.test('read code lens titles', async () => {
      const titles = await vs.codeLensTitles(page, { atLeast: 1 });
      assert.deepEqual(titles, ['probe lens']);
      await page.screenshot({ path: path.join(shots, 'smoke-02-codelens.png') });
    });

    await t.test('hover at a position', async () => {
      await vs.gotoLine(page, 2, 3); // "second line" → word "second"
      const text = await vs.hoverAtCursor(page);
      assert.match(text, /probe hover for second/);
      await page.screenshot({ path: path.join(shots, 'smoke-02b-hover.png') });
      await page.keyboard.press('Escape');
    });

    await t.test('problems panel entries', async () => {
      const problems = await vs.problems(page, { atLeast: 1 });
      assert.deepEqual(problems, [{ file: 'alpha.txt', severity: 'warning', message: 'probe diagnostic: alpha.txt',
        source: 'probe', line: 1, col: 1 }]);
      await page.screenshot({ path: path.join(shots, 'smoke-03-problems.png') });
    });

    await t.test('click a code lens', async () => {
      await vs.clickCodeLens(page, 'probe lens');
      const note = await vs.waitForNotification(page, /probe lens clicked: alpha\.txt/);
      assert.match(note, /probe lens clicked: alpha\.txt/);
      await vs.statusBarItem(page, 'probe: lens clicked 1').waitFor();
      await page.screenshot({ path: path.join(shots, 'smoke-04-lens-clicked.png') });
      await vs.clearNotifications(page);
    });

    await t.test('command palette runs a ShellExecution task; read terminal text', async () => {
      await vs.runCommand(page, 'Probe: Run Echo Task');
      // The task's command line is echoed by the shell too, so wait for the *computed* value.
      const text = await vs.waitForTerminalText(page, /PROBE_TASK_OUTPUT_42/);
      assert.match(text, /PROBE_TASK_OUTPUT_42/);
      await vs.statusBarItem(page, 'probe: task exit 0').waitFor();
      await page.screenshot({ path: path.join(shots, 'smoke-05-task-terminal.png') });
    });

    await t.test('type into a new integrated terminal and read the output', async () => {
      await vs.runCommand(page, 'Terminal: Create New Terminal');
      await vs.waitForTerminalText(page, /[#$]$/m); // bash prompt drawn: the shell is reading input
      await page.keyboard.type('echo typed-$((20+3))-ok');
      await page.keyboard.press('Enter');
      const text = await vs.waitForTerminalText(page, /typed-23-ok/);
      assert.match(text, /typed-23-ok/);
      await page.screenshot({ path: path.join(shots, 'smoke-06-terminal-typed.png') });
    });
  } catch (e) {
    await page.screenshot({ path: path.join(shots, 'smoke-FAILED-trusted.png') }).catch(() => {});
    console.log(cs.logs().slice(-4000));
    throw e;
  }
});

test('untrusted folder opens in Restricted Mode and tasks are blocked', { timeout: 180_000 }, async (t) => {
  const ws = makeWorkspace(path.join(tmp, 'untrusted-ws'));
  const cs = await startCodeServer({ folder: ws, vsix, trusted: false });
  lap(`code-server (untrusted) ready in ${cs.readyMs} ms`);
  const { page, close } = await launchBrowser();
  t.after(async () => { await close(); await cs.stop(); });
  try {
    await page.goto(cs.url);
    await vs.waitForWorkbench(page);
    // The probe declares untrustedWorkspaces: "limited", so it still activates and reports trust.
    await vs.statusBarItem(page, 'probe: active (untrusted)').waitFor({ timeout: 60_000 });
    await vs.statusBarItem(page, 'Restricted Mode').waitFor();
    await vs.quickOpen(page, 'alpha.txt');
    assert.deepEqual(await vs.codeLensTitles(page, { atLeast: 1 }), ['probe lens']);
    await vs.runCommand(page, 'Probe: Run Echo Task');
    // VS Code refuses to run tasks in Restricted Mode and says so in a notification/dialog.
    // VS Code asks for trust in a modal dialog instead of running the task.
    const msg = await vs.waitForNotification(page, /trust the authors/i, { timeout: 20_000 });
    lap(`untrusted task refusal: ${msg}`);
    await page.screenshot({ path: path.join(shots, 'smoke-07-untrusted.png') });
    await vs.dialogButton(page, 'Cancel').click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
    await page.waitForTimeout(2000);
    assert.doesNotMatch(await vs.terminalText(page), /PROBE_TASK_OUTPUT_42/);
    assert.equal(await vs.statusBarItem(page, 'probe: task exit').count(), 0);
  } catch (e) {
    await page.screenshot({ path: path.join(shots, 'smoke-FAILED-untrusted.png') }).catch(() => {});
    console.log(cs.logs().slice(-4000));
    throw e;
  }
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
