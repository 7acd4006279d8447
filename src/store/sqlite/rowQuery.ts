import type { Database, Statement } from 'better-sqlite3';
import { Problem } from '../../common/problem.js';
import { STREAMS } from '../../streams/index.js';
import { type Field, readFields, type StreamDefinition } from '../../streams/stream.js';
import type { RowFilter, RowPage, RowQuery, RowQueryRepository } from '../rowQuery.js';
import { decodeRow, encodings } from './fieldCodec.js';
import { LAYOUT } from './layout.js';
import { limitClause } from './limitClause.js';
import type { Runner } from './serial.js';

const OPS: Record<RowFilter['op'], string> = { eq: '=', in: 'IN', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function fieldOf(def: StreamDefinition, name: string): Field {
  const field = readFields(def).find((f) => f.name === name);
  // Field names reach SQL only from the stream's definition: anything else is a bug in the caller.
  if (!field) throw new Error(`${def.name} has no field ${name}`);
  return field;
}

const expr = (def: StreamDefinition, columns: readonly string[]) => {
  for (const c of columns) fieldOf(def, c);
  return columns.length === 1 ? columns[0]! : `coalesce(${columns.join(', ')})`;
};

const MAX_STATEMENTS = 256;

const badCursor = () =>
  new Problem({
    code: 'invalid_cursor',
    kind: 'malformed',
    message: 'The cursor does not belong to this query.',
    fix: 'Pass the nextCursor of the previous page with the same filters and sort, or leave it out.',
  });

/**
 * Filtered, sorted, keyset-paged reads of a stream's table (or view). The sort column's NULLs come
 * last in both directions; the keyset condition follows that order, so paging never skips or
 * repeats a row that did not change meanwhile.
 */
export class SqliteRowQuery implements RowQueryRepository {
  readonly #statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  /** Statements are kept per SQL text; the least recently used goes when combinations pile up. */
  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement) this.#statements.delete(sql);
    else {
      statement = this.db.prepare(sql).raw(true);
      if (this.#statements.size >= MAX_STATEMENTS)
        this.#statements.delete(this.#statements.keys().next().value!);
    }
    // Map order is insertion order: set last, the least recently used statement is the first key.
    this.#statements.set(sql, statement);
    return statement;
  }

  page(query: RowQuery): Promise<RowPage> {
    const def = STREAMS[query.stream];
    const key = def.primaryKey;
    const where: string[] = ['connection = ?'];
    const params: unknown[] = [query.connection];
    for (const filter of query.filters) {
      const column = expr(def, filter.columns);
      const target = filter.caseless ? `lower(${column})` : column;
      const fold = (v: unknown) => (filter.caseless && typeof v === 'string' ? v.toLowerCase() : v);
      if (filter.op === 'in') {
        const values = filter.value as readonly (string | number)[];
        where.push(`${target} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values.map(fold));
      } else {
        where.push(`${target} ${OPS[filter.op]} ?`);
        params.push(typeof filter.value === 'boolean' ? Number(filter.value) : fold(filter.value));
      }
    }
    if (query.text) {
      const like = `%${query.text.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(${query.text.columns.map((c) => `${expr(def, [c])} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      params.push(...query.text.columns.map(() => like));
    }
    // An empty sort column, or a key column, means key order (in the direction asked).
    const sort =
      query.sort && query.sort.column !== '' && !key.includes(query.sort.column) ? query.sort : undefined;
    const sortCol = sort ? expr(def, [sort.column]) : undefined;
    const keyDesc = !sort && query.sort?.descending === true;
    const keyTuple = `(${key.join(', ')})`;
    if (query.after) {
      const after = [...query.after];
      const expected = key.length + (sortCol ? 1 : 0);
      if (after.length !== expected) throw badCursor();
      const keyValues = after.slice(sortCol ? 1 : 0);
      const keyAfter = `${keyTuple} ${keyDesc ? '<' : '>'} (${key.map(() => '?').join(', ')})`;
      if (sortCol) {
        const v = after[0];
        if (v === null) {
          where.push(`(${sortCol} IS NULL AND ${keyAfter})`);
          params.push(...keyValues);
        } else {
          const cmp = sort!.descending ? '<' : '>';
          where.push(`(${sortCol} ${cmp} ? OR (${sortCol} = ? AND ${keyAfter}) OR ${sortCol} IS NULL)`);
          params.push(v, v, ...keyValues);
        }
      } else {
        where.push(keyAfter);
        params.push(...keyValues);
      }
    }
    const keyOrder = key.map((k) => `${k}${keyDesc ? ' DESC' : ''}`).join(', ');
    const order = sortCol
      ? `${sortCol} IS NULL, ${sortCol}${sort!.descending ? ' DESC' : ''}, ${keyOrder}`
      : keyOrder;
    const fields = readFields(def);
    const codes = encodings(fields);
    const sql = `SELECT ${fields.map((f) => f.name).join(', ')} FROM ${LAYOUT[query.stream].view}
      WHERE ${where.join(' AND ')} ORDER BY ${order} ${limitClause('page', query.limit, 1)}`;
    return this.run(() => {
      const statement = this.#statement(sql);
      const raw = statement.all(...params) as unknown[][];
      const more = raw.length > query.limit;
      const rows = raw.slice(0, query.limit).map((row) => decodeRow(fields, codes, row));
      const last = rows.at(-1);
      const next =
        more && last ? [...(sortCol ? [last[sort!.column] ?? null] : []), ...key.map((k) => last[k])] : null;
      return { rows, next };
    });
  }
}
