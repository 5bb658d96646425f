// Tier 1 entry (VS Code's extensionTestsPath contract): runs the mocha suite inside the extension host and
// resolves or rejects with its result. Plain CommonJS so it runs without a build step. Prints TAP-like lines
// (the extension host's console reaches runners only line by line, without format strings).
const path = require('node:path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'dot' });
  mocha.addFile(path.join(__dirname, 'hostlens.suite.js'));
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run(() => {
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) reject(new Error(`${failed} extension-host test(s) failed`)); else resolve();
    });
    runner.on('pass', (t) => { passed++; console.log(`ok ${t.fullTitle()}`); });
    runner.on('fail', (t, err) => { failed++; console.log(`not ok ${t.fullTitle()}: ${String(err && err.message).split('\n').join(' ')}`); });
  });
};
