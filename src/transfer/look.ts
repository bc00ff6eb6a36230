// Looking inside a store without writing code: its runs as a table, a run's events as the timeline
// `wfstore demo` prints, a run's outputs; `--json` for scripts.

import { STORE_URLS, type StoreOpener } from './opener.js';
import type { IWorkflowStore, RunStatus } from '../contract/types.js';
import { formatTimeline } from '../engine/timeline.js';
import { eventPages } from './run-data.js';

async function withStore<T>(
  url: string,
  body: (store: IWorkflowStore) => Promise<T>,
  opener: StoreOpener = STORE_URLS,
): Promise<T> {
  const store = await opener.openExisting(url);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

export async function showRuns(
  url: string,
  filter: { status?: RunStatus; workflow?: string; limit?: number },
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
): Promise<void> {
  const runs = await withStore(
    url,
    (s) => s.listWorkflowRuns({ status: filter.status, workflow_name: filter.workflow, limit: filter.limit }),
    opener,
  );
  if (json) return print(JSON.stringify(runs, null, 2));
  const rows = runs.map((r) => [r.id, r.workflow_name, r.status, r.created_at, r.updated_at]);
  print(table(['id', 'workflow', 'status', 'created_at', 'updated_at'], rows));
  print(`${runs.length} run(s)`);
}

export async function showEvents(
  url: string,
  runId: string,
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
) {
  await withStore(
    url,
    async (store) => {
      // An unknown run is an error, an empty one a count of 0 (listing events alone cannot tell them apart).
      if ((await store.getWorkflowRun(runId)) === null) throw new Error(`no run "${runId}" in ${opener.display(url)}`);
      let count = 0;
      for await (const page of eventPages(store, runId)) {
        print(json ? page.map((e) => JSON.stringify(e)).join('\n') : formatTimeline(page));
        count += page.length;
      }
      if (!json) print(`${count} event(s)`);
    },
    opener,
  );
}

export async function showOutputs(
  url: string,
  runId: string,
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
) {
  const outputs = await withStore(url, (s) => s.getCompletedDagNodeOutputs(runId), opener);
  if (json) return print(JSON.stringify(Object.fromEntries(outputs), null, 2));
  for (const [node, output] of outputs) print(`${node}  ${JSON.stringify(output)}`);
  print(`${outputs.size} completed node(s)`);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
