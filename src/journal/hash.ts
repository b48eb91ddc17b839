import { createHash } from 'node:crypto';
import { normaliseAssignees, normaliseNote, type Due, type Field, type TaskValues } from '../model/task.js';

/**
 * Content hashes the journal keeps for change detection (STYLE rule 3: a change is "hash
 * differs", never "timestamp differs"). These values are persisted in state databases, so the
 * canonical forms below must never change; `test/journal/hash.test.ts` pins fixed vectors.
 */

/** The canonical JSON of a field value, in normal form, with a fixed key order for objects. */
function canonicalValue(field: Field, value: TaskValues[Field]): string {
  switch (field) {
    case 'text':
      return JSON.stringify(value as string);
    case 'completed':
      return JSON.stringify(value as boolean);
    case 'note':
      return JSON.stringify(normaliseNote(value as string | null));
    case 'due': {
      const due = value as Due | null;
      // Written out key by key so that key order in the caller's object cannot change the hash.
      return due === null ? 'null' : JSON.stringify([due.date, due.time ?? null, due.timezone ?? null]);
    }
    case 'assignees':
      return JSON.stringify(normaliseAssignees(value as string[]));
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 of the canonical JSON of the normalised value; the first 16 hex digits (64 bits). */
export function hashField<F extends Field>(field: F, value: TaskValues[F]): string {
  return sha256Hex(canonicalValue(field, value)).slice(0, 16);
}

/** sha256 of a file's text (UTF-8), full 64 hex digits: it guards file rewrites, so no shortening. */
export function hashContent(text: string): string {
  return sha256Hex(text);
}
