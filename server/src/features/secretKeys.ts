// What an agenix registry's `publicKeys` say: the keys each secret is encrypted for (as the let names or literal
// strings they are written with), which names are undefined, and which keys belong to which host.
import type { Span } from '../base/text';
import { unwrapBody } from '../index/astQueries';
import { scopeOf } from '../index/scope';
import { resolutionOf } from '../index/scopeUsage';
import type { SecretEntry } from '../index/secretsRegistry';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { literalText } from '../syntax/walk';

export interface RegistryEntry extends SecretEntry {
  /** Key ids (`m3-ares` for a let-bound key, `"ssh-ed25519 …"` for an inline one); null when not readable statically. */
  leaves: ReadonlySet<string> | null;
  undefinedNames: { name: string; span: Span }[];
}

export interface Registry {
  file: string;
  parsed: ParsedFile;
  entries: RegistryEntry[];
  /** The key ids that belong to a host: a let name equal to its name, or a key whose comment ends in `@<hostname>`. */
  hostKeys(hostAttr: string, hostname: string): string[];
}

export function keysOf(file: string, parsed: ParsedFile, entries: readonly SecretEntry[]): Registry {
  const body = unwrapBody(parsed.ast);
  const scope = scopeOf(parsed);
  const useAt = new Map(scope.uses.map((u) => [u.span.start, u]));
  const keyStrings = new Map<string, string>();
  for (const b of scope.binders) {
    const s = b.kind === 'let' && b.value?.kind === 'string' ? literalText(b.value) : null;
    if (s !== null) keyStrings.set(b.name, s);
  }

  const read = (e: Expr, undef: RegistryEntry['undefinedNames'], depth = 0): Set<string> | null => {
    if (depth > 32) return null;
    switch (e.kind) {
      case 'list': return union(e.items.map((i) => read(i, undef, depth + 1)));
      case 'binary': return e.op === '++' ? union([read(e.left, undef, depth + 1), read(e.right, undef, depth + 1)]) : null;
      case 'string': { const s = literalText(e); return s === null ? null : new Set([`"${s}"`]); }
      case 'var': {
        const use = useAt.get(e.span.start);
        if (!use) return null;
        const how = resolutionOf(use);
        if (how === 'undefined') { undef.push({ name: e.name, span: e.span }); return new Set(); }
        if (how !== 'binder' || use.binder?.kind !== 'let' || !use.binder.value) return null;
        if (keyStrings.has(e.name) && use.binder.value.kind === 'string') return new Set([e.name]);
        // An undefined name inside a group (`servers = [ … ]`) is reported where the group is written, not here.
        return read(use.binder.value, [], depth + 1);
      }
      default: return null;
    }
  };

  const out: RegistryEntry[] = entries.map((entry) => {
    const undefinedNames: RegistryEntry['undefinedNames'] = [];
    const expr = body.kind === 'attrs' ? publicKeysOf(body, entry.name) : null;
    const leaves = expr ? read(expr, undefinedNames) : null;
    return { ...entry, leaves, undefinedNames };
  });
  return {
    file, parsed, entries: out,
    hostKeys: (hostAttr, hostname) => [...keyStrings].flatMap(([name, key]) => {
      const comment = key.trim().split(/\s+/).slice(2).join(' ');
      return name === hostAttr || name === hostname || comment.endsWith(`@${hostname}`) ? [name] : [];
    }),
  };
}

/** `"x.age".publicKeys = …;` or `"x.age" = { publicKeys = …; };` for the entry `name`. */
function publicKeysOf(body: Expr & { kind: 'attrs' }, name: string): Expr | null {
  for (const b of body.bindings) {
    const first = b.path[0];
    if (first?.kind !== 'name' || first.name !== name) continue;
    const second = b.path[1];
    if (b.path.length === 2 && second?.kind === 'name' && second.name === 'publicKeys') return b.value;
    if (b.path.length === 1 && b.value.kind === 'attrs') {
      const inner = b.value.bindings.find((ib) => ib.path.length === 1 && ib.path[0]?.kind === 'name' && ib.path[0].name === 'publicKeys');
      if (inner) return inner.value;
    }
  }
  return null;
}

function union(sets: (Set<string> | null)[]): Set<string> | null {
  const out = new Set<string>();
  for (const s of sets) {
    if (!s) return null;
    for (const x of s) out.add(x);
  }
  return out;
}
