// `npm test`: typecheck, lint, build, then every test (unit, grammar, protocol, CLI) with node's own runner.
// Test sources are TypeScript; esbuild bundles each to out/test so node runs them without a loader.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages } from './bootstrap.mjs';

ensureNodeModules();
ensureSystemPackages();
const { build } = await import('esbuild');

const step = (name, cmd, args) => {
  process.stdout.write(`\n> ${name}\n`);
  execFileSync(cmd, args, { stdio: 'inherit' });
};

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'e2e' || name === 'vscode' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// `npm test -- NAME…` runs only test files whose path contains a NAME, skipping typecheck and lint (for iterating).
const only = process.argv.slice(2);
if (only.length === 0) {
  step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  step('lint', 'node', ['scripts/lint.mjs']);
}
step('build', 'node', ['esbuild.mjs']);

const tests = findTests('test').filter((t) => only.length === 0 || only.some((o) => t.includes(o)));
rmSync('out/test', { recursive: true, force: true });
await build({
  entryPoints: tests,
  outdir: 'out/test',
  outbase: 'test',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
  logLevel: 'warning',
});
const outFiles = tests.map((t) => join('out', t.replace(/\.ts$/, '.js')));
process.stdout.write(`\n> node --test (${outFiles.length} files)\n`);
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...outFiles], {
  stdio: 'inherit',
  env: { ...process.env, HOSTLENS_WASM_DIR: join(process.cwd(), 'dist') },
});
process.exit(res.status ?? 1);
