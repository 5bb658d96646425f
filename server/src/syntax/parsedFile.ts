// One file's syntax: the facts the index needs (cheap, from queries) at once, the full AST only when asked for.
import type { Tree } from 'web-tree-sitter';
import type { Span } from '../base/text';
import type { Expr } from './ast';
import { readTree } from './cst';
import { extractFacts, type FactInterest, type SyntaxFacts } from './facts';
import { lower, lowerRecorded, type LowerEntries } from './lower';
import { editTree, type NixParser, type TextEdit } from './parser';
import { adopter, foldEdits, reuseCheck, type Changed } from './reuse';
import { syntaxProblems, type SyntaxProblem } from './syntaxErrors';
import { localEdit, shiftFacts } from './tokenEdit';
import { windowEdit } from './windowEdit';

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
  /** The last error-free parse (or the last parse, if it had errors), moved by `tree.edit` to the current text. */
  private tree: Tree;
  /** The tree was moved by `tree.edit` to the current text but not re-parsed yet (see tokenEdit.ts, windowEdit.ts). */
  private stale = false;
  /** Where the tree's shape is unknown after window edits (null: it has the current shape, names aside). */
  private dirty: Span | null = null;
  /** The current facts read a broken stretch on its own: a full parse must confirm them (`settle`). */
  private interim = false;
  /** While `dirty`: the tree's facts with the window edits merged in, whatever `settle` found since. */
  private windowFacts: SyntaxFacts | null = null;
  /**
   * A full parse of the current version kept beside `tree`: it had errors (window edits go on from the error-free
   * tree), or the facts wait for `settle` (until then, facts outside a window must stay the base tree's).
   */
  private aside: Tree | null = null;
  private version = 0;
  private current: ParsedFile;
  /** What the live tree's last lowering lowered, and what changed since (null: nothing), for incremental lowering. */
  private lastLowered: LowerEntries | null = null;
  private changed: Changed | null = null;

  constructor(private readonly parser: NixParser, text: string, private readonly interest: FactInterest) {
    this.tree = parser.parse(text);
    this.current = this.wrap(text);
  }

  get parsed(): ParsedFile { return this.current; }

  /** Whether the last edits are still waiting for tree-sitter (for tests: a proof or window path was taken). */
  get reparsePending(): boolean { return this.stale; }

  /** Whether the current facts wait for a full parse to confirm them. */
  get factsInterim(): boolean { return this.interim; }

  applyEdits(edits: readonly TextEdit[]): ParsedFile {
    const before = this.current;
    this.dropAside();
    const one = edits.length === 1 ? edits[0]! : null;
    // A tree whose shape is stale somewhere cannot prove a token edit: its tokens there are not the text's.
    const local = one && !this.dirty ? localEdit(this.tree, before.text, one, before.facts, this.interest) : null;
    const window = one && !local ? windowEdit(this.parser, this.tree, before.text, one, this.windowFacts ?? before.facts, this.dirty, this.interest) : null;
    if (this.lastLowered) this.changed = foldEdits(this.changed, before.text, edits);
    this.version++;
    if (local) {
      // Facts shift and the re-parse waits for the first reader of the tree.
      const text = editTree(this.tree, before.text, [local.treeEdit], true);
      this.stale = true;
      this.current = this.wrap(text, shiftFacts(before.facts, local));
    } else if (window) {
      // The stretch was read on its own; the whole file's parse waits for a reader of the tree or `settle`.
      const text = editTree(this.tree, before.text, edits);
      this.stale = true;
      this.dirty = window.dirty;
      this.windowFacts = window.facts;
      this.interim = !window.exact;
      this.current = this.wrap(text, window.facts);
    } else {
      const text = editTree(this.tree, before.text, edits);
      this.tree = this.parser.parseEdited(this.tree, text);
      this.stale = false;
      this.dirty = null;
      this.windowFacts = null;
      this.interim = false;
      this.current = this.wrap(text);
    }
    return this.current;
  }

  /**
   * Parses the whole file after window edits: when its facts are interim, returns a ParsedFile with the full parse's
   * facts if they differ (null: they stand); either way a clean parse becomes the new base, so that the next burst's
   * windows start small. The server calls it once a burst of keystrokes is over.
   */
  settle(): ParsedFile | null {
    if (!this.dirty) return null;
    const text = this.current.text;
    const tree = this.liveTree(text);
    if (!this.interim) return null;
    const facts = extractFacts(tree, text, this.interest);
    this.interim = false;
    const changed = JSON.stringify(facts) !== JSON.stringify(this.current.facts);
    if (changed) this.current = this.wrap(text, facts);
    // The facts are the full parse's now: a clean one can become the base.
    if (tree === this.aside && !tree.rootNode.hasError) this.adoptAside();
    return changed ? this.current : null;
  }

  dispose(): void { this.dropAside(); this.tree.delete(); this.version = -1; this.lastLowered = null; }

  private dropAside(): void {
    this.aside?.delete();
    this.aside = null;
  }

  private adoptAside(): void {
    this.tree.delete();
    this.tree = this.aside!;
    this.aside = null;
    this.stale = false;
    this.dirty = null;
    this.windowFacts = null;
  }

  /**
   * The current text's tree, parsed now if edits wait for it. After window edits, a parse with errors is kept aside
   * and the error-free tree stays the base of the next window edits (typing passes through broken text all the time);
   * so is a clean one while the facts are interim.
   */
  private liveTree(text: string): Tree {
    if (!this.stale) return this.tree;
    if (!this.dirty) {
      this.tree = this.parser.parseEdited(this.tree, text);
      this.stale = false;
      return this.tree;
    }
    if (this.aside) return this.aside;
    this.aside = this.parser.parseEdited(this.tree.copy(), text);
    const full = this.aside;
    if (!full.rootNode.hasError && !this.interim) this.adoptAside();
    return full;
  }

  /**
   * Lowers the live tree, reusing the previous lowering's Exprs wherever the edits since cannot have changed them.
   * A tree stale after token edits is lowered as it stands: they were proven to change only tokens' text, never a
   * node's kind or extent beyond their own shift, so with the new text it lowers exactly as its re-parse would.
   */
  private lowerLive(text: string): Lowered {
    const old = this.lastLowered;
    const tree = this.dirty ? this.liveTree(text) : this.tree;
    const raw = old ? readTree(tree, reuseCheck(old, this.changed)) : readTree(tree);
    let entries: LowerEntries | null = null;
    const ast = guarded(text, () => {
      const out = lowerRecorded(raw, text, old ? adopter(old) : undefined, old?.length);
      entries = out.entries;
      return out.ast;
    });
    this.lastLowered = entries;
    this.changed = null;
    return { ast, problems: syntaxProblems(raw, text) };
  }

  private wrap(text: string, facts?: SyntaxFacts): ParsedFile {
    const version = this.version;
    // A snapshot may hold an older ParsedFile after more edits: it lowers from its own text, not the live tree.
    return new ParsedFile(text, facts ?? extractFacts(this.liveTree(text), text, this.interest),
      () => (version === this.version ? this.lowerLive(text) : lowerText(this.parser, text)));
  }
}
