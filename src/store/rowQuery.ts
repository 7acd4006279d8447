import type { StreamName, StreamRecord } from '../streams/stream.js';

/**
 * Reading a stream's stored records for an interface: filters, one sort field, keyset paging. `columns`
 * name the stream's fields (`readFields`; validated against its definition by the store); more than
 * one name means the first non-null of them (e.g. the CVSS v3 score, else v2).
 */
export interface RowFilter {
  columns: readonly string[];
  op: 'eq' | 'in' | 'gt' | 'gte' | 'lt' | 'lte';
  value: string | number | boolean | readonly (string | number)[];
  /** Compare text without regard to case (Tanium spells severities and states `Critical`, `fail`). */
  caseless?: boolean;
}

export interface RowQuery {
  connection: string;
  stream: StreamName;
  filters: readonly RowFilter[];
  /** Case-insensitive substring of any of these columns. */
  text?: { columns: readonly string[]; value: string };
  /** Default: the primary key. Ties are broken by the primary key. */
  sort?: { column: string; descending: boolean };
  /** The `next` of the previous page. */
  after?: readonly unknown[];
  limit: number;
}

export interface RowPage {
  /** Native values, as the stream gave them: booleans true/false, json fields as lists and objects. */
  rows: StreamRecord[];
  /** Where the next page starts (sort value and key), or null after the last page. */
  next: unknown[] | null;
}

export interface RowQueryRepository {
  page(query: RowQuery): Promise<RowPage>;
}
