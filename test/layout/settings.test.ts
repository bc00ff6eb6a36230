// One door per setting: src/config.ts lists every environment variable the package reads and is the only
// place that reads one; a flag or option beats the environment, which beats the default.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ENVIRONMENT, integerOf, setting } from '../../src/config.js';
import { propertySettings } from '../../src/properties/differential.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}
const sources = files(path.join(ROOT, 'src')).map((f) => ({
  file: path.relative(ROOT, f),
  text: readFileSync(f, 'utf8'),
}));

test('no file under src/ but src/config.ts reads a setting from the environment', () => {
  // A read: process.env.X, env.X or env['X'] not followed by an assignment (a child's env may be written).
  const read = /\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)\b|\[['"]([A-Z][A-Z0-9_]*)['"]\])(?!\s*=[^=])/g;
  const offences = sources
    .filter((s) => s.file !== 'src/config.ts')
    .flatMap((s) => [...s.text.matchAll(read)].map((m) => `${s.file}: ${m[0]}`));
  assert.deepEqual(offences, []);
});

test('every variable src/config.ts lists is read somewhere, and documented in CONTRIBUTING.md', () => {
  const contributing = readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  for (const name of Object.keys(ENVIRONMENT)) {
    const uses = sources.filter((s) => s.file !== 'src/config.ts' && s.text.includes(`'${name}'`));
    assert.ok(uses.length > 0, `${name} is listed in src/config.ts but nothing reads it`);
    assert.ok(contributing.includes(name), `${name} is not in CONTRIBUTING.md's environment variables`);
  }
});

test('a flag beats the environment, which beats the default', () => {
  const env = { WFSTORE_PROPERTY_RUNS: '9', WFSTORE_PROPERTY_SEED: '42' };
  assert.equal(propertySettings({ runs: 3 }, { numRuns: 200 }, env).numRuns, 3);
  assert.equal(propertySettings({}, { numRuns: 200 }, env).numRuns, 9);
  assert.equal(propertySettings({}, { numRuns: 200 }, env).seed, 42);
  assert.equal(propertySettings({}, { numRuns: 200 }, {}).numRuns, 200);
  assert.equal(propertySettings({}, { numRuns: 200 }, { WFSTORE_PROPERTY_RUNS: '' }).numRuns, 200);
});

test('a variable that does not parse is an error naming it', () => {
  assert.throws(
    () => setting(undefined, 'WFSTORE_PROPERTY_RUNS', integerOf(1), 1, { WFSTORE_PROPERTY_RUNS: 'x' }),
    (e: Error) => e.message.includes('WFSTORE_PROPERTY_RUNS'),
  );
  assert.throws(
    () => propertySettings({}, { numRuns: 200 }, { WFSTORE_PROPERTY_RUNS: 'many' }),
    /WFSTORE_PROPERTY_RUNS="many": must be an integer >= 1/,
  );
});
