// The contract suite (every scenario that applies) on the filesystem backend: test/conformance/reference.ts.

import { describeReference } from '../../conformance/reference.js';

describeReference('filesystem');
