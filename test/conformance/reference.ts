// The contract suite on one reference backend, through describeConformance: each Gherkin scenario is one
// node:test test, run in-process through the step definitions the conformance command uses (the matrix
// runs the same scenarios in child processes). Each backend's folder has a conformance.test.ts calling
// this, so the backends run as separate files, at the same time; reference.test.ts checks that none is
// missing. A backend left out of WFSTORE_BACKENDS is skipped, saying so.

import { after, before, describe, it } from 'node:test';
import type { BackendName } from '../../src/backends/registry.js';
import { describeConformance } from '../../src/conformance/describe-conformance.js';
import { selectedBackends } from '../support/backends.js';

export function describeReference(name: BackendName): void {
  const initializer = selectedBackends().find((b) => b.name === name);
  if (initializer === undefined) {
    describe(`wfstore conformance: ${name}`, { skip: `${name} is not among WFSTORE_BACKENDS` }, () => {});
    return;
  }
  describeConformance({
    test: { describe, it, before, after },
    initializer,
    source: { reference: initializer.name },
    propertyRuns: 50,
  });
}
