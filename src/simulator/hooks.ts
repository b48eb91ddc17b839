import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from './faults.js';
import { ApiFailure } from './api-error.js';
import { DEFAULT_BEHAVIOURS, type Behaviours } from './present.js';
import type { RateLimit } from './rate-limit.js';
import { parseJson, readBody, sendJson } from './server.js';
import type { SeedTask } from './store.js';
import { parseDateValue } from './validate.js';

/**
 * Test and benchmark hooks under `/__sim/` (no auth, never counted in stats). They drive the
 * same live state as the programmatic API; `HookTarget` is that API's subset they need.
 *
 *   GET  /__sim/info          base URL, tokens, workspace and folder ids
 *   GET  /__sim/stats         request counts (SimulatorStats)
 *   POST /__sim/reset         {"state"?: bool, "stats"?: bool} — both default to true
 *   GET|POST /__sim/faults    POST a FaultRule[] (or {"rules": [...]}); [] clears
 *   GET|POST /__sim/behaviours  POST a partial Behaviours; answers the full set
 *   GET|POST /__sim/rate-limit  POST {"requests": N, "windowMs": M} or null
 *   POST /__sim/seed          {"folderId"?, "name", "tasks"?: SeedTask[]} → {projectId, taskIds}
 *   GET  /__sim/state         the whole state, as saved by --state
 */
export interface HookTarget {
  info(): unknown;
  stats(): unknown;
  reset(options: { state?: boolean; stats?: boolean }): void;
  faults(): FaultRule[];
  /** Validates its input (checkFaultRules), so an unchecked value from HTTP is safe here. */
  setFaults(rules: FaultRule[]): void;
  behaviours(): Behaviours;
  setBehaviours(b: Partial<Behaviours>): void;
  rateLimit(): RateLimit | null;
  /** Validates its input (checkRateLimit), so an unchecked value from HTTP is safe here. */
  setRateLimit(limit: RateLimit | null): void;
  seedProject(input: { folderId?: string; name: string; tasks?: SeedTask[] }): unknown;
  state(): unknown;
}

/** Throws a TypeError naming the key when a partial Behaviours object is malformed. */
export function checkBehaviours(value: unknown): Partial<Behaviours> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Unexpected value \`${JSON.stringify(value)}\` for \`behaviours\`, expected an object`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const fallback = (DEFAULT_BEHAVIOURS as unknown as Record<string, unknown>)[key];
    if (fallback === undefined) {
      throw new TypeError(
        `Unexpected key \`behaviours.${key}\`, expected one of ${Object.keys(DEFAULT_BEHAVIOURS).join(', ')}`,
      );
    }
    const allowed: Record<string, readonly string[]> = {
      textMode: ['markdown', 'plain'],
      createPath: ['both', 'slash', 'no-slash'],
    };
    const options = allowed[key];
    const ok = options !== undefined ? typeof v === 'string' && options.includes(v) : typeof v === typeof fallback;
    if (!ok) {
      const expected = options !== undefined ? options.map((o) => `"${o}"`).join(' or ') : `a ${typeof fallback}`;
      throw new TypeError(`Unexpected value \`${JSON.stringify(v)}\` for \`behaviours.${key}\`, expected ${expected}`);
    }
    out[key] = v;
  }
  return out as Partial<Behaviours>;
}

/** Throws a TypeError naming the path when seed input is malformed (it arrives over HTTP too). */
export function checkSeed(value: unknown): { folderId?: string; name: string; tasks?: SeedTask[] } {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null)
    throw new TypeError('Unexpected seed input, expected {"name", "folderId"?, "tasks"?}');
  if (typeof v.name !== 'string')
    throw new TypeError(`Unexpected value \`${JSON.stringify(v.name)}\` for \`name\`, expected a string`);
  if (v.folderId !== undefined && typeof v.folderId !== 'string') {
    throw new TypeError(`Unexpected value \`${JSON.stringify(v.folderId)}\` for \`folderId\`, expected a string`);
  }
  const tasks = (list: unknown, path: string): SeedTask[] => {
    if (!Array.isArray(list))
      throw new TypeError(`Unexpected value \`${JSON.stringify(list)}\` for \`${path}\`, expected an array`);
    return list.map((t: unknown, i) => {
      const at = `${path}[${i}]`;
      const task = t as Record<string, unknown> | null;
      if (typeof task !== 'object' || task === null || typeof task.text !== 'string') {
        throw new TypeError(`Unexpected value \`${JSON.stringify(t)}\` for \`${at}\`, expected {"text": string, …}`);
      }
      const seed: SeedTask = { text: task.text };
      if (task.completed !== undefined) {
        if (typeof task.completed !== 'boolean')
          throw new TypeError(`Unexpected value for \`${at}.completed\`, expected a boolean`);
        seed.completed = task.completed;
      }
      if (task.note !== undefined) {
        if (typeof task.note !== 'string')
          throw new TypeError(`Unexpected value for \`${at}.note\`, expected a string`);
        seed.note = task.note;
      }
      if (task.date !== undefined) {
        // The same rules as PUT …/date, so GET …/date never answers a date the spec refuses.
        try {
          seed.date = parseDateValue(task.date, `${at}.date`);
        } catch (error) {
          throw new TypeError((error as Error).message, { cause: error });
        }
      }
      if (task.assignees !== undefined) {
        if (!Array.isArray(task.assignees) || !task.assignees.every((h) => typeof h === 'string')) {
          throw new TypeError(`Unexpected value for \`${at}.assignees\`, expected an array of handles`);
        }
        seed.assignees = task.assignees as string[];
      }
      if (task.children !== undefined) seed.children = tasks(task.children, `${at}.children`);
      return seed;
    });
  };
  const out: { folderId?: string; name: string; tasks?: SeedTask[] } = { name: v.name };
  if (typeof v.folderId === 'string') out.folderId = v.folderId;
  if (v.tasks !== undefined) out.tasks = tasks(v.tasks, 'tasks');
  return out;
}

function hookError(res: ServerResponse, status: 400 | 404, message: string): void {
  sendJson(res, status, {
    ok: false,
    message,
    code: status === 400 ? 'BAD_REQUEST' : 'NOT_FOUND',
    statusMessage: status === 400 ? 'Bad Request' : 'Not Found',
  });
}

export async function handleHook(
  target: HookTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const name = url.pathname.slice('/__sim/'.length);
  const parsed = parseJson((await readBody(req)).text);
  if ('invalid' in parsed) return hookError(res, 400, `Hook body is not valid JSON: ${parsed.invalid}`);
  const body = parsed.value;
  try {
    const key = `${method} ${name}`;
    switch (key) {
      case 'GET info':
        return sendJson(res, 200, target.info());
      case 'GET stats':
        return sendJson(res, 200, target.stats());
      case 'GET state':
        return sendJson(res, 200, target.state());
      case 'POST reset': {
        const b = (body ?? {}) as { state?: unknown; stats?: unknown };
        target.reset({ state: b.state !== false, stats: b.stats !== false });
        return sendJson(res, 200, { ok: true });
      }
      case 'GET faults':
        return sendJson(res, 200, target.faults());
      case 'POST faults': {
        const rules = Array.isArray(body) ? body : (body as { rules?: unknown } | undefined)?.rules;
        target.setFaults(rules as FaultRule[]);
        return sendJson(res, 200, target.faults());
      }
      case 'GET behaviours':
        return sendJson(res, 200, target.behaviours());
      case 'POST behaviours':
        target.setBehaviours(checkBehaviours(body));
        return sendJson(res, 200, target.behaviours());
      case 'GET rate-limit':
        return sendJson(res, 200, target.rateLimit());
      case 'POST rate-limit':
        target.setRateLimit((body ?? null) as RateLimit | null);
        return sendJson(res, 200, target.rateLimit());
      case 'POST seed':
        return sendJson(res, 200, target.seedProject(checkSeed(body)));
      default:
        return hookError(res, 404, `No such hook: ${method} /__sim/${name} (see GET /__sim/info)`);
    }
  } catch (error) {
    if (error instanceof TypeError) return hookError(res, 400, error.message);
    if (error instanceof ApiFailure) return hookError(res, error.status === 404 ? 404 : 400, error.message);
    throw error;
  }
}
