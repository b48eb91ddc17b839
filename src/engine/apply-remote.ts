import { randomUUID } from 'node:crypto';
import { encodeNote } from '../markdown/index.js';
import { SyncError } from '../model/errors.js';
import { isNewId } from '../model/task.js';
import type { RemoteOp } from '../reconcile/types.js';
import { isTaskadeError, LIMITS, toSyncError, type ApiTaskCreateInput, type Placement } from '../taskade/index.js';
import type { JournalPort, TaskadePort } from './ports.js';
import { reportProgress } from './progress.js';
import type { RemoteMirror } from './remote-mirror.js';
import type { RequestCounter } from './request-counter.js';
import type { Logger } from './types.js';

type CreateOp = Extract<RemoteOp, { op: 'create' }>;

export interface ApplyRemoteInput {
  projectId: string;
  file: string;
  ops: RemoteOp[];
  client: TaskadePort;
  journal: JournalPort;
  mirror: RemoteMirror;
  /** The project's root node id, when the API shows one (an anchor for "first at the top level"). */
  rootId: string | null;
  counter: RequestCounter;
  logger: Logger;
  now: () => number;
  lineOf: (id: string) => number | undefined;
  /** The task's text (the file's, else Taskade's), so each log line names the task, not only its id. */
  textOf?: (id: string) => string | undefined;
  signal?: AbortSignal;
}

export interface ApplyRemoteResult {
  /** create ref → the Taskade id it got. */
  created: Map<string, string>;
  /** create ref → intent id (resolved by the caller once the base row is committed). */
  intents: Map<string, number>;
  /**
   * Task id → its assignee change, for the changes sent in more than one request: each was
   * recorded in the journal before its first request (the caller drops the record once it
   * succeeded, see reconcile/in-flight.ts).
   */
  assigneeWrites: Map<string, RemoteOp>;
  /** Ops that failed or were not attempted (a dependency failed, the run was stopped). */
  failed: Array<{ op: RemoteOp; error: string }>;
  /** Ops refused before sending because the item breaks a Taskade limit (reported, not retried). */
  refused: Array<{ op: RemoteOp; error: string }>;
  /** A run-ending error (token refused, Taskade unreachable): the remaining ops were not attempted. */
  fatal: SyncError | null;
  /** Some request failed because Taskade was failing or unreachable (not because of the item). */
  unreachable: boolean;
  /** Taskade's lists as this run left them (the mirror, with the requests that succeeded). */
  lists: RemoteMirror;
}

/** After this many consecutive server/network failures the rest of the plan waits for the next run. */
const UNREACHABLE_AFTER = 3;

/**
 * Runs the plan's remote operations in order through the client (whose queue keeps the budget).
 * Consecutive creates are sent together, up to 20 per request, whatever their parents; every create is
 * preceded by an intent row. One failed request does not stop the others; only operations that
 * depend on a create that failed are skipped, and those that would be placed in a list a lost move
 * answer leaves unknown (see `unsettled`).
 */
export async function applyRemote(input: ApplyRemoteInput): Promise<ApplyRemoteResult> {
  const { ops, mirror } = input;
  const result: ApplyRemoteResult = {
    created: new Map(),
    intents: new Map(),
    assigneeWrites: new Map(),
    failed: [],
    refused: [],
    fatal: null,
    unreachable: false,
    lists: mirror,
  };
  let serverFailures = 0;
  // Progress: creates count their tasks, the other operations one each.
  const creates = ops.filter((op) => op.op === 'create').length;
  const others = ops.length - creates;
  let created = 0;
  let sent = 0;
  const progress = (op: RemoteOp, n: number): void => {
    if (op.op === 'create') reportProgress(input.logger, input.file, 'creating tasks', (created += n), creates);
    else reportProgress(input.logger, input.file, 'sending changes', (sent += n), others);
  };
  // A refused item (over Taskade's limits) is skipped: what was to follow it goes after the item
  // it was to follow; its children cannot be created.
  const refusedAfter = new Map<string, string | null>();

  const real = (x: string | null): string | null | undefined => {
    if (x === null) return null;
    if (isNewId(x)) return result.created.get(x) ?? undefined;
    return x;
  };
  const realAnchor = (x: string | null): string | null | undefined => {
    let anchor = x;
    while (anchor !== null && refusedAfter.has(anchor)) anchor = refusedAfter.get(anchor)!;
    return real(anchor);
  };

  // Lists (by parent, null = the top level) the mirror may no longer tell truly: a move whose
  // answer was lost may or may not have happened, so the order of the list it left and of the one
  // it went to is not known. A create or move is placed by its neighbours there (DOM-style
  // anchors): after a lost move of t2 from the top level under t1, "before t2" put the new
  // top-level tasks under t1, where Taskade had put t2. What would go into such a list waits for
  // the next run, which reads it afresh (nextBase keeps it out of the base: it is planned again).
  // A delete whose answer was lost needs none: the plan's deletes come after all its creates and
  // moves (reconcile/diff-remote.ts, kept there by scheduleOps), so nothing is placed by the task
  // it may leave in the mirror.
  const unsettled = new Set<string | null>();
  const unsettle = (id: string, parent: string | null): void => {
    const from = mirror.parentOf(id);
    if (from !== undefined) unsettled.add(from);
    const to = real(parent);
    if (to !== undefined) unsettled.add(to);
  };
  const unplaceable = 'skipped: a move in the list it goes into lost its answer; the next run places it';

  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (result.fatal !== null || input.signal?.aborted === true) {
      result.failed.push({ op, error: result.fatal?.message ?? 'the run was stopped before this request' });
      i += 1;
      continue;
    }
    if (op.op === 'create' && op.text.length > LIMITS.contentLength) {
      refuse(
        op,
        op.ref,
        `text is ${op.text.length} characters, Taskade takes at most ${LIMITS.contentLength}; not created`,
      );
      refusedAfter.set(op.ref, op.after);
      i += 1;
      continue;
    }
    if (op.op === 'create') {
      const batch = takeCreateBatch(ops, i);
      i += batch.length;
      const before = result.created.size;
      await runCreates(batch);
      progress(op, result.created.size - before);
      continue;
    }
    i += 1;
    const id = real(op.id);
    if (id == null || (op.op === 'move' && (real(op.parent) === undefined || realAnchor(op.after) === undefined))) {
      result.failed.push({ op, error: 'skipped: a task it depends on was not created' });
      continue;
    }
    if (op.op === 'move' && unsettled.has(real(op.parent)!)) {
      result.failed.push({ op, error: unplaceable });
      continue;
    }
    if (op.op === 'update-text' && op.text.length > LIMITS.contentLength) {
      refuse(
        op,
        op.id,
        `text is ${op.text.length} characters, Taskade takes at most ${LIMITS.contentLength}; not pushed`,
      );
      continue;
    }
    try {
      await runOne(op, id);
      serverFailures = 0;
      progress(op, 1);
    } catch (error) {
      if (op.op === 'move' && isTaskadeError(error) && error.maybeApplied) unsettle(id, op.parent);
      onFailure(op, error);
    }
  }
  return result;

  function refuse(op: RemoteOp, id: string, message: string): void {
    result.refused.push({ op, error: message });
    input.logger.event({
      level: 'warn',
      type: 'refused',
      file: input.file,
      line: input.lineOf(id),
      taskId: id,
      message,
      data: about(op),
    });
  }

  /** Event data every line about an operation carries: which way it went and the task's text. */
  function about(op: RemoteOp): Record<string, unknown> {
    const text = op.op === 'create' ? op.text : input.textOf?.(op.id);
    return { direction: 'to-taskade', op: op.op, ...(text !== undefined ? { text } : {}) };
  }

  function onFailure(op: RemoteOp, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    result.failed.push({ op, error: message });
    const id = 'id' in op ? op.id : op.ref;
    input.logger.event({
      level: 'error',
      type: 'request-failed',
      file: input.file,
      line: input.lineOf(id),
      taskId: id,
      message,
      data: about(op),
    });
    if (!isTaskadeError(error)) {
      // Stopped on request (SIGTERM to the daemon): what succeeded is committed, the rest waits.
      if (input.signal?.aborted === true) return;
      throw error;
    }
    result.unreachable ||= error.kind === 'transient';
    if (error.kind === 'auth') {
      result.fatal = toSyncError(error);
    } else if (error.kind === 'transient') {
      serverFailures += 1;
      if (serverFailures >= UNREACHABLE_AFTER) result.fatal = toSyncError(error);
    } else {
      serverFailures = 0;
    }
  }

  async function runCreates(batch: CreateOp[]): Promise<void> {
    // One request may place each task on its own (CONTRACT §2: every element has its own
    // placement), so a batch holds runs of new siblings under several parents; each run is
    // placed by its first task's anchor, the rest of the run follows it in array order.
    const sendable: CreateOp[] = [];
    const inputs: ApiTaskCreateInput[] = [];
    const placed: Array<{ parent: string | null; after: string | null; first: boolean }> = [];
    for (const group of siblingRuns(batch)) {
      const first = group[0]!;
      const parent = real(first.parent);
      const after = realAnchor(first.after);
      if (parent === undefined || after === undefined) {
        for (const c of group)
          result.failed.push({ op: c, error: 'skipped: its parent or the task before it was not created' });
        continue;
      }
      if (unsettled.has(parent)) {
        for (const c of group) result.failed.push({ op: c, error: unplaceable });
        continue;
      }
      const { placement, anchor } = createPlacement(mirror, parent, after);
      group.forEach((c, k) => {
        sendable.push(c);
        placed.push({ parent, after, first: k === 0 });
        inputs.push(
          anchor === null
            ? { contentType: 'text/markdown', content: c.text, placement: placement as 'afterbegin' | 'beforeend' }
            : { contentType: 'text/markdown', content: c.text, placement, taskId: anchor },
        );
      });
    }
    if (sendable.length === 0) return;
    const batchId = randomUUID();
    const at = input.now();
    input.journal.transaction(() => {
      sendable.forEach((c, k) => {
        const intent = input.journal.addIntent({
          projectId: input.projectId,
          ref: c.ref,
          parentId: placed[k]!.parent,
          afterId: placed[k]!.first ? placed[k]!.after : null,
          text: c.text,
          batch: batchId,
          at,
        });
        result.intents.set(c.ref, intent);
      });
    });
    try {
      const items = await input.counter.write(() =>
        input.client.createTasks(input.projectId, inputs, { signal: input.signal }),
      );
      if (items.length !== sendable.length) {
        throw new SyncError(
          'INTERNAL',
          `Taskade answered a create of ${sendable.length} tasks with ${items.length} tasks`,
        );
      }
      serverFailures = 0;
      let previous: string | null = null;
      sendable.forEach((c, k) => {
        const id = items[k]!.id;
        const { parent, after, first } = placed[k]!;
        if (first) previous = after;
        result.created.set(c.ref, id);
        mirror.insert(id, parent, previous);
        previous = id;
        input.logger.event({
          level: 'info',
          type: 'remote-create',
          file: input.file,
          line: input.lineOf(c.ref),
          taskId: id,
          message: `created “${c.text}”`,
          data: about(c),
        });
      });
    } catch (error) {
      // A lost response may hide an applied create: keep the intents, the next run adopts the
      // tasks from the remote list. A refused create (4xx, 429) was not applied: drop them.
      const maybeApplied = isTaskadeError(error) ? error.maybeApplied : true;
      if (!maybeApplied) {
        input.journal.transaction(() => {
          for (const c of sendable) {
            const intent = result.intents.get(c.ref);
            if (intent !== undefined) input.journal.dropIntent(intent);
            result.intents.delete(c.ref);
          }
        });
      }
      const [head, ...rest] = sendable;
      onFailure(head!, error);
      for (const c of rest) result.failed.push({ op: c, error: 'failed with the request that carried it' });
    }
  }

  async function runOne(op: Exclude<RemoteOp, CreateOp>, id: string): Promise<void> {
    const { client, projectId, counter, signal } = input;
    const o = { signal };
    const log = (type: string, message: string, data?: Record<string, unknown>): void =>
      input.logger.event({
        level: 'info',
        type,
        file: input.file,
        line: input.lineOf(op.id),
        taskId: id,
        message,
        data: { ...about(op), ...data },
      });
    switch (op.op) {
      case 'update-text':
        await counter.write(() => client.updateTaskText(projectId, id, op.text, o));
        log('remote-update', `text → “${op.text}”`, { field: 'text' });
        return;
      case 'set-completed':
        await counter.write(() => client.setCompleted(projectId, id, op.completed, o));
        log('remote-update', op.completed ? 'completed' : 'reopened', { field: 'completed' });
        return;
      case 'set-note':
        if (op.note === null) await counter.write(() => client.deleteNote(projectId, id, o));
        else await counter.write(() => client.putNote(projectId, id, encodeNote(op.note as string), o));
        log('remote-update', op.note === null ? 'note removed' : 'note updated', { field: 'note' });
        return;
      case 'set-due': {
        const due = op.due;
        if (due === null) await counter.write(() => client.deleteDate(projectId, id, o));
        else
          await counter.write(() =>
            client.putDate(
              projectId,
              id,
              {
                start: {
                  date: due.date,
                  ...(due.time !== null ? { time: due.time } : {}),
                  ...(due.timezone !== null ? { timezone: due.timezone } : {}),
                },
              },
              o,
            ),
          );
        log(
          'remote-update',
          due === null ? 'due date removed' : `due → ${due.date}${due.time !== null ? ` ${due.time}` : ''}`,
          { field: 'due' },
        );
        return;
      }
      case 'set-assignees': {
        // DELETE what went, then PUT the whole set if anything came: right whether Taskade's PUT
        // replaces the set (the simulator) or adds to it (CONTRACT §3.14, §9.9 leave it open).
        const removed = op.previous.filter((h) => !op.assignees.includes(h));
        const added = op.assignees.filter((h) => !op.previous.includes(h));
        // Cut between two of its requests, the write leaves a set nobody chose: recorded first, so
        // the next run finishes it instead of reading a remote edit (reconcile/in-flight.ts).
        if (removed.length + (added.length > 0 ? 1 : 0) > 1) {
          input.journal.putAssigneeWrite({
            projectId,
            taskId: id,
            from: op.previous,
            to: op.assignees,
            at: input.now(),
          });
          result.assigneeWrites.set(id, op);
        }
        for (const handle of removed) await counter.write(() => client.deleteAssignee(projectId, id, handle, o));
        if (added.length > 0) await counter.write(() => client.putAssignees(projectId, id, op.assignees, o));
        log(
          'remote-update',
          `assignees → ${op.assignees.length === 0 ? '(none)' : op.assignees.map((h) => `@${h}`).join(' ')}`,
          { field: 'assignees' },
        );
        return;
      }
      case 'move': {
        const parent = real(op.parent) ?? null;
        const after = realAnchor(op.after) ?? null;
        const target = moveTarget(mirror, id, parent, after, input.rootId);
        await counter.write(() => client.moveTask(projectId, id, target, o));
        mirror.move(id, parent, after);
        log('remote-move', 'moved');
        return;
      }
      case 'delete':
        await counter.write(() => client.deleteTask(projectId, id, o));
        mirror.remove(id);
        log('remote-delete', 'deleted (with its subtree)');
        return;
    }
  }
}

/**
 * Consecutive creates that go in one request (at most 20): any parents, as long as no task in
 * the request depends on another one in it — its parent is not in the request, and the task it
 * follows is either outside the request or the task right before it under the same parent (a
 * run of siblings). scheduleOps orders creates by tree level, so a level fills whole requests.
 */
export function takeCreateBatch(ops: readonly RemoteOp[], start: number): CreateOp[] {
  const first = ops[start] as CreateOp;
  const batch = [first];
  const refs = new Set([first.ref]);
  for (let k = start + 1; k < ops.length && batch.length < LIMITS.createBatch; k += 1) {
    const next = ops[k]!;
    if (next.op !== 'create' || next.text.length > LIMITS.contentLength) break;
    const previous = batch[batch.length - 1]!;
    if (next.parent !== null && refs.has(next.parent)) break;
    if (
      next.after !== null &&
      refs.has(next.after) &&
      !(next.after === previous.ref && next.parent === previous.parent)
    )
      break;
    batch.push(next);
    refs.add(next.ref);
  }
  return batch;
}

/** A batch split into runs of siblings, each placed after the one before it. */
function siblingRuns(batch: CreateOp[]): CreateOp[][] {
  const runs: CreateOp[][] = [];
  for (const c of batch) {
    const run = runs[runs.length - 1];
    const previous = run?.[run.length - 1];
    if (run !== undefined && previous !== undefined && c.parent === previous.parent && c.after === previous.ref)
      run.push(c);
    else runs.push([c]);
  }
  return runs;
}

/**
 * Where a run of new siblings goes, as one DOM-style placement. Only `beforeend` (append) and
 * `beforebegin` (before the sibling that should follow the run) are used: both keep the array's
 * order whether Taskade inserts a multi-task create element by element at the anchor (CONTRACT
 * §3.8, which reverses `afterbegin`/`afterend` batches) or as one block.
 */
export function createPlacement(
  mirror: RemoteMirror,
  parent: string | null,
  after: string | null,
): { placement: Placement; anchor: string | null } {
  const siblings = mirror.siblings(parent);
  const next = after === null ? siblings[0] : siblings[siblings.indexOf(after) + 1];
  if (next === undefined || (after !== null && !siblings.includes(after))) {
    return { placement: 'beforeend', anchor: parent };
  }
  return { placement: 'beforebegin', anchor: next };
}

/** The move endpoint's target for "under `parent`, right after `after`". */
export function moveTarget(
  mirror: RemoteMirror,
  id: string,
  parent: string | null,
  after: string | null,
  rootId: string | null,
): { taskId: string; position: Placement } {
  if (after !== null) return { taskId: after, position: 'afterend' };
  if (parent !== null) return { taskId: parent, position: 'afterbegin' };
  const first = mirror.siblings(null).find((s) => s !== id);
  if (first !== undefined) return { taskId: first, position: 'beforebegin' };
  if (rootId !== null) return { taskId: rootId, position: 'afterbegin' };
  throw new SyncError(
    'INTERNAL',
    `cannot address the top of the project to move ${id}: it has no other top-level task and no root node`,
  );
}
