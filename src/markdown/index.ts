export type { Diagnostic, Outline, OutlineNode } from './types.js';
export { parseOutline, TASKADE_TEXT_LIMIT } from './parse.js';
export { renderChanges } from './render-changes.js';
export { renderNewFile } from './render-new-file.js';
export { setProjectLink, frontMatterLink, frontMatterProject } from './front-matter.js';
export { compactId, resolveShortId, shortId } from './identity.js';
export { decodeNote, encodeNote } from './note-codec.js';
export { flattenOutline } from './flatten.js';
