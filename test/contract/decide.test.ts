// The pure listing rule the memory and filesystem backends share.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectRuns } from '../../src/contract/decide.js';
import type { RunStatus, WorkflowRun } from '../../src/contract/types.js';
import { parseListRuns } from '../../src/contract/validation.js';

const run = (id: string, created_at: string, status: RunStatus = 'pending', workflow_name = 'w'): WorkflowRun => ({
  id,
  workflow_name,
  status,
  user_message: '',
  metadata: {},
  created_at,
  updated_at: created_at,
});

describe('selectRuns', () => {
  const t1 = '2026-01-01T00:00:00.001Z';
  const t2 = '2026-01-01T00:00:00.002Z';
  const runs = [run('b', t2), run('a', t2, 'running'), run('Z', t2), run('z', t1, 'running', 'other'), run('B', t1)];
  const ids = (options?: object) => selectRuns(runs, parseListRuns(options)).map((r) => r.id);

  it('orders by created_at, then id in code-unit order (upper case before lower case)', () => {
    assert.deepEqual(ids(), ['B', 'z', 'Z', 'a', 'b']);
  });
  it('filters by status and by workflow_name, together', () => {
    assert.deepEqual(ids({ status: 'running' }), ['z', 'a']);
    assert.deepEqual(ids({ workflow_name: 'other' }), ['z']);
    assert.deepEqual(ids({ status: 'pending', workflow_name: 'other' }), []);
  });
  it('applies the limit after filtering and ordering', () => {
    assert.deepEqual(ids({ limit: 2 }), ['B', 'z']);
    assert.deepEqual(ids({ status: 'pending', limit: 2 }), ['B', 'Z']);
    assert.deepEqual(ids({ limit: 0 }), []);
  });
  it('leaves the runs it was given as they were', () => {
    const before = runs.map((r) => r.id);
    ids({ limit: 1 });
    assert.deepEqual(
      runs.map((r) => r.id),
      before,
    );
  });
});
