import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('taskade-sync demo', () => {
  it('--once runs the scripted loop: both edits arrive, then it exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-demo-'));
    const work = join(dir, 'vault');
    const r = await runCli(['demo', '--once', '--dir', work]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Both directions work.');
    const roadmap = readFileSync(join(work, 'Roadmap.md'), 'utf8');
    expect(roadmap).toMatch(/- \[x\] Write the migration guide \^tk-/); // the remote edit
    expect(roadmap).toContain('Pricing page and FAQ'); // the local edit, kept
    expect(roadmap).toContain('| Milestone | Owner |'); // local-only content untouched
    expect(readFileSync(join(work, 'Team inbox.md'), 'utf8')).toContain('Compare two venues');
    expect(readFileSync(join(work, 'Home.md'), 'utf8')).not.toContain('^tk-'); // not linked, never synced
    expect(JSON.parse(readFileSync(join(work, 'sync.config.json'), 'utf8'))).toMatchObject({
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/),
    });
  });

  it('refuses a working folder that is not empty (exit 2)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-demo-'));
    writeFileSync(join(dir, 'mine.md'), '# mine\n');
    const r = await runCli(['demo', '--once', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('is not empty');
  });

  it('rejects a bad port, quoting it', async () => {
    const r = await runCli(['demo', '--once', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`eighty` for `--port`');
  });
});
