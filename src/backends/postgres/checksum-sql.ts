// The event checksum (../sql/checksum.ts) in PostgreSQL's SQL, for checks made inside a statement (an
// append checks the run's last row before it writes) and for the migration that fills the column.

/** `row` is the events table's alias; `iso` renders its timestamp as the ISO text the store returns. */
export function postgresChecksumSql(row: string, iso: (column: string) => string): string {
  const content = postgresContentSql(`${row}.event_type`, iso(`${row}.timestamp`), `${row}.payload::text`);
  return postgresSealSql(`${row}.run_id`, `${row}.sequence`, content);
}

/** The hex SHA-256 of UTF-8 text, in SQL. */
const sha256Sql = (text: string) => `encode(sha256(convert_to(${text}, 'UTF8')), 'hex')`;

/** contentHash in SQL. */
export function postgresContentSql(eventType: string, timestamp: string, payloadText: string): string {
  return sha256Sql(`${eventType} || E'\\n' || ${timestamp} || E'\\n' || ${payloadText}`);
}

/** sealChecksum in SQL. */
export function postgresSealSql(runId: string, sequence: string, content: string): string {
  return `left(${sha256Sql(`${runId} || E'\\n' || ${sequence}::text || E'\\n' || ${content}`)}, 16)`;
}
