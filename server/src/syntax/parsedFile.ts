// One file's syntax: the facts the index needs (cheap, from queries) at once, the full AST only when asked for.
import type { Tree } from 'web-tree-sitter';
import type { Expr } from './ast';
import { readTree } from './cst';
import { extractFacts, type FactInterest, type SyntaxFacts } from './facts';
import { lower, lowerRecorded, type LowerEntry } from './lower';
import type { NixParser, TextEdit } from './parser';
import { adopter, foldEdits, reuseCheck, type Changed } from './reuse';
import { syntaxProblems, type SyntaxProblem } from './syntaxErrors';

interface Lowered { ast: Expr; problems: SyntaxProblem[] }

export class ParsedFile {
  private lowered: Lowered | null = null;

  constructor(readonly text: string, readonly facts: SyntaxFacts, private readonly lowerNow: () => Lowered) {}

  /** The AST, lowered on first use: most workspace files never need one. */
  get ast(): Expr { return this.full().ast; }
  /** Tree-sitter's view of errors: approximate, for the no-nix fallback only. */
  get problems(): readonly SyntaxProblem[] { return this.full().problems; }

  private full(): Lowered {
    this.lowered ??= this.lowerNow();
    return this.lowered;
  }
}

function lowerTree(tree: Tree, text: string): Lowered {
  const raw = readTree(tree);
  return { ast: guarded(text, () => lower(raw, text)), problems: syntaxProblems(raw, text) };
}

function guarded(text: string, run: () => Expr): Expr {
  try {
    return run();
  } catch (err) {
    // Pathologically deep nesting can exhaust the JS stack; the file then indexes as opaque rather than crashing.
    if (!(err instanceof RangeError)) throw err;
    return { kind: 'error', span: { start: 0, end: text.length } };
  }
}

function lowerText(parser: NixParser, text: string): Lowered {
  const tree = parser.parse(text);
  try {
    return lowerTree(tree, text);
  } finally {
    tree.delete();
  }
}

/** Parses text that is not open in an editor; the tree is freed at once (trees live only for open files). */
export function parseText(parser: NixParser, text: string, interest: FactInterest): ParsedFile {
  const tree = parser.parse(text);
  try {
    return new ParsedFile(text, extractFacts(tree, text, interest), () => lowerText(parser, text));
  } finally {
    tree.delete();
  }
}

/**
 * Parses and lowers in one pass, for a caller that needs every file's AST (a full check) or analyses a file once and
 * drops the result: one parse instead of one for facts and one for the AST.
 */
export function parseFull(parser: NixParser, text: string, interest: FactInterest): ParsedFile {
  const tree = parser.parse(text);
  try {
    const lowered = lowerTree(tree, text);
    return new ParsedFile(text, extractFacts(tree, text, interest), () => lowered);
  } finally {
    tree.delete();
  }
}

/** A file open in the editor: keeps its tree so that each change re-parses incrementally. */
export class OpenFile {
  private tree: Tree;
  private version = 0;
  private current: ParsedFile;
  /** What the live tree's last lowering lowered, and what changed since (null: nothing), for incremental lowering. */
  private lastLowered: LowerEntry[] | null = null;
  private changed: Changed | null = null;

  constructor(private readonly parser: NixParser, text: string, private readonly interest: FactInterest) {
    this.tree = parser.parse(text);
    this.current = this.wrap(text);
  }

  get parsed(): ParsedFile { return this.current; }

  applyEdits(edits: readonly TextEdit[]): ParsedFile {
    const next = this.parser.reparse({ tree: this.tree, text: this.current.text }, edits);
    if (this.lastLowered) this.changed = foldEdits(this.changed, this.current.text, edits);
    this.tree = next.tree;
    this.version++;
    this.current = this.wrap(next.text);
    return this.current;
  }

  dispose(): void { this.tree.delete(); this.version = -1; this.lastLowered = null; }

  /** Lowers the live tree, reusing the previous lowering's Exprs wherever the edits since cannot have changed them. */
  private lowerLive(text: string): Lowered {
    const old = this.lastLowered;
    const raw = old ? readTree(this.tree, reuseCheck(old, this.changed)) : readTree(this.tree);
    let entries: LowerEntry[] | null = null;
    const ast = guarded(text, () => {
      const out = lowerRecorded(raw, text, old ? adopter(old) : undefined);
      entries = out.entries;
      return out.ast;
    });
    this.lastLowered = entries;
    this.changed = null;
    return { ast, problems: syntaxProblems(raw, text) };
  }

  private wrap(text: string): ParsedFile {
    const version = this.version;
    // A snapshot may hold an older ParsedFile after more edits: it lowers from its own text, not the live tree.
    return new ParsedFile(text, extractFacts(this.tree, text, this.interest),
      () => (version === this.version ? this.lowerLive(text) : lowerText(this.parser, text)));
  }
}
