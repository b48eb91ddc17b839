export { plan } from './plan.js';
export { alignWithBase, lcs } from './align.js';
export { adoptIntents, type Adoption, type AdoptResult } from './adopt.js';
export { nextBase, baseWithoutFileWrite, type BaseInputs } from './next-base.js';
export { scheduleOps } from './schedule.js';
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
