// The contract suite (every scenario that applies) on the memory backend: test/conformance/reference.ts.

import { describeReference } from '../../conformance/reference.js';

describeReference('memory');
