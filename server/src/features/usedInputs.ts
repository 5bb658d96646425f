// Which flake inputs the workspace reads (`inputs.m3ta-home.lib.mkHome`, `inputs.m3ta-nixpkgs.overlays.default`, an
// `outputs` formal such as `nixpkgs.lib`): only those are worth indexing from the Nix store for navigation.
import { FLAKE } from '../index/flake';
import type { IndexSnapshot } from '../index/workspaceIndex';

/** Attributes of an input's declaration in flake.nix (`m3ta-home.url = …`), which are not reads of the input. */
const DECLARATION_KEYS = new Set(['url', 'flake', 'follows', 'inputs', 'type', 'owner', 'repo', 'ref', 'rev', 'dir', 'narHash', 'host', 'path']);

/** The names among `candidates` that some `.nix` file of the workspace reads, found from the text (cheap, generous). */
export function usedInputNames(snap: IndexSnapshot, candidates: Iterable<string>): Set<string> {
  const wanted = new Set(candidates);
  const used = new Set<string>();
  for (const file of snap.files.files) {
    if (!file.endsWith('.nix') || used.size === wanted.size) continue;
    const text = snap.parsed(file)?.text;
    if (!text) continue;
    for (const name of readsOf(text, file === FLAKE)) if (wanted.has(name)) used.add(name);
  }
  return used;
}

const NAME = String.raw`[A-Za-z_][\w'-]*`;
/** `inputs.<name>` or `inputs."<name>"`, then the attribute after it (to tell a declaration from a read). */
const INPUTS_SELECT = new RegExp(String.raw`(?<![\w'.-])inputs\.(?:(${NAME})|"([^"\\$]+)")(?:\.(${NAME}))?`, 'g');
/** In flake.nix, a bare `<name>.<attr>`: an `outputs` formal's use, or (for declaration keys) the input's declaration. */
const BARE_SELECT = new RegExp(String.raw`(?<![\w'.-])(${NAME})\.(${NAME})`, 'g');

function readsOf(text: string, isFlake: boolean): string[] {
  const out: string[] = [];
  if (text.includes('inputs.')) {
    for (const m of text.matchAll(INPUTS_SELECT)) {
      const name = m[1] ?? m[2];
      if (name && !(isFlake && m[3] && DECLARATION_KEYS.has(m[3]))) out.push(name);
    }
  }
  if (isFlake) for (const m of text.matchAll(BARE_SELECT)) if (!DECLARATION_KEYS.has(m[2]!)) out.push(m[1]!);
  return out;
}
