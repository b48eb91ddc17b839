/**
 * The error kinds of taskade-sync. Each carries a stable `code` and a `data` payload; the CLI
 * renders them in one place (`src/cli/main.ts`) and maps each to an exit code (`./exit-codes.ts`, DESIGN §4).
 * Messages never contain the API token.
 */
export type ErrorCode =
  | 'USAGE' // bad flags or arguments (exit 2)
  | 'CONFIG' // sync.config.json missing or invalid (exit 2)
  | 'CONFLICTS' // conflicts pending (exit 3)
  | 'SAFETY_GUARD' // the mass-deletion / empty-side guard stopped the run (exit 4)
  | 'AUTH' // Taskade refused the token (exit 5)
  | 'UNREACHABLE' // Taskade unreachable or failing (exit 6)
  | 'LOCKED' // another engine holds the state-dir lock (exit 7)
  | 'PARSE' // a file could not be read (e.g. its front matter is not valid YAML) (exit 2)
  | 'INTERNAL';

export class SyncError extends Error {
  readonly code: ErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncError';
    this.code = code;
    this.data = data;
  }
}
