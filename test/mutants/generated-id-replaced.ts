import { randomUUID } from 'node:crypto';
import { ID_PATTERN } from '../../src/contract/limits.js';
import { mutant } from './mutant.js';

// Falls back to a UUID of its own when its id source gives something that is not an identifier: the run
// is created instead of createWorkflowRun failing with BACKEND_FAILURE.
export default mutant({
  name: 'generated-id-replaced',
  rule: 'WF-DET-2',
  breaks: 'a generated id that is not an identifier is replaced by a UUID and the run created, not BACKEND_FAILURE',
  needs: ['ids'],
  opens: ({ generateId, ...offered }) => ({
    ...offered,
    generateId:
      generateId &&
      (() => {
        const id = generateId();
        return ID_PATTERN.test(id) ? id : randomUUID();
      }),
  }),
  wrap: () => ({}),
});
