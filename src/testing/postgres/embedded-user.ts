// As root, PostgreSQL and PgBouncer must run as another user: both refuse root. The harness uses a user that
// already exists and changes nothing on the system: WFSTORE_RUN_AS when set, else "postgres" (the user the OS
// packages of PostgreSQL create), else "nobody". Each server it starts gets a private directory (mode 700)
// owned by that user under the temp directory, removed on stop; "nobody" owns no other files, and its
// servers listen on 127.0.0.1 only. No user or group is ever created.

import { fromEnvironment } from '../../config.js';
import os from 'node:os';
import { type RunAs, runCommand } from './command.js';

/** The users tried in order when WFSTORE_RUN_AS is not set. */
export const RUN_AS_CANDIDATES = ['postgres', 'nobody'] as const;

/** Undefined when not root: the servers then run as the current user. */
export async function clusterUser(env: NodeJS.ProcessEnv = process.env): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const chosen = fromEnvironment('WFSTORE_RUN_AS', env);
  if (chosen !== undefined && chosen !== '') {
    const found = await lookUp(chosen);
    if (found === undefined) throw new Error(`WFSTORE_RUN_AS names the user "${chosen}", which does not exist`);
    if (found.uid === 0) throw new Error(`WFSTORE_RUN_AS names "${chosen}", which is root: PostgreSQL refuses it`);
    return found;
  }
  for (const name of RUN_AS_CANDIDATES) {
    const found = await lookUp(name);
    if (found !== undefined && found.uid !== 0) return found;
  }
  throw new Error(
    `PostgreSQL and PgBouncer refuse to run as root, and none of the users ${RUN_AS_CANDIDATES.join(', ')} ` +
      'exists to run them as; set WFSTORE_RUN_AS to an unprivileged user (wfstore creates none)',
  );
}

async function lookUp(name: string): Promise<RunAs | undefined> {
  try {
    const cwd = os.tmpdir();
    const [uid, gid] = await Promise.all([
      runCommand('id', ['-u', name], { cwd }),
      runCommand('id', ['-g', name], { cwd }),
    ]);
    return { name, uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    return undefined;
  }
}
