// loadInitializer's answer to a module whose default export is not an initializer: what it lacks, and every
// field an initializer may have.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadInitializer } from '../../src/conformance/load-initializer.js';

describe('loadInitializer on a default export that is not an initializer', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-load-'));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('says what is wrong and names the required and the optional fields, contract and about among them', async () => {
    const file = path.join(dir, 'nameless.mjs');
    await fs.writeFile(file, 'export default { createStore: async () => ({}) };\n');
    await assert.rejects(loadInitializer(file), (error: Error) => {
      assert.match(error.message, /"name" must be a non-empty string/);
      assert.match(error.message, /"name" and "createStore"/);
      const optional = ['contract', 'about', 'supports', 'beforeAll', 'reopenStore', 'openAlongside', 'destroyStore'];
      for (const field of [...optional, 'afterAll']) {
        assert.match(error.message, new RegExp(`optional: .*\\b${field}\\b`), field);
      }
      return true;
    });
  });
});
