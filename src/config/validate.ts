/**
 * The few value checks `sync.config.json` needs, as small composable rules (step 1 of schema →
 * normalise → rules). A rule reads a JSON value at a key path and returns the value it accepts,
 * or records an issue and returns `INVALID`; an object rule runs its keys' rules in the order
 * they are declared, then reports the keys it does not know. Hand-written rather than a schema
 * library: the config has about twenty keys, and the library the first version used cost the
 * long-running daemon 14 MB of RSS for them (README, "Memory and idle cost").
 *
 * Values come from `JSON.parse`, so keys such as `__proto__` or `constructor` can be the input's
 * own keys: they are looked up in a `Map`, never on a plain object, and the output object is
 * built with known keys only. Only own keys count: an object built in code that inherits a key
 * does not have it.
 */

export type KeyPath = ReadonlyArray<string | number>;

/** One thing wrong in the input: a value that is not what `expected` says, or keys not known. */
export type Issue =
  { kind: 'value'; path: KeyPath; expected: string } | { kind: 'unknown-keys'; path: KeyPath; keys: string[] };

export const INVALID: unique symbol = Symbol('invalid');

/** Checks the value at `path`; pushes its issues and returns INVALID when it is not accepted. */
export type Rule<T> = (value: unknown, path: KeyPath, issues: Issue[]) => T | typeof INVALID;

function check<T>(accept: (value: unknown) => value is T, expected: string): Rule<T> {
  return (value, path, issues) => {
    if (accept(value)) return value;
    issues.push({ kind: 'value', path, expected });
    return INVALID;
  };
}

/** A whole number (a JSON number with no fraction) from `min` to `max`. */
export function integer(min: number, max: number, expected: string): Rule<number> {
  return check((v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max, expected);
}

/** A finite number from `min` to `max`. */
export function number(min: number, max: number, expected: string): Rule<number> {
  return check((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max, expected);
}

/** A string of at least one character. */
export function nonEmptyString(expected: string): Rule<string> {
  return check((v): v is string => typeof v === 'string' && v.length > 0, expected);
}

/** A string the whole of which `shape` matches (anchor it). */
export function matching(shape: RegExp, expected: string): Rule<string> {
  return check((v): v is string => typeof v === 'string' && shape.test(v), expected);
}

/** One of a few strings. */
export function oneOf<const T extends string>(values: readonly T[], expected: string): Rule<T> {
  return check((v): v is T => typeof v === 'string' && (values as readonly string[]).includes(v), expected);
}

/**
 * An absolute http or https URL that the WHATWG parser reads, written out with its `//`
 * ("https:example.com" is refused rather than read as a host). Surrounding white space is
 * dropped, and so are the tabs and newlines inside, which the URL parser drops too (one in a host
 * name would otherwise name another host than the one shown); the rest is kept as written.
 */
export function httpUrl(expected: string): Rule<string> {
  return (value, path, issues) => {
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (/^https?:\/\//i.test(trimmed) && URL.canParse(trimmed)) return trimmed.replace(/[\t\n\r]/g, '');
    }
    issues.push({ kind: 'value', path, expected });
    return INVALID;
  };
}

/** `null`, or what `rule` accepts. */
export function nullable<T>(rule: Rule<T>): Rule<T | null> {
  return (value, path, issues) => (value === null ? null : rule(value, path, issues));
}

/** A missing key takes a fresh copy of the default (never one shared between configs). */
export function withDefault<T>(rule: Rule<T>, fresh: () => T): Rule<T> {
  return (value, path, issues) => (value === undefined ? fresh() : rule(value, path, issues));
}

/** A missing object is read as `{}`: its keys' own defaults, declared once. */
export function defaultsWhenMissing<T>(rule: Rule<T>): Rule<T> {
  return (value, path, issues) => rule(value === undefined ? {} : value, path, issues);
}

/** Anything, or nothing (documentation keys). */
export const anything: Rule<unknown> = (value) => value;

/** A JSON array whose every item `item` accepts; each bad item is reported at its index. */
export function listOf<T>(item: Rule<T>, expected: string): Rule<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ kind: 'value', path, expected });
      return INVALID;
    }
    const out: T[] = [];
    let ok = true;
    // Every index, holes included (a hole in an array built in code is a missing item).
    for (let i = 0; i < value.length; i++) {
      const r = item(value[i] as unknown, [...path, i], issues);
      if (r === INVALID) ok = false;
      else out.push(r);
    }
    return ok ? out : INVALID;
  };
}

/** A rule for every key of `T`, so the compiler checks the shape against the type. */
export type Shape<T> = { [K in keyof T]-?: Rule<T[K]> };

/**
 * A JSON object (not an array, not null) with the keys `shape` declares, each checked by its
 * rule in declaration order; keys it does not declare are reported together after them.
 */
export function strictObject<T extends object>(shape: Shape<T>, expected: string): Rule<T> {
  const rules = new Map<string, Rule<unknown>>(Object.entries(shape as Record<string, Rule<unknown>>));
  return (value, path, issues) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ kind: 'value', path, expected });
      return INVALID;
    }
    const input = value as Record<string, unknown>;
    const out = Object.create(null) as Record<string, unknown>;
    let ok = true;
    for (const [key, rule] of rules) {
      const own = Object.prototype.hasOwnProperty.call(input, key);
      const r = rule(own ? input[key] : undefined, [...path, key], issues);
      if (r === INVALID) ok = false;
      else if (r !== undefined) out[key] = r;
    }
    const unknown = Object.keys(input).filter((key) => !rules.has(key));
    if (unknown.length > 0) {
      issues.push({ kind: 'unknown-keys', path, keys: unknown });
      ok = false;
    }
    // A plain object for the caller (spread and toMatchObject expect one); built from known keys only.
    return ok ? (Object.assign({}, out) as T) : INVALID;
  };
}
