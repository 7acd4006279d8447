import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostureService } from '../../src/posture/service.js';
import type { PostureEndpoint } from '../../src/store/posture.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { freezeClock, type SyncTarget, syncTarget } from '../helpers/syncHarness.js';

const DAY = 86_400_000;

/** A synced store of a 300-endpoint emulated fleet: lookups by every key, and `Managed` at its edges. */
describe('posture lookup and Managed on a synced store', () => {
  let h: Harness;
  let t: SyncTarget;
  let sample: PostureEndpoint;

  beforeAll(async () => {
    h = await startHarness({ endpoints: 300, seed: 15, realism: 0 });
    freezeClock(h.emulator);
    t = await syncTarget(h.emulator);
    await t.sync();
    const row = t.store.db
      .prepare(
        `SELECT endpoint_id FROM assets WHERE mac_addresses <> '[]' AND ip_address IS NOT NULL LIMIT 1 OFFSET 7`,
      )
      .get() as { endpoint_id: string };
    sample = (await t.store.posture.endpoint('default', row.endpoint_id))!;
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await h.close();
  });

  const ids = async (device: string, by?: Parameters<PostureService['find']>[2]) =>
    (await new PostureService(t.store).find('default', device, by)).map((e) => e.endpointId);

  it('finds the endpoint by serial, computer ID, EID, host name with and without domain, in any case', async () => {
    const one = [sample.endpointId];
    expect(await ids(sample.serialNumber!, 'serial')).toEqual(one);
    expect(await ids(sample.serialNumber!.toLowerCase(), 'serial')).toEqual(one);
    expect(await ids(sample.computerId!, 'computer-id')).toEqual(one);
    expect(await ids(sample.endpointId, 'eid')).toEqual(one);
    expect(await ids(sample.hostname!.toUpperCase(), 'hostname')).toEqual(one);
    expect(await ids(sample.hostname!.split('.')[0]!, 'hostname')).toEqual(one);
    expect(await ids(`${sample.hostname}.`, 'hostname')).toEqual(one);
    expect(await ids(sample.serialNumber!)).toEqual(one); // without --by: every key it can be
  });

  it('finds it by MAC address in every common spelling, and by IP address', async () => {
    const [mac] = JSON.parse(
      (
        t.store.db
          .prepare('SELECT mac_addresses FROM assets WHERE endpoint_id = ?')
          .get(sample.endpointId) as {
          mac_addresses: string;
        }
      ).mac_addresses,
    ) as string[];
    const digits = mac!.replace(/[:-]/g, '').toLowerCase();
    const pairs = digits.match(/../g)!;
    for (const spelling of [
      pairs.join(':').toUpperCase(),
      pairs.join('-'),
      digits,
      `${digits.slice(0, 4)}.${digits.slice(4, 8)}.${digits.slice(8)}`,
    ])
      expect(await ids(spelling, 'mac')).toContain(sample.endpointId);
    const ip = (
      t.store.db.prepare('SELECT ip_address FROM assets WHERE endpoint_id = ?').get(sample.endpointId) as {
        ip_address: string;
      }
    ).ip_address;
    expect(await ids(ip, 'ip')).toContain(sample.endpointId);
    await expect(ids('not-a-mac', 'mac')).rejects.toMatchObject({ code: 'invalid_device' });
    await expect(ids('300.1.1.1', 'ip')).rejects.toMatchObject({ code: 'invalid_device' });
    await expect(ids('   ')).rejects.toMatchObject({ code: 'invalid_device' });
  });

  it('an identifier shared by several endpoints is ambiguous and lists them, never a guess', async () => {
    // Cloudflare warns that duplicate serial numbers break matching: Tanium can hold them (re-imaged
    // or cloned machines), so the store is given one here.
    const other = t.store.db
      .prepare('SELECT endpoint_id FROM assets WHERE endpoint_id <> ? LIMIT 1')
      .get(sample.endpointId) as { endpoint_id: string };
    const original = t.store.db
      .prepare('SELECT serial_number FROM assets WHERE endpoint_id = ?')
      .get(other.endpoint_id) as {
      serial_number: string;
    };
    t.store.db
      .prepare('UPDATE assets SET serial_number = ? WHERE endpoint_id = ?')
      .run(sample.serialNumber, other.endpoint_id);
    try {
      const decision = await new PostureService(t.store).decide({
        connection: 'default',
        device: sample.serialNumber!,
        by: 'serial',
      });
      expect(decision.verdict).toBe('ambiguous');
      expect(decision.endpoint).toBeNull();
      expect(decision.matches!.map((m) => m.endpointId).sort()).toEqual(
        [sample.endpointId, other.endpoint_id].sort(),
      );
      expect(decision.reason).toMatch(/matches 2 endpoints/);
    } finally {
      t.store.db
        .prepare('UPDATE assets SET serial_number = ? WHERE endpoint_id = ?')
        .run(original.serial_number, other.endpoint_id);
    }
  });

  describe('Managed: in the synced assets and checked in within 7 days', () => {
    const at = (ms: number) => new PostureService(t.store, () => ms);
    const seen = () => Date.parse(sample.lastSeen!);
    const decide = (service: PostureService, device = sample.endpointId) =>
      service.decide({ connection: 'default', device, by: 'eid', policy: { ...defaultFresh() } });

    it('exactly 7 days after the last check-in is managed', async () => {
      const d = await decide(at(seen() + 7 * DAY));
      expect(d.verdict).toBe('allow');
      expect(d.checks[0]).toMatchObject({
        check: 'managed',
        passed: true,
        sentence: 'managed: last seen 7 days ago: within 7 days',
      });
    });

    it('7 days and 1 second after it is not', async () => {
      const d = await decide(at(seen() + 7 * DAY + 1000));
      expect(d.verdict).toBe('deny');
      expect(d.rule).toBeNull();
      expect(d.checks[0]).toMatchObject({
        passed: false,
        sentence: 'not managed: last seen 7 days ago: more than 7 days',
      });
    });

    it('the window is configurable', async () => {
      const policy = { ...defaultFresh(), managedWithinMs: 30 * DAY };
      const d = await at(seen() + 9 * DAY).decide({
        connection: 'default',
        device: sample.endpointId,
        by: 'eid',
        policy,
      });
      expect(d.checks[0]!.sentence).toBe('managed: last seen 9 days ago: within 30 days');
    });

    it('an endpoint with no last-seen value is not managed', async () => {
      t.store.db.prepare('UPDATE assets SET last_seen = NULL WHERE endpoint_id = ?').run(sample.endpointId);
      try {
        const d = await decide(at(Date.now()));
        expect(d.checks[0]).toMatchObject({
          passed: false,
          sentence: 'not managed: no last-seen time is known',
        });
        expect(d.verdict).toBe('deny');
      } finally {
        t.store.db
          .prepare('UPDATE assets SET last_seen = ? WHERE endpoint_id = ?')
          .run(sample.lastSeen, sample.endpointId);
      }
    });
  });

  it("the sync computes each endpoint's posture facts from its findings", async () => {
    const rows = t.store.db.prepare('SELECT endpoint_id FROM assets ORDER BY endpoint_id LIMIT 40').all() as {
      endpoint_id: string;
    }[];
    let withKev = 0;
    for (const { endpoint_id } of rows) {
      const e = (await t.store.posture.endpoint('default', endpoint_id))!;
      expect(e.factsKnown).toBe(true);
      const open = `FROM vulnerabilities WHERE connection = 'default' AND endpoint_id = ? AND coalesce(excepted, 0) = 0`;
      const max = t.store.db
        .prepare(`SELECT max(coalesce(cvss_score_v3, cvss_score)) AS m ${open}`)
        .get(endpoint_id) as {
        m: number | null;
      };
      expect(e.maxCvss).toBe(max.m);
      const kev = (
        t.store.db.prepare(`SELECT cve_id ${open} AND is_cisa_kev = 1`).all(endpoint_id) as {
          cve_id: string;
        }[]
      )
        .map((r) => r.cve_id)
        .sort();
      expect([...e.kevCves].sort()).toEqual(kev);
      if (kev.length > 0) withKev++;
      const failed = t.store.db
        .prepare(
          `SELECT count(*) AS n FROM compliance WHERE connection = 'default' AND endpoint_id = ? AND state = 'fail' AND coalesce(excepted, 0) = 0`,
        )
        .get(endpoint_id) as { n: number };
      expect(e.failedCompliance.reduce((sum, f) => sum + f.count, 0)).toBe(failed.n);
    }
    expect(withKev).toBeGreaterThan(0);
  });

  it('an endpoint retired by the last full sync is not managed: it is no longer found', async () => {
    const before = (
      t.store.db.prepare('SELECT endpoint_id FROM assets').all() as { endpoint_id: string }[]
    ).map((r) => r.endpoint_id);
    await h.advance('6d');
    await t.sync({ full: true });
    const after = new Set(
      (t.store.db.prepare('SELECT endpoint_id FROM assets').all() as { endpoint_id: string }[]).map(
        (r) => r.endpoint_id,
      ),
    );
    const retired = before.find((id) => !after.has(id));
    expect(retired).toBeDefined();
    const d = await new PostureService(t.store, () => Date.now()).decide({
      connection: 'default',
      device: retired!,
      by: 'eid',
      policy: defaultFresh(),
    });
    expect(d).toMatchObject({ verdict: 'deny', rule: null, endpoint: null, checks: [] });
    expect(d.reason).toBe(`no synced endpoint has the endpoint id "${retired}"`);
  });
});

/** The default rule (require Managed) with data that is never stale, to look at Managed alone. */
function defaultFresh() {
  return {
    name: 'managed-only',
    managedWithinMs: 7 * DAY,
    maxDataAgeMs: 1e15,
    onStaleData: 'deny' as const,
    rules: [
      {
        name: 'managed',
        action: 'allow' as const,
        include: [{ kind: 'managed' as const, expected: true }],
        require: [],
        exclude: [],
      },
    ],
  };
}
