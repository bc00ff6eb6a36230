import type { JsonObject } from '../../src/contract/types.js';
import { eachRun, mutant } from './mutant.js';

// An update replaces the metadata with the patch instead of merging it (kept beside the data).
export default mutant({
  name: 'metadata-replaced',
  rule: 'WF-UPD-1',
  breaks: 'a metadata patch replaces the metadata instead of merging into it',
  wrap: (store, kept) => {
    const replaced = kept('replaced metadata', () => new Map<string, JsonObject>());
    const shown = <T>(value: T): T =>
      eachRun(value, (run) => {
        run.metadata = structuredClone(replaced.get(run.id) ?? run.metadata);
      });
    return {
      async updateWorkflowRun(id, patch, options) {
        const run = await store.updateWorkflowRun(id, patch, options);
        if (patch?.metadata !== undefined) replaced.set(run.id, structuredClone(patch.metadata));
        return shown(run);
      },
      getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
      listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
      async deleteWorkflowRun(id) {
        replaced.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});
