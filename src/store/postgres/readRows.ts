import {
  ANSWER_FIELDS,
  type FieldValue,
  type StreamDefinition,
  type StreamRecord,
} from '../../streams/stream.js';
import { PG_LAYOUT } from './layout.js';
import type { PgSession } from './session.js';

export interface ReadField {
  name: string;
  type: string;
}

/** The fields readers see: the stream's own, then `answered_at` and `status` if the stream is scoped. */
export function readFields(def: StreamDefinition): readonly ReadField[] {
  return def.scopeColumns.length > 0 ? [...def.fields, ...ANSWER_FIELDS] : def.fields;
}

/**
 * A stored row as native values: `pg` gives booleans, parsed JSON and doubles already; `bigint`
 * arrives as text (it may exceed 2^53) and stream integers are read as numbers.
 */
export function decodeRow(fields: readonly ReadField[], row: Record<string, unknown>): StreamRecord {
  const out: StreamRecord = {};
  for (const field of fields) {
    const value = row[field.name];
    out[field.name] =
      value === null || value === undefined
        ? null
        : field.type === 'integer'
          ? Number(value)
          : (value as FieldValue);
  }
  return out;
}

/** Every row of a stream in key order, read a chunk at a time by key (bounded memory, no long transaction). */
export async function* streamRows(
  session: PgSession,
  connection: string,
  def: StreamDefinition,
  fields: readonly ReadField[],
  chunk: number,
): AsyncGenerator<StreamRecord> {
  const key = def.primaryKey;
  const select = `SELECT ${fields.map((f) => f.name).join(', ')} FROM ${PG_LAYOUT[def.name].view}
    WHERE connection = $1`;
  // A chunk below one would end at once or, with no rows left, never (see the return below).
  const size = Math.max(1, Math.floor(chunk));
  const order = `ORDER BY ${key.join(', ')} LIMIT ${size}`;
  const next = `${select} AND (${key.join(', ')}) > (${key.map((_, i) => `$${i + 2}`).join(', ')}) ${order}`;
  let last: unknown[] | undefined;
  for (;;) {
    const { rows } = await session.query(last ? next : `${select} ${order}`, [connection, ...(last ?? [])]);
    for (const row of rows) yield decodeRow(fields, row);
    if (rows.length < size) return;
    const tail = rows.at(-1)!;
    last = key.map((k) => tail[k]);
  }
}
