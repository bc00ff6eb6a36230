// The limits in src/contract/limits.ts (shipped as limits.d.ts) each name the rule of docs/contract.md that
// states them, and that rule states the value: the comments a store author reads agree with the contract.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import * as limits from '../../src/contract/limits.js';
import { parseRules } from '../../src/conformance/clauses.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const source = readFileSync(path.join(ROOT, 'src', 'contract', 'limits.ts'), 'utf8');
const rules = new Map(parseRules(readFileSync(path.join(ROOT, 'docs', 'contract.md'), 'utf8')).map((r) => [r.id, r]));

/** The doc comment above `export const name`, and those of the constants it is grouped with. */
function commentOf(name: string): string {
  const before = source.slice(0, source.indexOf(`export const ${name} `));
  return before.slice(before.lastIndexOf('/**'));
}

/** How the contract may write a number: 128, 1,048,576, 1 MiB. */
const written = (n: number) => [String(n), n.toLocaleString('en-US')];

it('each limit names the rule of docs/contract.md that states it, and that rule states its value', () => {
  for (const [name, value] of Object.entries(limits)) {
    const comment = commentOf(name);
    assert.doesNotMatch(comment, /not in the contract/i, `${name}: the contract states it`);
    const ids = [...comment.matchAll(/WF-[A-Z]+-\d+/g)].map((m) => m[0]);
    assert.ok(ids.length > 0, `${name}: its comment names no rule`);
    for (const id of ids) assert.ok(rules.has(id), `${name}: ${id} is not a rule of docs/contract.md`);
    const text = ids.map((id) => rules.get(id)!.text).join('\n');
    if (typeof value === 'number') {
      const named = text.includes(name) || written(value).some((w) => text.includes(w));
      assert.ok(named, `${name} = ${value}: none of ${ids.join(', ')} states it`);
    }
  }
});
