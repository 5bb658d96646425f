// Accuracy against real Nix: for each fixture flake, every file Nix reads for a host must be among Hostlens's files.
//
// The oracle is test/accuracy/nixClosure.mjs: real nix-instantiate evaluates each host against stub flake inputs
// (test/accuracy/stubs/, see its README.md) under strace. A file Nix read that Hostlens does not list is a miss,
// the worst defect, and fails the test; files Hostlens lists that Nix did not read are over-approximation,
// allowed, and only reported (console.log) with their count. Reads the stub makes only inside a `mkIf` whose
// condition depends on `config` (which the stub cannot evaluate) are "uncertain": a miss among them is reported,
// not failed. Needs dist/cli.js (node esbuild.mjs) and, for the oracle, nix-instantiate and strace (without
// strace the oracle falls back to `nix -vv`, which does not see builtins.readFile). Skips when Nix is missing.
//
// More flake folders: HOSTLENS_ACCURACY_DIRS=/path/a:/path/b adds them to the run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = process.cwd();
const ORACLE = path.join(ROOT, 'test', 'accuracy', 'nixClosure.mjs');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, cmd)));
}
const nixMissing = onPath('nix-instantiate') ? null : 'nix-instantiate is not installed: no accuracy oracle';

function flakeDirs(): string[] {
  const dirs: string[] = [];
  const fleet = path.join(FIXTURES, 'fleet');
  if (fs.existsSync(path.join(fleet, 'flake.nix'))) dirs.push(fleet);
  const styles = path.join(FIXTURES, 'styles');
  if (fs.existsSync(styles)) {
    for (const name of fs.readdirSync(styles).sort()) {
      const d = path.join(styles, name);
      if (fs.existsSync(path.join(d, 'flake.nix'))) dirs.push(d);
    }
  }
  for (const extra of (process.env.HOSTLENS_ACCURACY_DIRS ?? '').split(path.delimiter)) {
    if (extra.trim() !== '') dirs.push(path.resolve(extra.trim()));
  }
  return dirs;
}

interface OracleFile {
  certain: boolean;
  why: string[];
}
interface OracleHost {
  output: string;
  kind: string;
  name: string;
  files: Record<string, OracleFile>;
  errors: string[];
  attempts: number;
}
interface Oracle {
  tracer: string;
  hosts: Record<string, OracleHost>;
  discovery: Record<string, { names?: string[]; error?: string }> & { aborted?: string[] };
}
interface HostlensHost {
  name: string;
  kind: string;
  files: string[];
}

const BIG = 256 * 1024 * 1024;

async function oracle(dir: string): Promise<Oracle> {
  const { stdout } = await run(process.execPath, [ORACLE, '--details', dir], { maxBuffer: BIG, timeout: 300_000 });
  return JSON.parse(stdout) as Oracle;
}

async function hostlens(dir: string): Promise<HostlensHost[]> {
  const { stdout } = await run(process.execPath, [CLI, 'hosts', '--json', dir], {
    maxBuffer: BIG,
    timeout: 300_000,
    env: { ...process.env, HOSTLENS_WASM_DIR: process.env.HOSTLENS_WASM_DIR ?? path.join(ROOT, 'dist') },
  });
  return (JSON.parse(stdout) as { hosts: HostlensHost[] }).hosts;
}

/** At most two fixtures in flight (each oracle run itself uses up to two Nix processes): ~2 cores. */
function limited<T>(limit: number): (job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (job) => {
    if (active >= limit) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
const slot = limited<[Oracle, HostlensHost[]]>(2);

const dirs = flakeDirs();
// Started up front so that the fixtures run two at a time while node:test reports them in order.
const pending = new Map<string, Promise<[Oracle, HostlensHost[]]>>();
if (!nixMissing && fs.existsSync(CLI)) {
  for (const dir of dirs) {
    const p = slot(() => Promise.all([oracle(dir), hostlens(dir)]));
    p.catch(() => undefined); // reported by the test that awaits it
    pending.set(dir, p);
  }
}

for (const dir of dirs) {
  const label = path.relative(ROOT, dir) || dir;
  test(`accuracy against real Nix: ${label}`, async (t) => {
    if (nixMissing) {
      t.skip(nixMissing);
      return;
    }
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.mjs` first');
    const [nix, hl] = await (pending.get(dir) ?? Promise.all([oracle(dir), hostlens(dir)]));
    if (Object.keys(nix.hosts).length === 0 && hl.length > 0) {
      // The stubs model nixosSystem-style flakes (and flake-parts), not every framework (snowfall-lib): an oracle
      // that finds no host proves nothing, so say so rather than pass.
      t.skip(`the oracle finds no host in ${label} (a framework its stubs do not model); Hostlens finds ${hl.length}`);
      return;
    }

    const misses: string[] = [];
    const uncertainMisses: string[] = [];
    const extras: string[] = [];
    const notes: string[] = [];
    let nixFiles = 0;
    for (const [key, h] of Object.entries(nix.hosts)) {
      const match = hl.find((x) => x.name === h.name && x.kind === h.kind) ?? hl.find((x) => x.name === h.name);
      const listed = new Set(match?.files ?? []);
      if (!match) misses.push(`${key}: Hostlens does not report this ${h.kind} host (${h.output}.${h.name}) at all`);
      for (const e of h.errors) notes.push(`${key}: oracle: ${e}`);
      for (const [file, info] of Object.entries(h.files)) {
        nixFiles++;
        if (listed.has(file)) continue;
        const line = `${key}: ${file} (${info.why.join('; ')})`;
        if (info.certain) misses.push(line);
        else uncertainMisses.push(line);
      }
      for (const file of match?.files ?? []) if (!(file in h.files)) extras.push(`${key}: ${file}`);
    }
    for (const x of hl) {
      if (!Object.values(nix.hosts).some((h) => h.name === x.name)) notes.push(`${x.name}: a ${x.kind} host Hostlens reports that the oracle did not find`);
    }
    for (const [output, d] of Object.entries(nix.discovery)) {
      if (!Array.isArray(d) && d.error) notes.push(`${output}: oracle: ${d.error}`);
    }
    for (const a of nix.discovery.aborted ?? []) notes.push(`discovery: oracle: ${a}`);

    const hostCount = Object.keys(nix.hosts).length;
    console.log(
      `${label}: ${hostCount} hosts, ${nixFiles} host-file pairs read by Nix (${nix.tracer}); ` +
        `misses ${misses.length}, uncertain misses ${uncertainMisses.length}, extras ${extras.length}`,
    );
    for (const n of notes) console.log(`  note   ${n}`);
    for (const e of extras) console.log(`  extra  ${e}`);
    for (const u of uncertainMisses) console.log(`  uncertain miss  ${u}`);
    for (const m of misses) console.log(`  MISS   ${m}`);
    assert.deepEqual(misses, [], `files real Nix reads that Hostlens does not list (${label})`);
  });
}
