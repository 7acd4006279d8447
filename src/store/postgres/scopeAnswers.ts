import type { StreamName } from '../../streams/stream.js';
import { SCOPE_ANSWER_COLUMNS, type ScopeAnswer, type ScopeAnswerRow, scopeAnswer } from '../scopeAnswers.js';
import type { PgSession } from './session.js';

const SELECT = `SELECT ${SCOPE_ANSWER_COLUMNS} FROM scope_answers WHERE connection = $1 AND stream = $2`;
const ORDER = 'ORDER BY endpoint_id, scope LIMIT $3';

/**
 * `SyncRepository.scopeAnswers`: a chunk at a time by key (the table's primary key leads with
 * connection, stream), so no transaction or cursor is held open between chunks.
 */
export async function* scopeAnswers(
  session: PgSession,
  connection: string,
  stream: StreamName,
  chunk: number,
): AsyncGenerator<ScopeAnswer> {
  const size = Math.max(1, Math.floor(chunk));
  let last: ScopeAnswerRow | undefined;
  for (;;) {
    const { rows } = last
      ? await session.query<ScopeAnswerRow>(`${SELECT} AND (endpoint_id, scope) > ($4, $5) ${ORDER}`, [
          connection,
          stream,
          size,
          last.endpoint_id,
          last.scope,
        ])
      : await session.query<ScopeAnswerRow>(`${SELECT} ${ORDER}`, [connection, stream, size]);
    for (const row of rows) yield scopeAnswer(row);
    if (rows.length < size) return;
    last = rows.at(-1);
  }
}
