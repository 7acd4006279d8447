/**
 * What a stream declares (Airbyte/Singer style): name, table schema, primary key, cursor field, and how
 * its part of a Gateway page becomes rows. The runner, not the stream, reads pages and commits rows and
 * checkpoints together (src/sync/runner.ts).
 */

export type StreamName = 'assets' | 'vulnerabilities' | 'compliance' | 'sensors';
export const STREAM_NAMES: readonly StreamName[] = ['assets', 'vulnerabilities', 'compliance', 'sensors'];

export type ColumnType = 'text' | 'integer' | 'real' | 'boolean' | 'json';

export interface Column {
  name: string;
  type: ColumnType;
}

/** A Gateway `Endpoint` node as JSON: validated field by field, never trusted. */
export type EndpointNode = Record<string, unknown>;

/** One record that failed validation: kept in `quarantine`, never stops the page. */
export interface Quarantined {
  stream: StreamName;
  key: string;
  reason: string;
  raw: unknown;
}

/** What one page gives one stream. Values are in `columns` order; the connection is added by the store. */
export interface StreamBatch {
  rows: unknown[][];
  /**
   * Scopes whose rows this page replaces (values of `scopeColumns`): rows of a scope not written by this
   * page are removed once the page is stored. An endpoint's findings are one scope.
   */
  replaced: string[][];
  /** Scopes whose previous rows stay as they are but count as seen (a reading Tanium could not give now). */
  kept: string[][];
  quarantined: Quarantined[];
}

export interface StreamOptions {
  /** Sensor names chosen for the connection (the sensors stream). */
  sensors: readonly string[];
  /** Select `risk` on assets (false when the tenant's schema has no such field). */
  risk?: boolean;
}

export interface StreamDefinition {
  name: StreamName;
  table: string;
  description: string;
  /** Columns in row order, without `connection` and the bookkeeping columns. */
  columns: readonly Column[];
  /** Primary key columns, without `connection`. */
  primaryKey: readonly string[];
  /** The Gateway field incremental syncs filter on (`eidLastSeen GT watermark - margin`). */
  cursorField: 'eidLastSeen';
  /** Leading primary-key columns whose rows are replaced as a whole (empty: rows are upserted only). */
  scopeColumns: readonly string[];
  /**
   * Columns that describe what was found (a CVE, a compliance rule) rather than the finding: the same
   * values repeat on every endpoint, so the store keeps each distinct set once in `table` and the
   * stream's rows refer to it by `ref`. Readers see the stream's `table` whole (a view in SQL stores).
   */
  shared?: SharedColumns;
  /** The selection on `Endpoint` this stream needs; empty when it cannot run with these options. */
  selection(options: StreamOptions): string;
  /** Appends this node's rows (its `id` is already checked) to `batch`. */
  read(node: EndpointNode, endpointId: string, batch: StreamBatch, options: StreamOptions): void;
}

/** See `StreamDefinition.shared`. */
export interface SharedColumns {
  /** Where the stream's own columns and `ref` are stored. */
  rowsTable: string;
  /** The table of distinct shared value sets. */
  table: string;
  /** The rows' column referring to `table`. */
  ref: string;
  /** Stream columns kept in `table`; primary-key columns listed here are kept in the rows as well. */
  columns: readonly string[];
}

export function emptyBatch(): StreamBatch {
  return { rows: [], replaced: [], kept: [], quarantined: [] };
}

/** A record refused by a stream's checks; the message is the quarantine reason. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}
