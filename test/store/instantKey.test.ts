import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANT_PATTERN, instantKey, pgInstantKey } from '../../src/store/instantKey.js';
import { postgresTarget } from '../helpers/postgres.js';

/** Check-in times compared as instants (src/store/instantKey.ts), in JavaScript and in PostgreSQL. */

const rfc3339 = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1, 0, 1) + 86_400_000, max: Date.UTC(9999, 11, 30) }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    utc: fc.boolean(),
  })
  .map(({ ms: any, fraction, offset, utc }) => {
    const ms = Math.floor(any / 1000) * 1000;
    const minutes = utc ? 0 : offset;
    const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
    const sign = minutes < 0 ? '-' : '+';
    const zone = utc
      ? 'Z'
      : `${sign}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
    return {
      text: `${local}${fraction === undefined ? '' : `.${fraction}`}${zone}`,
      ms,
      fraction: fraction ?? '',
    };
  });

/** Time order of two generated times: the instant to the second, then the fraction as a decimal. */
function order(a: { ms: number; fraction: string }, b: { ms: number; fraction: string }): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  const fa = a.fraction.padEnd(20, '0');
  const fb = b.fraction.padEnd(20, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

describe('instantKey', () => {
  it('orders RFC 3339 times of any offset and fraction width in time order', () => {
    fc.assert(
      fc.property(rfc3339, rfc3339, (a, b) => {
        const ka = instantKey(a.text)!;
        const kb = instantKey(b.text)!;
        expect(ka === kb ? 0 : ka < kb ? -1 : 1).toBe(order(a, b));
      }),
    );
  });

  it('has no key for what it does not read', () => {
    for (const text of [
      '2026-11-20',
      '2026-11-20T10:00Z',
      '2026-11-20 10:00:00Z',
      '2026-13-01T00:00:00Z',
      'x',
    ])
      expect(instantKey(text)).toBeNull();
    // Days past the month's end are read as Date.parse reads them (February 30 is March 2).
    expect(instantKey('2026-02-30T00:00:00Z')).toBe(instantKey('2026-03-02T00:00:00Z'));
  });
});

/** The PostgreSQL server when reachable (TANIUM_BRIDGE_REQUIRE_PG=1 fails the suite otherwise). */
const servers = (await postgresTarget())
  ? [process.env['TANIUM_BRIDGE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test']
  : [];

describe.each(servers)('instantKey in PostgreSQL', (url) => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it('gives the same key as JavaScript, and none where JavaScript gives none', async () => {
    const texts = fc.sample(rfc3339, 300).map((t) => t.text);
    texts.push(
      '0000-01-01T00:00:00+23:59',
      '9999-12-31T23:59:59.99999999999999999999Z',
      '2026-02-30T00:00:00Z',
    );
    texts.push('2026-11-20T24:00:00Z', '2026-11-20', '2026-11-20 10:00:00Z', '2026-13-01T00:00:00Z');
    const { rows } = await client.query(
      `SELECT ${pgInstantKey('t', '$2')} AS key FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
      [texts, INSTANT_PATTERN],
    );
    expect(rows.map((r) => r.key)).toEqual(texts.map(instantKey));
  });
});
