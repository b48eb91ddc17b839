import { z } from 'zod';
import { DEFAULT_EXCLUDE } from '../../src/config/ignored.js';
import { ID_CHARS, ID_SHAPE } from '../../src/model/ids.js';

/**
 * The oracle for `src/config/schema.ts`: the config schema as the first version wrote it with
 * zod (a dev dependency since), unchanged but for the imports. `validate.property.test.ts` checks
 * on generated inputs that the hand-written rules accept, default and refuse exactly what this
 * does, with the same issues in the same order. A key added to the config is added here too.
 */

function int(min: number, max: number, expected: string) {
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
}

function nonEmptyString(expected: string) {
  return z.string({ error: expected }).min(1, { error: expected });
}

const GLOBS = 'a list of glob patterns (strings)';

const watchSchema = z.strictObject(
  {
    /** Wait this long after the last change to a file before syncing it. @default 300 */
    debounceMs: int(0, 60_000, 'a whole number of milliseconds from 0 to 60000').default(300),
    /** A file changed by someone else within this window is not rewritten yet. @default 3000 */
    quietMs: int(0, 600_000, 'a whole number of milliseconds from 0 to 600000').default(3000),
    /** Poll interval floor for a project that changed recently. @default 10000 */
    pollMinMs: int(1000, 86_400_000, 'a whole number of milliseconds from 1000 to 86400000').default(10_000),
    /** Poll interval ceiling for an idle project. @default 300000 */
    pollMaxMs: int(1000, 86_400_000, 'a whole number of milliseconds from 1000 to 86400000').default(300_000),
    /** Task ids per project whose note/date/assignees are re-read on each poll. @default 20 */
    subresourceReadsPerPoll: int(0, 10_000, 'a whole number from 0 to 10000').default(20),
  },
  { error: 'an object' },
);

const mappingSchema = z.strictObject(
  {
    file: nonEmptyString('a path to a markdown file, relative to `root`'),
    project: z
      .string({ error: `a Taskade project id (${ID_CHARS})` })
      .regex(ID_SHAPE, { error: `a Taskade project id (${ID_CHARS})` }),
  },
  { error: 'an object {"file": …, "project": …}' },
);

export const zodConfigSchema = z.strictObject(
  {
    /** Free-form documentation (JSON has no comments); sync.config.example.json uses it. */
    $comment: z.unknown().optional(),
    /** The notes root, relative to the config file. @default "." */
    root: nonEmptyString('a folder path (relative to the config file)').default('.'),
    /** Where the journal and the lock live, relative to `root`. @default ".taskade-sync" */
    stateDir: nonEmptyString('a folder path (relative to `root`)').default('.taskade-sync'),
    /** Taskade API base URL; the environment variable TASKADE_API_URL overrides it. */
    apiUrl: z
      .url({ error: 'an http(s) URL such as "https://www.taskade.com/api/v1"', protocol: /^https?$/ })
      .default('https://www.taskade.com/api/v1'),
    /** Name of the environment variable that holds the token. @default "TASKADE_TOKEN" */
    tokenEnv: z
      .string({ error: 'an environment variable name such as "TASKADE_TOKEN"' })
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable name such as "TASKADE_TOKEN"' })
      .default('TASKADE_TOKEN'),
    /** "block": `^tk-…` ids in the text; "none": identity from the journal only. @default "block" */
    ids: z.enum(['block', 'none'], { error: '"block" or "none"' }).default('block'),
    /** Which side wins a conflict (the other value stays visible in the file). @default "remote" */
    conflictWinner: z.enum(['remote', 'local'], { error: '"remote" or "local"' }).default('remote'),
    deleteGuard: z
      .strictObject(
        {
          /** Stop when a run would delete more than this share of a project. @default 0.5 */
          share: z
            .number({ error: 'a number from 0 to 1' })
            .min(0, { error: 'a number from 0 to 1' })
            .max(1, { error: 'a number from 0 to 1' })
            .default(0.5),
          /** …and at least this many tasks. @default 5 */
          min: int(0, 1_000_000, 'a whole number from 0 to 1000000').default(5),
        },
        { error: 'an object {"share": …, "min": …}' },
      )
      .default({ share: 0.5, min: 5 }),
    /** Request budget per token. @default 60 (Taskade publishes no number; one a second is safe). */
    requestsPerMinute: int(1, 100_000, 'a whole number of requests per minute from 1 to 100000').default(60),
    /**
     * How high the rate may rise while Taskade sends no 429 (the queue starts at
     * `requestsPerMinute` and finds the limit). Equal to `requestsPerMinute`: a fixed rate.
     * null: 10 × requestsPerMinute. @default null
     */
    maxRequestsPerMinute: int(1, 1_000_000, 'null or a whole number of requests per minute from 1 to 1000000')
      .nullable()
      .default(null),
    include: z.array(nonEmptyString(GLOBS), { error: GLOBS }).default(['**/*.md']),
    exclude: z.array(nonEmptyString(GLOBS), { error: GLOBS }).default([...DEFAULT_EXCLUDE]),
    /** Files linked without front matter. */
    mappings: z.array(mappingSchema, { error: 'a list of {"file": …, "project": …}' }).default([]),
    /** How long `sync` waits for another run to release the lock before exiting 7. @default 30000 */
    lockWaitMs: int(0, 3_600_000, 'a whole number of milliseconds from 0 to 3600000').default(30_000),
    watch: watchSchema.default({
      debounceMs: 300,
      quietMs: 3000,
      pollMinMs: 10_000,
      pollMaxMs: 300_000,
      subresourceReadsPerPoll: 20,
    }),
  },
  { error: 'a JSON object' },
);

export type ZodConfigInput = z.input<typeof zodConfigSchema>;
export type ZodParsedConfig = z.output<typeof zodConfigSchema>;
