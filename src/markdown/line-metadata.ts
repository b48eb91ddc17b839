import type { ConflictMarker } from '../model/local-change.js';
import { normaliseAssignees, type Due } from '../model/task.js';
import { CONFLICT_MARKER_PATTERN, conflictFromMatch, formatConflictMarker } from './conflict-marker.js';

/**
 * The metadata on an item's first line (DESIGN §2). The renderer writes
 *
 *     text [conflict markers] [@handles] [⏰ time zone] [obsidian-tasks fields] [📅 date] [^tk-id]
 *
 * obsidian-tasks reads its fields from the END of the line and stops at the first token it does not
 * know, so only its own fields (`⏫ 🔁 ✅ …`, `#tags`) may sit between `📅` and the end; the block
 * id is stripped first. Our time, handles and conflict markers therefore go before every
 * obsidian-tasks field. Obsidian-tasks fields other than `📅` are part of `text` and round-trip.
 *
 * The parser reads the trailing run of tokens the same way: from the end, our tokens are taken out,
 * obsidian-tasks tokens stay in the text, and the first other word ends the run.
 */
export interface LineMetadata {
  text: string;
  due: Due | null;
  assignees: string[];
  conflicts: ConflictMarker[];
  /** The short id from a trailing `^tk-…`, or `null`. */
  id: string | null;
  /** The user's own block id (`^abc` last on an item's line, without `^`), or `null`. */
  anchor: string | null;
  /** Things the line holds that could not be used, for diagnostics. */
  problems: string[];
}

const WS = '[ \\t]';
const DATE = '(\\d{4}-\\d{2}-\\d{2})';
const TIME = '(\\d{2}:\\d{2}(?::\\d{2})?)';
// IANA names hold a `/` (`Europe/Paris`, `Etc/GMT+5`); the few without are upper-case (`UTC`, `CET`).
const ZONE = '((?:[A-Za-z][A-Za-z0-9_+\\-]*(?:/[A-Za-z0-9_+\\-]+)+)|[A-Z][A-Z0-9+\\-]{1,6})';
const VS = '\\uFE0F?';

function tail(body: string): RegExp {
  return new RegExp(`(?:^|${WS}+)(?:${body})${WS}*$`, 'u');
}

const ID_RE = tail('\\^tk-([A-Za-z0-9]+)');
/** The user's own block id (`^abc`, the target of their embeds), last on an item's line. */
const ANCHOR_RE = tail('\\^(?!tk-)([A-Za-z0-9-]+)');
const CONFLICT_RE = tail(CONFLICT_MARKER_PATTERN);
const DUE_RE = tail(`📅${VS}${WS}*${DATE}`);
const TIME_RE = tail(`⏰${VS}${WS}*(?:${TIME}(?:${WS}+${ZONE})?|${ZONE})`);
const HANDLE_RE = tail('@([\\p{L}\\p{N}_][\\p{L}\\p{N}_.\\-]*)');

/** obsidian-tasks fields (and tags, and foreign block ids): kept verbatim in the text. */
const KEPT_RES: RegExp[] = [
  tail(`(?:🔺|⏫|🔼|🔽|⏬)${VS}`),
  tail(`🔁${VS}${WS}?[a-zA-Z0-9, !]+`),
  tail(`(?:➕|🛫|⏳|⌛|✅|❌|📆|🗓)${VS}${WS}*\\d{4}-\\d{2}-\\d{2}`),
  tail(`🆔${VS}${WS}*[a-zA-Z0-9\\-_]+`),
  tail(`⛔${VS}${WS}*[a-zA-Z0-9\\-_]+(?:${WS}*,${WS}*[a-zA-Z0-9\\-_]+)*`),
  tail(`🏁${VS}${WS}*[a-zA-Z]+`),
  tail('#[^\\s#]+'),
  tail('\\^(?!tk-)[A-Za-z0-9\\-]+'),
];

type Token =
  | { kind: 'due'; date: string }
  | { kind: 'time'; time: string | null; timezone: string | null }
  | { kind: 'handle'; handle: string }
  | { kind: 'conflict'; marker: ConflictMarker }
  | { kind: 'id'; id: string }
  | { kind: 'anchor'; anchor: string };

interface Classified {
  /** Offset where the token (with the white space before it) starts. */
  start: number;
  token: Token | null; // null = kept (an obsidian-tasks field)
}

/** The token at the end of `rest`, ours or kept; `null` when the end is plain text. */
/**
 * Which `@word`s are assignees: the engine passes the project's member handles; without it every
 * `@word` is (the renderer escapes any such last word, so what it writes reads back either way).
 */
export type IsAssignee = (handle: string) => boolean;
/** `@2026-12-01`, `@1.2.3`: a date or a number is never a handle. */
const NOT_A_HANDLE = /^\d[\d.-]*$/;

function classifyTail(rest: string, allowId: boolean, isAssignee?: IsAssignee, anchors = false): Classified | null {
  if (allowId) {
    const m = ID_RE.exec(rest);
    if (m) return { start: m.index, token: { kind: 'id', id: m[1] ?? '' } };
    const a = anchors ? ANCHOR_RE.exec(rest) : null;
    if (a) return { start: a.index, token: { kind: 'anchor', anchor: a[1] ?? '' } };
  }
  let m = CONFLICT_RE.exec(rest);
  if (m) {
    const marker = conflictFromMatch(m);
    if (marker) return { start: m.index, token: { kind: 'conflict', marker } };
  }
  m = DUE_RE.exec(rest);
  if (m && isCalendarDate(m[1] ?? '')) return { start: m.index, token: { kind: 'due', date: m[1] ?? '' } };
  m = TIME_RE.exec(rest);
  if (m && (m[1] === undefined || isClockTime(m[1]))) {
    return { start: m.index, token: { kind: 'time', time: m[1] ?? null, timezone: m[2] ?? m[3] ?? null } };
  }
  m = HANDLE_RE.exec(rest);
  if (m && !NOT_A_HANDLE.test(m[1] ?? '') && (isAssignee?.(m[1] ?? '') ?? true)) {
    return { start: m.index, token: { kind: 'handle', handle: m[1] ?? '' } };
  }
  for (const re of KEPT_RES) {
    m = re.exec(rest);
    if (m) return { start: m.index, token: null };
  }
  return null;
}

export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function isClockTime(time: string): boolean {
  const [h, m, s] = time.split(':').map(Number);
  return (h ?? 99) < 24 && (m ?? 99) < 60 && (s ?? 0) < 60;
}

/** Splits text into its plain lead, the white space after it and its trailing obsidian-tasks fields. */
function splitKeptTail(text: string): { lead: string; gap: string; kept: string } {
  let rest = text;
  for (let c = classifyTail(rest, false); c !== null && c.token === null; c = classifyTail(rest, false)) {
    rest = rest.slice(0, c.start);
  }
  const lead = rest.replace(/[ \t]+$/, '');
  return { lead, gap: rest.slice(lead.length), kept: text.slice(rest.length) };
}

/** Start offset of the last white-space separated word of `lead`. */
function lastWordStart(lead: string): number {
  const m = /[^ \t]*$/.exec(lead);
  return m ? m.index : lead.length;
}

/**
 * Text whose end would read as metadata (`Ping @bob`) is written with a backslash before its last
 * plain word (`Ping \@bob`), which markdown renders the same; a last word that already starts with
 * backslashes gets one more. The parser removes exactly one, so every text round-trips.
 */
function escapeText(text: string, anchors: boolean): string {
  // On an item's line a last `^abc` is the item's own block id: text ending so gets `\^abc`.
  const anchor = anchors ? ANCHOR_RE.exec(text) : null;
  if (anchor !== null) {
    const at = text.indexOf('^', anchor.index);
    return text.slice(0, at) + '\\' + text.slice(at);
  }
  const { lead, gap, kept } = splitKeptTail(text);
  if (lead.length === 0) return text;
  const at = lastWordStart(lead);
  const c = classifyTail(lead, true, undefined, anchors);
  // A last word of only `#` would read as a heading's closing sequence (`## Issue #`).
  const needs = lead[at] === '\\' || /^#+$/.test(lead.slice(at)) || (c !== null && c.token !== null);
  return needs ? lead.slice(0, at) + '\\' + lead.slice(at) + gap + kept : text;
}

function unescapeText(text: string): string {
  const { lead, gap, kept } = splitKeptTail(text);
  const at = lastWordStart(lead);
  return lead[at] === '\\' ? lead.slice(0, at) + lead.slice(at + 1) + gap + kept : text;
}

/** Our tokens in the trailing run of `content`, from the end backwards, each with the white space before it. */
function trailingTokens(
  content: string,
  isAssignee?: IsAssignee,
  anchors = false,
): Array<{ start: number; end: number; token: Token }> {
  let rest = content;
  const ours: Array<{ start: number; end: number; token: Token }> = [];
  let first = true;
  for (
    let c = classifyTail(rest, first, isAssignee, anchors);
    c !== null;
    c = classifyTail(rest, first, isAssignee, anchors)
  ) {
    if (c.token !== null) ours.push({ start: c.start, end: rest.length, token: c.token });
    rest = rest.slice(0, c.start);
    first = false;
  }
  return ours;
}

/**
 * `content` with its block id set to `^tk-<id>`, every other byte as written (escapes, the order of
 * obsidian-tasks fields, trailing white space): the id replaces the one there, else it is appended.
 */
export function withBlockId(content: string, id: string): string {
  const old = trailingTokens(content).find((o) => o.token.kind === 'id');
  if (old !== undefined) {
    const at = content.indexOf('^tk-', old.start);
    return content.slice(0, at) + content.slice(at).replace(/^\^tk-[A-Za-z0-9]+/, `^tk-${id}`);
  }
  return content + (content.length === 0 || /[ \t]$/.test(content) ? '' : ' ') + `^tk-${id}`;
}

/**
 * A `^tk-` id ending a continuation line (where Obsidian reads a multi-line paragraph's block id):
 * the line without it (and without the white space before it), or `null` when it ends otherwise.
 */
export function splitTrailingBlockId(line: string): { rest: string; id: string } | null {
  const m = NOTE_LINE_ID_RE.exec(line);
  return m === null ? null : { rest: line.slice(0, m.index), id: m[1] ?? '' };
}

/** `line` ending with ` ^tk-<id>` (exactly one space before it, so the line's own trailing white space comes back). */
export function withTrailingBlockId(line: string, id: string): string {
  const old = splitTrailingBlockId(line);
  return (old === null ? line : old.rest) + ` ^tk-${id}`;
}

// One space or tab before the id belongs to it; more is the line's own.
const NOTE_LINE_ID_RE = /(?:^|[ \t])\^tk-([A-Za-z0-9]+)[ \t]*$/u;

/**
 * `content` with its 📅 date replaced by `date` (time and zone unchanged), every other byte as
 * written; `null` when the line has no 📅 the parser reads, so the caller writes the line anew.
 */
export function withDueDate(content: string, date: string): string | null {
  const due = trailingTokens(content).find((o) => o.token.kind === 'due');
  if (due === undefined || due.token.kind !== 'due') return null;
  const at = content.indexOf(due.token.date, due.start);
  return content.slice(0, at) + date + content.slice(at + due.token.date.length);
}

/** `anchors`: a list item's line, where a last `^abc` is the user's block id (not text). */
export function parseLineMetadata(content: string, isAssignee?: IsAssignee, anchors = false): LineMetadata {
  const problems: string[] = [];
  const ours = trailingTokens(content, isAssignee, anchors);
  let anchor: string | null = null;
  let due: { date: string } | null = null;
  let time: { time: string | null; timezone: string | null } | null = null;
  let id: string | null = null;
  const handles: string[] = [];
  const conflicts: ConflictMarker[] = [];
  const removed: Array<{ start: number; end: number }> = [];
  // `ours` runs from the end of the line backwards: the first due/time found is the one
  // obsidian-tasks would read; a second one stays in the text.
  for (const o of ours) {
    const t = o.token;
    if (t.kind === 'due') {
      if (due) {
        problems.push(`a second 📅 date (${t.date}) is kept in the text`);
        continue;
      }
      due = t;
    } else if (t.kind === 'time') {
      if (time) {
        problems.push('a second ⏰ time is kept in the text');
        continue;
      }
      time = t;
    } else if (t.kind === 'handle') handles.push(t.handle);
    else if (t.kind === 'conflict') conflicts.unshift(t.marker);
    else if (t.kind === 'anchor') anchor = t.anchor;
    else id = t.id;
    removed.push(o);
  }
  if (time && !due) {
    problems.push('⏰ time without a 📅 date is kept in the text');
    const i = removed.findIndex((r) => ours.some((o) => o.start === r.start && o.token.kind === 'time'));
    if (i >= 0) removed.splice(i, 1);
    time = null;
  }
  let text = content;
  // Spans were collected from the end backwards, so removing them in that order keeps offsets valid.
  for (const r of removed) text = text.slice(0, r.start) + text.slice(r.end);
  for (const m of content.matchAll(/(?:^|[ \t])📅\uFE0F?[ \t]*(\d{4}-\d{2}-\d{2})/gu)) {
    if (!isCalendarDate(m[1] ?? '')) problems.push(`📅 ${m[1]} is not a calendar date; kept in the text`);
  }
  return {
    text: unescapeText(text.trim()),
    due: due ? { date: due.date, time: time?.time ?? null, timezone: time?.timezone ?? null } : null,
    assignees: normaliseAssignees(handles),
    conflicts,
    id,
    anchor,
    problems,
  };
}

export interface LineMetadataInput {
  text: string;
  due: Due | null;
  assignees: readonly string[];
  conflicts: readonly ConflictMarker[];
  id: string | null;
  /** A list item's own block id, written last (`undefined`: not an item's line, a last `^abc` is text). */
  anchor?: string | null;
}

export function formatLineMetadata(input: LineMetadataInput): string {
  const oneLine = input.text.replace(/\r\n|\r|\n/g, ' ').trim();
  const { lead, gap, kept } = splitKeptTail(escapeText(oneLine, input.anchor !== undefined));
  const ours: string[] = [];
  for (const c of input.conflicts) ours.push(formatConflictMarker(c));
  for (const h of input.assignees) ours.push('@' + (h.startsWith('@') ? h.slice(1) : h));
  if (input.due && (input.due.time !== null || input.due.timezone !== null)) {
    ours.push(['⏰', input.due.time, input.due.timezone].filter((p) => p !== null).join(' '));
  }
  // Our tokens go between the lead and the kept fields; the parser removes each with the white
  // space before it, so the text comes back as `lead + gap + kept`, spacing included.
  let out = lead;
  for (const token of ours) out += (out.length > 0 ? ' ' : '') + token;
  if (kept.length > 0) out += (lead.length > 0 ? gap : out.length > 0 ? ' ' : '') + kept;
  if (input.due) out += (out.length > 0 ? ' ' : '') + `📅 ${input.due.date}`;
  if (input.id !== null) out += (out.length > 0 ? ' ' : '') + `^tk-${input.id}`;
  if (input.anchor != null) out += (out.length > 0 ? ' ' : '') + `^${input.anchor}`;
  return out;
}
