import { SyncError } from '../model/errors.js';
import type { ResolvedConfig } from './resolve.js';

/**
 * The API token, read from the environment variable the config names. It is never written to a
 * file and never appears in a message. A missing token is a setup problem the user fixes in their
 * environment, so it is a CONFIG error (exit 2); exit 5 is kept for a token Taskade refuses.
 *
 * The variable is looked up as an own property: `tokenEnv: "__proto__"` or `"toString"` must read
 * as "not set", not as Object.prototype's members. A token goes into an HTTP header, where a line
 * break or a character outside Latin-1 cannot go (undici throws, which read as "unreachable" and
 * made `watch` retry for ever); Taskade's tokens are printable ASCII, so anything else is refused
 * here, by position and kind, never by showing it.
 */
export function readToken(config: Pick<ResolvedConfig, 'tokenEnv'>, env: NodeJS.ProcessEnv): string {
  const name = config.tokenEnv;
  const raw = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new SyncError(
      'CONFIG',
      `the environment variable ${name} is not set, expected a Taskade personal access token in it ` +
        '(create one in Taskade under Settings → API; `tokenEnv` in sync.config.json names the variable)',
      { tokenEnv: name },
    );
  }
  const token = raw.trim();
  const bad = /[^\x21-\x7e]/.exec(token);
  if (bad !== null) {
    throw new SyncError(
      'CONFIG',
      `the environment variable ${name} holds ${describeChar(bad[0])} at position ${bad.index + 1} of the token, ` +
        'expected a Taskade personal access token (printable ASCII, no spaces; copy it again from Settings → API)',
      { tokenEnv: name, position: bad.index + 1 },
    );
  }
  return token;
}

function describeChar(ch: string): string {
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (/\s/.test(ch)) return 'a space';
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return 'a control character';
  return `a non-ASCII character (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
