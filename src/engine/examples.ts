// Example workflows for the conformance scenarios, the demo and the resume tests.

import type { JsonValue } from '../contract/types.js';
import type { NodeContext, WorkflowDefinition } from './definition.js';

export interface Counted {
  workflow: WorkflowDefinition;
  /** How many times each node's function ran. */
  runs: Map<string, number>;
}

/**
 * fetch → parse → transform. `transform` fails its first `failTransform` attempts, so a run fails
 * once and a resume completes it.
 */
export function threeSteps(options: { failTransform?: number } = {}): Counted {
  const runs = new Map<string, number>();
  let transformFailuresLeft = options.failTransform ?? 0;
  const count = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1);
  return {
    runs,
    workflow: {
      name: 'three-steps',
      nodes: [
        {
          id: 'fetch',
          run: () => {
            count('fetch');
            return { rows: 3 };
          },
        },
        {
          id: 'parse',
          dependsOn: ['fetch'],
          run: ({ fetch }) => {
            count('parse');
            return Array.from({ length: (fetch as { rows: number }).rows }, (_, i) => i + 1);
          },
        },
        {
          id: 'transform',
          dependsOn: ['parse'],
          run: async ({ parse }) => {
            count('transform');
            if (transformFailuresLeft > 0) {
              transformFailuresLeft--;
              throw new Error('transform: the upstream service timed out');
            }
            return (parse as number[]).map((n) => n * 2) as JsonValue;
          },
        },
      ],
    },
  };
}

/** A promise and the function that settles it. */
function signal<T = void>(): { fire: (value: T) => void; fired: Promise<T> } {
  let fire!: (value: T) => void;
  const fired = new Promise<T>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

export interface Held {
  workflow: WorkflowDefinition;
  /** The i-th call of "parse" has begun; resolves with its run's id. */
  began: (call: number) => Promise<string>;
  /** Lets the i-th call of "parse" return. */
  release: (call: number) => void;
}

/**
 * fetch → parse → transform, where each call of "parse" waits until the caller releases it: a worker stuck in
 * a node for as long as a demo or a test wants (calls counted from 0).
 */
export function heldThreeSteps(calls = 2): Held {
  const began = Array.from({ length: calls }, () => signal<string>());
  const released = Array.from({ length: calls }, () => signal());
  let call = 0;
  const { workflow } = threeSteps();
  const nodes = workflow.nodes.map((node) =>
    node.id !== 'parse'
      ? node
      : {
          ...node,
          run: async (inputs: Record<string, JsonValue>, context: NodeContext) => {
            const at = call++;
            began[at]?.fire(context.runId);
            await released[at]?.fired;
            return node.run(inputs, context);
          },
        },
  );
  return {
    workflow: { ...workflow, nodes },
    began: (at) => began[at]!.fired,
    release: (at) => released[at]!.fire(),
  };
}
