import type { Writable } from 'node:stream';
import type { LogEvent, Logger } from '../engine/types.js';

export interface LogOutputOptions {
  out: Writable;
  /** Where warnings and errors go. @default out */
  err?: Writable;
  /** One JSON object per line (for machines) instead of the readable form. */
  json: boolean;
  /** Also print `debug` events (polls, echoes, passes). */
  verbose: boolean;
  now?: () => number;
}

/** Local date and time to the second: a daemon's log spans days (journalctl adds its own, a log file does not). */
function dateTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Task text in a log line: one line, at most this many characters. */
export const TEXT_IN_LOG = 60;

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= TEXT_IN_LOG ? flat : `${flat.slice(0, TEXT_IN_LOG - 1)}…`;
}

/**
 * What an event says, for people: which way the change went (`→ Taskade`, `← Taskade`, from the
 * event's `data.direction`) and the task by its text (`data.text`, shortened; quoted texts in the
 * message are shortened the same way), e.g. `→ Taskade  “Write the draft”: completed`.
 */
export function eventText(e: LogEvent): string {
  const d = e.data ?? {};
  const arrow = d.direction === 'to-taskade' ? '→ Taskade  ' : d.direction === 'from-taskade' ? '← Taskade  ' : '';
  const message = e.message.replace(/“([^”]*)”/g, (_m, t: string) => `“${shorten(t)}”`);
  const text = typeof d.text === 'string' ? d.text : undefined;
  const named = text === undefined || e.message.includes(`“${text}”`) ? message : `“${shorten(text)}”: ${message}`;
  return `${arrow}${named}`;
}

/**
 * The readable form: `2026-12-02 12:03:04 notes/roadmap.md:12 → Taskade  “Draft”: completed`. The
 * file and line lead so the user can jump to the change; warnings and errors say so before the message.
 */
export function formatHuman(e: LogEvent, at: number): string {
  const where = e.file === undefined ? '' : e.line === undefined ? `${e.file} ` : `${e.file}:${e.line} `;
  const level = e.level === 'warn' ? 'warning: ' : e.level === 'error' ? 'error: ' : '';
  const task = e.taskId !== undefined && !e.message.includes(e.taskId) ? ` [task ${e.taskId}]` : '';
  return `${dateTime(at)} ${where}${level}${eventText(e)}${task}`;
}

/** The machine form: one object per line, stable keys, ISO time first. */
export function formatJson(e: LogEvent, at: number): string {
  return JSON.stringify({ time: new Date(at).toISOString(), ...e });
}

/** A Logger that prints to a stream (warnings and errors to `err`); the daemon uses it. */
export function streamLogger(o: LogOutputOptions): Logger {
  const now = o.now ?? Date.now;
  return {
    event(e) {
      if (e.level === 'debug' && !o.verbose) return;
      const stream = e.level === 'warn' || e.level === 'error' ? (o.err ?? o.out) : o.out;
      stream.write((o.json ? formatJson(e, now()) : formatHuman(e, now())) + '\n');
    },
  };
}
