import { DEFAULT_EXCLUDE } from './ignored.js';
import { ID_CHARS, ID_SHAPE } from '../model/ids.js';
import {
  anything,
  defaultsWhenMissing,
  httpUrl,
  integer,
  listOf,
  matching,
  nonEmptyString,
  nullable,
  number,
  oneOf,
  strictObject,
  withDefault,
  type Rule,
} from './validate.js';

/**
 * The schema of `sync.config.json` (step 1 of schema → normalise → rules). Every leaf carries its
 * expectation, so a failure reads "`key` is VALUE, expected EXPECTATION". Every key has a
 * default: an empty `{}` is a working config.
 */

/** `watch`: the daemon's timings. */
export interface WatchConfig {
  /** Wait this long after the last change to a file before syncing it. @default 300 */
  debounceMs: number;
  /** A file changed by someone else within this window is not rewritten yet. @default 3000 */
  quietMs: number;
  /** Poll interval floor for a project that changed recently. @default 10000 */
  pollMinMs: number;
  /** Poll interval ceiling for an idle project. @default 300000 */
  pollMaxMs: number;
  /** Task ids per project whose note/date/assignees are re-read on each poll. @default 20 */
  subresourceReadsPerPoll: number;
}

/** One file linked without front matter. */
export interface MappingConfig {
  /** A markdown file, relative to `root`. */
  file: string;
  /** The Taskade project it is linked to. */
  project: string;
}

/** The config once every key is valid and defaulted. */
export interface ParsedConfig {
  /** Free-form documentation (JSON has no comments); sync.config.example.json uses it. */
  $comment?: unknown;
  /** The notes root, relative to the config file. @default "." */
  root: string;
  /** Where the journal and the lock live, relative to `root`. @default ".taskade-sync" */
  stateDir: string;
  /** Taskade API base URL; the environment variable TASKADE_API_URL overrides it. @default "https://www.taskade.com/api/v1" */
  apiUrl: string;
  /** Name of the environment variable that holds the token. @default "TASKADE_TOKEN" */
  tokenEnv: string;
  /** "block": `^tk-…` ids in the text; "none": identity from the journal only. @default "block" */
  ids: 'block' | 'none';
  /** Which side wins a conflict (the other value stays visible in the file). @default "remote" */
  conflictWinner: 'remote' | 'local';
  deleteGuard: {
    /** Stop when a run would delete more than this share of a project. @default 0.5 */
    share: number;
    /** …and at least this many tasks. @default 5 */
    min: number;
  };
  /** Request budget per token. @default 60 (Taskade publishes no number; one a second is safe). */
  requestsPerMinute: number;
  /**
   * How high the rate may rise while Taskade sends no 429 (the queue starts at
   * `requestsPerMinute` and finds the limit). Equal to `requestsPerMinute`: a fixed rate.
   * null: 10 × requestsPerMinute. @default null
   */
  maxRequestsPerMinute: number | null;
  /** Files to sync, as globs relative to `root`. @default ["**\/*.md"] */
  include: string[];
  /** Files never synced, as globs relative to `root`. @default DEFAULT_EXCLUDE */
  exclude: string[];
  /** Files linked without front matter. @default [] */
  mappings: MappingConfig[];
  /** How long `sync` waits for another run to release the lock before exiting 7. @default 30000 */
  lockWaitMs: number;
  watch: WatchConfig;
}

/** What a config file may hold: any key may be left out and takes its default. */
export type ConfigInput = Partial<Omit<ParsedConfig, 'deleteGuard' | 'watch'>> & {
  deleteGuard?: Partial<ParsedConfig['deleteGuard']>;
  watch?: Partial<WatchConfig>;
};

const GLOBS = 'a list of glob patterns (strings)';
const ms = (min: number, max: number) => integer(min, max, `a whole number of milliseconds from ${min} to ${max}`);

export { DEFAULT_EXCLUDE };

export const watchSchema: Rule<WatchConfig> = strictObject<WatchConfig>(
  {
    debounceMs: withDefault(ms(0, 60_000), () => 300),
    quietMs: withDefault(ms(0, 600_000), () => 3000),
    pollMinMs: withDefault(ms(1000, 86_400_000), () => 10_000),
    pollMaxMs: withDefault(ms(1000, 86_400_000), () => 300_000),
    subresourceReadsPerPoll: withDefault(integer(0, 10_000, 'a whole number from 0 to 10000'), () => 20),
  },
  'an object',
);

const projectId = `a Taskade project id (${ID_CHARS})`;

export const mappingSchema: Rule<MappingConfig> = strictObject<MappingConfig>(
  {
    file: nonEmptyString('a path to a markdown file, relative to `root`'),
    project: matching(ID_SHAPE, projectId),
  },
  'an object {"file": …, "project": …}',
);

const share = 'a number from 0 to 1';

export const configSchema: Rule<ParsedConfig> = strictObject<ParsedConfig>(
  {
    $comment: anything,
    root: withDefault(nonEmptyString('a folder path (relative to the config file)'), () => '.'),
    stateDir: withDefault(nonEmptyString('a folder path (relative to `root`)'), () => '.taskade-sync'),
    apiUrl: withDefault(
      httpUrl('an http(s) URL such as "https://www.taskade.com/api/v1"'),
      () => 'https://www.taskade.com/api/v1',
    ),
    tokenEnv: withDefault(
      matching(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as "TASKADE_TOKEN"'),
      () => 'TASKADE_TOKEN',
    ),
    ids: withDefault(oneOf(['block', 'none'], '"block" or "none"'), () => 'block' as const),
    conflictWinner: withDefault(oneOf(['remote', 'local'], '"remote" or "local"'), () => 'remote' as const),
    deleteGuard: defaultsWhenMissing(
      strictObject<ParsedConfig['deleteGuard']>(
        {
          share: withDefault(number(0, 1, share), () => 0.5),
          min: withDefault(integer(0, 1_000_000, 'a whole number from 0 to 1000000'), () => 5),
        },
        'an object {"share": …, "min": …}',
      ),
    ),
    requestsPerMinute: withDefault(
      integer(1, 100_000, 'a whole number of requests per minute from 1 to 100000'),
      () => 60,
    ),
    maxRequestsPerMinute: withDefault(
      nullable(integer(1, 1_000_000, 'null or a whole number of requests per minute from 1 to 1000000')),
      () => null,
    ),
    include: withDefault(listOf(nonEmptyString(GLOBS), GLOBS), () => ['**/*.md']),
    exclude: withDefault(listOf(nonEmptyString(GLOBS), GLOBS), () => [...DEFAULT_EXCLUDE]),
    mappings: withDefault(listOf(mappingSchema, 'a list of {"file": …, "project": …}'), () => []),
    lockWaitMs: withDefault(ms(0, 3_600_000), () => 30_000),
    watch: defaultsWhenMissing(watchSchema),
  },
  'a JSON object',
);
