import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { INVALID, type Issue } from '../../src/config/validate.js';
import { fcParams } from '../support/fc.js';
import { zodConfigSchema } from './zod-reference.js';

/**
 * zod's issues in the shape of ours: the key path, and what was expected or which keys are
 * unknown. zod can report one value twice (2 ** 53 is neither a safe integer nor ≤ 10000), and the
 * message then said the same thing twice; ours says it once, so repeats are dropped here.
 */
function zodIssues(input: unknown): Issue[] | null {
  const parsed = zodConfigSchema.safeParse(input);
  if (parsed.success) return null;
  const issues = parsed.error.issues.map((issue): Issue =>
    issue.code === 'unrecognized_keys'
      ? { kind: 'unknown-keys', path: issue.path as Array<string | number>, keys: issue.keys }
      : { kind: 'value', path: issue.path as Array<string | number>, expected: issue.message },
  );
  return issues.filter((issue, i) => i === 0 || JSON.stringify(issue) !== JSON.stringify(issues[i - 1]));
}

const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -5, max: 5 }),
    fc.constantFrom(0, 1, 0.5, 1.5, -0.1, 999, 1000, 60_000, 60_001, 1e6, 1e6 + 1, 86_400_001, 1e21, 2 ** 53),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('', '.', 'notes', 'block', 'none', 'remote', 'local', 'TASKADE_TOKEN', '__proto__', '**/*.md'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('file', 'project', 'share', 'min', 'x', '__proto__'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const urls = fc.constantFrom(
  'https://www.taskade.com/api/v1',
  'http://127.0.0.1:8080/api/v1/',
  '  https://example.com  ',
  'HTTPS://EXAMPLE.COM/x',
  'https://exa\tmple.com/a\nb',
  'https:example.com',
  'https:/example.com',
  'http://',
  'http://[::1]:3/',
  'http://a b.com',
  'ftp://example.com',
  'javascript:alert(1)',
  'example.com',
  'https://例え.jp/',
);
const ids = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/), fc.constantFrom('..', 'a/b', '', 'p1'));
const globs = fc.array(fc.oneof(fc.constantFrom('**/*.md', 'notes/**', ''), fc.string({ maxLength: 4 })), {
  maxLength: 3,
});
const mapping = fc.oneof(
  fc.record({ file: fc.constantFrom('a.md', '', 'x/y.md'), project: ids }, { requiredKeys: [] }),
  json,
);
const ms = fc.oneof(fc.integer({ min: -10, max: 90_000_000 }), fc.constantFrom(0, 1000, 1000.5, 300_000), json);

/** A plausible value for each key, or anything JSON can hold. */
const values: Record<string, fc.Arbitrary<unknown>> = {
  $comment: json,
  root: fc.oneof(fc.constantFrom('.', 'notes', ''), json),
  stateDir: fc.oneof(fc.constantFrom('.taskade-sync', 'state', ''), json),
  apiUrl: fc.oneof(urls, json),
  tokenEnv: fc.oneof(fc.constantFrom('TASKADE_TOKEN', 'MY_TOKEN2', '_x', '2X', 'A-B', 'toString', ''), json),
  ids: fc.oneof(fc.constantFrom('block', 'none', 'Block'), json),
  conflictWinner: fc.oneof(fc.constantFrom('remote', 'local', ''), json),
  deleteGuard: fc.oneof(
    fc.record(
      {
        share: fc.oneof(fc.double({ min: -0.5, max: 1.5, noNaN: true }), json),
        min: fc.oneof(fc.integer({ min: -2, max: 1_000_002 }), json),
        extra: json,
      },
      { requiredKeys: [] },
    ),
    json,
  ),
  requestsPerMinute: fc.oneof(fc.integer({ min: -1, max: 100_001 }), json),
  maxRequestsPerMinute: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 1_000_001 }), json),
  include: fc.oneof(globs, json),
  exclude: fc.oneof(globs, json),
  mappings: fc.oneof(fc.array(mapping, { maxLength: 3 }), json),
  lockWaitMs: ms,
  watch: fc.oneof(
    fc.record(
      {
        debounceMs: ms,
        quietMs: ms,
        pollMinMs: ms,
        pollMaxMs: ms,
        subresourceReadsPerPoll: fc.oneof(fc.integer({ min: -1, max: 10_001 }), json),
        debounce: json,
      },
      { requiredKeys: [] },
    ),
    json,
  ),
  // Keys no config has, among them the ones that are properties of every plain object.
  __proto__: json,
  constructor: json,
  toString: json,
  hasOwnProperty: json,
  requestPerMinute: json,
};

/**
 * A config file's text, parsed as the CLI parses it: keys in a generated order, some left out,
 * so that `__proto__` and friends arrive as the object's own keys.
 */
const configText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.subarray(Object.keys(values)).chain((keys) =>
      fc
        .tuple(fc.shuffledSubarray(keys, { minLength: keys.length }), ...keys.map((k) => values[k]!))
        .map(([order, ...vs]) => {
          const byKey = new Map(keys.map((k, i) => [k, vs[i]]));
          return `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(byKey.get(k) ?? null)}`).join(',')}}`;
        }),
    ),
  },
  { weight: 1, arbitrary: json.map((v) => JSON.stringify(v) ?? 'null') },
);

describe('the hand-written config rules against the zod schema they replace', () => {
  it('accept, default and refuse the same inputs, with the same issues in the same order', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(configText, (text) => {
        const input: unknown = JSON.parse(text);
        const issues: Issue[] = [];
        const ours = configSchema(input, [], issues);
        const theirs = zodIssues(input);
        if (theirs === null) {
          accepted++;
          expect(ours).not.toBe(INVALID);
          expect(ours).toEqual(zodConfigSchema.parse(input));
          expect(issues).toEqual([]);
        } else {
          refused++;
          expect(ours).toBe(INVALID);
          expect(issues).toEqual(theirs);
        }
      }),
      fcParams(400),
    );
    // Both outcomes are exercised, or the comparison proves little.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
