// LangGraph's checkpointers (SqliteSaver, PostgresSaver) persisting one step per put(): the store a
// JavaScript user would otherwise pick. Loaded from bench/peers/node_modules (its own install).

import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';

export interface PeerSaver {
  name: string;
  /** The durability it runs with, as configured by default. */
  durability: string;
  /** Persist one step: a checkpoint whose state carries `state` (the same ~250-byte payload as ours). */
  put(state: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

function stepper(put: (config: never, checkpoint: Checkpoint) => Promise<unknown>) {
  let parent: string | undefined;
  let version = 0;
  return async (state: Record<string, unknown>) => {
    const checkpoint = {
      ...emptyCheckpoint(),
      id: uuid6(-1),
      channel_values: { state },
      channel_versions: { state: ++version },
    } as Checkpoint;
    const config = {
      configurable: { thread_id: 'bench', checkpoint_ns: '', ...(parent ? { checkpoint_id: parent } : {}) },
    };
    await put(config as never, checkpoint);
    parent = checkpoint.id;
  };
}

export async function sqlitePeer(filename: string): Promise<PeerSaver> {
  const saver = SqliteSaver.fromConnString(filename);
  const put = stepper((config, checkpoint) =>
    saver.put(config, checkpoint, { source: 'loop', step: 0, parents: {} } as never),
  );
  await put({ warm: true }); // its setup() runs on first use and sets WAL
  const db = (saver as unknown as { db: { close(): void; pragma(p: string, o: { simple: true }): unknown } }).db;
  const durability = `journal_mode=${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(db.pragma('synchronous', { simple: true }))]}`;
  return { name: 'LangGraph SqliteSaver', durability, put, close: async () => db.close() };
}

export async function postgresPeer(connectionString: string, schema: string): Promise<PeerSaver> {
  const saver = PostgresSaver.fromConnString(connectionString, { schema });
  await saver.setup();
  const put = stepper((config, checkpoint) =>
    saver.put(config, checkpoint, { source: 'loop', step: 0, parents: {} } as never, { state: 1 }),
  );
  return { name: 'LangGraph PostgresSaver', durability: 'the same server settings', put, close: () => saver.end() };
}
