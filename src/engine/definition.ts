// A workflow is a set of nodes, each with an id, its dependencies and a function from its
// dependencies' outputs to its own JSON output. Checked whole before anything is created.

import type { JsonValue } from '../contract/types.js';
import { validateId } from '../contract/validation.js';

export interface NodeContext {
  runId: string;
  nodeId: string;
}

export interface NodeDefinition {
  id: string;
  dependsOn?: readonly string[];
  /** Receives its dependencies' outputs keyed by node id; returns its JSON output. */
  run: (inputs: Record<string, JsonValue>, context: NodeContext) => Promise<JsonValue> | JsonValue;
}

export interface WorkflowDefinition {
  name: string;
  nodes: readonly NodeDefinition[];
}

export class WorkflowDefinitionError extends Error {
  constructor(
    message: string,
    readonly nodes: readonly string[],
  ) {
    super(message);
    this.name = 'WorkflowDefinitionError';
  }
}

/**
 * Refuses duplicate ids, invalid ids, missing dependencies and cycles, naming the nodes. Returns a topological order.
 */
export function checkWorkflow(workflow: WorkflowDefinition): string[] {
  const byId = new Map<string, NodeDefinition>();
  for (const node of workflow.nodes) {
    try {
      validateId(node.id, 'node id');
    } catch {
      throw new WorkflowDefinitionError(
        `workflow "${workflow.name}": ${JSON.stringify(node.id)} is not a valid node id`,
        [String(node.id)],
      );
    }
    if (byId.has(node.id))
      throw new WorkflowDefinitionError(`workflow "${workflow.name}": node "${node.id}" is defined twice`, [node.id]);
    byId.set(node.id, node);
  }
  for (const node of workflow.nodes) {
    const missing = (node.dependsOn ?? []).filter((dep) => !byId.has(dep));
    if (missing.length > 0) {
      const names = missing.map((m) => `"${m}"`).join(', ');
      throw new WorkflowDefinitionError(
        `workflow "${workflow.name}": node "${node.id}" depends on ${names}, ` +
          `which ${missing.length === 1 ? 'is' : 'are'} not defined`,
        [node.id, ...missing],
      );
    }
  }
  // Depth-first search; a node met again while still on the path closes a cycle.
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new WorkflowDefinitionError(
        `workflow "${workflow.name}": the dependencies form a cycle: ${cycle.join(' → ')}`,
        cycle.slice(0, -1),
      );
    }
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of byId.get(id)!.dependsOn ?? []) visit(dep);
    path.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const node of workflow.nodes) visit(node.id);
  return order;
}
