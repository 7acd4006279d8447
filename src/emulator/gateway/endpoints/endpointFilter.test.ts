import { describe, expect, it } from 'vitest';
import { createFleet } from '../../fleet/fleet.js';
import { MINUTE } from '../../fleet/time.js';
import { compileEndpointFilter, type EndpointFieldFilterInput } from './endpointFilter.js';

/** A filter leaf as graphql-js hands it over (defaults filled in). */
const leaf = (fields: Partial<EndpointFieldFilterInput>): EndpointFieldFilterInput => ({
  op: 'EQ',
  negated: false,
  any: false,
  ...fields,
});

/**
 * The incremental sync's filter (docs/sync.md, "Incremental"): eidFirstSeen GT since, or any field
 * read, finding list or sensor updated after it. Times are explicit (no emulator clock to freeze).
 */
describe('the change filter (UPDATED_AFTER clauses under one any)', () => {
  const epoch = Date.UTC(2026, 0, 1);
  const fleet = createFleet({ size: 1500, seed: 9, epoch, realism: 0.05, checkIns: 'frequent' });
  const t0 = epoch + 40 * 24 * 60 * MINUTE;
  const view = fleet.view(t0 + 17 * MINUTE);
  const since = new Date(t0).toISOString();
  const updated = (fields: Partial<EndpointFieldFilterInput>) =>
    leaf({ ...fields, op: 'UPDATED_AFTER', value: since });
  const clauses: EndpointFieldFilterInput[] = [
    leaf({ path: 'eidFirstSeen', op: 'GT', value: since }),
    ...['name', 'serialNumber', 'ipAddress', 'os', 'risk'].map((path) => updated({ path })),
    updated({ path: 'compliance.cveFindings' }),
    updated({ path: 'compliance.complianceFindings' }),
    updated({ sensor: { name: 'Installed Applications' } }),
    leaf({ path: 'eidLastSeen', op: 'READ_AFTER', value: since, negated: true }),
    leaf({ sensor: { name: 'Last Reboot' }, op: 'READ_AFTER', value: since, negated: true }),
  ];

  it('selects what its clauses, each compiled alone, select together', () => {
    const any = compileEndpointFilter(leaf({ any: true, filters: clauses }), view);
    const alone = clauses.map((clause) => compileEndpointFilter(clause, view));
    let selected = 0;
    for (const i of view.live()) {
      expect(any(i)).toBe(alone.some((test) => test(i)));
      if (any(i)) selected++;
    }
    // Some changed or joined, most did not.
    expect(selected).toBeGreaterThan(0);
    expect(selected).toBeLessThan(view.count() / 2);
  });

  it('answers as each clause does under all, negated or not', () => {
    const all = compileEndpointFilter(leaf({ filters: clauses.slice(1, 5) }), view);
    const none = compileEndpointFilter(leaf({ any: true, negated: true, filters: clauses }), view);
    const alone = clauses.map((clause) => compileEndpointFilter(clause, view));
    for (const i of view.live()) {
      expect(all(i)).toBe(alone.slice(1, 5).every((test) => test(i)));
      expect(none(i)).toBe(!alone.some((test) => test(i)));
    }
  });

  it('still refuses a clause on a field Endpoint does not have', () => {
    const bad = leaf({ any: true, filters: [...clauses, updated({ path: 'noSuchField' })] });
    expect(() => compileEndpointFilter(bad, view)).toThrow(/noSuchField/);
  });
});
