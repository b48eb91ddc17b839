import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/daemon/demo.js';
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

describe('the demo’s “try it” hints', () => {
  it('work as printed from another folder of another shell (no published package, no PATH entry)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskade-demo-'));
    const work = join(dir, "my 'vault'"); // a space and a quote: the hints must quote the path
    const out = new PassThrough();
    let text = '';
    const stop = new AbortController();
    const hinted = new Promise<void>((resolve) => {
      out.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        if (text.includes('Press Ctrl-C to stop.')) resolve();
      });
    });
    const demo = runDemo({ out, dir: work, once: false, signal: stop.signal });
    try {
      await Promise.race([hinted, demo.then(() => Promise.reject(new Error(`demo ended early:\n${text}`)))]);
      const lines = text.split('\n');
      // Asynchronous: the simulator answering curl runs in this very process.
      const shell = (cmd: string) =>
        new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            '/bin/sh',
            ['-c', cmd],
            { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } },
            (e, stdout, stderr) =>
              resolve({ status: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, stdout, stderr }),
          );
        });

      const statusLine = lines.find((l) => l.includes('in another terminal:')) ?? '';
      const status = await shell(statusLine.replace(/^.*in another terminal: /, ''));
      expect(status.stderr).toBe('');
      expect(status.status).toBe(0);
      expect(status.stdout).toContain('Roadmap.md');

      const get = lines.find((l) => l.trim().startsWith('curl -s -H')) ?? '';
      const listed = JSON.parse((await shell(get.trim())).stdout) as { items: { text: string }[] };
      expect(listed.items.map((t) => t.text)).toContain('Pricing page and FAQ');

      const putAt = lines.findIndex((l) => l.trim().startsWith('curl -s -X PUT'));
      const put = await shell(`${lines[putAt]}\n${lines[putAt + 1]}`);
      expect(JSON.parse(put.stdout)).toMatchObject({ ok: true });

      const url = /open (\S+) in a browser/.exec(text)?.[1] ?? '';
      const page = await (await fetch(url)).text();
      expect(page).toContain('Renamed in Taskade'); // the PUT above, on the simulator's page
    } finally {
      stop.abort();
      await demo.catch(() => undefined);
    }
  });
});
