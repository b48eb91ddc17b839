import { afterEach, describe, expect, it } from 'vitest';
import { fileOutline, remoteOutline, startWorld, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w?.close();
});

describe('e2e: ids: "none" — no ids in the file, identity from the journal', () => {
  it('syncs both ways without ever writing a block id', async () => {
    w = await startWorld({ config: { ids: 'none' } });
    const { projectId, taskIds } = w.sim.seedProject({
      name: 'N',
      tasks: [{ text: 'Alpha', children: [{ text: 'Alpha child' }] }, { text: 'Beta' }],
    });
    w.write('n.md', `---\ntaskade:\n  project: ${projectId}\n---\n# N\n\n- [ ] Local only\n`);
    expect((await w.sync()).exitCode).toBe(0);
    expect(w.read('n.md')).not.toContain('^tk-');
    expect((await remoteOutline(w.client, projectId)).sort()).toEqual(
      ['  Alpha child', 'Alpha', 'Beta', 'Local only'].sort(),
    );

    // local: edit Beta's text, complete Alpha child, add an item; remote: rename Alpha
    let text = w.read('n.md');
    text =
      text.replace('Beta', 'Beta (edited)').replace('- [ ] Alpha child', '- [x] Alpha child') + '- [ ] Added later\n';
    w.write('n.md', text);
    await w.other.updateTaskText(projectId, taskIds[0]!, 'Alpha (remote)');
    w.sim.resetStats();
    const r = await w.sync();
    expect(r.exitCode).toBe(0);
    expect(w.sim.stats().requests['DELETE /projects/{projectId}/tasks/{taskId}'] ?? 0).toBe(0);
    expect(w.sim.stats().requests['POST /projects/{projectId}/tasks/']).toBe(1);
    const remote = await remoteOutline(w.client, projectId);
    expect(fileOutline(w.read('n.md'))).toEqual(remote);
    expect(remote).toEqual(
      expect.arrayContaining(['Alpha (remote)', '  [x] Alpha child', 'Beta (edited)', 'Added later']),
    );
    expect(w.read('n.md')).not.toContain('^tk-');

    w.sim.resetStats();
    await w.sync();
    expect(w.sim.stats().writes).toBe(0);
  });
});
