// Copies tree-sitter's tree into plain JS objects in one cursor walk: crossing into wasm per node is what is slow.
import type { Tree } from 'web-tree-sitter';

export interface RawNode {
  type: string;
  field: string | null;
  start: number;
  end: number;
  named: boolean;
  missing: boolean;
  children: RawNode[];
}

export function readTree(tree: Tree): RawNode {
  const cursor = tree.walk();
  const root: RawNode = nodeAt(cursor, null);
  const stack: RawNode[] = [root];
  // Depth-first walk; `stack` mirrors the cursor's ancestors.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const node = nodeAt(cursor, cursor.currentFieldName);
      stack[stack.length - 1]!.children.push(node);
      if (cursor.gotoFirstChild()) {
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

function nodeAt(cursor: ReturnType<Tree['walk']>, field: string | null): RawNode {
  return {
    type: cursor.nodeType,
    field,
    start: cursor.startIndex,
    end: cursor.endIndex,
    named: cursor.nodeIsNamed,
    missing: cursor.nodeIsMissing,
    children: [],
  };
}
