// Steps about the outcome of the last call: success, its value, or the error and its code.

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ERROR_CODES, WorkflowStoreError, type WorkflowStoreErrorCode } from '../src/contract/errors.js';
import type { StoreWorld } from './support/world.js';

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
  const names = [error.message, error.field ?? '', error.runId ?? ''];
  assert.ok(
    names.some((n) => n.includes(named)),
    `the error does not name "${named}": ${error.message}`,
  );
});

Then(
  'the call fails with INVALID_TRANSITION from {string} to {string}',
  function (this: StoreWorld, from: string, to: string) {
    const error = this.failedWith('INVALID_TRANSITION');
    assert.equal(error.from, from);
    assert.equal(error.to, to);
  },
);

Then('the error is a WorkflowStoreError with code {word}', function (this: StoreWorld, name: string) {
  assert.ok(this.error instanceof WorkflowStoreError, `not a WorkflowStoreError: ${String(this.error)}`);
  assert.ok(this.error instanceof Error);
  assert.equal(this.error.code, code(name));
});

Then('the error message names {string}', function (this: StoreWorld, named: string) {
  assert.ok(this.error instanceof Error, 'the call did not fail');
  assert.ok(this.error.message.includes(named), `the message does not name "${named}": ${this.error.message}`);
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
