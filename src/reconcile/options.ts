import type { PlanOptions } from './types.js';

/**
 * Check plan options up front (the config loader validates the file; this guards every other
 * caller). One message grammar: ``Unexpected value `x` for `options.y`, expected …``.
 */
export function checkPlanOptions(options: PlanOptions): void {
  const fail = (key: string, value: unknown, expected: string): never => {
    throw new TypeError(`Unexpected value \`${JSON.stringify(value)}\` for \`options.${key}\`, expected ${expected}`);
  };
  if (options.conflictWinner !== 'local' && options.conflictWinner !== 'remote') {
    fail('conflictWinner', options.conflictWinner, "'local' or 'remote'");
  }
  const { share, min } = options.deleteGuard ?? {};
  if (typeof share !== 'number' || !(share >= 0 && share <= 1))
    fail('deleteGuard.share', share, 'a number from 0 to 1');
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0) fail('deleteGuard.min', min, 'a whole number ≥ 0');
  if (typeof options.force !== 'boolean') fail('force', options.force, 'a boolean');
}
