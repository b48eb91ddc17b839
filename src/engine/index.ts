/** The engine: one sync pass over linked files (read → plan → apply → commit). */
export { syncOnce, summarise } from './sync-once.js';
export { syncFile, FatalRunError, type FileRunContext } from './sync-file.js';
export { discoverLinkedFiles, missingLinkedFiles, type LinkedFile } from './discover.js';
export { fsNotes, type TaskadePort, type NotesPort, type JournalPort, type Clock } from './ports.js';
export { localView, type LocalView } from './local-view.js';
export { ShortIdIndex, crowdedIds } from './short-id-index.js';
export {
  subresourceTargets,
  readRemote,
  readTaskDetails,
  remoteText,
  dueFromApi,
  type TaskDetails,
} from './remote-view.js';
export {
  applyRemote,
  createPlacement,
  moveTarget,
  type ApplyRemoteInput,
  type ApplyRemoteResult,
} from './apply-remote.js';
export { RemoteMirror } from './remote-mirror.js';
export { hashTaskList, type ListShape } from './list-hash.js';
export { RequestCounter } from './request-counter.js';
export { writeFileIfUnchanged } from './write-file.js';
export { readNote } from './read-note.js';
export { realPathInsideRoot } from './root-guard.js';
export { safeSegment, pathInsideRoot } from './safe-name.js';
export type { EngineDeps, FileReport, LogEvent, Logger, SyncReport, SyncRequest } from './types.js';
