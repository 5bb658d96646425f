// Loads the external sources (flake input -> local folder) once per mapping: `hostlens.externalSources` folders and
// the store paths of locked inputs; scans each read-only and wraps it for the navigation features. A folder that is
// missing or unreadable is logged and left out, and so is a store path too big to index (all of nixpkgs).
import * as path from 'node:path';
import { wasmDir } from '../app/openWorkspace';
import { errorMessage, type Logger } from '../base/log';
import { ExternalSource } from '../index/externalSource';
import { NixParser } from '../syntax/parser';
import { countFilesUpTo, isDirectory, scanWorkspace } from '../vfs/discovery';

const MAX_FILES = 5_000;

/** Where a folder comes from: the setting (the user chose it: a big one is indexed up to the cap) or flake.lock. */
type Origin = 'setting' | 'flake.lock';

export class ExternalSourceLoader {
  private key = '';
  private loading: Promise<ExternalSource[]> = Promise.resolve([]);
  private loaded: ExternalSource[] = [];

  constructor(private readonly log: Logger) {}

  /**
   * The sources for this setting and these locked inputs (input -> store path; the setting wins for an input both
   * name), loading them on first use; later calls with the same mapping share the work.
   */
  sources(root: string | null, setting: Record<string, string> | undefined, maxFileSize: number, locked: ReadonlyMap<string, string> = new Map()): Promise<ExternalSource[]> {
    const chosen = Object.entries(setting ?? {}).filter(([k, v]) => k && typeof v === 'string' && v);
    const names = new Set(chosen.map(([k]) => k));
    const entries: [string, string, Origin][] = [
      ...chosen.map(([k, v]): [string, string, Origin] => [k, v, 'setting']),
      ...[...locked].filter(([k]) => !names.has(k)).map(([k, v]): [string, string, Origin] => [k, v, 'flake.lock']),
    ];
    const key = JSON.stringify([root, entries]);
    if (key !== this.key) {
      this.key = key;
      this.loading = entries.length === 0 ? Promise.resolve([]) : this.load(root, entries, maxFileSize).then((s) => { if (this.key === key) this.loaded = s; return s; });
      if (entries.length === 0) this.loaded = [];
    }
    return this.loading;
  }

  /** What is loaded already (code lenses do not wait for a scan). */
  get ready(): ExternalSource[] { return this.loaded; }

  private async load(root: string | null, entries: [string, string, Origin][], maxFileSize: number): Promise<ExternalSource[]> {
    const parser = await NixParser.load(wasmDir());
    const out: ExternalSource[] = [];
    for (const [input, folder, origin] of entries) {
      const abs = path.resolve(root ?? process.cwd(), folder);
      const what = origin === 'setting' ? 'hostlens.externalSources' : 'flake.lock';
      try {
        if (!(await isDirectory(abs))) { this.log.warn(`${what}: ${input} -> ${abs} is not a folder`); continue; }
        if (origin === 'flake.lock' && (await countFilesUpTo(abs, MAX_FILES)) > MAX_FILES) {
          this.log.info(`Not indexing input ${input} from ${abs}: more than ${MAX_FILES} files (map it in hostlens.externalSources to index part of it)`);
          continue;
        }
        const scan = await scanWorkspace(abs, { maxFiles: MAX_FILES, maxFileSize });
        out.push(new ExternalSource(input, abs, scan.files, parser));
        this.log.info(`Indexed external source ${input} (${scan.files.size} files) from ${abs} (${what})`);
      } catch (err) {
        this.log.warn(`${what}: cannot read ${abs}: ${errorMessage(err)}`);
      }
    }
    return out;
  }
}
