// The backend descriptors are the only place that knows a backend: no file under src/ outside
// src/backends/<name>/, the registry and the PostgreSQL provisioning (src/testing/postgres/) names one
// in its code. Comments and import paths are not code that knows a backend; identifiers and strings are.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { BACKEND_NAMES, BACKENDS } from '../../src/backends/registry.js';

const SRC = path.resolve(import.meta.dirname, '../../src');
const ALLOWED = [...BACKEND_NAMES.map((name) => `backends/${name}/`), 'backends/registry.ts', 'testing/postgres/'];

/** Each backend's name and label as words ("postgres", "PostgreSQL"), matched in identifiers and strings. */
const NAMES = [...new Set(BACKENDS.flatMap((b) => [b.name, b.label]).map((n) => n.toLowerCase()))];
const WORDS = new RegExp(`(^|[^a-z])(${NAMES.join('|')})([^a-z]|$)`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Identifiers split at camelCase humps ("provisionPostgres" -> "provision postgres"), and string texts. */
function namesIn(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      // The module path names a folder, not a backend; the names imported still count.
      const clause = ts.isImportDeclaration(node) ? node.importClause : node.exportClause;
      if (clause !== undefined) visit(clause);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
    if (ts.isImportTypeNode(node)) return;
    let text: string | undefined;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) text = node.text.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
    else if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    )
      text = node.text;
    if (text !== undefined && WORDS.test(text.toLowerCase())) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no file under src/ outside its backend folder, the registry and PostgreSQL provisioning names a backend', () => {
  const offences = sourceFiles(SRC)
    .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
    .filter((file) => !ALLOWED.some((allowed) => file === allowed || file.startsWith(allowed)))
    .flatMap((file) => namesIn(path.join(SRC, file)).map(({ line, text }) => `src/${file}:${line}: ${text}`));
  assert.deepEqual(offences, [], `backend names outside their descriptors:\n${offences.join('\n')}`);
});

test('the check finds a backend named in code, and not in a comment or an import path', () => {
  const dir = path.join(import.meta.dirname, 'fixtures');
  const names = namesIn(path.join(dir, 'names-a-backend.ts')).map((n) => n.text);
  assert.deepEqual(names, ['sqlite', 'open Sqlite Store']);
});
