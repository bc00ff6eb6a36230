// Store locations as URLs: one parser, every form, clear errors that never print a password.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStoreUrl, redactUrl, StoreUrlError } from '../../src/backends/store-url.js';

const parsed = (url: string) => {
  const { backend, location } = parseStoreUrl(url);
  return { backend: backend.name, ...location };
};

describe('store URLs', () => {
  it('names each backend and its location', () => {
    assert.deepEqual(parsed('file:./artifacts'), { backend: 'filesystem', artifactsDir: './artifacts' });
    assert.deepEqual(parsed('file:///var/wf'), { backend: 'filesystem', artifactsDir: '/var/wf' });
    assert.deepEqual(parsed('./artifacts'), { backend: 'filesystem', artifactsDir: './artifacts' });
    assert.deepEqual(parsed('/abs/dir'), { backend: 'filesystem', artifactsDir: '/abs/dir' });
    assert.deepEqual(parsed('sqlite:./wf.db'), { backend: 'sqlite', filename: './wf.db' });
    assert.deepEqual(parsed('sqlite:///tmp/my%20wf.db'), { backend: 'sqlite', filename: '/tmp/my wf.db' });
    assert.deepEqual(parsed('memory:'), { backend: 'memory', database: 'default' });
    assert.deepEqual(parsed('memory:a'), { backend: 'memory', database: 'a' });
    assert.deepEqual(parsed('postgres://u:p@h:5433/db?schema=wf&sslmode=disable'), {
      backend: 'postgres',
      connectionString: 'postgres://u:p@h:5433/db?sslmode=disable',
      schema: 'wf',
    });
    assert.deepEqual(parsed('postgresql://u@h/db'), {
      backend: 'postgres',
      connectionString: 'postgresql://u@h/db',
      schema: 'public',
    });
  });

  it('refuses an unknown or malformed location with one line listing the accepted forms', () => {
    for (const url of ['mysql://h/db', '', 'sqlite:', 'postgres://u:secret@[bad/db']) {
      assert.throws(
        () => parseStoreUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof StoreUrlError, String(error));
          assert.doesNotMatch(error.message, /\n/, 'one line');
          assert.doesNotMatch(error.message, /secret/, 'no password');
          assert.match(error.message, /file:|sqlite:|postgres:/);
          return true;
        },
      );
    }
  });

  it('names the likely mistake: a parameter one typo from "schema", no database, a .db file as a plain path', () => {
    const cases: [string, RegExp][] = [
      ['postgres://u:secret@h:5432/test?schem=wf', /"schem" is not a parameter; did you mean "schema"\?/],
      ['postgres://u:secret@h:5432/test?Schema=wf', /"Schema" is not a parameter; did you mean "schema"\?/],
      ['postgresql://u:secret@h:5432', /it names no database: add \/<database>/],
      ['./data/wf.db', /plain path, which names a filesystem store .* write sqlite:\.\/data\/wf\.db/],
    ];
    for (const [url, message] of cases) {
      assert.throws(
        () => parseStoreUrl(url),
        (error: unknown) =>
          error instanceof StoreUrlError && message.test(error.message) && !/secret/.test(error.message),
        url,
      );
    }
    // Other parameters are the driver's (sslmode, application_name, …): passed on untouched.
    assert.match(
      String(parseStoreUrl('postgres://h/db?sslmode=disable&schema=wf').location.connectionString),
      /sslmode=disable/,
    );
  });

  it('never prints a password', () => {
    assert.equal(redactUrl('postgres://me:s3cret@host/db'), 'postgres://me:***@host/db');
    assert.equal(redactUrl('postgresql://me@host/db'), 'postgresql://me@host/db');
    assert.equal(parseStoreUrl('postgres://me:s3cret@host/db').display, 'postgres://me:***@host/db');
  });
});
