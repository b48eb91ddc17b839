/**
 * Taskade's limits, as the spec states them (spec/taskade-v1/api-0.1.0.json), defined once: the
 * client refuses what breaks them before sending, the parser warns about text over them, the
 * poller sizes its pages with them and the simulator enforces them.
 */
export const LIMITS = {
  /** POST …/tasks/ `tasks.maxItems` */
  createBatch: 20,
  /** `content.maxLength` on create and update (JSON Schema counts code points) */
  contentLength: 2000,
  /** GET …/tasks `limit.maximum` */
  pageSize: 1000,
  /** GET …/tasks `limit.default` */
  defaultPageSize: 100,
} as const;
