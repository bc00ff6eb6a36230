import { jsonEqual, metadataConflict } from '../../src/contract/decide.js';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { JsonObject } from '../../src/contract/types.js';
import { mutant, ownField } from './mutant.js';

// Checks every expected key and reports the last one that differed, not the first in the order given.
export default mutant({
  name: 'conflict-names-last-key',
  rule: 'WF-CAS-3',
  breaks: 'a conflict on expected metadata names the last key that differed, not the first',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      try {
        return await store.updateWorkflowRun(id, patch, options);
      } catch (error) {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT') || !error.field?.startsWith('metadata.')) throw error;
        const stored = (await store.getWorkflowRun(id))!.metadata;
        const expected = ownField(options, 'expected_metadata') as JsonObject;
        const differing = Object.keys(expected).filter(
          (k) => !Object.hasOwn(stored, k) || !jsonEqual(stored[k]!, expected[k]!),
        );
        throw metadataConflict(id, differing.at(-1)!);
      }
    },
  }),
});
