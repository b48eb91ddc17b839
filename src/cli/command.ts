import type { Writable } from 'node:stream';

/** What a command gets from the process; injected so commands run in-process in tests. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The config file named by `--config FILE` (absolute); otherwise it is found from `cwd` up. */
  configFile?: string;
  /** True when stdin is an interactive terminal (commands may only prompt then). */
  isTTY: boolean;
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM). */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. Throws `SyncError` for the error kinds; `main` renders them. */
  run(argv: string[], io: CliIO): Promise<number>;
}
