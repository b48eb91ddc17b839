/** The backend contract against the in-memory fake the engine tests use. */
import type { TaskadeClient } from '../../src/taskade/client.js';
import { MemoryTaskade, type TaskadeBackend } from '../support/memory-taskade.js';
import { describeTaskadeBackend } from './taskade-backend.contract.js';

// The fake has the client's signatures for every call the engine makes (a compile-time check).
const _sameSignatures: Pick<TaskadeClient, keyof TaskadeBackend> = new MemoryTaskade();
void _sameSignatures;

describeTaskadeBackend('MemoryTaskade', async () => {
  const memory = new MemoryTaskade();
  return { backend: memory, seedProject: (input) => memory.seedProject(input), close: async () => {} };
});
