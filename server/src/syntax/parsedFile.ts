// One file's syntax: its AST and approximate syntax problems, made from a full parse or an incremental re-parse.
import type { Tree } from 'web-tree-sitter';
import type { Expr } from './ast';
import { readTree } from './cst';
import { lower } from './lower';
import type { NixParser, TextEdit } from './parser';
import { syntaxProblems, type SyntaxProblem } from './syntaxErrors';

export interface ParsedFile {
  readonly text: string;
  readonly ast: Expr;
  /** Tree-sitter's view of errors: approximate, for the no-nix fallback only. */
  readonly problems: readonly SyntaxProblem[];
}

function fromTree(tree: Tree, text: string): ParsedFile {
  const raw = readTree(tree);
  let ast: Expr;
  try {
    ast = lower(raw, text);
  } catch (err) {
    // Pathologically deep nesting can exhaust the JS stack; the file then indexes as opaque rather than crashing.
    if (!(err instanceof RangeError)) throw err;
    ast = { kind: 'error', span: { start: 0, end: text.length } };
  }
  return { text, ast, problems: syntaxProblems(raw, text) };
}

/** Parses text that is not open in an editor; the tree is freed at once (trees live only for open files). */
export function parseText(parser: NixParser, text: string): ParsedFile {
  const tree = parser.parse(text);
  try {
    return fromTree(tree, text);
  } finally {
    tree.delete();
  }
}

/** A file open in the editor: keeps its tree so that each change re-parses incrementally. */
export class OpenFile {
  private tree: Tree;
  private current: ParsedFile;

  constructor(private readonly parser: NixParser, text: string) {
    this.tree = parser.parse(text);
    this.current = fromTree(this.tree, text);
  }

  get parsed(): ParsedFile { return this.current; }

  applyEdits(edits: readonly TextEdit[]): ParsedFile {
    const next = this.parser.reparse({ tree: this.tree, text: this.current.text }, edits);
    this.tree = next.tree;
    this.current = fromTree(next.tree, next.text);
    return this.current;
  }

  dispose(): void { this.tree.delete(); }
}
