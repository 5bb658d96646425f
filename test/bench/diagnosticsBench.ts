// Diagnostics timings on the generated fleet (rows of `npm run bench`): what a keystroke in the 2,000-line file costs
// (graph findings at once; scope findings after the server's coalescing delay), the fleet checks, and `hostlens check` end to end.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { graphFindings, moduleFindings } from '../../server/src/features/fleetDiagnostics';
import { hostNameFindings } from '../../server/src/features/hostChecks';
import { scopeFindings } from '../../server/src/features/scopeDiagnostics';
import { secretFindings } from '../../server/src/features/secretChecks';
import type { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { COALESCE_MS } from '../../server/src/lsp/openFileChecks';

type Row = (what: string, value: string, target?: string) => void;

export function diagnosticsBench(
  index: WorkspaceIndex, dir: string, bigFile: string, nestedFile: string, row: Row, ms: (n: number) => string, pct: (xs: number[], p: number) => number,
): void {
  const keystrokes = (file: string, marker: string) => {
    const text = index.snapshot().parsed(file)?.text ?? readFileSync(path.join(dir, file), 'utf8');
    if (!index.isOpen(file)) index.open(file, text);
    let offset = text.indexOf(marker) + 2;
    const keystroke: number[] = [];
    const pause: number[] = [];
    for (let i = 0; i < 40; i++) {
      let start = performance.now();
      index.edit(file, [{ span: { start: offset, end: offset }, text: 'x' }]);
      offset++;
      const snap = index.snapshot();
      graphFindings(snap, new Set([file]));
      const graphDone = performance.now() - start;
      keystroke.push(graphDone);
      // What the server does COALESCE_MS after the change: the buffer's scope findings and the fleet checks.
      start = performance.now();
      scopeFindings(file, snap.parsed(file)!);
      moduleFindings(snap);
      pause.push(graphDone + COALESCE_MS + performance.now() - start);
    }
    return { keystroke, pause };
  };
  const flat = keystrokes(bigFile, '"item-1000"');
  row('keystroke -> graph diagnostics (refs, cycles, orphans), 2,000-line flat set: p95', ms(pct(flat.keystroke, 95)), '< 50 ms');
  row(`keystroke -> scope + fleet diagnostics (incl. the server's ${COALESCE_MS} ms coalescing), 2,000-line flat set: p50 / p95`, `${ms(pct(flat.pause, 50))} / ${ms(pct(flat.pause, 95))}`, '< 50 ms');
  const nested = keystrokes(nestedFile, '"svc-100"');
  row(`  the same, 2,000-line nested module: p50 / p95`, `${ms(pct(nested.pause, 50))} / ${ms(pct(nested.pause, 95))}`, '< 50 ms');
  const snap = index.snapshot();
  let start = performance.now();
  hostNameFindings(snap);
  secretFindings(snap);
  row('fleet checks (hostName, agenix), a full pass over the fleet (ASTs lowered): once', ms(performance.now() - start));

  const cli = path.join(process.cwd(), 'dist/cli.js');
  const runs: number[] = [];
  let exit: number | null = null;
  for (let r = 0; r < 3; r++) {
    start = performance.now();
    exit = spawnSync(process.execPath, [cli, 'check', '--no-linters', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).status;
    runs.push(performance.now() - start);
  }
  row(`hostlens check, generated fleet (exit ${exit}): best of 3`, ms(Math.min(...runs)), '< 5000 ms');
  start = performance.now();
  spawnSync(process.execPath, [cli, 'check', '--no-linters', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PATH: '/nonexistent' } });
  row('hostlens check without nix-instantiate (tree-sitter syntax)', ms(performance.now() - start));
}
