// Child process for the kill -9 resume check: runs "three-steps" with a transform that never ends,
// on a reference store at <address as JSON>, as run <runId>. The parent kills it mid-workflow.

import { WorkflowEngine } from '../engine/engine.js';
import { threeSteps } from '../engine/examples.js';
import { openAddress } from './open-location.js';
import type { StoreAddress } from './processes.js';

const [location, runId] = process.argv.slice(2);
const store = await openAddress(JSON.parse(location!) as StoreAddress);
await new WorkflowEngine(store, { concurrency: 1 }).start(threeSteps({ transformHangs: true }).workflow, {
  runId: runId!,
});
