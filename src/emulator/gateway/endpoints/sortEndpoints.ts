import { GraphQLError } from 'graphql';
import type { FleetView } from '../../fleet/index.js';
import { readPath } from './fieldCompare.js';

/** Orders a collection by one field or sensor, as `EndpointFieldSort` asks; ties keep id order. */
export function sortIndices(
  view: FleetView,
  indices: Int32Array,
  sort: { path?: string | null; sensor?: { name: string } | null; order: 'asc' | 'desc' },
): Int32Array {
  const key = keyOf(view, sort);
  const keyed = Array.from(indices, (i, position) => ({ i, position, key: key(i) }));
  const direction = sort.order === 'desc' ? -1 : 1;
  keyed.sort((a, b) => direction * compare(a.key, b.key) || a.position - b.position);
  return Int32Array.from(keyed, (k) => k.i);
}

function keyOf(
  view: FleetView,
  sort: { path?: string | null; sensor?: { name: string } | null },
): (i: number) => unknown {
  if (sort.path === 'eidLastSeen') return (i) => view.eidLastSeen(i);
  if (sort.path === 'id') return (i) => view.endpointId(i);
  if (sort.path) {
    const steps = sort.path.split('.');
    return (i) => readPath(view.endpoint(i), steps);
  }
  if (sort.sensor) {
    const name = sort.sensor.name;
    return (i) => view.sensorReading(i, name).columns[0]?.values[0] ?? '';
  }
  throw new GraphQLError('A sort needs a path or a sensor.');
}

/** Numbers numerically, strings as `fieldCompare` compares them for GT/LT, so a sort and a filter agree. */
export function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}
