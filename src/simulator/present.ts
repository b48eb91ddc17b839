import type { ProjectState, TaskNode } from './store.js';

/**
 * How stored entities appear on the wire, given the switches. Kept apart from the store so the
 * open behaviours (root node, text mode, partial write responses) are decided in one place.
 */
export interface Behaviours {
  /** @default true — the first item of the first page is the project root (no parentId); top-level tasks have parentId = rootId. */
  rootNode: boolean;
  /** @default true — complete on a completed task / uncomplete on an open one → 400. */
  strictCompletion: boolean;
  /**
   * @default true — GET note when unset → 404 NOT_FOUND (false: `{ok:true,item:null}`, which the
   * note schema allows). GET date when unset is 404 either way: the date response schema has a
   * required, non-nullable `item`.
   */
  missingSubresource404: boolean;
  /** @default false — task write responses carry only `{id}` (as some clients have observed). */
  partialWriteResponses: boolean;
  /** @default 'markdown' — `text` is the markdown source verbatim; 'plain' strips inline markup. */
  textMode: 'markdown' | 'plain';
  /**
   * @default 'both' — which form of the create path is served: the spec's `/projects/{id}/tasks/`,
   * the slash-less form production clients use, or both. The refused form answers 404.
   */
  createPath: 'both' | 'slash' | 'no-slash';
}

export const DEFAULT_BEHAVIOURS: Readonly<Behaviours> = {
  rootNode: true,
  strictCompletion: true,
  missingSubresource404: true,
  partialWriteResponses: false,
  textMode: 'markdown',
  createPath: 'both',
};

export interface WireTask {
  id: string;
  text?: string;
  parentId?: string;
  completed?: boolean;
}

/** Inline markdown reduced to its text: links, emphasis, code spans, strike-through. */
export function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(\*|_)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1');
}

export function presentTask(project: ProjectState, node: TaskNode, b: Behaviours): WireTask {
  const text = b.textMode === 'plain' ? stripInlineMarkdown(node.text) : node.text;
  if (node.id === project.rootId) return { id: node.id, text, completed: node.completed };
  const task: WireTask = { id: node.id, text, completed: node.completed };
  if (node.parentId !== null && (node.parentId !== project.rootId || b.rootNode)) task.parentId = node.parentId;
  return task;
}

/** The `item` of a task write response: the task, or only `{id}` when partial responses are on. */
export function presentWrite(project: ProjectState, node: TaskNode, b: Behaviours): WireTask {
  return b.partialWriteResponses ? { id: node.id } : presentTask(project, node, b);
}
