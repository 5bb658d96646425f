// Extension-host test tier, proven on the probe: runs test/e2e/probe/exttest/index.js inside code-server's
// remote extension host (real VS Code API, Node 24) and checks that both a passing and a failing suite are
// reported through the exit code.   node --test test/e2e/exthost.mjs   (after scripts/e2e/setup.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtensionTests } from '../../scripts/e2e/codeServer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const probe = path.join(here, 'probe');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostlens-e2e-exthost-'));
const ws = path.join(tmp, 'ws');
fs.mkdirSync(ws);
fs.writeFileSync(path.join(ws, 'alpha.txt'), 'hello probe\n');
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(env) {
  const lines = [];
  const report = path.join(tmp, `report-${Date.now()}.json`);
  const r = await runExtensionTests({
    extensionDevelopmentPath: probe,
    extensionTestsPath: path.join(probe, 'exttest', 'index.js'),
    folder: ws,
    env: { PROBE_TEST_REPORT: report, ...env },
    onLog: (l) => { lines.push(l); console.log(`  [exthost] ${l}`); },
    timeoutMs: 120_000,
  });
  return { ...r, lines, report: fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : null };
}

test('a passing extension-host suite exits 0', { timeout: 180_000 }, async () => {
  const r = await run({ PROBE_TEST_FAIL: '' });
  assert.equal(r.code, 0, r.lines.join('\n'));
  assert.ok(r.lines.includes('4 passed, 0 failed'), r.lines.join('\n'));
  assert.equal(r.report.summary, '4 passed, 0 failed');
  assert.match(r.report.node, /^v24\./); // it really ran in code-server's Node 24 extension host
});

test('a failing extension-host suite exits 1', { timeout: 180_000 }, async () => {
  const r = await run({ PROBE_TEST_FAIL: '1' });
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes('not ok - deliberate failure: PROBE_TEST_FAIL set'), r.lines.join('\n'));
});
