import type { Outline } from '../markdown/index.js';
import { flattenOutline } from '../markdown/index.js';
import type { TaskRecord } from '../model/task.js';
import { MEMBERS_PAGE } from '../taskade/client.js';
import type { FileRunContext } from './file-run.js';

/** A member list older than this is read again (when the file has `@word`s at all). */
export const MEMBERS_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Which trailing `@word`s of the file are assignees: the handles of the project's members (and
 * those the base already holds as assignees, which came from Taskade). The members are read
 * (`GET /projects/{id}/members`) only when the file has an `@word` that is neither a known
 * member nor a word known not to be one, or when the cached list is a day old; a file without
 * `@word`s reads nothing, and a no-op sync with the list cached reads nothing either.
 * Returns `null` when every `@word` of `outline` (read with every word as a handle) is known.
 */
export async function memberHandles(
  ctx: FileRunContext,
  projectId: string,
  outline: Outline,
  base: readonly TaskRecord[] | null,
): Promise<((handle: string) => boolean) | null> {
  const words = new Set<string>();
  for (const n of flattenOutline(outline)) for (const h of n.assignees) words.add(h);
  if (words.size === 0) return null;
  const { journal, client } = ctx.deps;
  const fromBase = new Set((base ?? []).flatMap((t) => t.assignees).map(fold));
  const cached = journal.getMembers(projectId);
  const now = ctx.now();
  const known = new Set([...(cached?.handles ?? []), ...(cached?.checked ?? [])].map(fold));
  // Handles the base holds as assignees came from Taskade: they need no read.
  const unknown = [...words].some((w) => !known.has(fold(w)) && !fromBase.has(fold(w)));
  const stale = unknown || (cached !== null && now - cached.fetchedAt >= MEMBERS_MAX_AGE_MS);
  let handles = new Set((cached?.handles ?? []).map(fold));
  if (stale) {
    const members = await client.listMembers(projectId, { signal: ctx.request.signal });
    ctx.counter.reads += Math.floor(members.length / MEMBERS_PAGE) + 1;
    handles = new Set(members.map((m) => fold(m.handle)));
    if (ctx.request.dryRun !== true) {
      journal.putMembers(projectId, {
        handles: members.map((m) => m.handle),
        checked: [...words].filter((w) => !handles.has(fold(w))),
        fetchedAt: now,
      });
    }
  }
  return (handle) => handles.has(fold(handle)) || fromBase.has(fold(handle));
}

/** Handles compare without case (`@Alice` is `alice`) and without a leading `@`. */
function fold(handle: string): string {
  return handle.replace(/^@/, '').toLowerCase();
}
