// The contract suite on the reference backends, through describeConformance: each Gherkin scenario is one
// node:test test, run in-process through the step definitions the conformance command uses. (This is the
// one contract suite; the matrix runs the same scenarios in child processes.) WFSTORE_BACKENDS selects
// backends, as for the other tests.

import { after, before, describe, it } from 'node:test';
import { describeConformance } from '../../src/conformance/describe-conformance.js';
import { selectedBackends } from '../support/backends.js';

for (const initializer of selectedBackends()) {
  describeConformance({
    test: { describe, it, before, after },
    initializer,
    source: { reference: initializer.name },
    propertyRuns: 50,
  });
}
