// LangGraph's checkpointers (SqliteSaver, PostgresSaver) persisting one step per put(): the store a
// JavaScript user would otherwise pick. Loaded from bench/peers/node_modules (its own install).

import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';

export interface PeerSaver {
  name: string;
  /** The durability it runs with, as configured by default. */
  durability: string;
  /**
   * Persist one step of `thread` (default "bench"): a checkpoint whose state carries `state` (the same
   * ~250-byte payload as ours), the child of that thread's previous one.
   */
  put(state: Record<string, unknown>, thread?: string): Promise<void>;
  close(): Promise<void>;
}

function stepper(put: (config: never, checkpoint: Checkpoint) => Promise<unknown>) {
  const threads = new Map<string, { parent: string | undefined; version: number }>();
  return async (state: Record<string, unknown>, thread = 'bench') => {
    const last = threads.get(thread) ?? { parent: undefined, version: 0 };
    const checkpoint = {
      ...emptyCheckpoint(),
      id: uuid6(-1),
      channel_values: { state },
      channel_versions: { state: last.version + 1 },
    } as Checkpoint;
    const parent = last.parent;
    const config = {
      configurable: { thread_id: thread, checkpoint_ns: '', ...(parent ? { checkpoint_id: parent } : {}) },
    };
    await put(config as never, checkpoint);
    threads.set(thread, { parent: checkpoint.id, version: last.version + 1 });
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
