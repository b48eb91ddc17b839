import type { Simulator } from '../../src/simulator/index.js';

/** A minimal v1 caller for simulator tests: JSON in, status + parsed JSON out, headers kept. */
export interface ApiResponse {
  status: number;
  // any: tests index into many different response shapes; the contract checker validates them.
  body: any;
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
  const res = await fetch(sim.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}
