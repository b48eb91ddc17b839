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

/** A whole number in [min, max], the ends often. */
const intIn = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
/** What is just beside [min, max] for a whole number, and a few wrong types. */
const intBeside = (min: number, max: number) =>
  fc.constantFrom(min - 1, max + 1, min + 0.5, 2 ** 53, `${min}`, null, []);

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Values each key takes, boundaries included. */
const valid: Record<string, fc.Arbitrary<unknown>> = {
  $comment: json,
  root: fc.oneof(fc.constantFrom('.', 'notes', '..', 'a b'), fc.string({ minLength: 1, maxLength: 5 })),
  stateDir: fc.oneof(fc.constantFrom('.taskade-sync', 'state'), fc.string({ minLength: 1, maxLength: 5 })),
  apiUrl: fc.constantFrom(
    'https://www.taskade.com/api/v1',
    'http://127.0.0.1:8080/api/v1/',
    '  https://example.com  ',
    '\u00a0https://example.com/x\u2028',
    'HTTPS://EXAMPLE.COM/x',
    'https://exa\tmple.com/a\nb',
    'http://[::1]:3/',
    'https://例え.jp/',
  ),
  tokenEnv: fc.oneof(fc.constantFrom('TASKADE_TOKEN', '_'), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/)),
  ids: fc.constantFrom('block', 'none'),
  conflictWinner: fc.constantFrom('remote', 'local'),
  deleteGuard: fc.record(
    { share: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)), min: intIn(0, 1_000_000) },
    { requiredKeys: [] },
  ),
  requestsPerMinute: intIn(1, 100_000),
  maxRequestsPerMinute: fc.oneof(fc.constant(null), intIn(1, 1_000_000)),
  include: fc.array(fc.oneof(fc.constantFrom('**/*.md', 'notes/**'), fc.string({ minLength: 1, maxLength: 4 })), {
    maxLength: 3,
  }),
  exclude: fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 3 }),
  mappings: fc.array(
    fc.record({ file: fc.constantFrom('a.md', 'x/y.md', '../out.md'), project: fc.stringMatching(ID) }),
    { maxLength: 3 },
  ),
  lockWaitMs: intIn(0, 3_600_000),
  watch: fc.record(
    {
      debounceMs: intIn(0, 60_000),
      quietMs: intIn(0, 600_000),
      pollMinMs: intIn(1000, 86_400_000),
      pollMaxMs: intIn(1000, 86_400_000),
      subresourceReadsPerPoll: intIn(0, 10_000),
    },
    { requiredKeys: [] },
  ),
};

/** Values just beside what each key takes, and wrong types. */
const beside: Record<string, fc.Arbitrary<unknown>> = {
  root: fc.constantFrom('', 1, null, ['.']),
  stateDir: fc.constantFrom('', false, {}),
  apiUrl: fc.constantFrom(
    'https:example.com',
    'https:/example.com',
    'http://',
    'http://a b.com',
    'ftp://example.com',
    'javascript:alert(1)',
    'example.com',
    '',
    5,
  ),
  tokenEnv: fc.constantFrom('2X', 'A-B', '', 'TOKEN ', 'É', null),
  ids: fc.constantFrom('Block', '', null, ['block']),
  conflictWinner: fc.constantFrom('Remote', 'both', 0),
  deleteGuard: fc.constantFrom(
    { share: 1.0001 },
    { share: -0.01 },
    { share: '0.5' },
    { min: -1 },
    { min: 0.5 },
    { min: 1_000_001 },
    { share: 2, min: -1 },
    { extra: 1 },
    [],
    null,
  ),
  requestsPerMinute: intBeside(1, 100_000),
  maxRequestsPerMinute: intBeside(1, 1_000_000),
  include: fc.constantFrom([''], 'x', [1], {}, ['a', null]),
  exclude: fc.constantFrom([''], null, [[]]),
  mappings: fc.constantFrom(
    [{ file: 'a.md' }],
    [{ file: 'a.md', project: 'a/b' }],
    [{ file: '', project: 'p1' }],
    [{ file: 'a.md', project: 'p1', x: 1 }],
    [{ file: 'a.md', project: 'p1' }, null],
    {},
  ),
  lockWaitMs: intBeside(0, 3_600_000),
  watch: fc.oneof(
    fc.constantFrom('x', [], null, { debounce: 1 }),
    fc.record(
      {
        debounceMs: intBeside(0, 60_000),
        quietMs: intBeside(0, 600_000),
        pollMinMs: intBeside(1000, 86_400_000),
        pollMaxMs: intBeside(1000, 86_400_000),
        subresourceReadsPerPoll: intBeside(0, 10_000),
      },
      { requiredKeys: [] },
    ),
  ),
};

/** Keys no config has, among them properties of every plain object. */
const UNKNOWN = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'requestPerMinute', 'Watch'];
const KEYS = Object.keys(valid);
/** `record[key]` when it is the record's own (`valid['toString']` would be Object.prototype's). */
const own = (record: Record<string, fc.Arbitrary<unknown>>, key: string) =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/**
 * An object's JSON text with the given keys in a generated order, as a config file is written:
 * parsed, `__proto__` and friends arrive as the object's own keys.
 */
function objectText(keys: string[], valueFor: (key: string) => fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc
    .tuple(fc.shuffledSubarray(keys, { minLength: keys.length }), ...keys.map(valueFor))
    .map(([order, ...vs]) => {
      const byKey = new Map(keys.map((k, i) => [k, vs[i]]));
      return `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(byKey.get(k) ?? null)}`).join(',')}}`;
    });
}

const configText: fc.Arbitrary<string> = fc.oneof(
  // A valid config: each key left out or given a value it takes.
  { weight: 3, arbitrary: fc.subarray(KEYS).chain((keys) => objectText(keys, (k) => valid[k]!)) },
  // A valid config but for one or two keys, sometimes with a key no config has.
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.subarray(KEYS),
        fc.subarray(Object.keys(beside), { minLength: 1, maxLength: 2 }),
        fc.subarray(UNKNOWN, { maxLength: 1 }),
      )
      .chain(([keys, bad, unknown]) => {
        const all = [...new Set([...keys, ...bad]), ...unknown];
        return objectText(all, (k) => (bad.includes(k) ? beside[k]! : (own(valid, k) ?? json)));
      }),
  },
  // Anything at every key, known or not.
  {
    weight: 2,
    arbitrary: fc
      .subarray([...KEYS, ...UNKNOWN])
      .chain((keys) => objectText(keys, (k) => fc.oneof(own(valid, k) ?? json, own(beside, k) ?? json, json))),
  },
  // Not an object at all, or any JSON.
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
