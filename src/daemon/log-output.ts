import type { Writable } from 'node:stream';
import type { LogEvent, Logger } from '../engine/types.js';

export interface LogOutputOptions {
  out: Writable;
  /** One JSON object per line (for machines) instead of the readable form. */
  json: boolean;
  /** Also print `debug` events (polls, echoes, passes). */
  verbose: boolean;
  now?: () => number;
}

function clockTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The readable form: `12:03:04 notes/roadmap.md:12 <message>`. The file and line lead so the
 * user can jump to the change; warnings and errors say so before the message.
 */
export function formatHuman(e: LogEvent, at: number): string {
  const where = e.file === undefined ? '' : e.line === undefined ? `${e.file} ` : `${e.file}:${e.line} `;
  const level = e.level === 'warn' ? 'warning: ' : e.level === 'error' ? 'error: ' : '';
  const task = e.taskId !== undefined && !e.message.includes(e.taskId) ? ` [task ${e.taskId}]` : '';
  return `${clockTime(at)} ${where}${level}${e.message}${task}`;
}

/** The machine form: one object per line, stable keys, ISO time first. */
export function formatJson(e: LogEvent, at: number): string {
  return JSON.stringify({ time: new Date(at).toISOString(), ...e });
}

/** A Logger that prints to a stream; the daemon and the demo use it. */
export function streamLogger(o: LogOutputOptions): Logger {
  const now = o.now ?? Date.now;
  return {
    event(e) {
      if (e.level === 'debug' && !o.verbose) return;
      o.out.write((o.json ? formatJson(e, now()) : formatHuman(e, now())) + '\n');
    },
  };
}
