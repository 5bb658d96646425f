// One finding per problem when several checkers see it: the built-in scope check, Nix's parser, deadnix and the
// secrets check can all report the same unused or undefined name.
import type { Finding } from '../base/finding';

type Kind = 'unused' | 'undefined';

function kindOf(f: Finding): Kind | null {
  if (f.source === 'deadnix') return 'unused';
  if (f.code === 'undefined-variable' || f.code === 'undefined-public-key') return 'undefined';
  if (f.source === 'hostlens' && f.code?.startsWith('unused-')) return 'unused';
  return null;
}

/** Lower wins: the secrets check names the secret, deadnix is what the user asked for, Nix is the authority. */
function rank(f: Finding): number {
  if (f.code === 'undefined-public-key') return 0;
  if (f.source !== 'hostlens') return 1;
  return 2;
}

const at = (f: Finding) => `${f.file}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
const undefinedName = (f: Finding) => /'([^']*)'/.exec(f.message)?.[1] ?? null;

/**
 * Same kind at the same range: one is kept, and keeps the other's quick fixes when it has none. Nix reports only its
 * first undefined variable and sometimes elsewhere than on the name (an `inherit`), so its report goes when a
 * built-in check reports the same name in the file.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const kept = new Map<string, Finding>();
  const out: (Finding | string)[] = [];
  for (const f of findings) {
    const kind = kindOf(f);
    if (!kind) { out.push(f); continue; }
    const key = `${at(f)}\0${kind}`;
    const prev = kept.get(key);
    if (!prev) { kept.set(key, f); out.push(key); continue; }
    const [win, lose] = rank(f) < rank(prev) ? [f, prev] : [prev, f];
    kept.set(key, !win.fixes?.length && lose.fixes?.length ? { ...win, fixes: lose.fixes } : win);
  }
  const builtInUndefined = new Set<string>();
  for (const f of kept.values()) {
    if (f.source !== 'nix' && kindOf(f) === 'undefined') builtInUndefined.add(`${f.file}\0${undefinedName(f)}`);
  }
  return out.flatMap((x) => {
    const f = typeof x === 'string' ? kept.get(x)! : x;
    if (f.source === 'nix' && kindOf(f) === 'undefined' && builtInUndefined.has(`${f.file}\0${undefinedName(f)}`)) return [];
    return [f];
  });
}
