import { randomInt, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** Project ids: "an alphanumeric string that is 16 characters long" (spec, Project.id). */
export const newProjectId = (): string => alnum(16);

/** Workspace ids: the 16-character form of the spec's workspace/folder id description. */
export const newWorkspaceId = (): string => alnum(16);

/** Folder ids: the 9-character form ("may include underscores or hyphens"); we use alphanumerics. */
export const newFolderId = (): string => alnum(9);

/** Task ids: UUID v4, as in every real-looking sample (clients must still treat them as opaque). */
export const newTaskId = (): string => randomUUID();
