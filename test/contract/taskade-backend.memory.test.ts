/** The backend contract against the in-memory fake the engine tests use. */
import type { TaskadeClient } from '../../src/taskade/client.js';
import type { TaskadePort } from '../../src/engine/ports.js';
import { MemoryTaskade } from '../support/memory-taskade.js';
import { describeTaskadePort } from './taskade-backend.contract.js';

// The fake has the client's signatures for every call the engine makes (a compile-time check).
const _sameSignatures: Pick<TaskadeClient, keyof TaskadePort> = new MemoryTaskade();
void _sameSignatures;

describeTaskadePort('MemoryTaskade', async () => {
  const memory = new MemoryTaskade();
  return {
    backend: memory,
    seedProject: (input) => memory.seedProject(input),
    afterPage: (hook) => {
      memory.afterPage = hook;
    },
    moveTask: (projectId, taskId, target) =>
      memory.store.move(memory.store.project(projectId), taskId, target.taskId, target.position),
    close: async () => {},
  };
});
