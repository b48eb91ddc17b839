import type { ConflictMarker } from '../model/local-change.js';
import { FIELDS, type Due, type Field } from '../model/task.js';

/**
 * A conflict kept visible beside its task: `==⚠ conflict <field>: <value>==`.
 *
 * `==…==` is an Obsidian highlight: shown in the editor and in Reading view alike (the earlier
 * `%%…%%` is an Obsidian comment, hidden in Reading view). It sits on the task's first line after
 * the text and before obsidian-tasks' own fields, so obsidian-tasks still parses the task (the
 * marker is part of its description, like any other word).
 *
 * Values read as what they are:
 * - `text`, `note`: a JSON string (`"Old wording"`; line breaks as `\n`); a note that is empty: `none`;
 * - `completed`: `done` or `not done`;
 * - `due`: `2026-03-01`, `2026-03-01 09:30`, `2026-03-01 09:30 Europe/Paris`, or `none`;
 * - `assignees`: `@alice @bob`, or `none` (a JSON array when a handle holds other characters).
 * `=` inside a JSON value is written `\u003d`, so a marker never contains `=` and always ends at the
 * first `==` after its start.
 *
 * Markers written before this form, `%%conflict <field>: <JSON>%%`, are still read (and rewritten
 * in the new form when their line is next written).
 */
export const CONFLICT_MARKER_PATTERN =
  String.raw`==⚠\uFE0F?[ \t]?conflict ([a-z]+): ([^=\n]*)==` + '|' + String.raw`%%conflict ([a-z]+): ([^%]*)%%`;

const HANDLE = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;
const DUE = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}(?::\d{2})?))?(?: (\S+))?$/;

function json(value: unknown): string {
  return JSON.stringify(value).replace(/=/g, '\\u003d');
}

function formatValue(marker: ConflictMarker): string {
  const v = marker.value;
  switch (marker.field) {
    case 'text':
      return json(v);
    case 'note':
      return v === null || v === '' ? 'none' : json(v);
    case 'completed':
      return v === true ? 'done' : 'not done';
    case 'due': {
      if (v === null || v === undefined) return 'none';
      const d = v as Due;
      return [d.date, d.time, d.timezone].filter((p) => p !== null && p !== '').join(' ');
    }
    case 'assignees': {
      const list = (v ?? []) as string[];
      if (list.length === 0) return 'none';
      return list.every((h) => HANDLE.test(h)) ? list.map((h) => '@' + h).join(' ') : json(list);
    }
  }
}

export function formatConflictMarker(marker: ConflictMarker): string {
  return `==⚠ conflict ${marker.field}: ${formatValue(marker)}==`;
}

/**
 * The marker in a match of `CONFLICT_MARKER_PATTERN` (groups 1–2: the current form, 3–4: the
 * `%%` form), or `null` when its field or value is not a valid conflict.
 */
export function conflictFromMatch(m: RegExpExecArray): ConflictMarker | null {
  if (m[1] !== undefined) return readConflictMarker(m[1], m[2] ?? '');
  return readLegacyConflictMarker(m[3] ?? '', m[4] ?? '');
}

/** The marker for a `field` and its written value (current form), or `null` when either is not valid. */
export function readConflictMarker(field: string, raw: string): ConflictMarker | null {
  if (!(FIELDS as readonly string[]).includes(field)) return null;
  const text = raw.trim();
  let value: unknown;
  switch (field as Field) {
    case 'text':
      value = parseJson(text);
      break;
    case 'note':
      value = text === 'none' ? null : parseJson(text);
      break;
    case 'completed':
      value = text === 'done' ? true : text === 'not done' ? false : undefined;
      break;
    case 'due': {
      if (text === 'none') value = null;
      else {
        const d = DUE.exec(text);
        value = d === null ? undefined : { date: d[1], time: d[2] ?? null, timezone: d[3] ?? null };
      }
      break;
    }
    case 'assignees': {
      if (text === 'none') value = [];
      else if (text.startsWith('[')) value = parseJson(text);
      else {
        const words = text.split(/[ \t]+/);
        value = words.every((w) => w.startsWith('@') && HANDLE.test(w.slice(1)))
          ? words.map((w) => w.slice(1))
          : undefined;
      }
      break;
    }
  }
  return value !== undefined && isFieldValue(field as Field, value) ? ({ field, value } as ConflictMarker) : null;
}

/** A `%%conflict <field>: <JSON>%%` marker (the form before `==⚠ conflict …==`). */
export function readLegacyConflictMarker(field: string, raw: string): ConflictMarker | null {
  if (!(FIELDS as readonly string[]).includes(field)) return null;
  const value = parseJson(raw);
  return value !== undefined && isFieldValue(field as Field, value) ? ({ field, value } as ConflictMarker) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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
