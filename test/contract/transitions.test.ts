// The transition table in the code is the one docs/contract.md states (WF-TRN-1), read from its text.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TRANSITIONS } from '../../src/contract/transitions.js';
import { RUN_STATUSES } from '../../src/contract/types.js';
import { parseRules } from '../../src/conformance/clauses.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

it('the transition table matches WF-TRN-1 in docs/contract.md', () => {
  const rules = parseRules(readFileSync(path.join(ROOT, 'docs', 'contract.md'), 'utf8'));
  const text = rules.find((r) => r.id === 'WF-TRN-1')?.text ?? '';
  // "`pending → running | failed | cancelled`; … `failed → running` (resume). `completed` and `cancelled` are final."
  const stated = new Map<string, string[]>();
  for (const [, from, to] of text.matchAll(/`(\w+) → ([\w |]+)`/g))
    stated.set(
      from!,
      to!
        .split('|')
        .map((s) => s.trim())
        .sort(),
    );
  for (const final of text.match(/`(\w+)` and `(\w+)` are final/)?.slice(1) ?? []) stated.set(final, []);
  assert.deepEqual([...stated.keys()].sort(), [...RUN_STATUSES].sort(), 'the text covers every status');
  for (const from of RUN_STATUSES) assert.deepEqual([...TRANSITIONS[from]].sort(), stated.get(from), from);
});
