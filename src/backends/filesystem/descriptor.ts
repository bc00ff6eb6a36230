import { descriptor } from '../descriptor.js';

export interface FilesystemLocation {
  [key: string]: string;
  artifactsDir: string;
}

export const filesystem = descriptor<FilesystemLocation>({
  name: 'filesystem',
  driverPackage: 'fs-ext',
  supports: { clock: true, ids: true, reopen: true, multiProcess: true },
  async open(location, options = {}) {
    const { createFilesystemStore } = await import('./index.js');
    return createFilesystemStore({ ...options, artifactsDir: location.artifactsDir });
  },
  describe: (location) => `files under ${location.artifactsDir}`,
  locationIn: (dir) => ({ artifactsDir: dir }),
  relaxed: { options: { fsync: false }, label: 'fsync=false' },
});
