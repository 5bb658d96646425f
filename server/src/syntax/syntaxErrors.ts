// Tree-sitter's ERROR and MISSING nodes as approximate syntax problems, minus the known gaps of the grammar build.
import type { Span } from '../base/text';
import type { RawNode } from './cst';

export interface SyntaxProblem { span: Span; message: string }

export function syntaxProblems(root: RawNode, text: string): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const visit = (n: RawNode, parent: RawNode | null): void => {
    if (n.missing) {
      if (!isTrailingCommaGap(n, parent)) out.push({ span: { start: n.start, end: n.end }, message: `missing ${n.type}` });
      return;
    }
    if (n.type === 'ERROR') {
      if (!isPipeGap(n, text)) {
        const snippet = text.slice(n.start, Math.min(n.end, n.start + 20)).split('\n')[0] ?? '';
        out.push({ span: { start: n.start, end: n.end }, message: `unexpected '${snippet}'` });
      }
      return;
    }
    for (const c of n.children) visit(c, n);
  };
  visit(root, null);
  return out;
}

/** `{ a, b, }:` is valid Nix; the grammar build recovers it with a MISSING identifier in a formal. */
function isTrailingCommaGap(n: RawNode, parent: RawNode | null): boolean {
  return n.type === 'identifier' && parent?.type === 'formal';
}

/** `x |> f` and `f <| x`: the grammar build recovers with an ERROR around `>` or `|` between two operands. */
function isPipeGap(n: RawNode, text: string): boolean {
  const t = text.slice(n.start, n.end).trim();
  if (t !== '>' && t !== '|' && t !== '|>' && t !== '<|') return false;
  const around = text.slice(Math.max(0, n.start - 1), n.end + 1);
  return around.includes('|>') || around.includes('<|');
}
