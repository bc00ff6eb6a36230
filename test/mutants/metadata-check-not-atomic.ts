import { differingKey, metadataConflict } from '../../src/contract/decide.js';
import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant, ownField, tick } from './mutant.js';

// Reads the run, compares its metadata, then writes in a second step without the condition: two updates
// expecting the same token can both pass the check before either writes.
export default mutant({
  name: 'metadata-check-not-atomic',
  rule: 'WF-CAS-3',
  breaks: 'expected_metadata is checked on a read before the write, not atomically with it',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      if (ownField(options, 'expected_metadata') === undefined) return store.updateWorkflowRun(id, patch, options);
      const request = parseUpdateRun(id, patch, options);
      const run = await store.getWorkflowRun(request.id);
      if (run === null || request.expected_status !== undefined) return store.updateWorkflowRun(id, patch, options);
      const key = differingKey(run.metadata, request.expected_metadata);
      if (key !== undefined) throw metadataConflict(run.id, key);
      await tick();
      const { expected_metadata: _checked, ...rest } = options!;
      return store.updateWorkflowRun(id, patch, rest);
    },
  }),
});
