import { GraphQLError } from 'graphql';
import { type FilterOp, valueTest } from './fieldCompare.js';

/** Tanium's `SensorValueFilter` (single, or compound one level deep). */
export interface SensorValueFilterInput {
  any: boolean;
  column?: string | null;
  filters?: SensorValueFilterInput[] | null;
  negated: boolean;
  op: FilterOp;
  value?: string | null;
}

/**
 * The rows of a sensor reading (indices across its parallel columns) that pass the filter. The
 * emulator filters values only: `restrictOwner` does not remove endpoints (docs/emulator.md).
 */
export function sensorValueRows(
  columns: readonly { name: string; values: readonly string[] }[],
  filter: SensorValueFilterInput,
  sensor: string,
): number[] {
  const rows = Math.max(0, ...columns.map((c) => c.values.length));
  const keep = compile(columns, filter, sensor);
  return Array.from({ length: rows }, (_, r) => r).filter(keep);
}

function compile(
  columns: readonly { name: string; values: readonly string[] }[],
  filter: SensorValueFilterInput,
  sensor: string,
): (row: number) => boolean {
  let test: (row: number) => boolean;
  if (filter.filters?.length) {
    const children = filter.filters.map((child) => compile(columns, child, sensor));
    test = filter.any ? (r) => children.some((c) => c(r)) : (r) => children.every((c) => c(r));
  } else {
    const column = filter.column ? columns.find((c) => c.name === filter.column) : columns[0];
    if (!column) throw new GraphQLError(`Sensor "${sensor}" has no column "${filter.column}".`);
    const matches = valueTest(filter.op, filter.value, `sensor "${sensor}"`);
    test = (r) => matches(column.values[r] ?? '');
  }
  return filter.negated ? (r) => !test(r) : test;
}
