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
  verify: async (location, options) => (await import('./index.js')).verifyFilesystemStore(location, options),
  locationIn: (artifactsDir) => ({ artifactsDir }),
  relaxed: { options: { fsync: false }, label: 'fsync=false' },
});
