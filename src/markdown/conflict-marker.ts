import type { ConflictMarker } from '../model/local-change.js';
import { FIELDS, type Field } from '../model/task.js';

/**
 * A conflict kept visible beside its task: `%%conflict <field>: <JSON value>%%`.
 *
 * `%%…%%` is an Obsidian comment: shown in the editor, hidden in reading view. The value is JSON,
 * so any field value (a note with line breaks, a due object, an assignee list) round-trips; `%`
 * inside the JSON is written `\u0025`, so a marker never contains `%` and always ends at the first
 * `%%` after its start.
 */
const MARKER_BODY = String.raw`%%conflict ([a-z]+): ([^%]*)%%`;

export const CONFLICT_MARKER_PATTERN = MARKER_BODY;

export function formatConflictMarker(marker: ConflictMarker): string {
  const json = JSON.stringify(marker.value).replace(/%/g, '\\u0025');
  return `%%conflict ${marker.field}: ${json}%%`;
}

/** The marker for a `field` and raw JSON text, or `null` when either is not a valid conflict value. */
export function readConflictMarker(field: string, json: string): ConflictMarker | null {
  if (!(FIELDS as readonly string[]).includes(field)) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return isFieldValue(field as Field, value) ? ({ field, value } as ConflictMarker) : null;
}

function isFieldValue(field: Field, value: unknown): boolean {
  switch (field) {
    case 'text':
      return typeof value === 'string';
    case 'completed':
      return typeof value === 'boolean';
    case 'note':
      return value === null || typeof value === 'string';
    case 'assignees':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'due': {
      if (value === null) return true;
      if (typeof value !== 'object') return false;
      const d = value as Record<string, unknown>;
      return (
        typeof d.date === 'string' &&
        (d.time === null || typeof d.time === 'string') &&
        (d.timezone === null || typeof d.timezone === 'string') &&
        Object.keys(d).length === 3
      );
    }
  }
}
