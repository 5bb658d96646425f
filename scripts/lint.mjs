// `npm run lint`: the architecture rules no compiler checks. Layering (syntax -> index -> features -> protocol),
// one module starting processes, one reading the disk, LSP only in lsp/, a role comment atop every file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = 'server/src';
/** Which server layers each layer may import. */
const MAY_IMPORT = {
  base: [],
  syntax: ['base'],
  index: ['base', 'syntax'],
  features: ['base', 'syntax', 'index'],
  tools: ['base', 'shared'],
  vfs: ['base'],
  shared: [],
  app: ['base', 'syntax', 'index', 'vfs'],
  lsp: ['base', 'syntax', 'index', 'features', 'tools', 'vfs', 'shared', 'app'],
  cli: ['base', 'syntax', 'index', 'features', 'tools', 'vfs', 'shared', 'app'],
  '.': ['app', 'lsp'],
};
const PROCESS_MODULES = new Set(['server/src/tools/exec.ts']);
const DISK_MODULES = new Set(['server/src/vfs/discovery.ts']);

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const problems = [];
const report = (file, msg) => problems.push(`${file}: ${msg}`);
for (const file of [...files(SRC), ...files('client/src')]) {
  const text = readFileSync(file, 'utf8');
  if (!/^\/\/ \S/.test(text)) report(file, 'must open with a one-line // comment on its role');
  const imports = [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
  const isClient = file.startsWith('client/');
  const layer = isClient ? null : (relative(SRC, file).split('/').length === 1 ? '.' : relative(SRC, file).split('/')[0]);
  for (const spec of imports) {
    if (/^node:child_process$/.test(spec) && !PROCESS_MODULES.has(file)) report(file, 'only tools/exec.ts may start processes');
    if (/^node:fs(\/promises)?$/.test(spec) && !DISK_MODULES.has(file) && !PROCESS_MODULES.has(file) && !file.startsWith('server/src/cli/')) {
      report(file, 'only vfs/discovery.ts reads the disk');
    }
    if (spec.startsWith('vscode-languageserver') && layer !== 'lsp' && layer !== '.') report(file, 'only lsp/ may use LSP types');
    if (isClient) {
      if (spec.startsWith('.') && normalize(join(dirname(file), spec)).startsWith('server/src/') && !normalize(join(dirname(file), spec)).startsWith('server/src/shared/')) {
        report(file, `the client may import only server/src/shared, not ${spec}`);
      }
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = relative(SRC, normalize(join(dirname(file), spec)));
    const targetLayer = target.split('/').length === 1 ? '.' : target.split('/')[0];
    if (targetLayer !== layer && !MAY_IMPORT[layer]?.includes(targetLayer)) report(file, `layer ${layer} must not import ${targetLayer} (${spec})`);
  }
  if (!isClient && layer !== 'cli' && /(?<![.\w])console\.(log|error|warn|info)\(/.test(text)) report(file, 'the server logs through base/log, not console');
  const lines = text.split('\n').length;
  if (lines > 400) report(file, `${lines} lines: split it (keep modules small, one job each)`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\nlint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');
