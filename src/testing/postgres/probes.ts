// The real probes behind choosePostgres. Both optional packages are imported only when asked for,
// so a project that validates its own store needs neither.

import { installedBinaries } from './embedded-binaries.js';

/** Asks testcontainers whether a container runtime answers; gives up after `timeoutMs`. */
export async function dockerAnswers(timeoutMs = 10_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      timer.unref();
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function embeddedInstalled(): Promise<boolean> {
  try {
    installedBinaries();
    return true;
  } catch {
    return false;
  }
}
