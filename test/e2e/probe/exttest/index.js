// Extension-host test suite for the probe (experiment for README "extension-host tests in code-server").
// VS Code's test contract: --extensionTestsPath points at a CommonJS module exporting run(): Promise<void>;
// a rejection makes the extension host exit with code 1, success with 0. No mocha needed.
// Runs inside the *remote* extension host, i.e. in the code-server process tree (Node 24), with the
// real `vscode` API. Also writes a JSON report to $PROBE_TEST_REPORT when set (a second way to observe).
const vscode = require('vscode');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function eventually(fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (e) { if (Date.now() > end) throw e; await sleep(200); }
  }
}

const tests = {
  'the probe extension is present and activates': async () => {
    const ext = vscode.extensions.getExtension('hostlens.hostlens-e2e-probe');
    assert.ok(ext, 'extension found');
    await ext.activate();
    assert.equal(ext.isActive, true);
  },
  'code lens provider returns "probe lens"': async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'alpha.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await eventually(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 10);
      assert.ok(l.length > 0, 'lenses');
      return l;
    });
    assert.equal(lenses[0].command.title, 'probe lens');
  },
  'diagnostic is published': async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'alpha.txt');
    const diags = await eventually(async () => {
      const d = vscode.languages.getDiagnostics(uri);
      assert.equal(d.length, 1);
      return d;
    });
    assert.equal(diags[0].message, 'probe diagnostic: alpha.txt');
  },
  'task command runs and exits 0': async () => {
    const code = await vscode.commands.executeCommand('probe.runTask');
    assert.equal(code, 0);
  },
};

exports.run = async function run() {
  const results = [];
  const only = process.env.PROBE_TEST_FAIL ? { ...tests, 'deliberate failure': async () => assert.fail('PROBE_TEST_FAIL set') } : tests;
  for (const [name, fn] of Object.entries(only)) {
    const t0 = Date.now();
    try { await fn(); results.push({ name, ok: true, ms: Date.now() - t0 }); console.log(`ok - ${name}`); }
    catch (e) { results.push({ name, ok: false, ms: Date.now() - t0, error: String(e && e.stack || e) }); console.log(`not ok - ${name}: ${e && e.message}`); }
  }
  const failed = results.filter((r) => !r.ok).length;
  const summary = `${results.length - failed} passed, ${failed} failed`;
  console.log(summary);
  if (process.env.PROBE_TEST_REPORT) {
    fs.mkdirSync(path.dirname(process.env.PROBE_TEST_REPORT), { recursive: true });
    fs.writeFileSync(process.env.PROBE_TEST_REPORT, JSON.stringify({ results, summary, pid: process.pid, node: process.version }, null, 2));
  }
  if (failed) throw new Error(summary);
};
