import type { Outline, OutlineNode } from './types.js';

/** The outline's nodes in pre-order (document order), each with its parent's key. */
export function flattenOutline(outline: Outline): Array<OutlineNode & { parentKey: string | null }> {
  const out: Array<OutlineNode & { parentKey: string | null }> = [];
  const visit = (node: OutlineNode, parentKey: string | null): void => {
    out.push({ ...node, parentKey });
    for (const child of node.children) visit(child, node.key);
  };
  for (const t of outline.tasks) visit(t, null);
  return out;
}
