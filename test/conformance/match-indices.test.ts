// A column's cucumber matches steps with the engine's own match indices (src/conformance/support/
// match-indices.ts): the same indices as regexp-match-indices' JavaScript version, in its place in the module
// cache where cucumber-expressions loads it, and with the compiled harness a column's node loads it first.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { it } from 'node:test';
import { CucumberExpression, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import { cucumberBin } from '../../src/conformance/run-column.js';
import { execWithIndices, matchIndicesModule } from '../../src/conformance/support/match-indices.js';
import { bundledPreload, bundleWorkers } from '../../src/conformance/support/worker-bundle.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

type Exec = (regexp: RegExp, text: string) => RegExpExecArray | null;

/** regexp-match-indices' JavaScript version, which cucumber-expressions uses without the preload. */
function javaScriptVersion(): Exec {
  const file = matchIndicesModule(cucumberBin());
  assert.ok(file, 'regexp-match-indices is found where cucumber-expressions loads it from');
  const implementation = createRequire(file)(path.join(path.dirname(file), 'implementation.js')) as {
    call(regexp: RegExp, text: string): RegExpExecArray | null;
  };
  return (regexp, text) => implementation.call(regexp, text);
}

it('gives the same groups and indices as the JavaScript version, for cucumber expressions and regexps', () => {
  const registry = new ParameterTypeRegistry();
  const cases: [RegExp, string][] = [
    [
      new CucumberExpression('run {string} is updated with {int} MiB of metadata under {string}', registry).regexp,
      'run "r1" is updated with 7 MiB of metadata under "b"',
    ],
    [
      new CucumberExpression('the events of run {string} have sequences {int} to {int}', registry).regexp,
      'the events of run "é🎉" have sequences 1 to 200',
    ],
    [
      new RegExp(
        '^an event is appended to run "([^"]*)" whose payload is ' +
          '(exactly 16 MiB|16 MiB and one byte) of (?:two)-byte characters$',
      ),
      'an event is appended to run "r1" whose payload is 16 MiB and one byte of two-byte characters',
    ],
    [/^(?<who>a (?:reader|writer)) (in|on) ((an)?other) (process|store)?$/, 'a reader in other process'],
    [/^(a)|(b)$/, 'b'],
    [/x/g, 'no match here'],
  ];
  const javaScript = javaScriptVersion();
  for (const [regexp, text] of cases) {
    const engine = execWithIndices(regexp, text);
    const reference = javaScript(regexp, text);
    assert.deepEqual(engine === null ? null : [...engine], reference === null ? null : [...reference], text);
    if (engine === null || reference === null) continue;
    assert.deepEqual([...engine.indices!], [...reference.indices!], `indices of ${text}`);
    assert.deepEqual({ ...engine.indices!.groups }, { ...reference.indices!.groups }, `named groups of ${text}`);
  }
});

it("a column's node loads it before cucumber, and cucumber-expressions then uses it", async () => {
  const bundle = await bundleWorkers(PACKAGE_ROOT, ['features/**/*.feature']);
  try {
    const preload = bundledPreload(bundle.config);
    await fs.access(preload);
    // What cucumber-expressions gets when it requires the package, in a node that loaded the preload first.
    const check = path.join(bundle.dir, 'cucumber.js');
    await fs.writeFile(
      check,
      `const { createRequire } = require('node:module');
const cucumber = createRequire(require.resolve('@cucumber/cucumber', { paths: [${JSON.stringify(PACKAGE_ROOT)}] }));
const expressions = createRequire(cucumber.resolve('@cucumber/cucumber-expressions'));
const exec = expressions('regexp-match-indices');
process.stdout.write(String(exec.name) + ' ' + String(exec(/(a)/, 'a').indices[1]));`,
    );
    const out = execFileSync(process.execPath, ['--import', new URL(`file://${preload}`).href, check], {
      encoding: 'utf8',
    });
    assert.equal(out, 'execWithIndices 0,1');
  } finally {
    await bundle.remove();
  }
});
