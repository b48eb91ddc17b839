import type { RootContent } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/**
 * remark's parse, the reference the block tree (block-tree.ts) and the parse in pieces
 * (markdown-blocks.ts) are held to in the tests and the markdown bench. Nothing at run time
 * imports it: remark-gfm and remark-frontmatter bring their markdown serialisers
 * (mdast-util-to-markdown and its extensions, about 70 modules) that a parse never uses.
 */
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

/** The whole file in one remark parse. */
export function wholeFileBlocks(source: string): RootContent[] {
  return processor.parse(source).children;
}
