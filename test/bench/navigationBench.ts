// Navigation request timings on the generated fleet (rows of `npm run bench`): each request's first (cold) answer on
// a snapshot, then p50/p95 over repeated requests at different places, as an editor sends them.
import { performance } from 'node:perf_hooks';

declare const global: { gc?: () => void };
import { complete } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { flagLenses } from '../../server/src/features/hostFlags';
import { hover } from '../../server/src/features/hover';
import { DEFAULT_NAV_SETTINGS, type NavContext } from '../../server/src/features/navContext';
import { references } from '../../server/src/features/references';
import { scopeFindings } from '../../server/src/features/scopeDiagnostics';
import { optionsOf } from '../../server/src/index/optionIndex';
import { documentSymbols, workspaceSymbols } from '../../server/src/features/symbols';
import type { WorkspaceIndex } from '../../server/src/index/workspaceIndex';

type Row = (what: string, value: string, target?: string) => void;

export function navigationBench(index: WorkspaceIndex, bigFile: string, row: Row, ms: (n: number) => string, pct: (xs: number[], p: number) => number): void {
  const heap = () => { global.gc?.(); return process.memoryUsage().heapUsed / 1024 / 1024; };
  const heapBefore = heap();
  const snap = index.snapshot();
  const ctx: NavContext = { snap, settings: DEFAULT_NAV_SETTINGS, externals: [] };
  const text = snap.parsed(bigFile)!.text;
  const module = 'modules/group3/m7.nix';
  const moduleText = snap.parsed(module)!.text;
  const offsets = (source: string, needle: string, n: number): number[] => {
    const out: number[] = [];
    for (let i = source.indexOf(needle); i >= 0 && out.length < n; i = source.indexOf(needle, i + 1)) out.push(i + 1);
    return out;
  };
  // Places to ask about: option keys in the 2,000-line file and a shared module's option and reads; each request
  // kind gets its own places, so none is answered from the work another one cached.
  const keys = offsets(text, 'enable = true', 120).concat(offsets(text, 'port = ', 120));
  const moduleKeys = offsets(moduleText, 'enable', 10).concat(offsets(moduleText, 'cfg', 5));
  const measure = (label: string, places: [string, number][], run: (file: string, offset: number) => unknown) => {
    const times: number[] = [];
    let cold = 0;
    places.forEach(([file, offset], i) => {
      const start = performance.now();
      run(file, offset);
      const t = performance.now() - start;
      if (i === 0) cold = t; else times.push(t);
    });
    row(`navigation: ${label}: first / p50 / p95`, `${ms(cold)} / ${ms(pct(times, 50))} / ${ms(pct(times, 95))}`, '< 20 ms p95');
  };
  const places = (k: number): [string, number][] => [
    ...keys.filter((_, i) => i % 3 === k).map((o): [string, number] => [bigFile, o]),
    ...(k === 0 ? moduleKeys.map((o): [string, number] => [module, o]) : []),
  ];
  measure('definition (options across 50 hosts)', places(0), (f, o) => definition(ctx, f, o));
  measure('hover (option value per host)', places(1), (f, o) => hover(ctx, f, o));
  measure('references (option, all hosts)', places(2), (f, o) => references(ctx, f, o, true));
  measure('document symbols, 2,000-line file (first: outline of a new parse)', Array.from({ length: 30 }, (): [string, number] => [bigFile, 0]), (f) => documentSymbols(ctx, f));
  measure('flag lenses (code lens)', Array.from({ length: 30 }, (): [string, number] => [bigFile, 0]), (f) => flagLenses(ctx, f));
  const queries = ['item1', 'group3', 'enable', 'big', 'hello', 'host-01', 'm7', 'xyz', 'services', 'tool'];
  measure('workspace symbols', queries.map((q, i): [string, number] => [q, i]), (q) => workspaceSymbols(ctx, q));
  const configAt = text.indexOf('config.services.big') + 'config.services.'.length;
  measure('completion after `config.services.`', Array.from({ length: 30 }, (): [string, number] => [bigFile, configAt]), (f, o) => complete(ctx, f, o));

  // After a keystroke the 2,000-line file is a new parse: a hover at once lowers it again (the worst case); the
  // server's own checks lower it and build its option index 10 ms after the change, so a hover after that (VS Code
  // waits 300 ms for one) finds both ready.
  const editAt = text.indexOf('"item-') + 2;
  let typed = 0;
  const hoverAfter = (prepare: boolean, first: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < 60; i++) {
      index.edit(bigFile, [{ span: { start: editAt + typed, end: editAt + typed }, text: 'x' }]);
      typed++;
      const next: NavContext = { ...ctx, snap: index.snapshot() };
      // What the server's buffer check does (lsp/openFileChecks.ts): scope findings, then the option index.
      if (prepare) { scopeFindings(bigFile, next.snap.parsed(bigFile)!); optionsOf(next.snap.parsed(bigFile)!); }
      const key = keys[first + i]!;
      const start = performance.now();
      hover(next, bigFile, key >= editAt ? key + typed : key);
      out.push(performance.now() - start);
    }
    return out;
  };
  const atOnce = hoverAfter(false, 0);
  row('navigation: hover at once after a keystroke, 2,000-line file (worst case): p50 / p95', `${ms(pct(atOnce, 50))} / ${ms(pct(atOnce, 95))}`);
  const afterChecks = hoverAfter(true, 60);
  row('navigation: hover after a keystroke once the server\'s 10 ms checks ran: p50 / p95', `${ms(pct(afterChecks, 50))} / ${ms(pct(afterChecks, 95))}`, '< 20 ms p95');
  // What navigation keeps (lowered files, option sites, outlines) once garbage is collected; RSS peaks come mostly
  // from re-lowering the 2,000-line file after each keystroke above.
  row('navigation: heap kept after the requests above (after GC)', `+${(heap() - heapBefore).toFixed(0)} MB`);
}
