// The agenix registry (`secrets.nix`: `"secrets/x.age".publicKeys = …;`): which `.age` files it lists and where.
import { dirname, resolveFrom } from '../base/paths';
import type { Span } from '../base/text';
import type { ParsedFile } from '../syntax/parsedFile';
import { unwrapBody } from './astQueries';

export interface SecretEntry {
  /** The key as written: `secrets/x.age`. */
  name: string;
  keySpan: Span;
  /** The `.age` file it names, workspace-relative (resolved against the registry's folder). */
  target: string | null;
}

/** Where agenix users keep the registry. */
export const REGISTRY_FILES = ['secrets.nix', 'secrets/secrets.nix'] as const;

const cache = new WeakMap<ParsedFile, SecretEntry[]>();

export function registryEntries(parsed: ParsedFile, file: string): SecretEntry[] {
  let entries = cache.get(parsed);
  if (!entries) {
    entries = [];
    const body = unwrapBody(parsed.ast);
    const seen = new Set<string>();
    if (body.kind === 'attrs') {
      for (const b of body.bindings) {
        const k = b.path[0];
        if (k?.kind !== 'name' || !k.name.endsWith('.age') || seen.has(k.name)) continue;
        seen.add(k.name);
        entries.push({ name: k.name, keySpan: k.span, target: resolveFrom(dirname(file), k.name) });
      }
    }
    cache.set(parsed, entries);
  }
  return entries;
}

/** `age.secrets.<name>…`: the secret's name, or null for other paths. */
export function secretName(path: readonly string[]): string | null {
  return path.length >= 3 && path[0] === 'age' && path[1] === 'secrets' ? path[2]! : null;
}
