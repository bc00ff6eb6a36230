import type { JsonValue } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Takes a resume (failed → running) for a fresh start: the outputs of the nodes completed before it are no
// longer returned, so an engine runs those nodes again. Only an engine resuming a run meets it.
export default mutant({
  name: 'resume-clears-outputs',
  rule: 'WF-ENG-1',
  breaks: 'outputs completed before a resume are dropped (a clause of WF-OUT-3): the engine reruns their nodes',
  wrap: (store, kept) => {
    const resumedAfter = kept('sequence at resume', () => new Map<string, number>());
    return {
      async updateWorkflowRun(id, patch, options) {
        const before = await store.getWorkflowRun(id).catch(() => null);
        const run = await store.updateWorkflowRun(id, patch, options);
        if (before?.status === 'failed' && run.status === 'running') {
          const events = await store.listWorkflowEvents(run.id);
          resumedAfter.set(run.id, events.at(-1)?.sequence ?? 0);
        }
        return run;
      },
      async getCompletedDagNodeOutputs(runId) {
        const outputs = await store.getCompletedDagNodeOutputs(runId);
        const after = resumedAfter.get(runId);
        if (after === undefined) return outputs;
        const kept = new Map<string, JsonValue>();
        for (const e of await store.listWorkflowEvents(runId, { after_sequence: after })) {
          const node = e.payload.node_id;
          if (e.event_type === 'node_completed' && typeof node === 'string') kept.set(node, outputs.get(node)!);
        }
        return kept;
      },
      async deleteWorkflowRun(id) {
        resumedAfter.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});
