import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SyncError } from '../model/errors.js';

/**
 * The one place better-sqlite3's native module is loaded (on the first `new Database`). When it
 * cannot be — never compiled because npm skipped its install script, or compiled for another
 * Node.js — every engine command would fail with "Could not locate the bindings file"; here that
 * becomes a CONFIG error (exit 2) that says what to run.
 */

export type DatabaseOpener = (file: string) => Database.Database;

const defaultOpener: DatabaseOpener = (file) => new Database(file);
let opener: DatabaseOpener = defaultOpener;

/** For tests: open databases through `open` (null restores better-sqlite3). */
export function setDatabaseOpener(open: DatabaseOpener | null): void {
  opener = open ?? defaultOpener;
}

/** The package root (two levels above this file in `src/` and `dist/` alike): where `npm rebuild` runs. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** True for the errors a missing or mismatched native module gives (bindings, dlopen, ABI). */
export function isNativeLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (
    code === 'ERR_DLOPEN_FAILED' ||
    /Could not locate the bindings file|NODE_MODULE_VERSION|better_sqlite3\.node/.test(error.message)
  );
}

export function nativeModuleError(error: Error, root = PACKAGE_ROOT): SyncError {
  const first = error.message.split('\n')[0]?.trim() ?? '';
  return new SyncError(
    'CONFIG',
    `the SQLite module better-sqlite3 is not built for this Node.js ${process.version} (${first}); ` +
      'npm compiles it with its install script, which was skipped or ran for another Node.js. ' +
      `Fix: cd '${root}' && npm rebuild better-sqlite3 ` +
      '(a global install: reinstall with npm install -g … --allow-scripts=better-sqlite3; README "Installing")',
    { module: 'better-sqlite3', node: process.version, packageRoot: root },
    { cause: error },
  );
}

/** `new Database(file)`, with a load failure of the native module turned into `nativeModuleError`. */
export function openDatabase(file: string): Database.Database {
  try {
    return opener(file);
  } catch (error) {
    if (isNativeLoadError(error)) throw nativeModuleError(error as Error);
    throw error;
  }
}
