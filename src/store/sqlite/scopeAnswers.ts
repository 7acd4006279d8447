import type { Statement } from 'better-sqlite3';
import type { StreamName } from '../../streams/stream.js';
import { SCOPE_ANSWER_COLUMNS, type ScopeAnswer, type ScopeAnswerRow, scopeAnswer } from '../scopeAnswers.js';
import type { Runner } from './serial.js';

const SELECT = `SELECT ${SCOPE_ANSWER_COLUMNS} FROM scope_answers WHERE connection = ? AND stream = ?`;
const ORDER = 'ORDER BY endpoint_id, scope LIMIT ?';

/**
 * `SyncRepository.scopeAnswers`: a chunk at a time by key (the table's primary key leads with
 * connection, stream), each chunk queued like any other statement so no transaction is held open.
 */
export async function* scopeAnswers(
  statement: (sql: string) => Statement,
  run: Runner,
  connection: string,
  stream: StreamName,
  chunk: number,
): AsyncGenerator<ScopeAnswer> {
  const first = statement(`${SELECT} ${ORDER}`);
  const next = statement(`${SELECT} AND (endpoint_id, scope) > (?, ?) ${ORDER}`);
  // A chunk below one would never end (LIMIT 0) or restart from the top (LIMIT -1 is no limit).
  const size = Math.max(1, Math.floor(chunk));
  let last: ScopeAnswerRow | undefined;
  for (;;) {
    const after = last;
    const rows = await run(
      () =>
        (after
          ? next.all(connection, stream, after.endpoint_id, after.scope, size)
          : first.all(connection, stream, size)) as ScopeAnswerRow[],
    );
    for (const row of rows) yield scopeAnswer(row);
    if (rows.length < size) return;
    last = rows.at(-1);
  }
}
