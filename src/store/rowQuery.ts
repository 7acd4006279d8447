import type { StreamName } from '../streams/stream.js';

/**
 * Reading a stream's stored rows for an interface: filters, one sort column, keyset paging. Columns
 * are the stream's own (validated against its definition by the store); `columns` of more than one
 * name mean the first non-null of them (e.g. the CVSS v3 score, else v2).
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
  /** Decoded: booleans as true/false, JSON columns parsed. */
  rows: Record<string, unknown>[];
  /** Where the next page starts (sort value and key), or null after the last page. */
  next: unknown[] | null;
}

export interface RowQueryRepository {
  page(query: RowQuery): Promise<RowPage>;
}
