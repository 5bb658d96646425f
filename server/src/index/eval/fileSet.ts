// The workspace's file tree as the index sees it: existence, directories and listings, with no disk access.
import { join } from '../../base/paths';

export type EntryType = 'regular' | 'directory' | 'symlink';

export class FileSet {
  private readonly dirs = new Map<string, Map<string, EntryType>>();
  private readonly fileSet = new Set<string>();

  /** `files` are workspace-relative paths with `/` separators. */
  constructor(files: Iterable<string>) {
    this.dirs.set('', new Map());
    for (const f of files) this.add(f);
  }

  add(file: string): void {
    if (this.fileSet.has(file)) return;
    this.fileSet.add(file);
    const slash = file.lastIndexOf('/');
    // Most files share a folder with one added before: then only that folder's entry is new.
    const known = this.dirs.get(slash < 0 ? '' : file.slice(0, slash));
    if (known) { if (!known.has(file.slice(slash + 1))) known.set(file.slice(slash + 1), 'regular'); return; }
    const parts = file.split('/');
    let dir = '';
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!;
      const entries = this.dirs.get(dir)!;
      const isLast = i === parts.length - 1;
      if (!entries.has(name)) entries.set(name, isLast ? 'regular' : 'directory');
      dir = join(dir, name);
      if (!isLast && !this.dirs.has(dir)) this.dirs.set(dir, new Map());
    }
  }

  remove(file: string): void {
    if (!this.fileSet.delete(file)) return;
    const slash = file.lastIndexOf('/');
    const dir = slash < 0 ? '' : file.slice(0, slash);
    this.dirs.get(dir)?.delete(file.slice(slash + 1));
  }

  get files(): ReadonlySet<string> { return this.fileSet; }
  isFile(p: string): boolean { return this.fileSet.has(p); }
  isDir(p: string): boolean { return this.dirs.has(p); }
  exists(p: string): boolean { return this.fileSet.has(p) || this.dirs.has(p); }

  readDir(dir: string): Map<string, EntryType> | null {
    const entries = this.dirs.get(dir);
    return entries ? new Map(entries) : null;
  }

  /** Every file under `dir`, sorted; `dir` itself when it is a file. */
  listRecursive(dir: string): string[] {
    if (this.fileSet.has(dir)) return [dir];
    const prefix = dir === '' ? '' : `${dir}/`;
    return [...this.fileSet].filter((f) => f.startsWith(prefix)).sort();
  }
}
