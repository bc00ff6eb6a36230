// Every reference backend of the registry runs the contract suite: test/backends/<name>/conformance.test.ts
// exists and calls describeReference with its name.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES } from '../../src/backends/registry.js';

const BACKENDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'backends');

it('each backend of the registry has test/backends/<name>/conformance.test.ts running its suite', () => {
  for (const name of BACKEND_NAMES) {
    const file = path.join(BACKENDS_DIR, name, 'conformance.test.ts');
    assert.ok(existsSync(file), `${path.relative(process.cwd(), file)} is missing`);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`describeReference\\('${name}'\\)`), file);
  }
});
