import { Problem } from '../../common/problem.js';
import { STREAMS } from '../../streams/index.js';
import type { StreamDefinition } from '../../streams/stream.js';
import type { RowFilter, RowPage, RowQuery, RowQueryRepository } from '../rowQuery.js';
import { PG_LAYOUT } from './layout.js';
import { decodeRow, type ReadField, readFields } from './readRows.js';
import type { PgSession } from './session.js';

const OPS: Record<RowFilter['op'], string> = { eq: '=', in: 'IN', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * Columns SQLite declares NOCASE (migration 4): they sort and compare without regard to ASCII case
 * there, so here they go through `lower()` (ASCII only under the columns' "C" collation, as NOCASE).
 */
const NOCASE: Readonly<Record<string, readonly string[]>> = {
  assets: ['name', 'serial_number', 'user_email'],
};

function fieldOf(def: StreamDefinition, name: string): ReadField {
  const field = readFields(def).find((c) => c.name === name);
  // Column names reach SQL only from the stream's definition: anything else is a bug in the caller.
  if (!field) throw new Error(`${def.name} has no column ${name}`);
  return field;
}

/** A column as compared: JSON as its text (what a text search reads), NOCASE columns folded. */
function column(def: StreamDefinition, name: string): string {
  const field = fieldOf(def, name);
  if (field.type === 'json') return `${name}::text`;
  return NOCASE[def.name]?.includes(name) ? `lower(${name})` : name;
}

const expr = (def: StreamDefinition, columns: readonly string[]) =>
  columns.length === 1
    ? column(def, columns[0]!)
    : `coalesce(${columns.map((c) => column(def, c)).join(', ')})`;

const badCursor = () =>
  new Problem({
    code: 'invalid_cursor',
    kind: 'malformed',
    message: 'The cursor does not belong to this query.',
    fix: 'Pass the nextCursor of the previous page with the same filters and sort, or leave it out.',
  });

/** Positional parameters, numbered as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Filtered, sorted, keyset-paged reads of a stream's view, with the semantics of SqliteRowQuery
 * (src/store/sqlite/rowQuery.ts): the sort column's NULLs come last in both directions, ties go by the
 * primary key in the direction asked of the key, and the keyset condition follows that order, so
 * paging never skips or repeats a row that did not change meanwhile. Free text matches like SQLite's
 * LIKE: ASCII letters without regard to case (ILIKE under the "C" collation).
 */
export class PgRowQuery implements RowQueryRepository {
  constructor(private readonly session: PgSession) {}

  async page(query: RowQuery): Promise<RowPage> {
    const def = STREAMS[query.stream];
    const key = def.primaryKey;
    const p = new Params();
    const where: string[] = [`connection = ${p.add(query.connection)}`];
    for (const filter of query.filters) where.push(filterSql(def, filter, p));
    if (query.text) {
      const like = p.add(`%${query.text.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(${query.text.columns.map((c) => `${expr(def, [c])} ILIKE ${like} ESCAPE '\\'`).join(' OR ')})`,
      );
    }
    // An empty sort column, or a key column, means key order (in the direction asked).
    const sort =
      query.sort && query.sort.column !== '' && !key.includes(query.sort.column) ? query.sort : undefined;
    const sortCol = sort ? expr(def, [sort.column]) : undefined;
    const keyDesc = !sort && query.sort?.descending === true;
    if (query.after) where.push(afterSql(query.after, key, sortCol, sort?.descending === true, keyDesc, p));
    const keyOrder = key.map((k) => `${k}${keyDesc ? ' DESC' : ''}`).join(', ');
    const order = sortCol
      ? `${sortCol} ${sort!.descending ? 'DESC' : 'ASC'} NULLS LAST, ${keyOrder}`
      : keyOrder;
    if (!Number.isSafeInteger(query.limit) || query.limit < 1)
      throw new Error(`page limit ${query.limit} is not a positive whole number`);
    const fields = readFields(def);
    const { rows: raw } = await this.session.query(
      `SELECT ${fields.map((c) => c.name).join(', ')} FROM ${PG_LAYOUT[def.name].view}
       WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p.add(query.limit + 1)}`,
      p.values,
    );
    const more = raw.length > query.limit;
    const rows = raw.slice(0, query.limit).map((row) => decodeRow(fields, row));
    const last = rows.at(-1);
    const next =
      more && last ? [...(sort ? [last[sort.column] ?? null] : []), ...key.map((k) => last[k])] : null;
    return { rows, next };
  }
}

function filterSql(def: StreamDefinition, filter: RowFilter, p: Params): string {
  const col = expr(def, filter.columns);
  const target = filter.caseless ? `lower(${col})` : col;
  const fold = (v: unknown) => (filter.caseless && typeof v === 'string' ? v.toLowerCase() : v);
  if (filter.op === 'in') {
    const values = filter.value as readonly (string | number)[];
    return `${target} IN (${values.map((v) => p.add(fold(v))).join(', ')})`;
  }
  return `${target} ${OPS[filter.op]} ${p.add(fold(filter.value))}`;
}

/** Rows after the cursor, in the page's order (NULL sort values last). */
function afterSql(
  after: readonly unknown[],
  key: readonly string[],
  sortCol: string | undefined,
  descending: boolean,
  keyDesc: boolean,
  p: Params,
): string {
  const expected = key.length + (sortCol ? 1 : 0);
  if (after.length !== expected) throw badCursor();
  const keyValues = after.slice(sortCol ? 1 : 0);
  const keyAfter = () =>
    `(${key.join(', ')}) ${keyDesc ? '<' : '>'} (${keyValues.map((v) => p.add(v)).join(', ')})`;
  if (!sortCol) return keyAfter();
  const v = after[0];
  if (v === null) return `(${sortCol} IS NULL AND ${keyAfter()})`;
  // The cursor's value goes through the same folding as the column (lower() for NOCASE columns).
  const value = sortCol.startsWith('lower(') ? `lower(${p.add(v)})` : p.add(v);
  const cmp = descending ? '<' : '>';
  return `(${sortCol} ${cmp} ${value} OR (${sortCol} = ${value} AND ${keyAfter()}) OR ${sortCol} IS NULL)`;
}
