// Loads `hostlens.externalSources` (flake input -> local folder) once per setting: scans each folder read-only and
// wraps it for the navigation features. A folder that is missing or unreadable is logged and left out.
import * as path from 'node:path';
import { wasmDir } from '../app/openWorkspace';
import { errorMessage, type Logger } from '../base/log';
import { ExternalSource } from '../index/externalSource';
import { NixParser } from '../syntax/parser';
import { isDirectory, scanWorkspace } from '../vfs/discovery';

const MAX_FILES = 5_000;

export class ExternalSourceLoader {
  private key = '';
  private loading: Promise<ExternalSource[]> = Promise.resolve([]);
  private loaded: ExternalSource[] = [];

  constructor(private readonly log: Logger) {}

  /** The sources for this setting, loading them on first use (later calls with the same setting share the work). */
  sources(root: string | null, setting: Record<string, string> | undefined, maxFileSize: number): Promise<ExternalSource[]> {
    const entries = Object.entries(setting ?? {}).filter(([k, v]) => k && typeof v === 'string' && v);
    const key = JSON.stringify([root, entries]);
    if (key !== this.key) {
      this.key = key;
      this.loaded = [];
      this.loading = entries.length === 0 ? Promise.resolve([]) : this.load(root, entries, maxFileSize).then((s) => { this.loaded = s; return s; });
    }
    return this.loading;
  }

  /** What is loaded already (code lenses do not wait for a scan). */
  get ready(): ExternalSource[] { return this.loaded; }

  private async load(root: string | null, entries: [string, string][], maxFileSize: number): Promise<ExternalSource[]> {
    const parser = await NixParser.load(wasmDir());
    const out: ExternalSource[] = [];
    for (const [input, folder] of entries) {
      const abs = path.resolve(root ?? process.cwd(), folder);
      try {
        if (!(await isDirectory(abs))) { this.log.warn(`hostlens.externalSources: ${input} -> ${abs} is not a folder`); continue; }
        const scan = await scanWorkspace(abs, { maxFiles: MAX_FILES, maxFileSize });
        out.push(new ExternalSource(input, abs, scan.files, parser));
        this.log.info(`Indexed external source ${input} (${scan.files.size} files) from ${abs}`);
      } catch (err) {
        this.log.warn(`hostlens.externalSources: cannot read ${abs}: ${errorMessage(err)}`);
      }
    }
    return out;
  }
}
