import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { descriptor, pathOf } from '../descriptor.js';
import { scratchDirectory } from '../scratch.js';

export type FilesystemLocation = { artifactsDir: string };

export const FS_EXT = { package: 'fs-ext', install: 'fs-ext@2' };

export const filesystem = descriptor<FilesystemLocation>({
  name: 'filesystem',
  label: 'filesystem',
  driver: FS_EXT,
  alsoUses: [],
  supports: { clock: true, ids: true, reopen: true, alongside: true, multiProcess: true, permanent: true },
  load: async () => (await import('./index.js')).createFilesystemStore as never,
  describe: (location) => `files under ${location.artifactsDir}`,
  url: { schemes: ['file'], form: 'file:<directory> (or a directory path)', plainPath: true },
  fromUrl: (url) => ({ artifactsDir: pathOf(url, 'file') }),
  // Every store has the format marker from its first open.
  missing: async ({ artifactsDir }) =>
    !existsSync(artifactsDir)
      ? `the directory ${artifactsDir} does not exist`
      : existsSync(path.join(artifactsDir, '.wfstore-format'))
        ? undefined
        : `${artifactsDir} holds no wfstore store (it has no .wfstore-format)`,
  verify: async (location, options) => (await import('./index.js')).verifyFilesystemStore(location, options),
  locationIn: (artifactsDir) => ({ artifactsDir }),
  scratch() {
    const dirs = scratchDirectory('wfstore-fs-');
    return {
      newLocation: async () => ({ artifactsDir: await dirs.next() }),
      remove: ({ artifactsDir }) => fs.rm(artifactsDir, { recursive: true, force: true }),
      tearDown: () => dirs.removeAll(),
    };
  },
  relaxed: { options: { fsync: false }, label: 'fsync=false' },
});
