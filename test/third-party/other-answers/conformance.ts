/**
 * The conformance initializer of the third-party store answering the cases 1.2 decides the other way
 * (./store.ts), pinned to contract 1.1: the third-party initializer (../conformance.ts), each store wrapped.
 */
import type { IWorkflowStore } from '../../../src/contract/types.js';
import type { StoreTestInitializer } from '../../../src/conformance/initializer.js';
import thirdParty from '../conformance.js';
import { answeringOtherwise } from './store.js';

/** The third-party store under each wrapper, to reopen or destroy it. */
const inner = new WeakMap<IWorkflowStore, IWorkflowStore>();

function wrap(store: IWorkflowStore): IWorkflowStore {
  const wrapped = answeringOtherwise(store);
  inner.set(wrapped, store);
  return wrapped;
}

function innerOf(store: IWorkflowStore): IWorkflowStore {
  const found = inner.get(store);
  if (found === undefined) throw new Error('this store was not opened by this initializer');
  return found;
}

const initializer: StoreTestInitializer = {
  name: 'third-party-other-answers',
  contract: '1.1',
  supports: { reopen: true },
  createStore: async (options) => wrap(await thirdParty.createStore(options)),
  reopenStore: async (store) => wrap(await thirdParty.reopenStore!(innerOf(store))),
  destroyStore: async (store) => thirdParty.destroyStore!(innerOf(store)),
};

export default initializer;
