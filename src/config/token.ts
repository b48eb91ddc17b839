import { SyncError } from '../model/errors.js';
import type { ResolvedConfig } from './resolve.js';

/**
 * The API token, read from the environment variable the config names. It is never written to a
 * file and never appears in a message. A missing token is a setup problem the user fixes in their
 * environment, so it is a CONFIG error (exit 2); exit 5 is kept for a token Taskade refuses.
 */
export function readToken(config: Pick<ResolvedConfig, 'tokenEnv'>, env: NodeJS.ProcessEnv): string {
  const token = env[config.tokenEnv];
  if (token === undefined || token.trim() === '') {
    throw new SyncError(
      'CONFIG',
      `the environment variable ${config.tokenEnv} is not set, expected a Taskade personal access token in it ` +
        '(create one in Taskade under Settings → API; `tokenEnv` in sync.config.json names the variable)',
      { tokenEnv: config.tokenEnv },
    );
  }
  return token.trim();
}
