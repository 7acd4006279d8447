import { describe, expect, it } from 'vitest';
import { MAX_PARTITIONS, partitionFilter, partitionShare, withPartition } from './partitions.js';

/** What the Gateway does with a partition filter: a full-match regular expression, maybe negated. */
function matches(filter: Record<string, unknown>, id: string): boolean {
  const hit = new RegExp(`^(?:${String(filter['value'])})$`, 'i').test(id);
  return filter['negated'] === true ? !hit : hit;
}

describe('partition filters', () => {
  const ids = [...'0123456789abcdefxyz-_'].flatMap((last) => [`100${last}`, last, `9${last}`]).concat(['']);

  it.each(Array.from({ length: MAX_PARTITIONS - 1 }, (_, i) => i + 2))(
    'K=%i: every id falls in exactly one partition, whatever its last character; shares add up to 1',
    (k) => {
      const filters = Array.from({ length: k }, (_, part) => partitionFilter(part, k)!);
      for (const id of ids) expect(filters.filter((f) => matches(f, id)).length, id).toBe(1);
      const digits = [...'0123456789'].map((d) => filters.findIndex((f) => matches(f, `1${d}`)));
      expect(new Set(digits).size).toBe(k);
      const total = Array.from({ length: k }, (_, part) => partitionShare(part, k)).reduce((a, b) => a + b);
      expect(total).toBeCloseTo(1);
    },
  );

  it('K=1 is one collection: no filter', () => {
    expect(partitionFilter(0, 1)).toBeNull();
    expect(withPartition({ path: 'id', op: 'GT', value: '5' }, null)).toEqual({
      path: 'id',
      op: 'GT',
      value: '5',
    });
  });

  it('joins the pass filter and the partition in one compound filter', () => {
    const part = partitionFilter(0, 4)!;
    expect(part).toEqual({ path: 'id', op: 'MATCHES', value: '.*[0-2]' });
    expect(partitionFilter(3, 4)).toEqual({ path: 'id', op: 'MATCHES', value: '.*[0-7]', negated: true });
    const seen = { path: 'eidLastSeen', op: 'GT', value: 'x' };
    const after = { path: 'id', op: 'GT', value: '7' };
    expect(withPartition(null, part)).toBe(part);
    expect(withPartition(seen, part)).toEqual({ filters: [seen, part] });
    expect(withPartition({ filters: [seen, after] }, part)).toEqual({ filters: [seen, after, part] });
  });
});
