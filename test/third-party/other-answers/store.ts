/**
 * The third-party store (../store.ts) answering the cases contract 1.2 decides the other way, as a store
 * written from the text of 1.1 could: the stored data before the input — RUN_NOT_FOUND for an event with a
 * bad type on an unknown run, RUN_ALREADY_EXISTS for a taken id with bad text (WF-ERR-5) — and `null`
 * arguments and an omitted patch taken as absent (WF-VAL-16). Judged by 1.1 it conforms; by 1.2 it does not.
 */
import { types } from 'node:util';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { StoreError } from '../store.js';

/** An own data property of an input object, read without running a getter or a Proxy trap. */
function ownValue(input: unknown, key: string): unknown {
  if (typeof input !== 'object' || input === null || types.isProxy(input)) return undefined;
  return Object.getOwnPropertyDescriptor(input, key)?.value;
}

/** Whether the run exists; undefined when `id` is no run id the store accepts. */
async function exists(store: IWorkflowStore, id: unknown): Promise<boolean | undefined> {
  try {
    return (await store.getWorkflowRun(id as string)) !== null;
  } catch {
    return undefined;
  }
}

/**
 * The stored data answers first: when `call` is refused as INVALID_INPUT, the error `stored` gives, if any.
 * A refused call wrote nothing, so asking after it is asking before it.
 */
async function storedDataFirst<T>(call: Promise<T>, stored: () => Promise<StoreError | undefined>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'INVALID_INPUT') throw error;
    throw (await stored()) ?? error;
  }
}

const notFound = (id: unknown) => new StoreError('RUN_NOT_FOUND', `there is no run with id "${String(id)}"`);

async function unknownRun(store: IWorkflowStore, id: unknown): Promise<StoreError | undefined> {
  return (await exists(store, id)) === false ? notFound(id) : undefined;
}

export function answeringOtherwise(store: IWorkflowStore): IWorkflowStore {
  // null for an optional argument, and no patch, taken as absent (WF-VAL-16 refuses both).
  const absent = <T>(value: T): NonNullable<T> | undefined => value ?? undefined;
  return {
    createWorkflowRun(input) {
      const id = ownValue(input, 'id');
      return storedDataFirst(store.createWorkflowRun(input), async () =>
        (await exists(store, id))
          ? new StoreError('RUN_ALREADY_EXISTS', `a run with id "${String(id)}" exists`)
          : undefined,
      );
    },
    getWorkflowRun: (id) => store.getWorkflowRun(id),
    listWorkflowRuns: (options) => store.listWorkflowRuns(absent(options)),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, patch ?? {}, absent(options)),
    deleteWorkflowRun: (id) => store.deleteWorkflowRun(id),
    createWorkflowEvent(input) {
      const runId = ownValue(input, 'run_id');
      return storedDataFirst(store.createWorkflowEvent(input), () => unknownRun(store, runId));
    },
    listWorkflowEvents: (runId, options) =>
      storedDataFirst(store.listWorkflowEvents(runId, absent(options)), () => unknownRun(store, runId)),
    getCompletedDagNodeOutputs: (runId) => store.getCompletedDagNodeOutputs(runId),
    close: () => store.close(),
  };
}
