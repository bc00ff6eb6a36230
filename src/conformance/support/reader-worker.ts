// Child process for the multi-process WF-UPD-4 check: reads the store at <address as JSON> over and over
// until its stdin closes, and prints {"reads", "violations"} — any status seen without its event.

import { openAddress } from './open-location.js';
import type { StoreAddress } from './processes.js';
import { readUntil } from './status-events.js';

const [address, runId] = process.argv.slice(2);
const store = await openAddress(JSON.parse(address!) as StoreAddress);
const stdinClosed = new Promise<void>((resolve) => {
  process.stdin.on('end', resolve);
  process.stdin.resume();
});
process.stdout.write('ready\n');
try {
  process.stdout.write(`${JSON.stringify(await readUntil(store, runId!, stdinClosed))}\n`);
} finally {
  await store.close();
}
