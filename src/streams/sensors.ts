import { keepUnanswered } from './scopes.js';
import type { EndpointNode, Field, StreamBatch, StreamDefinition, StreamOptions } from './stream.js';
import { seenAt } from './values.js';

export const NO_RESULTS = '[no results]';
export const UNAVAILABLE = '[current result unavailable]';

/** `KB Articles` → `kb_articles`, `Silent Uninstall String` → `silent_uninstall_string`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** What a placeholder value says; `data` for a real value (an empty string included). */
function placeholder(value: string): 'none' | 'unavailable' | 'error' | 'data' {
  if (value === NO_RESULTS) return 'none';
  if (value === UNAVAILABLE) return 'unavailable';
  if (value.startsWith('TSE-Error')) return 'error';
  return 'data';
}

const FIELDS: readonly Field[] = [
  { name: 'endpoint_id', type: 'text' },
  { name: 'sensor', type: 'text' },
  { name: 'row_index', type: 'integer' },
  { name: 'columns', type: 'json' },
];

interface ReadingColumn {
  name?: unknown;
  values?: unknown;
  sensor?: { name?: unknown } | null;
}

/**
 * Sensors: the connection's chosen sensors (`--sensors "A,B"`), one stream for all of them, one record per
 * (endpoint, sensor, row): `columns` is an object of the sensor's columns in snake_case. Multi-row
 * sensors keep their rows (row k across columns belongs together). Placeholders are explicit:
 * - `[current result unavailable]` or `TSE-Error: …` in any cell: Tanium has no answer now (a server
 *   splits a multi-column answer on its delimiter, so a placeholder fills the first column and leaves the
 *   others empty), so the rows synced before stay, marked `unavailable` or `error`;
 * - the sensor missing from the answer: the same, marked `unknown`;
 * - `[no results]` in a cell of a row with real values: null in that cell; a row with no real value
 *   (only placeholders and empty cells): not a row, so all `[no results]` means the endpoint has none.
 * Tanium's own sentinel rows (`No Patches Required`) are data and are kept.
 */
export const sensorsStream: StreamDefinition = {
  name: 'sensors',
  description: 'chosen sensors: one row per (endpoint, sensor, row index), columns as a JSON object',
  fields: FIELDS,
  primaryKey: ['endpoint_id', 'sensor', 'row_index'],
  cursorField: 'eidLastSeen',
  scopeColumns: ['endpoint_id', 'sensor'],
  selection(options: StreamOptions): string {
    if (options.sensors.length === 0) return '';
    const refs = options.sensors.map((name) => `{ name: ${JSON.stringify(name)} }`).join(', ');
    return `sensorReadings(sensors: [${refs}]) { columns { name values sensor { name } } }`;
  },
  read(node: EndpointNode, endpointId: string, batch: StreamBatch, options: StreamOptions): void {
    const readings = node['sensorReadings'] as { columns?: unknown } | null | undefined;
    const columns = Array.isArray(readings?.columns) ? (readings.columns as ReadingColumn[]) : [];
    const at = seenAt(node);
    let unknown = false;
    for (const sensor of options.sensors) {
      const wanted = sensor.toLowerCase();
      const mine = columns.filter(
        (c) => typeof c?.sensor?.name === 'string' && c.sensor.name.toLowerCase() === wanted,
      );
      if (!readSensor({ sensor, endpointId, at }, mine, batch)) unknown = true;
    }
    if (unknown) batch.unknown++;
  },
};

interface Reading {
  sensor: string;
  endpointId: string;
  at: string | null;
}

/** Adds one sensor's reading to the batch; false when Tanium gave no answer for it this time. */
function readSensor(reading: Reading, columns: ReadingColumn[], batch: StreamBatch): boolean {
  const { sensor, endpointId, at } = reading;
  const scope = [endpointId, sensor];
  if (columns.length === 0) {
    keepUnanswered(batch, scope, 'unknown', at);
    return false;
  }
  const table = readTable(reading, columns, batch);
  if (table === undefined) {
    // Quarantined: what is stored stays (counted as quarantined, not as unknown).
    keepUnanswered(batch, scope, 'unknown', at);
    return true;
  }
  const kinds = new Set(table.values.flat().map(placeholder));
  if (kinds.has('error') || kinds.has('unavailable')) {
    keepUnanswered(batch, scope, kinds.has('error') ? 'error' : 'unavailable', at);
    return false;
  }
  batch.replaced.push({ scope, status: 'answered', at });
  const rowCount = table.values[0]?.length ?? 0;
  let index = 0;
  for (let r = 0; r < rowCount; r++) {
    const row: Record<string, string | null> = {};
    let real = false;
    for (let c = 0; c < table.names.length; c++) {
      const value = table.values[c]![r]!;
      const data = placeholder(value) === 'data';
      row[table.names[c]!] = data ? value : null;
      if (data && value !== '') real = true;
    }
    if (real) batch.rows.push({ endpoint_id: endpointId, sensor, row_index: index++, columns: row });
  }
  return true;
}

/** The reading's column names (snake_case) and values; undefined (quarantined) when malformed. */
function readTable(
  reading: Reading,
  columns: ReadingColumn[],
  batch: StreamBatch,
): { names: string[]; values: string[][] } | undefined {
  const refuse = (reason: string) => {
    batch.quarantined.push({
      stream: 'sensors',
      key: `${reading.endpointId}/${reading.sensor}`,
      reason,
      raw: columns,
    });
    return undefined;
  };
  const names: string[] = [];
  const values: string[][] = [];
  for (const column of columns) {
    if (
      typeof column.name !== 'string' ||
      !Array.isArray(column.values) ||
      column.values.some((v) => typeof v !== 'string')
    )
      return refuse('a column has no name or values that are not strings');
    names.push(snakeCase(column.name));
    values.push(column.values as string[]);
  }
  const rowCount = values[0]!.length;
  if (values.some((v) => v.length !== rowCount)) return refuse('columns have different numbers of rows');
  return { names, values };
}
