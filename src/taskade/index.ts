/** The Taskade edge: typed v1 client, its errors, and the rate-aware request queue. */
export {
  TaskadeClient,
  type CallOptions,
  type ListTasksOptions,
  type ListTasksPageOptions,
  type TaskadeClientOptions,
} from './client.js';
export type { NormalisedTask, RootNodeMode, TaskList } from './tolerate.js';
export { TaskadeError, isTaskadeError, toSyncError, type TaskadeErrorCode, type TaskadeErrorKind } from './errors.js';
export {
  RequestQueue,
  watchSends,
  type SendWatch,
  type Priority,
  type QueuedRequest,
  type RequestQueueOptions,
  type RequestQueueStats,
} from './request-queue.js';
export { queueFromMemory, rememberRate, tokenKey, type RateMemoryStore } from './rate-memory.js';
export { systemClock, VirtualClock, type Clock } from '../model/clock.js';
export * from './types.js';
export { LIMITS } from './limits.js';
