/**
 * A tiny loopback HTTP server that answers from a script, for the transport behaviours the
 * simulator cannot produce (slow headers, HTML error pages, odd rate-limit headers). Records
 * every request it received, so tests count exactly what the client sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers one request; `'drop'` destroys the socket after reading the request, `'hang'` never answers. */
export type Reply =
  { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'drop' | 'hang';

export interface ScriptedServer {
  baseUrl: string;
  received: Received[];
  close(): Promise<void>;
}

/** Replies are used in order; the last one repeats. */
export async function startScriptedServer(replies: Reply[]): Promise<ScriptedServer> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)] ?? { status: 500 };
      if (reply === 'drop') return void req.socket.destroy();
      if (reply === 'hang') return void hanging.push(res);
      const text = reply.raw ?? JSON.stringify(reply.body ?? { ok: true });
      res.writeHead(reply.status, { 'content-type': reply.raw ? 'text/html' : 'application/json', ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    received,
    close: async () => {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
