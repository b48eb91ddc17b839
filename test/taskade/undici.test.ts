import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { Agent, loadedByPath, request } from '../../src/taskade/undici.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('the pieces of undici the client loads', () => {
  it('are loaded by path from the pinned undici, and the Agent is the entry point’s own', () => {
    expect(loadedByPath).toBe(true);
    expect(Agent).toBe(undici.Agent);
    expect(new Agent()).toBeInstanceOf(undici.Dispatcher);
  });

  it('send method, path with query, headers and body to the URL’s origin, and read the answer', async () => {
    const seen: { method?: string; url?: string; header?: string; body: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, header: req.headers['x-probe'] as string, body });
        res.writeHead(201, { 'content-type': 'application/json', 'x-answer': 'yes' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent();
    try {
      const url = new URL(`http://127.0.0.1:${port}/api/v1/projects/p1/tasks?after=t9&limit=2`);
      const response = await request(agent, url, {
        method: 'POST',
        headers: { 'x-probe': 'one', 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers['x-answer']).toBe('yes');
      expect(await response.body.json()).toEqual({ ok: true });
      expect(seen).toEqual([
        { method: 'POST', url: '/api/v1/projects/p1/tasks?after=t9&limit=2', header: 'one', body: '{"a":1}' },
      ]);

      const plain = await request(agent, new URL(`http://127.0.0.1:${port}/plain`), { method: 'GET' });
      await plain.body.text();
      expect(seen[1]).toMatchObject({ method: 'GET', url: '/plain' });
    } finally {
      await agent.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('loading the client does not load undici’s entry point, fetch, the mocks, the caches or the interceptors', () => {
    // A fresh process: what importing the Taskade client pulls in of undici, by file.
    const probe = [
      "import { createRequire } from 'node:module';",
      "await import('./src/taskade/index.ts');",
      'const require = createRequire(import.meta.url);',
      "const marker = '/node_modules/undici/';",
      'const files = Object.keys(require.cache).filter((k) => k.includes(marker)).map((k) => k.slice(k.indexOf(marker) + marker.length));',
      'console.log(JSON.stringify(files));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: repo,
      encoding: 'utf8',
    });
    const files = JSON.parse(out) as string[];
    expect(files).toContain('lib/dispatcher/agent.js');
    expect(files).toContain('lib/api/api-request.js');
    expect(files.filter((f) => f === 'index.js' || /^lib\/(web|mock|cache|interceptor)\//.test(f))).toEqual([]);
  });

  it('fall back to the entry point when a later undici closes its files off with an exports map', () => {
    // A copy of undici whose package.json exports only its entry point, beside a copy of the module.
    const dir = mkdtempSync(join(tmpdir(), 'tsync-undici-'));
    try {
      const real = join(repo, 'node_modules', 'undici');
      const pkg = join(dir, 'node_modules', 'undici');
      mkdirSync(pkg, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, exports: { '.': './index.js' } }));
      for (const entry of ['index.js', 'lib']) symlinkSync(join(real, entry), join(pkg, entry));
      copyFileSync(join(repo, 'src', 'taskade', 'undici.ts'), join(dir, 'undici.ts'));
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const probe = [
        "const m = await import('./undici.ts');",
        "const { Agent: EntryAgent } = await import('undici');",
        'const agent = new m.Agent();',
        'await agent.close();',
        'console.log(JSON.stringify({ byPath: m.loadedByPath, same: m.Agent === EntryAgent }));',
      ].join('\n');
      const tsx = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
      const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', probe], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual({ byPath: false, same: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
