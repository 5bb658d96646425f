// Owns web-tree-sitter: loads the runtime and the Nix grammar once, parses, and re-parses incrementally after edits.
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { Span } from '../base/text';
import { installFastMarshal } from './fastMarshal';

/** One text change in UTF-16 offsets against the text before the change. */
export interface TextEdit { span: Span; text: string }

export class NixParser {
  private constructor(private readonly parser: Parser) {}

  /**
   * Loads `tree-sitter.wasm` and `tree-sitter-nix.wasm` from `wasmDir` (dist/ at run time). Concurrent callers share
   * one initialisation because Parser.init may run only once per process.
   */
  static async load(wasmDir: string): Promise<NixParser> {
    loading ??= (async () => {
      const runtime = { locateFile: (name: string) => path.join(wasmDir, name) };
      await Parser.init(runtime);
      installFastMarshal(runtime);
      return Language.load(path.join(wasmDir, 'tree-sitter-nix.wasm'));
    })();
    const language = await loading;
    const parser = new Parser();
    parser.setLanguage(language);
    return new NixParser(parser);
  }

  parse(text: string): Tree {
    const tree = this.parser.parse(maskPipes(text));
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  /**
   * Parses `text` again after `editTree` moved `tree` to it, reusing what the edits left intact (a keystroke costs work
   * near the edit, not the whole file); the edited tree is freed.
   */
  parseEdited(tree: Tree, text: string): Tree {
    const fresh = this.parser.parse(maskPipes(text), tree);
    if (!fresh) throw new Error('tree-sitter returned no tree');
    tree.delete();
    return fresh;
  }
}

/**
 * Moves `tree` to the text after `edits` without parsing: its nodes keep their kinds and take their new positions.
 * Returns that text. Nodes then read their text from the caller's string, never from the tree (it has the old one).
 */
export function editTree(tree: Tree, before: string, edits: readonly TextEdit[], exact = false): string {
  let text = before;
  const margin = exact ? 0 : 1;
  for (const edit of edits) {
    // One character of margin each side (unless the caller proved none is needed): typing `>` after `|` changes the
    // masked text just before the edit.
    const start = Math.max(0, Math.min(edit.span.start, text.length) - margin);
    const end = Math.min(text.length, Math.max(edit.span.start, Math.min(edit.span.end, text.length)) + margin);
    const editStart = Math.max(0, Math.min(edit.span.start, text.length));
    const editEnd = Math.max(editStart, Math.min(edit.span.end, text.length));
    const next = text.slice(0, editStart) + edit.text + text.slice(editEnd);
    const newEnd = end + (next.length - text.length);
    const startPosition = pointAt(text, start);
    tree.edit({
      startIndex: start,
      oldEndIndex: end,
      newEndIndex: newEnd,
      startPosition,
      oldEndPosition: advance(startPosition, text, start, end),
      newEndPosition: advance(startPosition, next, start, newEnd),
    });
    text = next;
  }
  return text;
}

let loading: Promise<Language> | undefined;

/**
 * NOTE: the grammar build predates `|>` and `<|` and mangles what follows them (a path after `<|` is lost). Both
 * become `->`, the same length and the loosest binary operator, so offsets hold and the operands parse intact;
 * the lowering reads the real operator back from the source text.
 */
export function maskPipes(text: string): string {
  return text.includes('|>') || text.includes('<|') ? text.replace(/\|>|<\|/g, '->') : text;
}

type Point = { row: number; column: number };

/** The point at `to`, from the known point at `from` (scans only the edited stretch, not the file). */
function advance(at: Point, text: string, from: number, to: number): Point {
  let { row, column } = at;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) === 10) { row++; column = 0; } else column++;
  }
  return { row, column };
}

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
