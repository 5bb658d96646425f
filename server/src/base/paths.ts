// Workspace-relative POSIX paths: the one spelling of a file used by the index, the CLI and the tests.

/** Normalises `a/./b/../c` to `a/c`; returns null when the path climbs above the workspace root. */
/** A path with no empty, `.` or `..` segment: already normal (most joined paths, once `./` is dropped). */
const NORMAL = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))(?!.*\/\/)(?!.*\/$)/;

export function normalize(rel: string): string | null {
  if (rel !== '' && NORMAL.test(rel)) return rel;
  const out: string[] = [];
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

export function dirname(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function basename(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

export function join(dir: string, child: string): string {
  return dir === '' ? child : child === '' ? dir : `${dir}/${child}`;
}

/** Resolves a Nix path literal's text (`./a`, `../b`, `/abs`) against the directory of the file it appears in. */
export function resolveFrom(dir: string, literal: string): string | null {
  if (literal.startsWith('/')) return null;
  return normalize(join(dir, literal));
}
