// Whether statements go to the server named (prepared once per server connection) or unnamed (parsed with
// each call). A name holds only on the connection that parsed it; behind a transaction-mode pooler
// (PgBouncer, a hosted provider's pooler) consecutive calls of one client land on different server
// connections, where the name is missing or already there, and the statement fails. Either failure comes at
// Parse or Bind, before anything runs: a statement that fails so took no effect and may be sent again.

import type { StatementMode } from './options.js';
import pg from './pg.js';
import type { TimedQuery } from './timeouts.js';

// invalid_sql_statement_name (Bind of a name the connection lacks), duplicate_prepared_statement (Parse of one
// it has).
const NAME_ERRORS = new Set(['26000', '42P05']);

/** Whether `error` is the server saying a statement name is missing or already there on its connection. */
export function isNameError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && NAME_ERRORS.has(String(error.code));
}

export class StatementNaming {
  private named: boolean;

  constructor(readonly mode: StatementMode) {
    this.named = mode !== 'unnamed';
  }

  /** The statement as it is to be sent: without its name once names are off. */
  send(statement: TimedQuery): TimedQuery {
    if (this.named || statement.name === undefined) return statement;
    const { name: _name, ...unnamed } = statement;
    return unnamed;
  }

  /**
   * Whether the failure of a statement sent named (`sentNamed`) means names do not hold here and the call is
   * to be sent again unnamed: in `auto` mode only, which then leaves names off from now on.
   */
  fallBack(error: unknown, sentNamed: boolean): boolean {
    if (this.mode !== 'auto' || !sentNamed || !isNameError(error)) return false;
    this.named = false;
    return true;
  }

  /** Whether names are still sent. */
  get sendsNames(): boolean {
    return this.named;
  }
}
