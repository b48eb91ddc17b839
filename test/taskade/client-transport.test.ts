import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskadeClient } from '../../src/taskade/client.js';
import { TaskadeError } from '../../src/taskade/errors.js';
import { RequestQueue } from '../../src/taskade/request-queue.js';
import { startScriptedServer, type Reply, type ScriptedServer } from './scripted-server.js';

const TOKEN = 'tskdp_secret-token-never-printed';
let server: ScriptedServer | null = null;
let client: TaskadeClient | null = null;

async function clientFor(replies: Reply[], options: { timeoutMs?: number; requestsPerMinute?: number } = {}) {
  server = await startScriptedServer(replies);
  // Fast backoff: these tests count requests, they do not measure time.
  const queue = new RequestQueue({
    baseBackoffMs: 5,
    maxBackoffMs: 20,
    maxRetries: 3,
    ...(options.requestsPerMinute === undefined ? {} : { requestsPerMinute: options.requestsPerMinute }),
  });
  client = new TaskadeClient({ baseUrl: server.baseUrl, token: TOKEN, queue, timeoutMs: options.timeoutMs ?? 5_000 });
  return { server, client, queue };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = null;
  server = null;
});

async function failure(promise: Promise<unknown>): Promise<TaskadeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskadeError);
  return error as TaskadeError;
}

const createOne = [{ contentType: 'text/markdown' as const, content: 'Ship it', placement: 'beforeend' as const }];

describe('TaskadeClient over the wire', () => {
  it('sends a create exactly once when its connection drops, and says it may have been applied', async () => {
    const { server, client } = await clientFor(['drop']);
    const error = await failure(client.createTasks('p1', createOne));
    expect(error).toMatchObject({
      code: 'NETWORK',
      maybeApplied: true,
      method: 'POST',
      route: '/projects/{projectId}/tasks/',
    });
    expect(server.received).toHaveLength(1);
  });

  it('re-sends a GET after a dropped connection and returns the second answer', async () => {
    const { server, client } = await clientFor([
      'drop',
      { status: 200, body: { ok: true, items: [{ id: 'w1', name: 'Home' }] } },
    ]);
    await expect(client.listWorkspaces()).resolves.toEqual([{ id: 'w1', name: 'Home' }]);
    expect(server.received).toHaveLength(2);
  });

  it('times out a request whose answer never comes, and retries it when idempotent', async () => {
    const { server, client } = await clientFor(
      ['hang', { status: 200, body: { ok: true, item: { type: 'text/markdown', value: 'n' } } }],
      {
        timeoutMs: 300,
      },
    );
    await expect(client.getNote('p1', 't1')).resolves.toBe('n');
    expect(server.received).toHaveLength(2);
  });

  it('reports TIMEOUT for a create that got no answer, without re-sending it', async () => {
    const { server, client } = await clientFor(['hang'], { timeoutMs: 300 });
    expect(await failure(client.createTasks('p1', createOne))).toMatchObject({ code: 'TIMEOUT', maybeApplied: true });
    expect(server.received).toHaveLength(1);
  });

  it('treats {ok:false} in a 200 as the error it names, without retrying', async () => {
    const { server, client } = await clientFor([
      {
        status: 200,
        body: { ok: false, code: 'NOT_FOUND', message: 'Document not found', statusMessage: 'Not Found' },
      },
    ]);
    const error = await failure(client.getProject('missing'));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      status: 200,
      serverCode: 'NOT_FOUND',
      serverMessage: 'Document not found',
    });
    expect(server.received).toHaveLength(1);
  });

  it('maps 401 to AUTH, sends it once, and never puts the token in the message', async () => {
    const { server, client } = await clientFor([
      {
        status: 401,
        body: { ok: false, code: 'UNAUTHORIZED', message: 'Unauthorized', statusMessage: 'Unauthorized' },
      },
    ]);
    const error = await failure(client.listWorkspaces());
    expect(error).toMatchObject({ code: 'AUTH', status: 401, serverCode: 'UNAUTHORIZED' });
    expect(error.message).toContain('GET /workspaces');
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('retries a 502 HTML page for a GET and reads the JSON that follows', async () => {
    const { server, client } = await clientFor([
      { status: 502, raw: '<html>Bad gateway</html>' },
      { status: 200, body: { ok: true, item: { id: 'p1', name: 'Roadmap' } } },
    ]);
    await expect(client.getProject('p1')).resolves.toEqual({ id: 'p1', name: 'Roadmap' });
    expect(server.received).toHaveLength(2);
  });

  it('waits out a 429 with an HTTP-date Retry-After, then succeeds', async () => {
    const soon = new Date(Date.now() + 1_000).toUTCString();
    const { server, client, queue } = await clientFor([
      {
        status: 429,
        headers: { 'retry-after': soon },
        body: { ok: false, code: 'TOO_MANY_REQUESTS', message: 'Slow down', statusMessage: 'Too Many Requests' },
      },
      { status: 200, body: { ok: true, items: [] } },
    ]);
    await expect(client.listFolders('w1')).resolves.toEqual([]);
    expect(server.received).toHaveLength(2);
    expect(queue.stats()).toMatchObject({ sent: 2, retried: 1, rateLimited: 1 });
  });

  it('pauses the queue until X-RateLimit-Reset when X-RateLimit-Remaining reaches 0', async () => {
    const { client, queue } = await clientFor([
      {
        status: 200,
        headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' },
        body: { ok: true, items: [] },
      },
    ]);
    await client.listWorkspaces();
    expect(queue.stats().pausedMs).toBe(1_000);
  });

  it('sends complete without a body (the spec declares none) and reads ids from a partial create answer', async () => {
    const { server, client } = await clientFor([
      { status: 200, body: { ok: true, item: null } },
      { status: 200, body: { ok: true, item: [{ id: 'new-1' }] } },
    ]);
    await client.setCompleted('p1', 't1', true);
    await expect(client.createTasks('p1', createOne)).resolves.toEqual([{ id: 'new-1' }]);
    expect(server.received.map((r) => [r.method, r.url, r.body, r.headers['content-type']])).toEqual([
      ['POST', '/api/v1/projects/p1/tasks/t1/complete', '', undefined],
      ['POST', '/api/v1/projects/p1/tasks/', JSON.stringify({ tasks: createOne }), 'application/json'],
    ]);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const { server, client } = await clientFor(['hang']);
    const controller = new AbortController();
    const pending = client.getTask('p1', 't1', { signal: controller.signal });
    while (server.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.received).toHaveLength(1);
  });

  it('leaves nothing on a long-lived caller signal once its requests are answered', async () => {
    // The daemon passes one signal (its detail reader's) to thousands of requests: each must let
    // go of it when answered. AbortSignal.any did not on Node 20 (a WeakRef per call, kept forever
    // in the source's set of dependants), which grew the daemon by about 180 bytes a request.
    const note = { status: 200, body: { ok: true, item: { type: 'text/markdown', value: 'n' } } } as const;
    const { server, client } = await clientFor(
      Array.from({ length: 30 }, () => note),
      { requestsPerMinute: 100_000 },
    );
    const controller = new AbortController();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.getNote('p1', `t${i}`, { signal: controller.signal })),
    );
    expect(server.received).toHaveLength(30);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const dependants = Object.getOwnPropertySymbols(controller.signal).find(
      (s) => s.description === 'kDependantSignals',
    );
    const held =
      dependants === undefined ? undefined : (controller.signal as unknown as Record<symbol, unknown>)[dependants];
    expect(held === undefined || (held as Set<unknown>).size === 0).toBe(true);
  });

  it('refuses a request the spec forbids before sending it', async () => {
    const { server, client } = await clientFor([{ status: 200 }]);
    expect(await failure(client.updateTaskText('p1', 't1', 'two\nlines'))).toMatchObject({
      code: 'VALIDATION',
      status: null,
    });
    expect(await failure(client.updateTaskText('p1', 't1', 'x'.repeat(2001)))).toMatchObject({ code: 'VALIDATION' });
    expect(await failure(client.putNote('p1', 't1', ''))).toMatchObject({ code: 'VALIDATION' });
    expect(
      await failure(
        client.createTasks(
          'p1',
          Array.from({ length: 21 }, () => createOne[0]!),
        ),
      ),
    ).toMatchObject({ code: 'VALIDATION' });
    expect(
      await failure(
        client.createTasks('p1', [{ contentType: 'text/markdown', content: 'x', placement: 'afterend' } as never]),
      ),
    ).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await failure(client.moveTask('p1', 't1', { taskId: 't1', position: 'afterend' }))).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await failure(client.putDate('p1', 't1', { start: { date: '2026-7-1' } }))).toMatchObject({
      code: 'VALIDATION',
    });
    expect(server.received).toHaveLength(0);
  });

  it('refuses bad options with a TypeError that never quotes the token', () => {
    expect(() => new TaskadeClient({ baseUrl: 'ftp://x', token: 't' })).toThrow(/`options.baseUrl`/);
    expect(() => new TaskadeClient({ baseUrl: 'http://127.0.0.1:1', token: ' ' })).toThrow(/options.token/);
    // A header cannot carry these: the client would report every request as a network failure.
    for (const token of ['abc\r\ndef', 'tskdp_€', 'caf\u00e9']) {
      expect(() => new TaskadeClient({ baseUrl: 'http://127.0.0.1:1', token })).toThrow(/`options.token`/);
      expect(() => new TaskadeClient({ baseUrl: 'http://127.0.0.1:1', token })).not.toThrow(token);
    }
  });
});
