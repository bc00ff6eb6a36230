// The pg driver, loaded once for the backend (see ../load-driver.ts).
import type PgModule from 'pg';
import { loadDriver } from '../load-driver.js';
import { PG } from './descriptor.js';

const pg: typeof PgModule = (await loadDriver<{ default: typeof PgModule }>(PG, 'wfstore/postgres')).default;
export default pg;
