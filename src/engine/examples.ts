// Example workflows for the conformance scenarios, the demo and the resume tests.

import type { JsonValue } from '../contract/types.js';
import type { WorkflowDefinition } from './definition.js';

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
