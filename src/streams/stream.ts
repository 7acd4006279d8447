/**
 * What a stream declares (Airbyte/Singer style): name, fields, primary key, cursor field, and how its
 * part of a Gateway page becomes records. The runner, not the stream, reads pages and commits records and
 * checkpoints together (src/sync/runner.ts). Nothing here is a storage layout: each store dialect lays
 * the fields out in its own tables and encodes the values its own way (src/store/sqlite/layout.ts).
 */

export type StreamName = 'assets' | 'vulnerabilities' | 'compliance' | 'sensors';
export const STREAM_NAMES: readonly StreamName[] = ['assets', 'vulnerabilities', 'compliance', 'sensors'];

export type FieldType = 'text' | 'integer' | 'real' | 'boolean' | 'json';

export interface Field {
  name: string;
  type: FieldType;
}

/** A value inside a `json` field: what JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A field's value, native whatever the store: `text` a string, `integer` and `real` a number, `boolean`
 * true/false, `json` a list or an object; null when there is none.
 */
export type FieldValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue } | null;

/** One record of a stream, keyed by field name (every field of the stream is present). */
export type StreamRecord = Record<string, FieldValue>;

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
  /** Values of the stream's `scopeColumns` (of its primary key for streams without scopes), in order. */
  scope: string[];
  status: AnswerStatus;
  /** The endpoint's `eidLastSeen` given with this answer (Tanium's clock); null when it gave none. */
  at: string | null;
}

/** What one page gives one stream. The connection is added by the store. */
export interface StreamBatch {
  rows: StreamRecord[];
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
   * out and their fields stay null. Absent: every field is asked for.
   */
  absent?: ReadonlySet<string>;
}

/** The fields of `type` to select: those given, less the optional ones the tenant lacks. */
export function presentFields(options: StreamOptions, type: string, fields: readonly string[]): string[] {
  return fields.filter((f) => !options.absent?.has(`${type}.${f}`));
}

export interface StreamDefinition {
  name: StreamName;
  description: string;
  /** The stream's fields, without `connection` and the store's bookkeeping. */
  fields: readonly Field[];
  /** Primary key fields, without `connection`. */
  primaryKey: readonly string[];
  /** The Gateway field incremental syncs filter on (`eidLastSeen GT watermark - margin`). */
  cursorField: 'eidLastSeen';
  /**
   * Leading primary-key fields whose records are replaced as a whole (empty: records are upserted only).
   * At most two: the endpoint and, for sensors, the sensor. How each scope was last answered is kept by
   * the store and shown in `ANSWER_FIELDS`.
   */
  scopeColumns: readonly string[];
  /** Fields whose stored value stays when a page answers them `null` (Tanium did not know it this time). */
  keepWhenNull?: readonly string[];
  /** Fields that say how a record was answered, not what was found: a change in them is not an update. */
  uncompared?: readonly string[];
  /**
   * Fields that describe what was found (a CVE, a compliance rule) rather than the finding: the same
   * values repeat on every endpoint that has it, so a store may keep each distinct set once and refer to
   * it (SQLite: src/store/sqlite/layout.ts). Primary-key fields listed here stay in the finding as well.
   * Readers see every field of the stream whatever the layout.
   */
  descriptiveFields?: readonly string[];
  /** The selection on `Endpoint` this stream needs; empty when it cannot run with these options. */
  selection(options: StreamOptions): string;
  /** Appends this node's records (its `id` is already checked) to `batch`. */
  read(node: EndpointNode, endpointId: string, batch: StreamBatch, options: StreamOptions): void;
}

/**
 * Fields every reader of a scoped stream sees after the stream's own: when Tanium last really answered
 * the record's scope (its `eidLastSeen` then) and how it answered the latest time (`AnswerStatus`).
 */
export const ANSWER_FIELDS: readonly Field[] = [
  { name: 'answered_at', type: 'text' },
  { name: 'status', type: 'text' },
];

/** The fields readers (export, the row reader) see: the stream's own, then `ANSWER_FIELDS` if scoped. */
export function readFields(def: StreamDefinition): readonly Field[] {
  return def.scopeColumns.length > 0 ? [...def.fields, ...ANSWER_FIELDS] : def.fields;
}

export function emptyBatch(): StreamBatch {
  return { rows: [], replaced: [], kept: [], unknown: 0, quarantined: [] };
}

/** A record refused by a stream's checks; the message is the quarantine reason. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}
