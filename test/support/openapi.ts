import { readFileSync } from 'node:fs';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';

/**
 * Contract checks against the vendored Taskade spec file `spec/taskade-v1/api-0.1.0.json`
 * (see spec/taskade-v1/SOURCE.md). The OpenAPI 3.0 schemas are converted to JSON Schema for ajv:
 * - `nullable: true` → `anyOf: [schema, {type: 'null'}]`; `example` keys dropped;
 * - `#/components/schemas/X` refs point at the component, registered under its own id (other
 *   `#/…` refs are relative to the schema they appear in, and stay so);
 * - in a multi-member `allOf`, the members' (and their anyOf branches') `additionalProperties:
 *   false` are removed and `unevaluatedProperties: false` is put on the allOf's holder, as
 *   CONTRACT.md's last section explains: literally, no object could satisfy both members. Every
 *   other constraint (maxItems, maxLength, the placement/taskId branches) is kept.
 * ajv counts `maxLength` in code points, as JSON Schema says.
 */

const SPEC_URL = new URL('../../spec/taskade-v1/api-0.1.0.json', import.meta.url);
const COMPONENT_ID = 'urn:taskade-api:schemas:';

type Json = Record<string, unknown>;
interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

let cached: { spec: Spec; ajv: Ajv2019; validators: Map<string, ValidateFunction> } | null = null;

function load(): NonNullable<typeof cached> {
  if (cached !== null) return cached;
  let spec: Spec;
  try {
    spec = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as Spec;
  } catch (error) {
    throw new Error(`Cannot read the Taskade spec at ${SPEC_URL.pathname}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  for (const [name, schema] of Object.entries(spec.components.schemas)) {
    ajv.addSchema({ ...(toJsonSchema(schema) as Json), $id: COMPONENT_ID + name });
  }
  cached = { spec, ajv, validators: new Map() };
  return cached;
}

/** OpenAPI 3.0 schema → JSON Schema (2019-09 vocabulary), per the rules in the file comment. */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === 'example' || key === 'nullable') continue;
    if (key === 'properties' || key === 'patternProperties') {
      // Property names are data, not keywords: convert the values only.
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out[key] = COMPONENT_ID + value.slice('#/components/schemas/'.length);
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (Array.isArray(out.allOf) && out.allOf.length > 1) {
    let stripped = false;
    const strip = (member: unknown): unknown => {
      if (typeof member !== 'object' || member === null) return member;
      const m = { ...(member as Json) };
      if (m.additionalProperties === false) {
        delete m.additionalProperties;
        stripped = true;
      }
      for (const k of ['anyOf', 'oneOf'] as const) if (Array.isArray(m[k])) m[k] = (m[k] as unknown[]).map(strip);
      return m;
    };
    out.allOf = out.allOf.map(strip);
    if (stripped) out.unevaluatedProperties = false;
  }
  if ((schema as Json).nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function jsonSchemaOf(op: Operation['responses'][string] | Operation['requestBody'] | undefined): unknown {
  return op?.content?.['application/json']?.schema;
}

function validator(key: string, schema: unknown): ValidateFunction {
  const state = load();
  let v = state.validators.get(key);
  if (v === undefined) {
    v = state.ajv.compile(toJsonSchema(schema) as Json);
    state.validators.set(key, v);
  }
  return v;
}

function format(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${prefix}: ${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}

function operation(method: string, specRoute: string): Operation | null {
  return load().spec.paths[specRoute]?.[method.toLowerCase()] ?? null;
}

/**
 * Checks a response body against the operation's declared response. 2xx → the `200` schema (any
 * other 2xx status is itself a violation: the spec declares only 200); 4xx → `4XX` (the Error
 * schema); 5xx, which the spec does not declare, must still carry the Error schema (the
 * simulator's injected faults do). [] = valid.
 */
export function validateResponse(method: string, specRoute: string, status: number, body: unknown): string[] {
  const where = `${method.toUpperCase()} ${specRoute} → ${status}`;
  const op = operation(method, specRoute);
  if (op === null) return [`${where}: no such operation in the spec`];
  if (status >= 200 && status < 300) {
    const problems =
      status === 200 ? [] : [`${where}: status ${status} is not declared (the spec declares 200 and 4XX)`];
    const schema = jsonSchemaOf(op.responses['200']);
    if (schema === undefined) return [...problems, `${where}: the spec declares no 200 JSON body for this operation`];
    const v = validator(`res ${method} ${specRoute} 200`, schema);
    return v(body) ? problems : [...problems, ...format(where, v.errors)];
  }
  if (status >= 400 && status < 600) {
    const schema = jsonSchemaOf(op.responses['4XX']) ?? { $ref: '#/components/schemas/Error' };
    const v = validator(
      status < 500 ? `res ${method} ${specRoute} 4XX` : 'res Error',
      status < 500 ? schema : { $ref: '#/components/schemas/Error' },
    );
    return v(body) ? [] : format(where, v.errors);
  }
  return [`${where}: status ${status} is not declared (the spec declares 200 and 4XX)`];
}

/**
 * Checks a request body against the operation's request schema. Operations without one accept
 * no body or `{}` (what production clients send to complete/uncomplete). [] = valid.
 */
export function validateRequest(method: string, specRoute: string, body: unknown): string[] {
  const where = `${method.toUpperCase()} ${specRoute} request`;
  const op = operation(method, specRoute);
  if (op === null) return [`${where}: no such operation in the spec`];
  const schema = jsonSchemaOf(op.requestBody);
  if (schema === undefined) {
    const empty =
      body === undefined ||
      (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0);
    return empty ? [] : [`${where}: sends a body ${JSON.stringify(body).slice(0, 80)}, but the spec declares none`];
  }
  if (body === undefined)
    return op.requestBody?.required === true ? [`${where}: the spec requires a JSON body, none was sent`] : [];
  const v = validator(`req ${method} ${specRoute}`, schema);
  return v(body) ? [] : format(where, v.errors);
}

/**
 * The spec route of a request path: '/api/v1/projects/abc/tasks' → '/projects/{projectId}/tasks'.
 * Literal segments win over parameters; a path without its trailing slash matches a spec route
 * that has one (clients call the create path both ways). null = no such operation.
 */
export function matchRoute(method: string, pathname: string): string | null {
  const path = (pathname.split('?')[0] ?? '').replace(/^\/api\/v1(?=\/)/, '');
  const m = method.toLowerCase();
  const candidates = Object.entries(load().spec.paths)
    .filter(([, ops]) => ops[m] !== undefined)
    .map(([route]) => route);
  const find = (p: string): string | null => {
    let best: { route: string; params: number } | null = null;
    for (const route of candidates) {
      const want = route.split('/');
      const got = p.split('/');
      if (want.length !== got.length) continue;
      let params = 0;
      const ok = want.every((w, i) => {
        if (w.startsWith('{') && w.endsWith('}')) {
          params++;
          return (got[i] ?? '') !== '';
        }
        return w === got[i];
      });
      if (ok && (best === null || params < best.params)) best = { route, params };
    }
    return best?.route ?? null;
  };
  return find(path) ?? (path.endsWith('/') ? null : find(path + '/'));
}
