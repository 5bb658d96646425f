// A folder outside the workspace that stands for a flake input (m3ta-home, m3ta-nixpkgs): indexed read-only so that
// navigation can reach the declarations it holds. Files are parsed on first use and never change.
import { parseText, type ParsedFile } from '../syntax/parsedFile';
import type { NixParser } from '../syntax/parser';
import { FACT_INTEREST } from './fileSummary';

export class ExternalSource {
  private readonly parsedFiles = new Map<string, ParsedFile | null>();

  /** `texts`: relative path -> text (null for data files and files not read); `root` is absolute. */
  constructor(readonly input: string, readonly root: string, private readonly texts: ReadonlyMap<string, string | null>, private readonly parser: NixParser) {}

  get files(): string[] { return [...this.texts.keys()].filter((f) => f.endsWith('.nix')).sort(); }

  text(file: string): string | null { return this.texts.get(file) ?? null; }

  parsed(file: string): ParsedFile | null {
    if (this.parsedFiles.has(file)) return this.parsedFiles.get(file)!;
    const text = this.texts.get(file);
    const parsed = text == null || !file.endsWith('.nix') ? null : parseText(this.parser, text, FACT_INTEREST);
    this.parsedFiles.set(file, parsed);
    return parsed;
  }
}
