#!/usr/bin/env node
// Run a VS Code extension-host test suite inside code-server's remote extension host (real VS Code 1.139,
// Node 24), driven by headless Chromium. Exit code = the suite's (0 pass, 1 fail, 124 timeout).
//
//   node scripts/e2e/runExtensionTests.mjs --extensionDevelopmentPath=<dir> --extensionTestsPath=<file.js>
//        [--folder=<workspace>] [--untrusted] [--vsix=<other.vsix>]... [--timeout=<ms>] [--screenshot=<png>]
//
// Suite contract: CommonJS module exporting run(): Promise<void>. Its console.log lines that look like
// results (ok / not ok / N passing / N passed, N failed / # ...) are printed here. Needs scripts/e2e/setup.sh.
import { runExtensionTests } from './codeServer.mjs';

const opts = { vsix: [] };
for (const a of process.argv.slice(2)) {
  const [k, v] = a.replace(/^--/, '').split(/=(.*)/s);
  if (k === 'extensionDevelopmentPath') opts.extensionDevelopmentPath = v;
  else if (k === 'extensionTestsPath') opts.extensionTestsPath = v;
  else if (k === 'folder') opts.folder = v;
  else if (k === 'untrusted') opts.trusted = false;
  else if (k === 'vsix') opts.vsix.push(v);
  else if (k === 'timeout') opts.timeoutMs = Number(v);
  else if (k === 'screenshot') opts.screenshot = v;
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
if (!opts.extensionDevelopmentPath || !opts.extensionTestsPath) {
  console.error('need --extensionDevelopmentPath=<dir> and --extensionTestsPath=<file>');
  process.exit(2);
}
const r = await runExtensionTests(opts);
console.log(`extension-host tests exited with ${r.code}${r.timedOut ? ' (timeout)' : ''} after ${(r.ms / 1000).toFixed(1)} s`);
process.exit(r.code);
