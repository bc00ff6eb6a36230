// Child process for the kill -9 resume check: runs "three-steps" whose transform never ends, on the store
// at <address as JSON>, as run <runId>, with an engine of contract <version>. The parent kills it
// mid-workflow.

import { WorkflowEngine } from '../../engine/engine.js';
import { threeSteps } from '../../engine/examples.js';
import { isContractVersion } from '../clauses.js';
import { openAddress } from './open-location.js';
import type { StoreAddress } from './processes.js';

const [address, runId, contract] = process.argv.slice(2);
const store = await openAddress(JSON.parse(address!) as StoreAddress);
const { workflow } = threeSteps();
// The process is killed while transform runs. (A pending timer, not a bare promise: with nothing pending
// Node would end the process itself.)
const hangs = () => new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_600_000));
const nodes = workflow.nodes.map((node) => (node.id === 'transform' ? { ...node, run: hangs } : node));
const version = isContractVersion(contract) ? contract : undefined;
await new WorkflowEngine(store, { concurrency: 1, contract: version }).start({ ...workflow, nodes }, { runId: runId! });
