import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/simulator/api-error.js';
import {
  parseAssignees,
  parseCreateTasks,
  parseDate,
  parseMove,
  parseNote,
  parseProjectCreate,
  parseTaskUpdate,
} from '../../src/simulator/validate.js';
import { fcParams } from '../support/fc.js';
import { validateRequest } from '../support/openapi.js';

/**
 * The simulator validates request bodies by hand (src/simulator/validate.ts). These properties
 * prove each hand-written validator accepts exactly the bodies the spec's request schema accepts
 * (ajv on the converted spec), on generated bodies that sit near every boundary: lengths around
 * the limits, line breaks, enum neighbours, missing and extra keys, wrong types.
 */

function accepts(parse: (body: unknown) => unknown, body: unknown): boolean {
  try {
    parse(body);
    return true;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 400) return false;
    throw error;
  }
}

/** A key that is usually present: absent one time in ten. */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 10 });
}

/** Mostly `valid`, sometimes `other`: keeps both verdicts common. */
function mostly<T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: other });
}

function record(entries: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(entries).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

const junk = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));
const extraKey = mostly(fc.constant(undefined), fc.constantFrom('text', 'parentId', 'extra'));
const withExtra = (arb: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(arb, extraKey).map(([obj, key]) => (key === undefined ? obj : { ...obj, [key]: 'x' }));

/** Strings whose length in code points sits around `limit`, in 1- and 2-unit characters. */
const aroundLimit = (limit: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: limit - 3, max: limit + 3 }), fc.constantFrom('x', '😀', 'é'))
    .map(([n, ch]) => ch.repeat(n));
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', 'one line', 'two\nlines', 'cr\rhere', 'crlf\r\n', '\n'),
  aroundLimit(2000),
);
const contentType = mostly(
  fc.constantFrom('text/markdown', 'text/plain'),
  fc.oneof(fc.constantFrom('text/html', 'TEXT/PLAIN'), junk),
);
const position = mostly(
  fc.constantFrom('beforebegin', 'afterbegin', 'beforeend', 'afterend'),
  fc.oneof(fc.constantFrom('inside', ''), junk),
);

const createElement = withExtra(
  record({
    contentType: maybe(contentType),
    content: maybe(fc.oneof(text, junk)),
    placement: maybe(position),
    taskId: maybe(fc.oneof(fc.constantFrom('null', 'task-1', ''), fc.constant(null), fc.integer())),
  }),
);
const createBody = fc.oneof(
  {
    weight: 8,
    arbitrary: withExtra(record({ tasks: maybe(fc.oneof(fc.array(createElement, { maxLength: 22 }), junk)) })),
  },
  { weight: 1, arbitrary: junk },
);

const dateArb = mostly(
  withExtra(
    record({
      date: maybe(
        mostly(
          fc.constant('2026-12-01'),
          fc.oneof(fc.constantFrom('2026-1-01', '26-12-01', '2026-12-01T09:00:00Z', '9999-99-99'), junk),
        ),
      ),
      time: fc.option(
        mostly(
          fc.constantFrom('09:30', '23:59:59', '00:00:00'),
          fc.oneof(fc.constantFrom('24:00', '9:30', '12:60', '12:30:60'), fc.constant(null), fc.integer()),
        ),
        { nil: undefined, freq: 3 },
      ),
      timezone: fc.option(fc.oneof(fc.constantFrom('Europe/Paris', ''), fc.constant(null), fc.integer()), {
        nil: undefined,
        freq: 3,
      }),
    }),
  ),
  junk,
);

const cases: { route: string; method: string; parse: (body: unknown) => unknown; body: fc.Arbitrary<unknown> }[] = [
  { method: 'POST', route: '/projects/{projectId}/tasks/', parse: parseCreateTasks, body: createBody },
  {
    method: 'PUT',
    route: '/projects/{projectId}/tasks/{taskId}',
    parse: parseTaskUpdate,
    body: withExtra(record({ contentType: maybe(contentType), content: maybe(fc.oneof(text, junk)) })),
  },
  {
    method: 'PUT',
    route: '/projects/{projectId}/tasks/{taskId}/move',
    parse: parseMove,
    body: withExtra(
      record({
        target: maybe(
          mostly(
            withExtra(
              record({
                taskId: maybe(mostly(fc.constant('t'), fc.oneof(fc.constant(''), junk))),
                position: maybe(position),
              }),
            ),
            junk,
          ),
        ),
      }),
    ),
  },
  {
    method: 'PUT',
    route: '/projects/{projectId}/tasks/{taskId}/note',
    parse: parseNote,
    body: withExtra(record({ type: maybe(contentType), value: maybe(fc.oneof(text, junk)) })),
  },
  {
    method: 'PUT',
    route: '/projects/{projectId}/tasks/{taskId}/date',
    parse: parseDate,
    body: withExtra(record({ start: maybe(dateArb), end: fc.option(dateArb, { nil: undefined, freq: 2 }) })),
  },
  {
    method: 'PUT',
    route: '/projects/{projectId}/tasks/{taskId}/assignees',
    parse: parseAssignees,
    body: withExtra(
      record({
        handles: maybe(
          fc.oneof(fc.array(fc.oneof(fc.constantFrom('alice', '', '@bob'), junk), { maxLength: 3 }), junk),
        ),
      }),
    ),
  },
  {
    method: 'POST',
    route: '/projects',
    parse: (body) => parseProjectCreate(body, true),
    body: withExtra(
      record({
        folderId: maybe(fc.oneof(fc.constantFrom('', 'folder123'), junk)),
        contentType: maybe(contentType),
        content: maybe(fc.oneof(text, junk)),
      }),
    ),
  },
  {
    method: 'POST',
    route: '/workspaces/{workspaceId}/projects',
    parse: (body) => parseProjectCreate(body, false),
    body: withExtra(record({ contentType: maybe(contentType), content: maybe(fc.oneof(text, junk)) })),
  },
];

describe('the simulator validates request bodies exactly as the spec does', () => {
  for (const c of cases) {
    it(`${c.method} ${c.route}`, () => {
      fc.assert(
        fc.property(c.body, (body) => {
          const spec = validateRequest(c.method, c.route, body);
          expect(accepts(c.parse, body), `spec says: ${spec.join('; ') || 'valid'}`).toBe(spec.length === 0);
        }),
        fcParams(300),
      );
    });
  }

  it('the generators reach both verdicts for every route (so the properties above can fail)', () => {
    for (const c of cases) {
      const verdicts = new Set(
        fc.sample(c.body, { numRuns: 400, seed: 7 }).map((b) => validateRequest(c.method, c.route, b).length === 0),
      );
      expect([c.route, [...verdicts].sort()]).toEqual([c.route, [false, true]]);
    }
  });
});
