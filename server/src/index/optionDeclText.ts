// Option declarations read from a module's text without lowering it, for the workspace-wide symbol search: the
// one-line form `options.a.b = lib.mkEnableOption …;`. Files that declare options any other way (a nested set)
// answer null and are lowered instead, so the result always equals the AST's.
import type { Span } from '../base/text';

export interface TextDecl { path: string[]; keySpan: Span }

const KEY = String.raw`(?:[A-Za-z_][\w'-]*|"[^"\\$\n]*")`;
const ONE_LINE = new RegExp(String.raw`^([ \t]*)options\.(${KEY}(?:\.${KEY})*)[ \t]*=[ \t]*(?:lib\.)?mk(?:Enable|Package)?Option\b`, 'gm');
/** `options` bound any other way: `options = {`, `options.x = {`, or a declaration the one-line form misses. */
const OTHER = /(^|[^.\w'"-])options\s*(\.[^=;\n]*)?=(?!=)/gm;
const KEYS = new RegExp(KEY, 'g');

export function declarationsFromText(text: string): TextDecl[] | null {
  let others = 0;
  for (const _ of text.matchAll(OTHER)) others++;
  const out: TextDecl[] = [];
  for (const m of text.matchAll(ONE_LINE)) {
    const pathStart = m.index! + m[1]!.length + 'options.'.length;
    const keys = [...m[2]!.matchAll(KEYS)];
    const last = keys[keys.length - 1]!;
    out.push({
      path: keys.map((k) => (k[0].startsWith('"') ? k[0].slice(1, -1) : k[0])),
      keySpan: { start: pathStart + last.index!, end: pathStart + last.index! + last[0].length },
    });
  }
  return others === out.length ? out : null;
}
