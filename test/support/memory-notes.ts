import type { NotesPort } from '../../src/engine/ports.js';
import { hashContent } from '../../src/journal/index.js';

/**
 * A notes folder in memory for engine decision tests, as strict as the disk adapter: a missing
 * file cannot be read or written, and a write happens only when the file still hashes to what the
 * plan was made from. `beforeWrite` stands for an editor saving just before the engine writes.
 */
export class MemoryNotes implements NotesPort {
  readonly files = new Map<string, string>();
  /** Files written by the engine, in order. */
  readonly written: string[] = [];
  beforeWrite: ((path: string) => void) | undefined;

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
  }

  list(): string[] {
    return [...this.files.keys()].sort();
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  read(path: string): string {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
    return text;
  }

  peek(path: string, bytes = 16_384): string {
    return (this.files.get(path) ?? '').slice(0, bytes);
  }

  writeIfUnchanged(path: string, text: string, expectedHash: string): boolean {
    this.beforeWrite?.(path);
    const current = this.files.get(path);
    if (current === undefined || hashContent(current) !== expectedHash) return false;
    this.files.set(path, text);
    this.written.push(path);
    return true;
  }
}
