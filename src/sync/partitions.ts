/**
 * Parallel cursors (docs/sync.md, "Parallel cursors"): a full pass split into K disjoint Gateway
 * collections by the last character of the endpoint id. Tanium's `FieldFilterOp` `MATCHES` is a
 * full-match regular expression, and a filter may be `negated` (Gateway filter syntax), so:
 * partition p < K-1 is `id MATCHES ".*[a-b]"` for its run of final digits, and the last partition is the
 * negation of the others' union (`NOT id MATCHES ".*[0-c]"`): it takes the remaining digits and any id
 * that does not end in a digit. Every id is in exactly one partition, whatever the ids are, and the
 * partition depends on the id alone, which never changes for an endpoint.
 */

/** Partitions a pass may have (`sync --parallel`); more would only add collections on the Gateway. */
export const MAX_PARTITIONS = 8;
/** The split of a new full pass when nothing is asked: its partitions open as latency and CPU allow. */
export const DEFAULT_PARTITIONS = 4;

const DIGITS = 10;

/** The final digits of partition `part` of `count`: contiguous runs, the first ones one longer. */
export function partitionDigits(part: number, count: number): { from: number; to: number } {
  const base = Math.floor(DIGITS / count);
  const extra = DIGITS % count;
  const from = part * base + Math.min(part, extra);
  return { from, to: from + base + (part < extra ? 1 : 0) - 1 };
}

/** The filter of partition `part` of `count` (null: one collection, no filter). */
export function partitionFilter(part: number, count: number): Record<string, unknown> | null {
  if (count <= 1) return null;
  if (part < count - 1) {
    const { from, to } = partitionDigits(part, count);
    return { path: 'id', op: 'MATCHES', value: `.*[${from}-${to}]` };
  }
  const before = partitionDigits(count - 2, count).to;
  return { path: 'id', op: 'MATCHES', value: `.*[0-${before}]`, negated: true };
}

/** The share of ids a partition is expected to hold (endpoint ids end in each digit about evenly). */
export function partitionShare(part: number, count: number): number {
  if (count <= 1) return 1;
  const { from, to } = partitionDigits(part, count);
  return (to - from + 1) / DIGITS;
}

/** A pass filter restricted to a partition: one compound filter (all must hold). */
export function withPartition(
  filter: Record<string, unknown> | null,
  partition: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (partition === null) return filter;
  if (filter === null) return partition;
  const compound = Array.isArray(filter['filters']) && Object.keys(filter).length === 1;
  return { filters: [...(compound ? (filter['filters'] as unknown[]) : [filter]), partition] };
}
