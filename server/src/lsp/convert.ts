// Conversions between LSP's document URIs and the index's workspace-relative paths.
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { toRelative } from '../vfs/discovery';

export class Paths {
  constructor(readonly root: string) {}

  /** The workspace-relative path of a `file:` URI, or null for other schemes and files outside the workspace. */
  relative(uri: string): string | null {
    if (!uri.startsWith('file:')) return null;
    try {
      return toRelative(this.root, fileURLToPath(uri));
    } catch {
      return null;
    }
  }

  uri(rel: string): string { return pathToFileURL(path.join(this.root, rel)).toString(); }
  absolute(rel: string): string { return path.join(this.root, rel); }
}

