// Steps about the outcome of the last call: success, its value, or the error and its code.

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ERROR_CODES, type WorkflowStoreErrorCode } from '../src/contract/errors.js';
import { type ContractError, preview, type StoreWorld } from './support/world.js';

/**
 * WF-ERR-3 and WF-ERR-4 (SHOULD): the message names what the error is about, and the error carries it as
 * `field` (INVALID_INPUT, a JSON path) or `runId`.
 */
export function recommendNaming(world: StoreWorld, error: ContractError, named: string): void {
  world.recommend('WF-ERR-3', () =>
    assert.ok(String(error.message).includes(named), `the message does not name "${named}": ${error.message}`),
  );
  if (error.code === 'INVALID_INPUT') {
    world.recommend('WF-ERR-4', () =>
      assert.ok(
        typeof error.field === 'string' && error.field.includes(named),
        `the error's "field" is ${preview(error.field)}: it does not hold the path ${JSON.stringify(named)}`,
      ),
    );
  } else if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(named)) {
    world.recommend('WF-ERR-4', () =>
      assert.equal(error.runId, named, `the error's "runId" is ${preview(error.runId)}, not "${named}"`),
    );
  }
}

function code(name: string): WorkflowStoreErrorCode {
  assert.ok(
    (ERROR_CODES as readonly string[]).includes(name),
    `"${name}" is not an error code (${ERROR_CODES.join(', ')})`,
  );
  return name as WorkflowStoreErrorCode;
}

Then('the call succeeds', function (this: StoreWorld) {
  this.succeeded();
});

Then('the call returns {word}', function (this: StoreWorld, literal: string) {
  assert.equal(this.succeeded(), JSON.parse(literal));
});

Then('the call fails with {word}', function (this: StoreWorld, name: string) {
  this.failedWith(code(name));
});

Then('the call fails with {word} naming {string}', function (this: StoreWorld, name: string, named: string) {
  const error = this.failedWith(code(name));
  recommendNaming(this, error, named);
});

Then(
  'the call fails with INVALID_TRANSITION from {string} to {string}',
  function (this: StoreWorld, from: string, to: string) {
    const error = this.failedWith('INVALID_TRANSITION');
    assert.equal(error.from, from, `the error's "from" is the stored status (WF-TRN-2)`);
    assert.equal(error.to, to, `the error's "to" is the requested status (WF-TRN-2)`);
  },
);

Then('the error is a WorkflowStoreError with code {word}', function (this: StoreWorld, name: string) {
  assert.ok(this.error instanceof Error, `the thrown value is an Error (WF-ERR-1), got ${preview(this.error)}`);
  this.failedWith(code(name));
});

Then('the error message names {string}', function (this: StoreWorld, named: string) {
  assert.ok(this.error !== undefined, 'the call did not fail');
  const message = String((this.error as Error).message);
  this.recommend('WF-ERR-3', () =>
    assert.ok(message.includes(named), `the message does not name "${named}": ${message}`),
  );
});

// "<operation> is called for the unknown run <id>": every operation that takes a run id.
When('{word} is called for the unknown run {string}', function (this: StoreWorld, operation: string, id: string) {
  const s = this.store;
  const calls: Record<string, () => Promise<unknown>> = {
    getWorkflowRun: () => s.getWorkflowRun(id),
    updateWorkflowRun: () => s.updateWorkflowRun(id, { status: 'running' }),
    deleteWorkflowRun: () => s.deleteWorkflowRun(id),
    createWorkflowEvent: () => s.createWorkflowEvent({ run_id: id, event_type: 'workflow_started' }),
    listWorkflowEvents: () => s.listWorkflowEvents(id),
    getCompletedDagNodeOutputs: () => s.getCompletedDagNodeOutputs(id),
  };
  const call = calls[operation];
  assert.ok(call !== undefined, `"${operation}" is not an operation taking a run id`);
  return this.attempt(call);
});
