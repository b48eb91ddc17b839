import type { Simulator } from '../../src/simulator/index.js';

/** A minimal v1 caller for simulator tests: JSON in, status + parsed JSON out, headers kept. */
export interface ApiResponse {
  status: number;
  // any: tests index into many different response shapes; the contract checker validates them.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- see above
  headers: Headers;
}

export async function api(
  sim: Pick<Simulator, 'baseUrl' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(sim.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

/**
 * The project's outline as indented text (two spaces per level, root excluded), read through
 * GET …/tasks in pages of `pageSize`: tests compare trees as they would read them.
 */
export async function outline(
  sim: Pick<Simulator, 'baseUrl' | 'token'>,
  projectId: string,
  { pageSize = 1000, rootNode = true }: { pageSize?: number; rootNode?: boolean } = {},
): Promise<string> {
  const items: { id: string; text: string; parentId?: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const query = `limit=${pageSize}` + (after === undefined ? '' : `&after=${after}`);
    const page = await api(sim, 'GET', `/projects/${projectId}/tasks?${query}`);
    if (page.status !== 200) throw new Error(`GET tasks answered ${page.status}: ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    if (page.body.items.length < pageSize) break;
    after = items[items.length - 1]?.id;
  }
  const depth = new Map<string, number>();
  const lines: string[] = [];
  for (const item of items) {
    if (item.parentId === undefined && rootNode) {
      depth.set(item.id, -1); // the root node
      continue;
    }
    const d = item.parentId === undefined ? 0 : (depth.get(item.parentId) ?? -1) + 1;
    depth.set(item.id, d);
    lines.push('  '.repeat(d) + item.text);
  }
  return lines.join('\n');
}
