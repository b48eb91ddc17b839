/**
 * The shape of the ids a user gives us (front matter, mappings, flags) before one goes into a URL
 * path. The spec declares ids as plain strings; its descriptions say a project id is "an
 * alphanumeric string that is 16 characters long" and workspace/folder ids "may include
 * underscores or hyphens". We accept that alphabet at any length up to 64, so an id Taskade
 * hands out tomorrow still works, while `..`, `a/b`, `%2e%2e`, spaces and control characters can
 * never reach a request path (`/projects/../tasks` would be another route).
 */
export const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export const ID_CHARS = 'letters, digits, _ and -, at most 64';
export const ID_EXPECTED = `a Taskade id (${ID_CHARS})`;

/** Why `value` is not an id a user may give, or null when it is one. */
export function idProblem(value: string): string | null {
  return ID_SHAPE.test(value) ? null : `${JSON.stringify(value)} is not ${ID_EXPECTED}`;
}

/**
 * A path segment the client may send: any opaque id Taskade returned (task ids, handles) except
 * what a URL resolver would read as a path of its own: empty, `.`, `..`, separators, controls.
 */
export function isSafePathSegment(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what we refuse
  return value !== '' && value !== '.' && value !== '..' && !/[/\\\u0000-\u001f\u007f]/.test(value);
}
