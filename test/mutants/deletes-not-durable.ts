import { runNotFound } from '../../src/contract/errors.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Holds deletes in memory and applies them with the next write; close() forgets them, so a run deleted
// just before a reopen comes back. Until then the deleted run is unknown, as it should be.
export default mutant({
  name: 'deletes-not-durable',
  rule: 'WF-DUR-1',
  breaks: 'a delete not followed by another write is lost when the store is closed and reopened',
  wrap: (store) => {
    const deleted = new Set<string>();
    const gone = <T>(id: string, value: T): T => {
      if (deleted.has(id)) throw runNotFound(id);
      return value;
    };
    async function flush() {
      for (const id of deleted) await store.deleteWorkflowRun(id);
      deleted.clear();
    }
    const writing =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A) => {
        await flush();
        return call(...args);
      };
    return {
      createWorkflowRun: writing((input: Parameters<IWorkflowStore['createWorkflowRun']>[0]) =>
        store.createWorkflowRun(input),
      ),
      updateWorkflowRun: writing((...args: Parameters<IWorkflowStore['updateWorkflowRun']>) =>
        store.updateWorkflowRun(...args),
      ),
      createWorkflowEvent: writing((...args: Parameters<IWorkflowStore['createWorkflowEvent']>) =>
        store.createWorkflowEvent(...args),
      ),
      async deleteWorkflowRun(id) {
        const exists = (await store.getWorkflowRun(id)) !== null && !deleted.has(id);
        if (exists) deleted.add(id);
        return exists;
      },
      getWorkflowRun: async (id) => {
        const run = await store.getWorkflowRun(id);
        return deleted.has(id) ? null : run;
      },
      async listWorkflowRuns(options) {
        await store.listWorkflowRuns(options); // the same errors as the store's
        const { limit, ...filters } = options ?? {};
        const runs = (await store.listWorkflowRuns(filters)).filter((run) => !deleted.has(run.id));
        return limit === undefined ? runs : runs.slice(0, limit);
      },
      listWorkflowEvents: async (runId, options) => gone(runId, await store.listWorkflowEvents(runId, options)),
      getCompletedDagNodeOutputs: async (runId) => gone(runId, await store.getCompletedDagNodeOutputs(runId)),
    };
  },
});
