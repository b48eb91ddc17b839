import { SyncError } from '../model/errors.js';
import {
  NEW_ID_PREFIX,
  isNewId,
  pickValues,
  type RemoteTaskRecord,
  type TaskRecord,
  type TaskValues,
} from '../model/task.js';
import type { LocalTask } from './types.js';

export type Side = 'local' | 'remote';

/** A tree view over one side: parent and ordered children per (unified) id. `null` = top level. */
export interface TreeView {
  parent: Map<string, string | null>;
  children: Map<string | null, string[]>;
}

/**
 * The three snapshots under one set of ids. Remote ids are canonical; a local item is named by the
 * Taskade id it carries when that id is known (remote or base), by the remote id it was linked to
 * by content (no journal), and otherwise by `new:<key>`.
 */
export interface Views {
  base: Map<string, TaskRecord>;
  local: Map<string, LocalTask>;
  remote: Map<string, RemoteTaskRecord>;
  /** Remote values with unread sub-resources filled in (see `effectiveRemoteValues`). */
  remoteValues: Map<string, TaskValues>;
  localTree: TreeView;
  remoteTree: TreeView;
  /** Local items linked to a remote task by content: their block id must be written. */
  linkedByContent: Set<string>;
  /** Every id on the local or remote side, local pre-order first, then remote-only in pre-order. */
  ids: string[];
}

export function buildViews(base: TaskRecord[] | null, local: LocalTask[], remote: RemoteTaskRecord[]): Views {
  const baseById = new Map<string, TaskRecord>();
  for (const t of base ?? []) baseById.set(t.id, t);
  const remoteById = new Map<string, RemoteTaskRecord>();
  for (const t of remote) {
    if (remoteById.has(t.id))
      throw new SyncError('INTERNAL', `Remote task list holds task \`${t.id}\` twice`, { taskId: t.id });
    remoteById.set(t.id, t);
  }
  const remoteTree = treeOf(remote, (t) => t.id, 'remote');

  // Identity: first by the id written in the file, then by content (with a journal: new on both sides).
  const unifiedOf = new Map<LocalTask, string>();
  const claimed = new Set<string>();
  for (const t of local) {
    const known = !isNewId(t.id) && (remoteById.has(t.id) || baseById.has(t.id));
    // A duplicated id (copy-paste) makes the second item a new task, never a second owner.
    if (known && !claimed.has(t.id)) {
      unifiedOf.set(t, t.id);
      claimed.add(t.id);
    } else {
      unifiedOf.set(t, `${NEW_ID_PREFIX}${t.key}`);
    }
  }
  // One pass in pre-order: a parent is resolved before its children, so a child sees the link
  // its parent got. A parent id names the nearest preceding item with that id.
  const linkedByContent = new Set<string>();
  const siblingsByText = new Map<string | null, Map<string, string[]>>();
  const localIdToUnified = new Map<string, string>();
  const localParent = new Map<LocalTask, string | null | undefined>();
  for (const t of local) {
    const parent = t.parentId === null ? null : localIdToUnified.get(t.parentId);
    localParent.set(t, parent);
    let own = unifiedOf.get(t)!;
    if (isNewId(own) && parent !== undefined && (parent === null || remoteById.has(parent))) {
      // Same text under matched parents, the first unclaimed remote sibling in order: with no
      // journal, any; with one, only a task the journal has not seen either — the same new item
      // made on both sides (another machine synced a copy of this line first), not a second one.
      const match = firstUnclaimed(siblingsByText, remoteTree, remoteById, parent, t.text, claimed, (id) =>
        base === null ? true : !baseById.has(id),
      );
      if (match !== undefined) {
        own = match;
        unifiedOf.set(t, match);
        claimed.add(match);
        linkedByContent.add(match);
      }
    }
    localIdToUnified.set(t.id, own);
  }

  const localById = new Map<string, LocalTask>();
  for (const t of local) {
    const id = unifiedOf.get(t)!;
    if (localById.has(id))
      throw new SyncError('INTERNAL', `Local outline holds key \`${t.key}\` twice`, { key: t.key });
    localById.set(id, t);
  }
  const localTree = treeOf(
    local,
    (t) => unifiedOf.get(t)!,
    'local',
    (t) => localParent.get(t),
  );

  const remoteValues = new Map<string, TaskValues>();
  for (const t of remote) remoteValues.set(t.id, effectiveRemoteValues(t, baseById.get(t.id), localById.get(t.id)));

  const ids = [...local.map((t) => unifiedOf.get(t)!)];
  for (const t of remote) if (!localById.has(t.id)) ids.push(t.id);

  return {
    base: baseById,
    local: localById,
    remote: remoteById,
    remoteValues,
    localTree,
    remoteTree,
    linkedByContent,
    ids,
  };
}

/**
 * Sub-resources the poller did not read this run are taken as unchanged since the base. With no
 * base entry they are taken as equal to the local value: nothing is pushed over a value nobody has
 * seen, and once the poller reads it a difference shows up as a remote change. A remote-only task
 * with nothing known gets the empty values (the poller reads sub-resources of new tasks).
 */
export function effectiveRemoteValues(
  r: RemoteTaskRecord,
  b: TaskRecord | undefined,
  l: TaskRecord | undefined,
): TaskValues {
  const fallback = b ?? l;
  return pickValues({
    text: r.text,
    completed: r.completed,
    note: r.note !== undefined ? r.note : (fallback?.note ?? null),
    due: r.due !== undefined ? r.due : (fallback?.due ?? null),
    assignees: r.assignees !== undefined ? r.assignees : (fallback?.assignees ?? []),
  });
}

/** The first remote child of `parent` with this text that no local item claimed yet, in order. */
function firstUnclaimed(
  index: Map<string | null, Map<string, string[]>>,
  tree: TreeView,
  byId: Map<string, RemoteTaskRecord>,
  parent: string | null,
  text: string,
  claimed: Set<string>,
  eligible: (id: string) => boolean,
): string | undefined {
  let byText = index.get(parent);
  if (byText === undefined) {
    byText = new Map();
    for (const id of tree.children.get(parent) ?? []) {
      if (!eligible(id)) continue;
      const t = byId.get(id)!.text;
      byText.set(t, [...(byText.get(t) ?? []), id]);
    }
    index.set(parent, byText);
  }
  const queue = byText.get(text) ?? [];
  while (queue.length > 0 && claimed.has(queue[0]!)) queue.shift();
  return queue[0];
}

function treeOf<T extends { id: string; parentId: string | null; key?: string }>(
  items: readonly T[],
  idOf: (t: T) => string,
  side: 'local' | 'remote',
  parentOf: (t: T) => string | null | undefined = (t) => t.parentId,
): TreeView {
  const parent = new Map<string, string | null>();
  const children = new Map<string | null, string[]>();
  for (const t of items) {
    const id = idOf(t);
    const p = parentOf(t);
    if (p !== null) {
      if (p === undefined || !parent.has(p)) {
        const where = side === 'local' ? `item \`${t.key ?? t.id}\`` : `task \`${t.id}\``;
        throw new SyncError(
          'INTERNAL',
          `The ${side} snapshot is not in pre-order: ${where} names parent \`${t.parentId}\`, which does not come before it`,
          { side, taskId: t.id, parentId: t.parentId },
        );
      }
    }
    parent.set(id, p);
    const list = children.get(p);
    if (list) list.push(id);
    else children.set(p, [id]);
  }
  return { parent, children };
}

/** The base as a tree in its stored order. */
export function baseTree(base: Map<string, TaskRecord>): TreeView {
  const parent = new Map<string, string | null>();
  const children = new Map<string | null, string[]>();
  for (const t of base.values()) {
    // A base whose parent is missing (a torn journal) is read as top level rather than thrown on.
    const p = t.parentId !== null && base.has(t.parentId) ? t.parentId : null;
    parent.set(t.id, p);
    const list = children.get(p);
    if (list) list.push(t.id);
    else children.set(p, [t.id]);
  }
  return { parent, children };
}
