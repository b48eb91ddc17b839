import { createHash } from 'node:crypto';
import type { FileReport, LogEvent, SyncReport, SyncRequest } from '../../../src/engine/types.js';
import type { DaemonEdges } from '../../../src/daemon/daemon.js';
import type { RawEventKind } from '../../../src/daemon/coalesce.js';
import type { TaskList } from '../../../src/taskade/client.js';
import type { RequestCounter } from '../../../src/engine/request-counter.js';
import type { TaskDetails } from '../../../src/engine/remote-view.js';

export type FakeTask = { id: string; text: string; parentId: string | null; completed: boolean };

/**
 * In-memory edges for the daemon: files, a remote with task lists, a lock that fails the test
 * if two holders overlap, and an engine pass that records what it was asked and answers with a
 * scripted report. Every list read and every engine request counts as one request sent.
 */
export class FakeEdges implements DaemonEdges {
  files = new Map<string, string>();
  remote = new Map<string, FakeTask[]>();
  syncCalls: SyncRequest[] = [];
  listCalls: string[] = [];
  sent = 0;
  lockHeld = false;
  lockCount = 0;
  /** What the next passes answer (shifted per pass); default: every file unchanged. */
  script: Array<(r: SyncRequest) => Promise<SyncReport> | SyncReport> = [];
  listFailure: Error | null = null;
  emit: (kind: RawEventKind, path: string) => void = () => {
    throw new Error('watch() was not called');
  };
  watcherClosed = false;

  async sync(request: SyncRequest): Promise<SyncReport> {
    this.syncCalls.push(request);
    const step = this.script.shift();
    if (step !== undefined) return step(request);
    return report((request.files ?? []).map((path) => fileReport(path)));
  }

  /** Notes, dates and assignees per project and task (default: none of them set). */
  details = new Map<string, Map<string, TaskDetails>>();
  detailCalls: Array<[string, string]> = [];

  async readTaskDetails(projectId: string, taskId: string, counter: RequestCounter): Promise<TaskDetails> {
    this.detailCalls.push([projectId, taskId]);
    this.sent += 3;
    return counter.read(
      async () => this.details.get(projectId)?.get(taskId) ?? { note: null, due: null, assignees: [] },
      3,
    );
  }

  async listTasks(projectId: string): Promise<TaskList> {
    this.listCalls.push(projectId);
    this.sent += 1;
    if (this.listFailure !== null) throw this.listFailure;
    return { rootId: null, tasks: [...(this.remote.get(projectId) ?? [])], pages: 1 };
  }

  requestsSent(): number {
    return this.sent;
  }

  async lock(): Promise<{ release(): void }> {
    if (this.lockHeld) throw new Error('the lock was taken twice at once');
    this.lockHeld = true;
    this.lockCount += 1;
    return { release: () => (this.lockHeld = false) };
  }

  async watch(onEvent: (kind: RawEventKind, relPath: string) => void) {
    this.emit = onEvent;
    return { close: async () => void (this.watcherClosed = true) };
  }

  async readFile(relPath: string): Promise<string | null> {
    return this.files.get(relPath) ?? null;
  }

  fileExists(relPath: string): boolean {
    return this.files.has(relPath);
  }

  hashContent(text: string): string {
    return createHash('sha256').update(text).digest('hex');
  }

  projectOf(_relPath: string, content: string): string | null {
    return /project: (\S+)/.exec(content)?.[1] ?? null;
  }
}

export function fileReport(path: string, over: Partial<FileReport> = {}): FileReport {
  return {
    path,
    projectId: null,
    outcome: 'unchanged',
    remoteOps: 0,
    localChanges: 0,
    conflicts: [],
    diagnostics: [],
    ...over,
  };
}

export function report(files: FileReport[], over: Partial<SyncReport> = {}): SyncReport {
  return { files, requests: { reads: 0, writes: 0 }, outcome: 'ok', exitCode: 0, dryRun: false, ...over };
}

export function recorder(): { events: LogEvent[]; event(e: LogEvent): void } {
  const events: LogEvent[] = [];
  return { events, event: (e) => events.push(e) };
}
