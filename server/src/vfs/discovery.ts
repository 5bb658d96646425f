// The one module that reads the workspace from disk: finds files (honouring .gitignore, caps and symlink loops)
// and reads their text. Everything above it sees relative paths and strings only.
import { closeSync, fstatSync, openSync, promises as fs, readFileSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface ScanOptions {
  maxFiles: number;
  /** `.nix` files larger than this are listed but their text is not read. */
  maxFileSize: number;
}

export interface ScanResult {
  /** Relative path -> text for `.nix` and `.json` files (null when too large or unreadable), null for others. */
  files: Map<string, string | null>;
  truncated: boolean;
  skipped: string[];
}

/** Nix files are parsed; JSON files can feed evaluation (`lib.importJSON ./hosts.json`). */
export function readsText(rel: string): boolean { return rel.endsWith('.nix') || rel.endsWith('.json'); }

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.direnv', '.tools', '.vscode-test']);

export function toRelative(root: string, abs: string): string | null {
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

/** Walks `root` breadth-first; never follows a symlink out of the workspace or into a directory seen before. */
export async function scanWorkspace(root: string, options: ScanOptions, onProgress?: (found: number) => void): Promise<ScanResult> {
  const files = new Map<string, string | null>();
  const skipped: string[] = [];
  const realRoot = await fs.realpath(root);
  const seenDirs = new Set<string>([realRoot]);
  const queue: { dir: string; rel: string; ignores: ScopedIgnore[] }[] = [{ dir: root, rel: '', ignores: [] }];
  let truncated = false;
  while (queue.length > 0 && !truncated) {
    const { dir, rel, ignores } = queue.shift()!;
    const gi = await readIgnore(path.join(dir, '.gitignore'), rel);
    const here = gi ? [...ignores, gi] : ignores;
    let entries: Dirent[];
    try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { continue; }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    // A directory's files are read synchronously: an async open/stat/read/close per file costs four trips through
    // libuv's thread pool (~240 µs a file against ~25 µs); yielding once per directory keeps the server answering.
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (ALWAYS_SKIPPED.has(e.name) || (rel === '' && /^result(-.*)?$/.test(e.name))) continue;
      const abs = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const real = await fs.realpath(abs).catch(() => null);
        if (!real || toRelative(realRoot, real) === null) { skipped.push(childRel); continue; }
        const st = await fs.stat(real).catch(() => null);
        isDir = !!st?.isDirectory();
        isFile = !!st?.isFile();
        if (isDir && seenDirs.has(real)) { skipped.push(childRel); continue; }
        if (isDir) seenDirs.add(real);
      }
      if (isIgnored(here, childRel, isDir)) continue;
      if (isDir && !e.isSymbolicLink()) {
        // Remember real directories too, so a link back to one of them is recognised as a loop.
        const real = await fs.realpath(abs).catch(() => abs);
        if (seenDirs.has(real)) continue;
        seenDirs.add(real);
      }
      if (isDir) queue.push({ dir: abs, rel: childRel, ignores: here });
      else if (isFile) {
        if (files.size >= options.maxFiles) { truncated = true; break; }
        files.set(childRel, null);
        if (readsText(childRel)) files.set(childRel, readRegularFile(abs, options.maxFileSize));
        if (files.size % 500 === 0) onProgress?.(files.size);
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { files, truncated, skipped };
}

/** A .gitignore's patterns apply to paths relative to the directory that holds it. */
interface ScopedIgnore { matcher: Ignore; base: string }

async function readIgnore(file: string, rel: string): Promise<ScopedIgnore | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  return text === null ? null : { matcher: ignore().add(text), base: rel ? `${rel}/` : '' };
}

function isIgnored(scopes: readonly ScopedIgnore[], rel: string, isDir: boolean): boolean {
  return scopes.some((s) => rel.startsWith(s.base) && s.matcher.ignores(rel.slice(s.base.length) + (isDir ? '/' : '')));
}

async function readNix(abs: string, maxSize: number): Promise<string | null> {
  try {
    const st = await fs.stat(abs);
    if (st.size > maxSize) return null;
    return await fs.readFile(abs, 'utf8');
  } catch {
    return null;
  }
}

/** One open, one fstat and one read: the scan's per-file cost. */
function readRegularFile(abs: string, maxSize: number): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(abs, 'r');
    if (fstatSync(fd).size > maxSize) return null;
    return readFileSync(fd, 'utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export async function readText(abs: string, maxSize: number): Promise<string | null> {
  return readNix(abs, maxSize);
}

export async function isDirectory(abs: string): Promise<boolean> {
  return fs.stat(abs).then((s) => s.isDirectory(), () => false);
}

/** How many files `root` holds, counting no further than `cap + 1` and reading no file: a cheap size check. */
export async function countFilesUpTo(root: string, cap: number): Promise<number> {
  let count = 0;
  const queue = [root];
  while (queue.length > 0 && count <= cap) {
    const dir = queue.shift()!;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
    for (const e of entries) {
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      if (e.isDirectory()) queue.push(path.join(dir, e.name));
      else count++;
    }
  }
  return count;
}
