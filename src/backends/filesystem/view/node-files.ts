// Node files (nodes/{nodeId}.json) are a view of events.jsonl, which is the source of truth: each holds a
// node's latest completion, with its own checksum. The appends write them (driver.ts); the store's reads do not
// use them (they read the completions' lines through the view, log/reads.ts): they are for whoever looks at a
// run's directory. A flush of the view writes those a crash left missing or older than the log
// (view/writer.ts); `wfstore verify` checks them against the log.

import { readFileSync } from 'node:fs';
import type { JsonValue } from '../../../contract/types.js';
import { checksumProblem, sealed } from '../files/checksum.js';
import { isNotFound } from '../files/io.js';
import type { Layout } from '../files/layout.js';
import { completionOf, LINE_END } from '../log/line-format.js';

export interface NodeOutput {
  sequence: number;
  output: JsonValue;
}

/** A node file: its record and checksum (files/checksum.ts), so that a changed byte is not taken for an output. */
export function nodeFileText(nodeId: string, sequence: number, outputJson: string): Buffer {
  return sealed(`{"node_id":${JSON.stringify(nodeId)},"sequence":${sequence},"output":${outputJson}`).record;
}

/** Each node's latest completion in `bytes` (complete, checked lines), in the order of latest completion. */
export function completionsIn(bytes: Buffer): Map<string, NodeOutput> {
  const completions = new Map<string, NodeOutput>();
  for (let position = 0; position < bytes.length; ) {
    const newline = bytes.indexOf(LINE_END, position);
    const completion = completionOf(bytes.toString('utf8', position, newline));
    position = newline + 1;
    if (completion === undefined) continue;
    completions.delete(completion.node_id); // keep insertion order = order of latest completion
    completions.set(completion.node_id, { sequence: completion.sequence, output: completion.output });
  }
  return completions;
}

/** A node file, or null when it is missing or fails its checksum. */
export function readNodeFile(layout: Layout, runId: string, nodeId: string): NodeOutput | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(layout.nodeFile(runId, nodeId));
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  if (checksumProblem(bytes, 0, bytes.length) !== undefined) return null;
  try {
    const file = JSON.parse(bytes.toString('utf8')) as { node_id: string; sequence: number; output: JsonValue };
    return file.node_id === nodeId && Number.isSafeInteger(file.sequence)
      ? { sequence: file.sequence, output: file.output }
      : null;
  } catch {
    return null;
  }
}
