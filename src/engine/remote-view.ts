import { decodeNote } from '../markdown/index.js';
import { normaliseAssignees, normaliseNote, type Due, type RemoteTaskRecord, type TaskRecord } from '../model/task.js';
import type { NormalisedTask } from '../taskade/index.js';
import type { TaskadePort } from './ports.js';
import type { ApiTaskDate } from '../taskade/index.js';
import type { RequestCounter } from './request-counter.js';

/**
 * Whose note, date and assignees to read (each costs one request per task, DESIGN §1): with no
 * base, every task; else tasks new since the base or whose text, completion or parent changed,
 * plus the ids the caller asks for (the daemon's rotation). An unchanged task is not read: its
 * sub-resources are taken as the base's (`undefined` in the remote record).
 */
export function subresourceTargets(
  list: readonly NormalisedTask[],
  base: readonly TaskRecord[] | null,
  extra: Iterable<string> = [],
): Set<string> {
  const out = new Set<string>();
  if (base === null) {
    for (const t of list) out.add(t.id);
    return out;
  }
  const byId = new Map(base.map((b) => [b.id, b] as const));
  for (const t of list) {
    const b = byId.get(t.id);
    if (b === undefined || b.text !== remoteText(t.text) || b.completed !== t.completed || b.parentId !== t.parentId)
      out.add(t.id);
  }
  const present = new Set(list.map((t) => t.id));
  for (const id of extra) if (present.has(id)) out.add(id);
  return out;
}

/** Text in the model's normal form (one trimmed line). */
export function remoteText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function dueFromApi(d: ApiTaskDate | null): Due | null {
  if (d === null) return null;
  return { date: d.start.date, time: d.start.time ?? null, timezone: d.start.timezone ?? null };
}

/** A task's note, date and assignees as read, in the model's normal form. */
export type TaskDetails = Pick<TaskRecord, 'note' | 'due' | 'assignees'>;

/** Reads one task's note, date and assignees (three requests, at `priority`). */
export async function readTaskDetails(
  client: TaskadePort,
  projectId: string,
  taskId: string,
  counter: RequestCounter,
  o: { signal?: AbortSignal | undefined; priority?: 'read' | 'background' } = {},
): Promise<TaskDetails> {
  const call = { signal: o.signal, ...(o.priority === undefined ? {} : { priority: o.priority }) };
  const [note, date, assignees] = await Promise.all([
    counter.read(() => client.getNote(projectId, taskId, call)),
    counter.read(() => client.getDate(projectId, taskId, call)),
    counter.read(() => client.getAssignees(projectId, taskId, call)),
  ]);
  return {
    note: note === null ? null : normaliseNote(decodeNote(note)),
    due: dueFromApi(date),
    assignees: normaliseAssignees(assignees),
  };
}

/**
 * The remote tree as planner input; sub-resources read for `targets`, `undefined` elsewhere.
 * `given` holds values the caller read just before (the daemon's background reads): used as read
 * in this pass, not read again.
 */
export async function readRemote(
  client: TaskadePort,
  projectId: string,
  list: readonly NormalisedTask[],
  targets: Set<string>,
  counter: RequestCounter,
  signal?: AbortSignal,
  given: ReadonlyMap<string, TaskDetails> = new Map(),
): Promise<RemoteTaskRecord[]> {
  const reads = new Map<string, TaskDetails>(given);
  // All reads go to the queue at once; it keeps the budget and the order of priorities.
  await Promise.all(
    list
      .filter((t) => targets.has(t.id) && !given.has(t.id))
      .map(async (t) => reads.set(t.id, await readTaskDetails(client, projectId, t.id, counter, { signal }))),
  );
  return list.map((t) => {
    const r = reads.get(t.id);
    return {
      id: t.id,
      parentId: t.parentId,
      text: remoteText(t.text),
      completed: t.completed,
      note: r?.note,
      due: r?.due,
      assignees: r?.assignees,
    };
  });
}

/**
 * Reads the sub-resources a plan is about to overwrite or delete and had not read (one request per
 * field: `unverifiedReads`), and returns the remote records with them filled in.
 */
export async function readFields(
  client: TaskadePort,
  projectId: string,
  remote: readonly RemoteTaskRecord[],
  wanted: ReadonlyMap<string, ReadonlySet<'note' | 'due' | 'assignees'>>,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<RemoteTaskRecord[]> {
  const read = new Map<string, Partial<Pick<RemoteTaskRecord, 'note' | 'due' | 'assignees'>>>();
  await Promise.all(
    [...wanted].map(async ([id, fields]) => {
      const got: Partial<Pick<RemoteTaskRecord, 'note' | 'due' | 'assignees'>> = {};
      await Promise.all([
        fields.has('note')
          ? counter
              .read(() => client.getNote(projectId, id, { signal }))
              .then((note) => {
                got.note = note === null ? null : normaliseNote(decodeNote(note));
              })
          : undefined,
        fields.has('due')
          ? counter
              .read(() => client.getDate(projectId, id, { signal }))
              .then((date) => {
                got.due = dueFromApi(date);
              })
          : undefined,
        fields.has('assignees')
          ? counter
              .read(() => client.getAssignees(projectId, id, { signal }))
              .then((a) => {
                got.assignees = normaliseAssignees(a);
              })
          : undefined,
      ]);
      read.set(id, got);
    }),
  );
  return remote.map((r) => {
    const got = read.get(r.id);
    return got === undefined ? r : { ...r, ...got };
  });
}
