// The contract suite (every scenario that applies) on the sqlite backend: test/conformance/reference.ts. The
// suite is this file's own, so that node's reporters place its tests in this file.

import { describe } from 'node:test';
import { describeReference } from '../../conformance/reference.js';

describe('reference backend', () => describeReference('sqlite'));
