export { plan } from './plan.js';
export { DEFAULT_PLAN_OPTIONS } from './types.js';
export type {
  Conflict,
  LocalTask,
  MoveConflict,
  PendingConflict,
  Plan,
  PlanGuard,
  PlanInput,
  PlanOptions,
  PlanStats,
  RemoteOp,
} from './types.js';
