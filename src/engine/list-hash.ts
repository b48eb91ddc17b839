import { createHash } from 'node:crypto';
import { remoteText } from './remote-view.js';

/** What a task list tells about a project, per task (the client's list, or the base in that form). */
export interface ListShape {
  rootId: string | null;
  tasks: ReadonlyArray<{ id: string; text: string; parentId: string | null; completed: boolean }>;
}

/**
 * Hash of what a list tells about a project: ids, tree, text (in the model's normal form) and
 * completion, in outline order. The poller compares the lists it reads by it; the engine gives
 * the hash of the base after a pass that left both sides and the base agreeing, which is the hash
 * of the list Taskade then holds — so the next poll of an untouched project finds it unchanged.
 */
export function hashTaskList(list: ListShape): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(list.rootId));
  for (const t of list.tasks) h.update('\n' + JSON.stringify([t.id, t.parentId, t.completed, remoteText(t.text)]));
  return h.digest('hex').slice(0, 32);
}
