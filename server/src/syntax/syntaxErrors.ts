// Tree-sitter's ERROR and MISSING nodes as approximate syntax problems, minus the known gaps of the grammar build
// (pipes never reach here: the parser masks them).
import type { Span } from '../base/text';
import type { RawNode } from './cst';

export interface SyntaxProblem { span: Span; message: string }

export function syntaxProblems(root: RawNode, text: string): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  // An explicit stack: pathological nesting must not exhaust the JS stack.
  const stack: [RawNode, RawNode | null][] = [[root, null]];
  while (stack.length > 0) {
    const [n, parent] = stack.pop()!;
    if (n.missing) {
      if (!isTrailingCommaGap(n, parent)) out.push({ span: { start: n.start, end: n.end }, message: `missing ${n.type}` });
      continue;
    }
    if (n.type === 'ERROR') {
      const snippet = text.slice(n.start, Math.min(n.end, n.start + 20)).split('\n')[0] ?? '';
      out.push({ span: { start: n.start, end: n.end }, message: `unexpected '${snippet}'` });
      continue;
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i]!, n]);
  }
  return out;
}

/** `{ a, b, }:` is valid Nix; the grammar build recovers it with a MISSING identifier in a formal. */
function isTrailingCommaGap(n: RawNode, parent: RawNode | null): boolean {
  return n.type === 'identifier' && parent?.type === 'formal';
}
