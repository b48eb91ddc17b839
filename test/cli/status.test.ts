import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { announceDaemon } from '../../src/daemon/presence.js';
import type { StatusReport } from '../../src/daemon/status.js';
import { hashContent, Journal } from '../../src/journal/index.js';
import { runCli } from '../support/cli.js';

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** A folder with two linked files: one as last synced, one edited since. */
function folder(): { dir: string; journal: Journal } {
  dir = mkdtempSync(join(tmpdir(), 'taskade-status-'));
  writeFileSync(join(dir, 'sync.config.json'), JSON.stringify({ requestsPerMinute: 60 }));
  const journal = Journal.open(join(dir, '.taskade-sync', 'state.db'));
  const synced = '---\ntaskade:\n  project: PROJ1\n---\n- [ ] a ^tk-1\n';
  writeFileSync(join(dir, 'a.md'), synced);
  journal.upsertLink({ path: 'a.md', projectId: 'PROJ1', fileHash: hashContent(synced), at: Date.now() - 60_000 });
  writeFileSync(join(dir, 'b.md'), '---\ntaskade:\n  project: PROJ2\n---\n- [ ] b, edited\n');
  journal.upsertLink({
    path: 'b.md',
    projectId: 'PROJ2',
    fileHash: hashContent('before the edit'),
    at: Date.now() - 60_000,
  });
  journal.putPollState('PROJ1', {
    listHash: 'x',
    lastPolledAt: Date.now() - 5000,
    lastChangedAt: Date.now() - 5000,
    intervalMs: 20_000,
    rotationCursor: null,
  });
  const run = journal.startRun({ kind: 'sync', at: Date.now() - 30_000 });
  journal.finishRun(run, { at: Date.now() - 29_000, outcome: 'ok', counts: { reads: 4, writes: 2 } });
  const old = journal.startRun({ kind: 'sync', at: Date.now() - 2 * 3_600_000 });
  journal.finishRun(old, { at: Date.now() - 2 * 3_600_000, outcome: 'ok', counts: { reads: 100, writes: 100 } });
  return { dir, journal };
}

describe('taskade-sync status', () => {
  it('lists links with their state, pending local changes, budget of the last hour, and no daemon', async () => {
    const f = folder();
    f.journal.close();
    const r = await runCli(['status', '--json'], { cwd: f.dir });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as StatusReport;
    expect(s.files.map((x) => [x.path, x.projectId, x.state])).toEqual([
      ['a.md', 'PROJ1', 'in-sync'],
      ['b.md', 'PROJ2', 'changed'],
    ]);
    expect(s.files[0]?.poll?.intervalMs).toBe(20_000);
    expect(s.pendingLocal).toBe(1);
    expect(s.pendingRemote).toBeNull();
    expect(s.budget).toEqual({ requestsPerMinute: 60, lastHour: { reads: 4, writes: 2, total: 6 }, perHour: 3600 });
    expect(s.daemon).toBeNull();
    expect(s.runs).toHaveLength(2);
  });

  it('says a daemon runs, and reads as text', async () => {
    const f = folder();
    f.journal.close();
    const presence = announceDaemon(join(f.dir, '.taskade-sync'), Date.now());
    try {
      const r = await runCli(['status'], { cwd: f.dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`daemon      running (pid ${process.pid}`);
      expect(r.stdout).toContain('b.md ⇄ PROJ2: changed locally');
      expect(r.stdout).toContain('1 local change;');
      expect(r.stdout).toContain('6 requests in the last hour');
    } finally {
      presence.withdraw();
    }
  });

  it('exits 3 and shows both values while a conflict is pending', async () => {
    const f = folder();
    f.journal.putConflict({
      projectId: 'PROJ1',
      taskId: 'T1',
      field: 'text',
      base: 'a',
      local: 'a (mine)',
      remote: 'a (theirs)',
      winner: 'remote',
      at: Date.now(),
    });
    f.journal.close();
    const r = await runCli(['status'], { cwd: f.dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('a.md task T1 text: local "a (mine)" / remote "a (theirs)" (remote kept)');
  });

  it('does not create a state dir in a folder that was never synced', async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-status-'));
    writeFileSync(join(dir, 'sync.config.json'), '{}');
    const r = await runCli(['status', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as StatusReport).files).toEqual([]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, '.taskade-sync'))).toBe(false);
  });
});
