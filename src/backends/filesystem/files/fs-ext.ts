// fs-ext, for flock(2), loaded once for the backend (see ../load-driver.ts).
import type FsExt from 'fs-ext';
import { loadDriver } from '../../load-driver.js';

const fsExt: typeof FsExt = (await loadDriver<{ default: typeof FsExt }>('fs-ext', 'wfstore/filesystem')).default;
export default fsExt;
