// How test/ci/run-workflow.ts reads a workflow: GitHub's matrix (include, exclude), the one combination it keeps,
// `${{ }}` it can and cannot evaluate, `needs` order; GitLab's script lines and artifacts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combinations, githubJobs, gitlabJobs, preferred, substitute } from './workflow.js';

/** A GitHub expression as a workflow writes it. */
const gh = (expression: string) => `\${{ ${expression} }}`;

describe('reading a GitHub workflow', () => {
  const matrix = {
    node: [20, 22, 24],
    postgres: [17],
    include: [
      { node: 22, postgres: 14 },
      { node: 22, postgres: 18 },
    ],
  };

  it("expands a matrix as GitHub does: an include that changes an axis's value is a combination of its own", () => {
    assert.deepEqual(combinations(matrix), [
      { node: 20, postgres: 17 },
      { node: 22, postgres: 17 },
      { node: 24, postgres: 17 },
      { node: 22, postgres: 14 },
      { node: 22, postgres: 18 },
    ]);
    assert.deepEqual(combinations({ os: ['a', 'b'], include: [{ os: 'a', extra: 1 }], exclude: [{ os: 'b' }] }), [
      { os: 'a', extra: 1 },
    ]);
  });

  it('keeps one combination per preferred key: the wanted value when present, else the first', () => {
    assert.deepEqual(preferred(combinations(matrix), { node: ['20'], postgres: ['15'] }), [{ node: 20, postgres: 17 }]);
    assert.deepEqual(preferred(combinations(matrix), { node: ['22'], postgres: ['14'] }), [{ node: 22, postgres: 14 }]);
    const backends = combinations({ backend: ['a', 'b'] });
    assert.deepEqual(preferred(backends, { node: ['20'] }), backends, 'other axes all run');
  });

  it('evaluates matrix, env and the contexts given; anything else is an error, not an empty string', () => {
    const context = { matrix: { backend: 'sqlite' }, env: { A: 'x' }, extra: { 'github.workspace': '/w' } };
    assert.equal(
      substitute(`--backends ${gh('matrix.backend')} ${gh('env.A')} ${gh('github.workspace')}`, context),
      '--backends sqlite x /w',
    );
    assert.throws(() => substitute(gh('secrets.TOKEN'), context), /cannot evaluate \$\{\{ secrets.TOKEN \}\}/);
  });

  it('orders jobs by needs, and refuses a need that does not exist', () => {
    const step = { steps: [{ run: 'true' }] };
    const doc = { jobs: { merge: { ...step, needs: 'shard', if: gh('always()') }, shard: step } };
    const jobs = githubJobs(doc, {}, {});
    assert.deepEqual(
      jobs.map((j) => [j.id, j.if]),
      [
        ['shard', undefined],
        ['merge', 'always()'],
      ],
    );
    assert.throws(
      () => githubJobs({ jobs: { a: { ...step, needs: ['b'] } } }, {}, {}),
      /needs "b", which does not exist/,
    );
  });
});

describe('reading a .gitlab-ci.yml', () => {
  it('a job per key, before_script then script then after_script (always), its variables and artifacts', () => {
    const [job, ...rest] = gitlabJobs({
      variables: { A: 1 },
      before_script: ['echo before'],
      test: {
        variables: { B: 'b' },
        script: ['npm ci', 'npx wfstore conformance'],
        after_script: 'echo after',
        artifacts: { paths: ['reports/'], reports: { junit: 'reports/junit.xml' } },
      },
    });
    assert.equal(rest.length, 0);
    assert.deepEqual(
      job!.steps.map((s) => [s.run, s.if]),
      [
        ['echo before', undefined],
        ['npm ci', undefined],
        ['npx wfstore conformance', undefined],
        ['echo after', 'always()'],
      ],
    );
    assert.deepEqual(job!.env, { A: '1', B: 'b' });
    assert.deepEqual(job!.artifacts, { paths: ['reports/'], junit: ['reports/junit.xml'] });
  });
});
