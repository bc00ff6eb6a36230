import assert from 'node:assert/strict';
import { StoreOpenError, WorkflowStoreError, type WorkflowStoreErrorCode } from '../../src/contract/errors.js';

/** Awaits a call that must fail with a WorkflowStoreError of this code; returns the error. */
export async function rejectsWith(call: Promise<unknown>, code: WorkflowStoreErrorCode): Promise<WorkflowStoreError> {
  try {
    const value = await call;
    assert.fail(`expected ${code}, but the call succeeded with ${JSON.stringify(value)?.slice(0, 200)}`);
  } catch (error) {
    if (!(error instanceof WorkflowStoreError)) throw error;
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return error;
  }
}

/** Awaits a store factory that must refuse with a StoreOpenError naming `option`; returns the error. */
export async function refusedAtOpen(
  open: Promise<{ close(): Promise<void> }>,
  option: string,
): Promise<StoreOpenError> {
  try {
    const store = await open;
    await store.close();
    assert.fail(`expected a StoreOpenError naming ${option}, but the store opened`);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    assert.match(error.message, new RegExp(`\\b${option}\\b`), `the message names ${option}`);
    return error;
  }
}

/** Deep-equal including key order, against what JSON itself would give back. */
export function assertSameJson(actual: unknown, sent: unknown): void {
  const expected: unknown = JSON.parse(JSON.stringify(sent));
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), 'same keys in the same order');
}
