// Copies tree-sitter's tree into plain JS objects in one cursor walk: crossing into wasm per node is what is slow.
import type { Language, Tree } from 'web-tree-sitter';

export interface RawNode {
  type: string;
  field: string | null;
  start: number;
  end: number;
  named: boolean;
  missing: boolean;
  children: RawNode[];
  /** Set when the node's previous Expr is reused (see reuse.ts): its children are then not read. */
  reuse?: number;
}

/** Says whether a node may keep its previous Expr (an entry index) instead of being read; `hasError` costs a crossing. */
export type ReuseCheck = (node: RawNode, parent: RawNode, hasError: () => boolean) => number | undefined;

/** Named-ness per node type id, read once per grammar: asking the cursor costs a call into wasm per node. */
const namedByLanguage = new WeakMap<Language, boolean[]>();

function namedTable(language: Language): boolean[] {
  let table = namedByLanguage.get(language);
  if (!table) {
    table = [];
    for (let i = 0; i < language.nodeTypeCount; i++) table.push(language.nodeTypeIsNamed(i));
    namedByLanguage.set(language, table);
  }
  return table;
}

export function readTree(tree: Tree, reuse?: ReuseCheck): RawNode {
  const cursor = tree.walk();
  const types = tree.language.types;
  const named = namedTable(tree.language);
  // Type and named-ness from tables by type id, and `missing` asked only of zero-width nodes (the only kind a MISSING
  // node can be): two fewer crossings into wasm per node than the cursor's own getters, with the same result.
  const nodeAt = (field: string | null): RawNode => {
    const id = cursor.nodeTypeId;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    return {
      type: types[id] || 'ERROR', field, start, end,
      named: named[id] ?? cursor.nodeIsNamed,
      missing: start === end && cursor.nodeIsMissing,
      children: [],
    };
  };
  // A tree without errors has none below its root: then no node needs asking (each ask makes a Node object).
  const anyError = !!reuse && tree.rootNode.hasError;
  const hasError = () => anyError && cursor.currentNode.hasError;
  const root: RawNode = nodeAt(null);
  const stack: RawNode[] = [root];
  // Depth-first walk; `stack` mirrors the cursor's ancestors.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const node = nodeAt(cursor.currentFieldName);
      const parent = stack[stack.length - 1]!;
      parent.children.push(node);
      const reused = reuse?.(node, parent, hasError);
      if (reused !== undefined) node.reuse = reused;
      else if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (stack.length <= 1 || !cursor.gotoParent()) {
          cursor.delete();
          return root;
        }
        stack.pop();
      }
    }
  }
  cursor.delete();
  return root;
}
