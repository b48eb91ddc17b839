export { Journal } from './journal.js';
export { hashContent, hashField } from './hash.js';
export { acquireLock, lockFilePath, readLock, type AcquireOptions, type LockHandle, type LockInfo } from './lock.js';
export { LATEST_VERSION } from './migrations.js';
export type {
  AssigneeWrite,
  ConflictRow,
  Intent,
  IntentAnswer,
  Link,
  MoveRow,
  PollState,
  ProjectMembers,
  RateMemory,
  RunKind,
  RunOutcome,
  RunRow,
} from './types.js';
export { probeJournal, type JournalProbe } from './probe.js';
