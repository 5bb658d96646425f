// Tier 2: a user's clicks. The packaged .vsix installed into a real VS Code (code-server) driven in Debian's
// Chromium: lenses, a lens click running the dry-run in the terminal, the Problems panel, navigation, the Hosts
// view, and Workspace Trust. Screenshots of each step go to test/e2e/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { launchBrowser, repoRoot, startCodeServer } from '../../scripts/e2e/codeServer.mjs';
import * as vs from './vscodeDom.mjs';

const shots = path.join(repoRoot, 'test/e2e/screenshots');
fs.mkdirSync(shots, { recursive: true });
const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
const vsix = path.join(repoRoot, `hostlens-${version}.vsix`);
// `npm run test:e2e` packages first; a missing or stale .vsix (older than the built server) is packaged here.
const stale = !fs.existsSync(vsix) || fs.statSync(vsix).mtimeMs < fs.statSync(path.join(repoRoot, 'dist/server.js')).mtimeMs;
if (stale) execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit' });

/** A copy of the fixture fleet with one broken import, so the Problems panel has something real to show. */
function fleetCopy(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hostlens-e2e-${name}-`));
  fs.cpSync(path.join(repoRoot, 'test/fixtures/fleet'), dir, { recursive: true });
  const helios = path.join(dir, 'hosts/m3-helios/default.nix');
  fs.writeFileSync(helios, fs.readFileSync(helios, 'utf8').replace('imports = [', 'imports = [\n    ./missing-module.nix'));
  return dir;
}

async function openFile(page, rel) {
  await vs.quickOpen(page, rel);
  await page.waitForFunction((name) => document.querySelector('.tab.active')?.getAttribute('data-resource-name') === name,
    path.basename(rel), { timeout: 30_000 });
}

const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`) });

test('trusted fleet: lenses, dry-run on click, Problems panel', { timeout: 300_000 }, async (t) => {
  const folder = fleetCopy('trusted');
  const cs = await startCodeServer({ folder, vsix, trusted: true, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  const { page, close } = await launchBrowser();
  t.after(async () => { await close(); await cs.stop(); fs.rmSync(folder, { recursive: true, force: true }); });
  await page.goto(cs.url);
  await vs.waitForWorkbench(page);

  await t.test('a file every host reaches reads "affects: all 7 hosts"', async () => {
    await openFile(page, 'hosts/common/users/home.nix');
    const titles = await vs.codeLensTitles(page, { atLeast: 1, timeout: 90_000 });
    assert.equal(titles[0], 'affects: all 7 hosts');
    await shot(page, '01-all-hosts-lens');
  });

  await t.test('a shared NixOS module lists its six NixOS hosts, sorted', async () => {
    await openFile(page, 'hosts/common/default.nix');
    const titles = await vs.codeLensTitles(page, { atLeast: 1 });
    assert.equal(titles[0], 'affects: m3-aether, m3-ares, m3-atlas, m3-helios, m3-hermes, m3-kratos');
  });

  await t.test('a server-only file names its host; clicking the lens dry-runs exactly that host in the terminal', async () => {
    await openFile(page, 'hosts/m3-atlas/services/traefik.nix');
    const titles = await vs.codeLensTitles(page, { atLeast: 1 });
    assert.equal(titles[0], 'affects: m3-atlas');
    await vs.clickCodeLens(page, 'affects: m3-atlas');
    // The terminal wraps long lines into rows; the heading is matched on the unwrapped text.
    const text = (await vs.waitForTerminalText(page, /==> Summary/, { timeout: 120_000 })).replace(/\n/g, '');
    assert.match(text, /==> m3-atlas \(nixos\): (nixos-rebuild dry-run --flake \.#m3-atlas|nix build .*\.#nixosConfigurations\.m3-atlas\.config\.system\.build\.toplevel)/);
    assert.doesNotMatch(text, /==> m3-(hermes|helios|ares|kratos|aether)/, 'only the lens hosts run');
    await shot(page, '03-lens-click-terminal');
  });

  await t.test('F12 on an import path opens the target file', async () => {
    await openFile(page, 'hosts/m3-atlas/services/default.nix');
    const lines = fs.readFileSync(path.join(folder, 'hosts/m3-atlas/services/default.nix'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('./traefik.nix'));
    await vs.gotoLine(page, line + 1, lines[line].indexOf('./traefik.nix') + 4);
    await page.keyboard.press('F12');
    await page.waitForFunction(() => document.querySelector('.tab.active')?.getAttribute('data-resource-name') === 'traefik.nix', null, { timeout: 30_000 });
    await shot(page, '02b-f12-import');
  });

  await t.test('the NixOS Hosts view in the Explorer lists the seven hosts', async () => {
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'NixOS Hosts' }) });
    const header = pane.locator('.pane-header').first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    // The tree is virtualised: collapse the folder section above it so that all seven rows get room.
    const folderHeader = page.locator('.pane-header').first();
    if ((await folderHeader.getAttribute('aria-expanded')) === 'true') await folderHeader.click();
    const rows = await vs.poll(async () => {
      // A row holds the label and then its description (the kind).
      const r = await pane.locator('.monaco-list-row').evaluateAll((els) => els.map((el) => {
        const description = el.querySelector('.label-description')?.textContent ?? '';
        return { label: (el.textContent ?? '').replace(description, '').trim(), description: description.trim() };
      }));
      return r.length >= 7 && r;
    }, { what: 'seven host rows', timeout: 60_000 });
    assert.deepEqual(rows.slice(0, 7).map((r) => r.label), ['m3-aether', 'm3-ares', 'm3-atlas', 'm3-helios', 'm3-hermes', 'm3-kratos', 'm3tam3re@m3-daedalus']);
    assert.match(rows[6].description, /^home-manager/);
    assert.match(rows[2].description, /^nixos/);
    await shot(page, '02-hosts-view');
  });

  await t.test('a broken import shows in the Problems panel; clicking it lands on the path', async () => {
    await openFile(page, 'hosts/m3-helios/default.nix');
    const rows = await vs.problems(page, { atLeast: 1, timeout: 60_000 });
    const row = rows.find((r) => /missing-module\.nix does not exist/.test(r.message ?? r.text ?? JSON.stringify(r)));
    assert.ok(row, JSON.stringify(rows));
    await shot(page, '04-problems-panel');
    assert.equal(row.severity, 'error');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'missing-module.nix does not exist' }).first().click();
    // VS Code selects the problem's range: the status bar shows a selection of exactly the path token's length,
    // ending right after it on the problem's line.
    const token = './missing-module.nix'.length;
    await vs.poll(async () => (await vs.statusBarTexts(page)).some((s) => s.includes(`Ln ${row.line}, Col ${row.col + token} (${token} selected)`)),
      { what: 'the path token selected' });
    await shot(page, '05-problem-clicked');
    const lines = fs.readFileSync(path.join(folder, 'hosts/m3-helios/default.nix'), 'utf8').split('\n');
    assert.equal(lines[row.line - 1].slice(row.col - 1, row.col - 1 + './missing-module.nix'.length), './missing-module.nix');
    await openFile(page, 'hosts/common/users/home.nix');
    await vs.openProblems(page);
    await shot(page, 'readme-lens-and-problems');
  });
});

test('untrusted fleet: lenses still show, running is refused with the reason', { timeout: 240_000 }, async (t) => {
  const folder = fleetCopy('untrusted');
  const cs = await startCodeServer({ folder, vsix, trusted: false });
  const { page, close } = await launchBrowser();
  t.after(async () => { await close(); await cs.stop(); fs.rmSync(folder, { recursive: true, force: true }); });
  await page.goto(cs.url);
  await vs.waitForWorkbench(page);
  await openFile(page, 'hosts/m3-atlas/services/traefik.nix');
  const titles = await vs.codeLensTitles(page, { atLeast: 1, timeout: 90_000 });
  assert.equal(titles[0], 'affects: m3-atlas');
  await vs.clickCodeLens(page, 'affects: m3-atlas');
  const note = await vs.waitForNotification(page, /runs no programs in an untrusted workspace/);
  assert.match(note, /Dry-run/);
  await shot(page, '06-untrusted-refused');
});
