import { WORKFLOW_NAME_MAX_LENGTH } from '../../src/contract/limits.js';
import { mutant, runOverlay } from './mutant.js';

// Counts workflow_name in characters (code points), not UTF-16 code units: a name of 129 characters outside
// the BMP (258 code units) is accepted, the name kept beside the data.
export default mutant({
  name: 'workflow-name-in-code-points',
  rule: 'WF-VAL-8',
  breaks: 'workflow_name is limited to 256 code points, not 256 UTF-16 code units',
  wrap: (store, kept) => {
    const overlay = runOverlay(store, kept, 'long names');
    return {
      ...overlay.methods,
      async createWorkflowRun(input) {
        const name = input?.workflow_name;
        const over = typeof name === 'string' && name.length > WORKFLOW_NAME_MAX_LENGTH;
        if (!over || [...name].length > WORKFLOW_NAME_MAX_LENGTH) return store.createWorkflowRun(input);
        const run = await store.createWorkflowRun({ ...input, workflow_name: 'n' });
        overlay.fields.set(run.id, { workflow_name: name });
        return overlay.shown(run);
      },
    };
  },
});
