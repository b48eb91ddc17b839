import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/index.js';
import { sleep, Vault, waitFor } from './support/vault.js';

let vault: Vault | null = null;
afterEach(async () => {
  await vault?.close();
  vault = null;
});

const FILE = 'notes/roadmap.md';

describe('watch with conflictWinner "local"', () => {
  it('a save while Taskade holds another edit pushes the local value, keeps the other in the journal first, and writes its marker once the file is quiet', async () => {
    const v = (vault = await Vault.create({ config: { conflictWinner: 'local', watch: { quietMs: 1500 } } }));
    const projectId = v.link(FILE, 'Roadmap', [{ text: 'Ship the importer' }, { text: 'Write docs' }]);
    await v.startDaemon();
    const daemon = v.session!.daemon;
    await waitFor(() => v.read(FILE).includes('Write docs ^tk-'), 'the start-up pass to pull the project');
    await sleep(300);
    await daemon.whenIdle();

    const task = (await v.remoteTasks(projectId)).find((t) => t.text === 'Write docs')!;
    await v.remoteUpdateText(projectId, task.id, 'Write docs (colleague)');
    v.write(FILE, v.read(FILE).replace('Write docs ^tk-', 'Write docs (mine) ^tk-'));
    await waitFor(
      async () => (await v.remoteTasks(projectId)).some((t) => t.text === 'Write docs (mine)'),
      'the local value on Taskade',
    );
    // The colleague's value is kept before it is overwritten, whether or not the file could be written.
    const journal = Journal.open(v.config.journalPath);
    try {
      expect(journal.listConflicts(projectId)).toMatchObject([
        {
          taskId: task.id,
          field: 'text',
          local: 'Write docs (mine)',
          remote: 'Write docs (colleague)',
          winner: 'local',
        },
      ]);
    } finally {
      journal.close();
    }
    await waitFor(
      () => v.read(FILE).includes('==⚠ conflict text: "Write docs (colleague)"=='),
      'the marker beside the task once the file is quiet',
      10_000,
    );
    await sleep(300);
    await daemon.whenIdle();
    expect(v.read(FILE)).toMatch(/- \[ \] Write docs \(mine\) ==⚠ conflict text: "Write docs \(colleague\)"== \^tk-/);
    expect((await v.remoteTasks(projectId)).map((t) => t.text)).toEqual(['Ship the importer', 'Write docs (mine)']);
    expect(v.logs.some((e) => e.type === 'conflict' && e.file === FILE)).toBe(true);
  });
});
