// Where everything lives under artifactsDir. Run and node ids are identifiers (no "/", no leading "."),
// so they can never name one of the dot-directories below or escape the run's directory.

import path from 'node:path';

export class Layout {
  readonly locks: string;
  /** Runs are assembled here and renamed into place, so a half-created run is never visible. */
  readonly staging: string;
  /** Deleted runs are renamed here first, so a delete is atomic, then removed. */
  readonly trash: string;

  constructor(readonly root: string) {
    this.locks = path.join(root, '.locks');
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
  nodeFile(runId: string, nodeId: string): string {
    return path.join(this.root, runId, 'nodes', `${nodeId}.json`);
  }
  /** How far the node files are known to reflect the log (see outputs.ts). */
  viewFile(runId: string): string {
    return path.join(this.root, runId, 'nodes', '.view.json');
  }
}
