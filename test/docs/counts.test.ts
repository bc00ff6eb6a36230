// Figures the docs must not contradict: how many mutants the repository's tests hold is stated once at most
// (in README.md, CONTRIBUTING.md and docs/), and then equals the mutants in test/mutants/.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function markdown(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdown(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
  );
}

/** The mutants: each file of test/mutants/ but its helper and its tests. */
const mutants = readdirSync(path.join(ROOT, 'test', 'mutants')).filter(
  (f) => f.endsWith('.ts') && f !== 'mutant.ts' && !f.endsWith('.test.ts'),
).length;

it('the number of mutants is stated at most once, and then right', () => {
  const files = ['README.md', 'CONTRIBUTING.md', ...markdown('docs')].filter((f) => existsSync(path.join(ROOT, f)));
  const statements: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');
    for (const sentence of text.split(/(?<=[.!?]) /)) {
      if (!/mutant/i.test(sentence)) continue;
      for (const m of sentence.matchAll(/\b(\d+) (?:[\w-]+ )?mutants\b|\bof the (\d+)\b/g)) {
        statements.push(`${file}: "${m[0]}" (${m[1] ?? m[2]})`);
      }
    }
  }
  assert.ok(statements.length <= 1, `stated ${statements.length} times:\n${statements.join('\n')}`);
  for (const s of statements)
    assert.match(s, new RegExp(`\\(${mutants}\\)$`), `${s}, but test/mutants holds ${mutants}`);
});
