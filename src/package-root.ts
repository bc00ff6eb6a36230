// The package's own folder: features/, the steps, cucumber.js and docs/contract.md are found from here,
// whether this runs from src/ (a checkout) or from dist/ (the installed package).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === 'wfstore') return dir;
    } catch {
      // keep looking upwards
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the wfstore package above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
