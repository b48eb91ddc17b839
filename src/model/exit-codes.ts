import type { ErrorCode } from './errors.js';

/** Exit codes, DESIGN §4. A git hook can act on each. */
export const EXIT = {
  OK: 0,
  UNEXPECTED: 1,
  USAGE: 2,
  CONFLICTS: 3,
  SAFETY_GUARD: 4,
  AUTH: 5,
  UNREACHABLE: 6,
  LOCKED: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'USAGE':
    case 'CONFIG':
    case 'PARSE': // the input is at fault (e.g. front matter that is not YAML), not the program
      return EXIT.USAGE;
    case 'CONFLICTS':
      return EXIT.CONFLICTS;
    case 'SAFETY_GUARD':
      return EXIT.SAFETY_GUARD;
    case 'AUTH':
      return EXIT.AUTH;
    case 'UNREACHABLE':
      return EXIT.UNREACHABLE;
    case 'LOCKED':
      return EXIT.LOCKED;
    default:
      return EXIT.UNEXPECTED;
  }
}
