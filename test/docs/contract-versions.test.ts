// docs/contract.md's entry for version 1.0 in "Changes" describes 1.0: it names every part of the contract
// that has a rule since 1.0 (by its section's title), links 1.0's own text, and says nothing of how that
// text came to be written (a session, a path outside the repository, a commit).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { parseRules } from '../../src/conformance/clauses.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const contract = readFileSync(path.join(ROOT, 'docs', 'contract.md'), 'utf8');

/** The entry of a version under "## Changes", as one line. */
function entryOf(version: string): string {
  const changes = contract.slice(contract.indexOf('\n## Changes'));
  const start = changes.indexOf(`- **${version}**`);
  assert.ok(start >= 0, `no entry for ${version} under "## Changes"`);
  const rest = changes.slice(start + 2);
  const end = rest.search(/\n- \*\*|\n## /);
  return (end < 0 ? rest : rest.slice(0, end)).replace(/\s+/g, ' ');
}

/** Each rule family of the contents list (WF-VAL) with its section's title (Values). */
function sections(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of contract.matchAll(/^- \[([^\]]+)\]\(#[^)]+\) — (WF-[A-Z]+(?:, WF-[A-Z]+)*)$/gm)) {
    for (const family of m[2]!.split(', ')) found.set(family, m[1]!);
  }
  return found;
}

it('the 1.0 entry names each part of the contract with a rule since 1.0, and how 1.0 was written nowhere', () => {
  const entry = entryOf('1.0').toLowerCase();
  const titles = sections();
  const families = new Set(
    parseRules(contract)
      .filter((r) => r.since === '1.0')
      .map((r) => r.id.replace(/-\d+$/, '')),
  );
  for (const family of families) {
    const title = titles.get(family);
    assert.ok(title !== undefined, `${family} is in no section of the contents`);
    const words = title
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length >= 4);
    assert.ok(
      words.some((w) => entry.includes(w.replace(/s$/, ''))),
      `the 1.0 entry does not name ${title} (${family})`,
    );
  }
  assert.match(entry, /\(contract-1\.0\.md\)/, "it links 1.0's own text");
  assert.doesNotMatch(entry, /session|founding|shared\/|\.\.\/|written by|\b[0-9a-f]{7,40}\b/);
});
