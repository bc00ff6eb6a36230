// A last resort for what must not outlive this process (a PostgreSQL cluster is a process of its own). Only
// synchronous work can run at exit. While anything is registered, SIGINT, SIGTERM and SIGHUP run it too, and
// when nothing else listens for that signal it is raised again, so the process ends as it would have.

const cleanups = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs `cleanup` if the process ends while registered; the function returned unregisters it. */
export function atProcessEnd(cleanup: () => void): () => void {
  if (cleanups.size === 0) listen(true);
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) listen(false);
  };
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // best effort: the others still run
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  listen(false);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function listen(on: boolean): void {
  const method = on ? 'on' : 'off';
  process[method]('exit', runAll);
  for (const signal of SIGNALS) process[method](signal, onSignal);
}
