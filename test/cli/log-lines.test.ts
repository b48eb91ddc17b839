import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHuman, streamLogger } from '../../src/daemon/log-output.js';
import { TaskadeClient } from '../../src/taskade/index.js';
import { linkedFile, startCliWorld, type CliWorld } from './cli-world.js';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function withClient<T>(world: CliWorld, fn: (c: TaskadeClient) => Promise<T>): Promise<T> {
  const client = new TaskadeClient({ baseUrl: world.sim.baseUrl, token: world.sim.token });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

describe('sync log lines', () => {
  it('say which way each change went and name the task by its text', async () => {
    w = await startCliWorld();
    const { projectId, taskIds } = w.sim.seedProject({
      name: 'P',
      tasks: [{ text: 'Write the draft' }, { text: 'Review it' }, { text: 'Old name' }],
    });
    w.write('p.md', linkedFile(projectId, []));
    const first = await w.run('sync');
    expect(first.stdout).toMatch(/^p\.md {2}← Taskade {2}added “Write the draft”/m);
    // One change each way: completed in the file, renamed in Taskade.
    w.write('p.md', w.read('p.md').replace('- [ ] Write the draft', '- [x] Write the draft'));
    await withClient(w, (c) => c.updateTaskText(projectId, taskIds[2]!, 'New name'));
    const r = await w.run('sync');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`→ Taskade  “Write the draft”: completed  (${taskIds[0]})`);
    expect(r.stdout).toMatch(/^p\.md:\d+ {2}← Taskade {2}“Old name”: updated text$/m);
  });

  it('a long task text is shortened to 60 characters in the line', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [] });
    const long = 'A task whose text runs on and on, well past what fits on one line of a log';
    w.write('p.md', linkedFile(projectId, [`- [ ] ${long}`]));
    const r = await w.run('sync');
    expect(r.stdout).toContain(`→ Taskade  created “${long.slice(0, 59)}…”`);
    expect(r.stdout).not.toContain(long);
  });

  it('a deleted task is named by the text it had', async () => {
    w = await startCliWorld();
    const { projectId } = w.sim.seedProject({ name: 'P', tasks: [] });
    w.write('p.md', linkedFile(projectId, ['- [ ] Keep', '- [ ] Drop me']));
    expect((await w.run('sync')).code).toBe(0);
    w.write('p.md', w.read('p.md').replace(/- \[ \] Drop me.*\n/, ''));
    const r = await w.run('sync');
    expect(r.stdout).toContain('→ Taskade  “Drop me”: deleted (with its subtree)');
  });
});

describe('daemon log lines', () => {
  it('carry the date and time, and go to stderr when they are warnings or errors', () => {
    const at = new Date(2026, 11, 2, 9, 5, 7).getTime();
    const line = formatHuman(
      {
        level: 'info',
        type: 'remote-update',
        file: 'p.md',
        line: 4,
        taskId: 't1',
        message: 'completed',
        data: { direction: 'to-taskade', text: 'Draft' },
      },
      at,
    );
    expect(line).toBe('2026-12-02 09:05:07 p.md:4 → Taskade  “Draft”: completed [task t1]');
    const out = new PassThrough();
    const err = new PassThrough();
    const logger = streamLogger({ out, err, json: false, verbose: false, now: () => at });
    logger.event({ level: 'info', type: 'local-write', message: 'added “X”', data: { direction: 'from-taskade' } });
    logger.event({ level: 'warn', type: 'conflict', message: 'conflict on text' });
    expect(String(out.read())).toBe('2026-12-02 09:05:07 ← Taskade  added “X”\n');
    expect(String(err.read())).toBe('2026-12-02 09:05:07 warning: conflict on text\n');
  });
});
