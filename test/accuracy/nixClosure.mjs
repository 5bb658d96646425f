#!/usr/bin/env node
// Accuracy oracle: which files of a flake real Nix reads when it evaluates each host, with stub flake inputs.
//
//   node test/accuracy/nixClosure.mjs [--details] [--jobs N] [--no-strace] [--host NAME]... DIR
//
// For every host under nixosConfigurations, homeConfigurations and darwinConfigurations of DIR/flake.nix it runs
//   nix-instantiate --eval --strict --json stubs/eval.nix   (one process per host, offline, --store dummy://)
// under `strace -e trace=/^(open|openat|openat2|write)$` (main thread: where Nix evaluates). The stub
// (stubs/*.nix, see stubs/README.md) calls the flake's `outputs` with stub inputs, follows the host's module
// `imports`, applies its overlays and forces its option values; strace records every file Nix opens. Each step
// of the stub writes a `trace: HOSTLENS {...}` marker, so every open is attributed to the step that caused it
// ("why"), and path values Nix would copy to the store at build time (age.secrets.x.file, home.file.y.source)
// are reported by markers too.
//
// Output (stdout, JSON): {"<host>": ["<file relative to DIR>", ...]} sorted, flake.nix left out. A host name that
// appears under two outputs is keyed "<kind>:<name>" (kind: nixos | home-manager | darwin).
// --details prints {root, tracer, nixVersion, discovery, hosts: {<key>: {output, kind, name, files: {<file>:
// {certain, why: [...]}}, errors: [...], attempts}}} instead. A file is "certain" when at least one read of it
// happened outside a `mkIf` whose condition the stub could not evaluate (it depends on `config`).
//
// Without strace (or with --no-strace) it falls back to `nix-instantiate -vv`, which logs imported files
// ("evaluating file") and store copies but not builtins.readFile: fewer files, none wrong.
// An error the stub cannot catch (syntax error, missing attribute of a real set, infinite recursion) aborts that
// process; the step that was running is then skipped (HOSTLENS_SKIP) and the host evaluated again, up to 8 times.
// Exit status: 0 when every host was evaluated (possibly with skipped steps), 2 on usage errors, 3 when Nix is
// missing or discovery failed.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const EVAL_NIX = join(HERE, 'stubs', 'eval.nix');
const OUTPUTS = [
  ['nixosConfigurations', 'nixos'],
  ['homeConfigurations', 'home-manager'],
  ['darwinConfigurations', 'darwin'],
];
const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 120_000;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.direnv', 'result']);
// Names the stub code itself inspects (`x._type or null`, `x ? outPath`...): never part of the universe.
const RESERVED_IDS = new Set([
  '_type', 'type', 'outPath', 'drvPath', 'imports', 'config', 'options', '_module', '_file', 'key',
  'condition', 'content', 'contents', 'priority', 'recurseForDerivations',
]);

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

function listFiles(dir, out = []) {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(ent.name)) continue;
    const p = join(dir, ent.name);
    if (ent.isDirectory()) listFiles(p, out);
    else if (ent.isFile()) out.push(p);
  }
  return out;
}

/** Every identifier-like word of the flake's .nix files: the attribute names the stub universe must answer. */
function collectIds(root) {
  const ids = new Set();
  for (const f of listFiles(root)) {
    if (!f.endsWith('.nix')) continue;
    let text;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_'-]*/g)) ids.add(m[0]);
  }
  return [...ids].filter((i) => !i.startsWith('__') && !i.startsWith('_hostlens') && !RESERVED_IDS.has(i)).sort();
}

/** Decode a C-style string as strace prints it (\n, \", \\, \ooo, \xHH). */
function decodeStraceString(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      for (const byte of Buffer.from(c, 'utf8')) bytes.push(byte);
      continue;
    }
    const n = s[++i];
    const simple = { n: 10, t: 9, r: 13, v: 11, f: 12, '"': 34, '\\': 92, a: 7, b: 8, e: 27 };
    if (n in simple) bytes.push(simple[n]);
    else if (n === 'x') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n >= '0' && n <= '7') {
      let j = i;
      while (j < i + 3 && s[j] >= '0' && s[j] <= '7') j++;
      bytes.push(parseInt(s.slice(i, j), 8));
      i = j - 1;
    } else bytes.push(n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

const MARK = 'trace: HOSTLENS ';

function markersIn(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(MARK)) continue;
    try {
      out.push(JSON.parse(line.slice(MARK.length)));
    } catch {
      /* a marker cut by strace's -s limit: ignore */
    }
  }
  return out;
}

/** strace log -> ordered events: {open: path} | {mark: {...}}. */
function parseStrace(log) {
  const events = [];
  const openRe = /^(?:\d+\s+)?(?:open|openat)\((?:AT_FDCWD|-?\d+)?,?\s*"((?:[^"\\]|\\.)*)",\s*([^)]*)\)\s*=\s*(-?\d+)/;
  const writeRe = /^(?:\d+\s+)?write\(2,\s*"((?:[^"\\]|\\.)*)"(?:\.\.\.)?,\s*\d+\)\s*=/;
  for (const line of log.split('\n')) {
    let m = openRe.exec(line);
    if (m) {
      if (Number(m[3]) >= 0 && !m[2].includes('O_DIRECTORY')) events.push({ open: decodeStraceString(m[1]) });
      continue;
    }
    m = writeRe.exec(line);
    if (m) for (const mark of markersIn(decodeStraceString(m[1]))) events.push({ mark });
  }
  return events;
}

/** nix -vv stderr -> ordered events (fallback without strace: no readFile). */
function parseVerbose(stderr) {
  const events = [];
  for (const line of stderr.split('\n')) {
    let m = /^evaluating file '(.*)'$/.exec(line);
    if (m) {
      events.push({ open: m[1] });
      continue;
    }
    m = /^copied source '(.*)' -> '/.exec(line);
    if (m) {
      events.push({ open: m[1] });
      continue;
    }
    if (line.startsWith(MARK)) for (const mark of markersIn(line)) events.push({ mark });
  }
  return events;
}

/** The HOSTLENS_SKIP key of a marker: its fields but unc/from, values in attribute-name order, joined by "|". */
function skipKey(mark) {
  return Object.keys(mark)
    .filter((k) => k !== 'unc' && k !== 'from')
    .sort()
    .map((k) => String(mark[k]))
    .join('|');
}

function why(mark) {
  if (!mark) return 'read before the first stub step';
  const unc = mark.unc ? ' (inside a mkIf the stub cannot decide)' : '';
  switch (mark.ph) {
    case 'flake':
      return `read while evaluating the flake's outputs up to ${mark.mod}`;
    case 'flake-parts':
      return 'read while flake-parts collected its modules (mkFlake)';
    case 'modules':
      return `read while evaluating element ${mark.index} of the top-level modules of ${mark.mod}${unc}`;
    case 'imports':
      return mark.index === undefined
        ? `read while evaluating the imports list of ${mark.mod}${unc}`
        : `read while evaluating imports element ${mark.index} of ${mark.mod}${unc}`;
    case 'load':
      return `imported as a module by ${mark.from}${unc}`;
    case 'apply':
      return `read while calling the module function of ${mark.mod}${unc}`;
    case 'walk':
      return `read while evaluating the value of ${mark.at} in ${mark.mod}${unc}`;
    case 'overlay':
      return `read while applying overlay #${mark.index} of a package set`;
    case 'hm-users':
      return `read while evaluating the Home Manager users and sharedModules of ${mark.mod}`;
    case 'pkgs':
      return `read while instantiating the package set of ${mark.mod}`;
    default:
      return `read during stub step ${JSON.stringify(mark)}`;
  }
}

function run(cmd, args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolvePromise({ code: 127, stdout: '', stderr: String(e) });
    });
  });
}

const NIX_FLAGS = ['--store', 'dummy://', '--option', 'substituters', '', '--eval', '--strict', '--json'];

function lastErrorLine(stderr) {
  const lines = stderr.split('\n').filter((l) => l.trim() && !l.startsWith(MARK));
  const i = lines.findIndex((l) => l.startsWith('error:'));
  return (i >= 0 ? lines.slice(i, i + 3) : lines.slice(-3)).join(' ').replace(/\s+/g, ' ').slice(0, 400);
}

async function evalHost(ctx, output, name) {
  const files = new Map(); // rel -> {certain, why:Set}
  const errors = [];
  const skips = [];
  let attempts = 0;
  let result = null;
  const add = (rel, certain, reason) => {
    if (rel === 'flake.nix') return;
    const e = files.get(rel) ?? { certain: false, why: new Set() };
    e.certain ||= certain;
    e.why.add(reason);
    files.set(rel, e);
  };
  const relOf = (p) => {
    const abs = normalize(p);
    if (!abs.startsWith(ctx.root + sep)) return null;
    return relative(ctx.root, abs);
  };
  while (attempts < MAX_ATTEMPTS) {
    attempts++;
    const work = mkdtempSync(join(ctx.tmp, 'host-'));
    const skipFile = join(work, 'skip.json');
    writeFileSync(skipFile, JSON.stringify(skips));
    const env = { ...ctx.env, HOSTLENS_SKIP: skipFile };
    const nixArgs = [...NIX_FLAGS, '--argstr', 'mode', 'host', '--argstr', 'output', output, '--argstr', 'name', name, EVAL_NIX];
    let res;
    let events;
    if (ctx.strace) {
      const log = join(work, 'strace.log');
      res = await run(ctx.strace, ['-qq', '-s', '1000000', '-e', 'trace=/^(open|openat|openat2|write)$', '-o', log, ctx.nix, ...nixArgs], env);
      events = existsSync(log) ? parseStrace(readFileSync(log, 'utf8')) : [];
    } else {
      res = await run(ctx.nix, ['-vv', ...nixArgs], env);
      events = parseVerbose(res.stderr);
    }
    rmSync(work, { recursive: true, force: true });

    let current = null;
    let lastMark = null;
    for (const ev of events) {
      if (ev.mark) {
        lastMark = ev.mark;
        if (ev.mark.ph === 'path') {
          const rel = relOf(ev.mark.p);
          if (rel === null || !existsSync(ev.mark.p)) continue;
          const certain = !ev.mark.unc;
          const reason = `${ev.mark.kind === 'import' ? 'module path' : 'path value'} of ${ev.mark.at} in ${ev.mark.mod}${ev.mark.kind === 'import' ? '' : ' (copied to the store when the host is built)'}${certain ? '' : ' (inside a mkIf the stub cannot decide)'}`;
          const st = statSync(ev.mark.p);
          if (st.isDirectory()) {
            if (ev.mark.kind === 'import') {
              if (existsSync(join(ev.mark.p, 'default.nix'))) add(join(rel, 'default.nix'), certain, reason);
            } else {
              for (const f of listFiles(ev.mark.p)) add(relative(ctx.root, f), certain, `${reason}, a directory`);
            }
          } else add(rel, certain, reason);
        } else current = ev.mark;
        continue;
      }
      const rel = relOf(ev.open);
      if (rel === null) continue;
      let st;
      try {
        st = statSync(ev.open);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      add(rel, !current?.unc, why(current));
    }
    if (res.code === 0) {
      try {
        result = JSON.parse(res.stdout);
      } catch {
        result = { error: 'unparsable result' };
      }
      if (result?.error) errors.push(result.error);
      break;
    }
    const msg = lastErrorLine(res.stderr);
    if (!lastMark) {
      errors.push(`evaluation failed before the first stub step: ${msg}`);
      break;
    }
    const key = skipKey(lastMark);
    if (skips.includes(key)) {
      errors.push(`evaluation failed again in skipped step ${key}: ${msg}`);
      break;
    }
    errors.push(`aborted in step ${JSON.stringify(lastMark)} (skipped on the next attempt): ${msg}`);
    skips.push(key);
  }
  return { files, errors, attempts, result };
}

/** Host names per output; retried like a host when an uncatchable error aborts it (markers come from stderr). */
async function discover(ctx) {
  const skips = [];
  const notes = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const work = mkdtempSync(join(ctx.tmp, 'discover-'));
    const skipFile = join(work, 'skip.json');
    writeFileSync(skipFile, JSON.stringify(skips));
    const res = await run(ctx.nix, [...NIX_FLAGS, '--argstr', 'mode', 'discover', EVAL_NIX], { ...ctx.env, HOSTLENS_SKIP: skipFile });
    rmSync(work, { recursive: true, force: true });
    if (res.code === 0) {
      const discovery = JSON.parse(res.stdout);
      if (notes.length) discovery.aborted = notes;
      return { discovery };
    }
    const marks = markersIn(res.stderr);
    const last = marks[marks.length - 1];
    const msg = lastErrorLine(res.stderr);
    if (!last || skips.includes(skipKey(last))) return { error: msg };
    notes.push(`aborted in step ${JSON.stringify(last)} (skipped on the next attempt): ${msg}`);
    skips.push(skipKey(last));
  }
  return { error: `still failing after ${MAX_ATTEMPTS} attempts: ${notes.join('; ')}` };
}

async function main() {
  const argv = process.argv.slice(2);
  let details = false;
  let jobs = Math.max(1, Math.min(2, availableParallelism()));
  let useStrace = true;
  const onlyHosts = [];
  let dir = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--details') details = true;
    else if (a === '--no-strace') useStrace = false;
    else if (a === '--jobs') jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--host') onlyHosts.push(argv[++i]);
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node test/accuracy/nixClosure.mjs [--details] [--jobs N] [--no-strace] [--host NAME]... DIR\n');
      return 0;
    } else if (dir === null) dir = a;
    else {
      process.stderr.write(`unexpected argument: ${a}\n`);
      return 2;
    }
  }
  if (!dir) {
    process.stderr.write('usage: node test/accuracy/nixClosure.mjs [--details] [--jobs N] [--no-strace] [--host NAME]... DIR\n');
    return 2;
  }
  const root = realpathSync(resolve(dir));
  if (!existsSync(join(root, 'flake.nix'))) {
    process.stderr.write(`${root}: no flake.nix\n`);
    return 2;
  }
  const nix = which('nix-instantiate');
  if (!nix) {
    process.stderr.write('nix-instantiate is not installed\n');
    return 3;
  }
  const strace = useStrace ? which('strace') : null;
  if (useStrace && !strace) process.stderr.write('warning: strace is not installed; falling back to nix -vv (builtins.readFile is not seen)\n');

  const tmp = mkdtempSync(join(tmpdir(), 'hostlens-nixclosure-'));
  try {
    const idsFile = join(tmp, 'ids.json');
    writeFileSync(idsFile, JSON.stringify(collectIds(root)));
    // NIX_PATH is emptied: a flake cannot use <nixpkgs> either.
    const env = { ...process.env, HOSTLENS_ROOT: root, HOSTLENS_IDS: idsFile, NIX_PATH: '' };
    const ctx = { root, tmp, env, nix, strace };

    const disc = await discover(ctx);
    if (disc.error) {
      process.stderr.write(`discovery failed: ${disc.error}\n`);
      return 3;
    }
    const discovery = disc.discovery;
    const hosts = [];
    for (const [output, kind] of OUTPUTS) {
      for (const name of discovery[output]?.names ?? []) hosts.push({ output, kind, name });
    }
    const counts = new Map();
    for (const h of hosts) counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
    for (const h of hosts) h.key = counts.get(h.name) > 1 ? `${h.kind}:${h.name}` : h.name;
    const todo = hosts.filter((h) => onlyHosts.length === 0 || onlyHosts.includes(h.name) || onlyHosts.includes(h.key));

    const results = new Map();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(jobs, todo.length) }, async () => {
        while (next < todo.length) {
          const h = todo[next++];
          results.set(h.key, { host: h, ...(await evalHost(ctx, h.output, h.name)) });
        }
      }),
    );

    if (details) {
      const version = spawnSync(nix, ['--version'], { encoding: 'utf8' }).stdout.trim();
      const out = { root, tracer: strace ? 'strace' : 'nix -vv', nixVersion: version, discovery, hosts: {} };
      for (const h of todo) {
        const r = results.get(h.key);
        const files = {};
        for (const rel of [...r.files.keys()].sort()) {
          const e = r.files.get(rel);
          files[rel] = { certain: e.certain, why: [...e.why] };
        }
        out.hosts[h.key] = { output: h.output, kind: h.kind, name: h.name, files, errors: r.errors, attempts: r.attempts, result: r.result };
      }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const out = {};
      for (const h of todo) out[h.key] = [...results.get(h.key).files.keys()].sort();
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      for (const h of todo) for (const e of results.get(h.key).errors) process.stderr.write(`${h.key}: ${e}\n`);
    }
    for (const [output] of OUTPUTS) {
      if (discovery[output]?.error) process.stderr.write(`${output}: ${discovery[output].error}\n`);
    }
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exitCode = 1;
  },
);
