// Loaded with `node --import` before a column's cucumber (run-column.ts). Cucumber matches every step against
// its step definitions through @cucumber/cucumber-expressions, which takes the positions of the matched groups
// from the package regexp-match-indices. That package checks for the engine's own match indices with a regular
// expression lacking the `d` flag, which never has them, so on every Node.js it uses its JavaScript version:
// each match parses the regular expression and builds a new one, most of a second of CPU per column. This puts
// the engine's own (a copy of the regular expression with the `d` flag) in the package's place in the module
// cache, before cucumber loads it. Indices are the same either way (the `d` flag's are ECMAScript's); when the
// package cannot be found where cucumber loads it from, nothing changes.

import { createRequire } from 'node:module';

const withIndices = new WeakMap<RegExp, RegExp>();

/** regexp-match-indices' function: `regexp.exec(string)` whose result has `indices`. */
export function execWithIndices(regexp: RegExp, string: string): RegExpExecArray | null {
  let copy = withIndices.get(regexp);
  if (copy === undefined) {
    copy = regexp.hasIndices ? regexp : new RegExp(regexp.source, `${regexp.flags}d`);
    withIndices.set(regexp, copy);
  }
  copy.lastIndex = regexp.lastIndex;
  const match = copy.exec(string);
  regexp.lastIndex = copy.lastIndex;
  return match;
}

/** The file regexp-match-indices loads from for cucumber-expressions, as cucumber (from `from`) resolves it. */
export function matchIndicesModule(from: string): string | undefined {
  try {
    const fromHere = createRequire(from);
    const cucumber = createRequire(fromHere.resolve('@cucumber/cucumber'));
    return createRequire(cucumber.resolve('@cucumber/cucumber-expressions')).resolve('regexp-match-indices');
  } catch {
    return undefined;
  }
}

/** Puts execWithIndices in the module cache in regexp-match-indices' place; false when it is not found. */
export function useEngineMatchIndices(from: string): boolean {
  const file = matchIndicesModule(from);
  if (file === undefined) return false;
  const require = createRequire(file);
  if (require.cache[file] !== undefined) return false; // already loaded: too late
  const module = { id: file, filename: file, loaded: true, exports: execWithIndices, children: [], paths: [] };
  require.cache[file] = module as unknown as NodeJS.Module;
  return true;
}

if (process.argv[1]?.endsWith('cucumber.js')) useEngineMatchIndices(process.argv[1]);
