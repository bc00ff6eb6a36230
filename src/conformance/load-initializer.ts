// Loads a module whose default export is a StoreTestInitializer (.ts, .mts, .js or .mjs).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initializerProblem, type StoreTestInitializer } from './initializer.js';

export class InitializerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InitializerError';
  }
}

export async function loadInitializer(modulePath: string, cwd = process.cwd()): Promise<StoreTestInitializer> {
  const file = path.resolve(cwd, modulePath);
  if (!existsSync(file)) throw new InitializerError(`--store ${modulePath}: no such file (${file})`);
  if (!/\.(ts|mts|js|mjs)$/.test(file))
    throw new InitializerError(`--store ${modulePath}: expected a .ts, .mts, .js or .mjs module`);
  if (/\.m?ts$/.test(file)) {
    // TypeScript initializers load through tsx, registered here once.
    const { register } = await import('tsx/esm/api');
    register();
  }
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new InitializerError(`--store ${modulePath}: the module failed to load: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const candidate = loaded.default;
  const problem = initializerProblem(candidate);
  if (problem !== undefined) {
    throw new InitializerError(
      `--store ${modulePath}: the default export is not a StoreTestInitializer: ${problem} ` +
        '(an object with "name" and "createStore"; ' +
        '"supports", beforeAll, reopenStore, openAlongside, destroyStore and afterAll are optional)',
    );
  }
  return candidate as StoreTestInitializer;
}
