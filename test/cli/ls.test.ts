import { afterEach, describe, expect, it } from 'vitest';
import { startCliWorld, type CliWorld } from './cli-world.js';

let world: CliWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

interface Listing {
  version: number;
  kind: string;
  items: Array<{ id: string; name: string; workspaceId?: string; folderId?: string }>;
}

describe('taskade-sync ls', () => {
  it('lists the workspaces, a workspace’s folders, and a folder’s projects with their ids', async () => {
    world = await startCliWorld();
    const ws = world.sim.workspace;
    const research = world.sim.addFolder('Research');
    const home = world.sim.seedProject({ name: 'Inbox' });
    const paper = world.sim.seedProject({ name: 'Paper', folderId: research.id });

    const workspaces = await world.run('ls');
    expect(workspaces.code).toBe(0);
    expect(workspaces.stdout).toMatch(new RegExp(`^${ws.id}\\s+${ws.name}$`, 'm'));

    const folders = JSON.parse((await world.run('ls', 'folders', ws.id, '--json')).stdout) as Listing;
    expect(folders.kind).toBe('folders');
    expect(folders.items).toContainEqual({ id: research.id, name: 'Research', workspaceId: ws.id });

    const inResearch = JSON.parse((await world.run('ls', 'projects', research.id, '--json')).stdout) as Listing;
    expect(inResearch.items).toEqual([
      { id: paper.projectId, name: 'Paper', workspaceId: ws.id, folderId: research.id },
    ]);

    const everywhere = await world.run('ls', 'projects');
    expect(everywhere.stdout).toContain(`${home.projectId}  Inbox`);
    expect(everywhere.stdout).toContain(`${paper.projectId}  Paper`);
  });

  it('names an unknown folder and the ones the token has (exit 2)', async () => {
    world = await startCliWorld();
    const r = await world.run('ls', 'projects', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`folder nope is not among the token's folders (${world.sim.workspace.id}`);
  });

  it('rejects an unknown kind with its usage (exit 2)', async () => {
    world = await startCliWorld();
    const r = await world.run('ls', 'tasks');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ls [workspaces|folders|projects] [ID]');
  });
});
