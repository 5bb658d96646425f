// `npm run bench`: builds the bench with esbuild and runs it with GC exposed (figures only; never pass/fail).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

execFileSync('node', ['esbuild.mjs'], { stdio: 'inherit' });
await build({
  entryPoints: ['test/bench/bench.ts'], outfile: 'out/bench.js', bundle: true, platform: 'node', format: 'cjs',
  target: 'node20', alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' }, logLevel: 'warning',
});
execFileSync(process.execPath, ['--expose-gc', 'out/bench.js'], { stdio: 'inherit' });
