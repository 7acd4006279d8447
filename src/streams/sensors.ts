import type { Column, EndpointNode, StreamBatch, StreamDefinition, StreamOptions } from './stream.js';

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

/** Tanium's "could not read it now" answers: the endpoint's previous rows stay. */
function unavailable(value: string): boolean {
  return value === UNAVAILABLE || value.startsWith('TSE-Error');
}

const COLUMNS: readonly Column[] = [
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
 * Sensors: the connection's chosen sensors (`--sensors "A,B"`), one table for all of them, one row per
 * (endpoint, sensor, row): `columns` is a JSON object of the sensor's columns in snake_case. Multi-row
 * sensors keep their rows (row k across columns belongs together). Placeholders are explicit:
 * - every value `[no results]`: the sensor answered "nothing", so the endpoint has no rows for it;
 * - every value `[current result unavailable]` (or `TSE-Error: …`): Tanium could not read it now, so the
 *   rows synced before stay (marked seen) rather than being wiped by a transient gap;
 * - a single cell holding a placeholder in an otherwise real row is stored as null.
 * Tanium's own sentinel rows (`No Patches Required`) are data and are kept.
 */
export const sensorsStream: StreamDefinition = {
  name: 'sensors',
  table: 'sensor_readings',
  description: 'chosen sensors: one row per (endpoint, sensor, row index), columns as a JSON object',
  columns: COLUMNS,
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
    for (const sensor of options.sensors) {
      const wanted = sensor.toLowerCase();
      const mine = columns.filter(
        (c) => typeof c?.sensor?.name === 'string' && c.sensor.name.toLowerCase() === wanted,
      );
      readSensor(sensor, mine, endpointId, batch);
    }
  },
};

function readSensor(sensor: string, columns: ReadingColumn[], endpointId: string, batch: StreamBatch): void {
  const scope = [endpointId, sensor];
  if (columns.length === 0) {
    batch.kept.push(scope);
    return;
  }
  const names: string[] = [];
  const values: string[][] = [];
  for (const column of columns) {
    if (
      typeof column.name !== 'string' ||
      !Array.isArray(column.values) ||
      column.values.some((v) => typeof v !== 'string')
    ) {
      batch.quarantined.push({
        stream: 'sensors',
        key: `${endpointId}/${sensor}`,
        reason: 'a column has no name or values that are not strings',
        raw: columns,
      });
      return;
    }
    names.push(snakeCase(column.name));
    values.push(column.values as string[]);
  }
  const rowCount = values[0]!.length;
  if (values.some((v) => v.length !== rowCount)) {
    batch.quarantined.push({
      stream: 'sensors',
      key: `${endpointId}/${sensor}`,
      reason: 'columns have different numbers of rows',
      raw: columns,
    });
    return;
  }
  const all = values.flat();
  if (all.length > 0 && all.every(unavailable)) {
    batch.kept.push(scope);
    return;
  }
  batch.replaced.push(scope);
  let index = 0;
  for (let r = 0; r < rowCount; r++) {
    const row: Record<string, string | null> = {};
    let real = false;
    for (let c = 0; c < names.length; c++) {
      const value = values[c]![r]!;
      const placeholder = value === NO_RESULTS || unavailable(value);
      row[names[c]!] = placeholder ? null : value;
      if (!placeholder) real = true;
    }
    if (real) batch.rows.push([endpointId, sensor, index++, JSON.stringify(row)]);
  }
}
