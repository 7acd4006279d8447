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

/**
 * How Tanium answered one scope (an endpoint's findings, one sensor of an endpoint) this time:
 * - `answered`: a real answer (an empty list is one: the endpoint has none);
 * - `unknown`: no answer, `null` or absent (`compliance: null`, `cveFindings: null`, no columns);
 * - `unavailable`: a sensor read `[current result unavailable]`;
 * - `error`: a sensor read `TSE-Error: …`.
 */
export type AnswerStatus = 'answered' | 'unknown' | 'unavailable' | 'error';

export interface ScopeAnswer {
  /** Values of the stream's `scopeColumns` (of its primary key for streams without scopes). */
  scope: string[];
  status: AnswerStatus;
  /** The endpoint's `eidLastSeen` given with this answer (Tanium's clock); null when it gave none. */
  at: string | null;
}

/** What one page gives one stream. Values are in `columns` order; the connection is added by the store. */
export interface StreamBatch {
  rows: unknown[][];
  /**
   * Scopes Tanium answered: rows of a scope not written by this page are removed once the page is
   * stored (an endpoint's remediated findings). An endpoint's findings are one scope.
   */
  replaced: ScopeAnswer[];
  /**
   * Scopes whose stored rows stay as they are, marked seen: Tanium gave no answer this time (`null`, absent,
   * `[current result unavailable]`, `TSE-Error`), or an answer holding a quarantined record (status
   * `answered`: its valid rows are written, none is removed, since the refused one may be among them).
   */
  kept: ScopeAnswer[];
  /** Endpoints of this page whose answer for this stream was (partly) not known: see `kept`. */
  unknown: number;
  quarantined: Quarantined[];
}

export interface StreamOptions {
  /** Sensor names chosen for the connection (the sensors stream). */
  sensors: readonly string[];
  /** Select `risk` on assets (false when the tenant's schema has no such field). */
  risk?: boolean;
  /**
   * Optional fields the tenant's Gateway lacks (`Type.field`, from its schema): selections leave them
   * out and their columns stay null. Absent: every field is asked for.
   */
  absent?: ReadonlySet<string>;
}

/** The fields of `type` to select: those given, less the optional ones the tenant lacks. */
export function presentFields(options: StreamOptions, type: string, fields: readonly string[]): string[] {
  return fields.filter((f) => !options.absent?.has(`${type}.${f}`));
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
  /**
   * Leading primary-key columns whose rows are replaced as a whole (empty: rows are upserted only). At
   * most two: the endpoint and, for sensors, the sensor. How each scope was last answered is kept by the
   * store and shown in `ANSWER_COLUMNS`.
   */
  scopeColumns: readonly string[];
  /** Where rows are stored when `table` is a view (with `shared`, `shared.rowsTable` is used). */
  rowsTable?: string;
  /** Columns whose stored value stays when a page answers them `null` (Tanium did not know it this time). */
  keepWhenNull?: readonly string[];
  /** Columns that say how a row was answered, not what was found: a change in them is not an update. */
  uncompared?: readonly string[];
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

/**
 * Columns every reader of a scoped stream sees after the stream's own: when Tanium last really answered
 * the row's scope (its `eidLastSeen` then) and how it answered the latest time (`AnswerStatus`).
 */
export const ANSWER_COLUMNS: readonly Column[] = [
  { name: 'answered_at', type: 'text' },
  { name: 'status', type: 'text' },
];

/** The columns readers (export, the row reader) see: the stream's own, then `ANSWER_COLUMNS` if scoped. */
export function readColumns(def: StreamDefinition): readonly Column[] {
  return def.scopeColumns.length > 0 ? [...def.columns, ...ANSWER_COLUMNS] : def.columns;
}

export function emptyBatch(): StreamBatch {
  return { rows: [], replaced: [], kept: [], unknown: 0, quarantined: [] };
}

/** A record refused by a stream's checks; the message is the quarantine reason. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}
