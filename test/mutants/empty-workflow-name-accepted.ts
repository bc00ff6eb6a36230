import { mutant, runOverlay } from './mutant.js';

// Checks only the upper bound of workflow_name: an empty name is accepted, kept beside the data.
export default mutant({
  name: 'empty-workflow-name-accepted',
  rule: 'WF-VAL-8',
  breaks: 'an empty workflow_name is accepted instead of INVALID_INPUT',
  wrap: (store, kept) => {
    const overlay = runOverlay(store, kept, 'empty names');
    return {
      ...overlay.methods,
      async createWorkflowRun(input) {
        if (input?.workflow_name !== '') return store.createWorkflowRun(input);
        const run = await store.createWorkflowRun({ ...input, workflow_name: 'n' });
        overlay.fields.set(run.id, { workflow_name: '' });
        return overlay.shown(run);
      },
    };
  },
});
