// What the renderers show of a report built from findings made by hand: a failure said in one line where
// one line is all there is (JUnit's message), a diff cut around what differs, legends of what is used.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport } from '../../src/report/build.js';
import { renderJunit } from '../../src/report/render/junit.js';
import { renderSummary } from '../../src/report/render/terminal.js';
import type { Cell } from '../../src/report/summary.js';
import { findings, parseXml } from './support.js';

/** What node's assert.deepEqual says of two arrays of 14 objects that differ in the last one. */
function longDiff(): string {
  const lines = ['Expected values to be strictly deep-equal:', '+ actual - expected', '', '  ['];
  for (let i = 1; i < 14; i++) lines.push('    {', `      sequence: ${i}`, '    },');
  lines.push('    {', '+     sequence: 15', '-     sequence: 14', '    }', '  ]');
  return lines.join('\n');
}

describe('a failure in one line, and a diff cut around what differs', () => {
  it("JUnit's failure message names the step and what failed, not node's first line", () => {
    const cell: Cell = { status: 'failed', step: 'Then the event log of run "r1" is:', message: longDiff() };
    const xml = renderJunit(buildReport(findings([cell])));
    const failure = parseXml(xml)
      .children[0]!.children.find((c) => c.name === 'testcase')!
      .children.find((c) => c.name === 'failure')!;
    assert.doesNotMatch(failure.attributes.message!, /Expected values to be/);
    assert.equal(
      failure.attributes.message,
      'Then the event log of run "r1" is:: the store returned sequence: 15, the contract expects sequence: 14',
    );
    assert.match(failure.text, /\+ {5}sequence: 15/, 'the whole message is the failure text');
  });

  it('"0 !== 10000" in one line says which side is the store\'s', () => {
    const cell: Cell = { status: 'failed', message: 'Expected values to be strictly equal:\n\n0 !== 10000\n' };
    const failure = /<failure message="([^"]*)"/.exec(renderJunit(buildReport(findings([cell]))))?.[1];
    assert.equal(failure, 'the store returned 0, the contract expects 10000');
  });

  it('the terminal keeps the lines of a long diff that differ', () => {
    const cell: Cell = { status: 'failed', step: 'Then the event log of run "r1" is:', message: longDiff() };
    const text = renderSummary(buildReport(findings([cell])), 'reports');
    assert.match(text, /\+ {5}sequence: 15/);
    assert.match(text, /- {5}sequence: 14/);
    assert.ok(text.split('\n').filter((l) => l.startsWith('    ') && !l.includes('at step')).length <= 9);
  });
});
