// Every step and hook: an assertion message node generated is said from the store's side ("the store
// returned 0, the contract expects 10000"), so a failure names which value is the store's.

import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import { storeSided } from '../../src/conformance/support/store-sided.js';

setDefinitionFunctionWrapper(
  (code: (...args: unknown[]) => unknown) =>
    async function (this: unknown, ...args: unknown[]) {
      try {
        return await code.apply(this, args);
      } catch (error) {
        throw storeSided(error);
      }
    },
);
