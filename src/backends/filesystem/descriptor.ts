import { existsSync } from 'node:fs';
import path from 'node:path';
import { descriptor, pathOf } from '../descriptor.js';

export type FilesystemLocation = { artifactsDir: string };

export const filesystem = descriptor<FilesystemLocation>({
  name: 'filesystem',
  driverPackage: 'fs-ext',
  supports: { clock: true, ids: true, reopen: true, multiProcess: true },
  load: async () => (await import('./index.js')).createFilesystemStore as never,
  describe: (location) => `files under ${location.artifactsDir}`,
  url: { schemes: ['file'], form: 'file:<directory> (or a directory path)' },
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
  relaxed: { options: { fsync: false }, label: 'fsync=false' },
});
