// The published path, for tests that use the package as a stranger does: the tarball `npm pack` makes, an empty
// project that installs it, and the third-party store (test/third-party/) copied into it importing wfstore by name.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';

/** `npm pack` into `dir` (it builds dist/ first: prepack); the tarball's path. */
export function packTarball(dir: string): string {
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return path.join(dir, (JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[])[0]!.filename);
}

/**
 * The environment for commands run in a project: without NODE_TEST_CONTEXT, a nested `node --test` reports
 * to its own stdout, not to this runner; with NO_COLOR, as CI=true makes vitest colour its piped output.
 */
export function projectEnv(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _nested, FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, NO_COLOR: '1' };
}

/**
 * An empty project in `project` (created) whose only dependency is the tarball, installed as a harness user
 * does; returns how long the install took, in ms.
 */
export async function projectWithTarball(project: string, tarball: string): Promise<number> {
  await fs.mkdir(project, { recursive: true });
  const manifest = { name: 'my-backend', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } };
  await fs.writeFile(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2));
  const started = Date.now();
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball], {
    cwd: project,
    encoding: 'utf8',
    timeout: 600_000,
    env: projectEnv(),
  });
  assert.equal(install.status, 0, install.stderr);
  return Date.now() - started;
}

/** The store written from docs/contract.md alone, into `dir` of the project, importing the package by name. */
export async function copyThirdPartyStore(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const file of ['store.ts', 'conformance.ts']) {
    const source = await fs.readFile(path.join(PACKAGE_ROOT, 'test', 'third-party', file), 'utf8');
    const byName = source
      .replaceAll("'../../src/contract/types.js'", "'wfstore'")
      .replaceAll("'../../src/conformance/initializer.js'", "'wfstore/harness'");
    await fs.writeFile(path.join(dir, file), byName);
  }
}
