import { mutant } from './mutant.js';

// Makes a run's id from its workflow name: the second run of a workflow created without an id collides
// with the first.
export default mutant({
  name: 'generated-ids-collide',
  rule: 'WF-RUN-2',
  breaks: 'ids generated for runs created without one are not unique (made from the workflow name)',
  wrap: (store) => ({
    createWorkflowRun: (input) =>
      input?.id !== undefined || typeof input?.workflow_name !== 'string'
        ? store.createWorkflowRun(input)
        : store.createWorkflowRun({
            ...input,
            id: `run-${input.workflow_name.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 128),
          }),
  }),
});
