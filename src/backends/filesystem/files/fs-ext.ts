// fs-ext, for flock(2), loaded once for the backend (see ../load-driver.ts).
import type FsExt from 'fs-ext';
import { loadDriver } from '../../load-driver.js';
import { FS_EXT } from '../descriptor.js';

const fsExt: typeof FsExt = (await loadDriver<{ default: typeof FsExt }>(FS_EXT, 'wfstore/filesystem')).default;
export default fsExt;
