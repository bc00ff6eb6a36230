// Loads a module whose default export is a StoreTestInitializer (.ts, .mts, .js or .mjs).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initializerProblem, OPTIONAL_FIELDS, type StoreTestInitializer } from './initializer.js';
import { importTypeScript } from './typescript-modules.js';

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
  const url = pathToFileURL(file).href;
  let loaded: { default?: unknown };
  try {
    loaded = (await (/\.m?ts$/.test(file) ? importTypeScript(url) : import(url))) as { default?: unknown };
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
        `(an object with "name" and "createStore"; optional: ${OPTIONAL_FIELDS.join(', ')})`,
    );
  }
  return candidate as StoreTestInitializer;
}
