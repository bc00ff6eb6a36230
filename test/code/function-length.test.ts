// No function in src/ or bench/ runs over 60 lines: a long function is several jobs. Prints the five
// longest, for the note.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_LINES = 60;

interface Length {
  where: string;
  lines: number;
}

function functionLengths(file: string): Length[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Length[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node as ts.FunctionDeclaration).name?.getText(source) ?? '(anonymous)';
      found.push({ where: `${path.relative(ROOT, file)}:${start + 1} ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sources(dir: string): string[] {
  return (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.includes('node_modules') && !f.startsWith('peers'))
    .map((f) => path.join(ROOT, dir, f));
}

it(`no function in src/ or bench/ is over ${MAX_LINES} lines`, () => {
  const lengths = [...sources('src'), ...sources('bench')].flatMap(functionLengths).sort((a, b) => b.lines - a.lines);
  console.log(
    `longest functions: ${lengths
      .slice(0, 5)
      .map((l) => `${l.where} (${l.lines})`)
      .join(', ')}`,
  );
  assert.deepEqual(
    lengths.filter((l) => l.lines > MAX_LINES).map((l) => `${l.where}: ${l.lines} lines`),
    [],
  );
});
