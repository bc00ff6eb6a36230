// Where everything lives under artifactsDir. Run and node ids are identifiers (no "/", no leading "."),
// so they can never name one of the dot-entries below or escape the run's directory.

import path from 'node:path';

/** Runs half-created or half-deleted this long ago (in .staging, .trash) belong to no live process. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export class Layout {
  /** The format marker: which on-disk format the store is in (files/format.ts). */
  readonly formatFile: string;
  /** Runs are assembled here and renamed into place, so a half-created run is never visible. */
  readonly staging: string;
  /** Deleted runs are renamed here first, so a delete is atomic, then removed. */
  readonly trash: string;

  constructor(readonly root: string) {
    this.formatFile = path.join(root, '.wfstore-format');
    this.staging = path.join(root, '.staging');
    this.trash = path.join(root, '.trash');
  }

  runDir(runId: string): string {
    return path.join(this.root, runId);
  }
  runFile(runId: string): string {
    return path.join(this.root, runId, 'run.json');
  }
  eventsFile(runId: string): string {
    return path.join(this.root, runId, 'events.jsonl');
  }
  /** Where the log is known to end (log/seal.ts). */
  sealFile(runId: string): string {
    return path.join(this.root, runId, 'events.seal');
  }
  nodesDir(runId: string): string {
    return path.join(this.root, runId, 'nodes');
  }
  nodeFile(runId: string, nodeId: string): string {
    return path.join(this.root, runId, 'nodes', `${nodeId}.json`);
  }
  /** How far the node files are known to reflect the log (see view/node-files.ts). */
  viewFile(runId: string): string {
    return path.join(this.root, runId, 'nodes', '.view.json');
  }
}
