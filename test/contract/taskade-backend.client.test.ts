/** The backend contract against the real client over the simulator, every exchange checked against the spec. */
import { TaskadeClient } from '../../src/taskade/client.js';
import { RequestQueue } from '../../src/taskade/request-queue.js';
import { startCheckedSimulator } from '../support/simulator.js';
import { describeTaskadePort } from './taskade-backend.contract.js';

describeTaskadePort('TaskadeClient over the checked simulator', async () => {
  let afterPage: ((projectId: string) => void) | undefined;
  const sim = await startCheckedSimulator({
    onExchange: (e) => {
      if (afterPage === undefined || e.method !== 'GET' || e.route !== '/projects/{projectId}/tasks') return;
      if (e.status === 200) afterPage(decodeURIComponent(e.path.split('/')[2]!));
    },
  });
  // A roomy budget: the suite pins behaviour, not pacing.
  const queue = new RequestQueue({ requestsPerMinute: 6_000, baseBackoffMs: 5, maxBackoffMs: 20 });
  const client = new TaskadeClient({ baseUrl: sim.baseUrl, token: sim.token, queue });
  return {
    backend: client,
    seedProject: (input) => sim.seedProject(input),
    afterPage: (hook) => {
      afterPage = hook;
    },
    moveTask: (projectId, taskId, target) => sim.moveTask(projectId, taskId, target),
    close: async () => {
      await client.close();
      await sim.close();
    },
  };
});
