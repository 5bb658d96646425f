// Bundles what ships (extension, server, CLI, bench) and copies the two wasm files the server loads at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

// NOTE: web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle lacks; its CJS build does not.
const alias = { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' };
const common = { alias, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: false, logLevel: 'warning' };
const production = process.argv.includes('--production');

mkdirSync('dist', { recursive: true });
await Promise.all([
  // dist/bench.js is built on demand by npm run bench (scripts/bench.mjs).
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], minify: production }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', minify: production }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, minify: production }),

]);
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
copyFileSync('node_modules/@cursorless/tree-sitter-wasms/out/tree-sitter-nix.wasm', 'dist/tree-sitter-nix.wasm');
