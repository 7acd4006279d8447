import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostureService } from '../../src/posture/service.js';
import type { PostureEndpoint } from '../../src/store/posture.js';
import type { RowFilter } from '../../src/store/rowQuery.js';
import type { Store } from '../../src/store/store.js';
import type { StreamName, StreamRecord } from '../../src/streams/stream.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { storeNodes } from '../helpers/storeNodes.js';
import { freezeClock, type SyncTarget, syncTarget } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const DAY = 86_400_000;

/** Every record of a stream the filters select, in key order, through the store's row reader. */
async function records(store: Store, stream: StreamName, filters: RowFilter[] = []): Promise<StreamRecord[]> {
  return (await store.rowQuery.page({ connection: 'default', stream, filters, limit: 100_000 })).rows;
}

const ofEndpoint = (id: string): RowFilter[] => [{ columns: ['endpoint_id'], op: 'eq', value: id }];

/** A synced store of a 300-endpoint emulated fleet: lookups by every key, and `Managed` at its edges. */
describe.each(DIALECTS)('posture lookup and Managed on a synced store ($name)', (dialect) => {
  let h: Harness;
  let t: SyncTarget;
  let sample: PostureEndpoint;
  let sampleAsset: StreamRecord;

  beforeAll(async () => {
    h = await startHarness({ endpoints: 300, seed: 15, realism: 0 });
    freezeClock(h.emulator);
    t = await syncTarget(h.emulator, h.url, dialect);
    await t.sync();
    const addressed = (await records(t.store, 'assets')).filter(
      (a) => (a['mac_addresses'] as string[] | null)?.length && a['ip_address'] !== null,
    );
    sampleAsset = addressed[7]!;
    sample = (await t.store.posture.endpoint('default', sampleAsset['endpoint_id'] as string))!;
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
    const [mac] = sampleAsset['mac_addresses'] as string[];
    const digits = mac!.replace(/[:-]/g, '').toLowerCase();
    const pairs = digits.match(/../g)!;
    for (const spelling of [
      pairs.join(':').toUpperCase(),
      pairs.join('-'),
      digits,
      `${digits.slice(0, 4)}.${digits.slice(4, 8)}.${digits.slice(8)}`,
    ])
      expect(await ids(spelling, 'mac')).toContain(sample.endpointId);
    const ip = sampleAsset['ip_address'] as string;
    expect(await ids(ip, 'ip')).toContain(sample.endpointId);
    await expect(ids('not-a-mac', 'mac')).rejects.toMatchObject({ code: 'invalid_device' });
    await expect(ids('300.1.1.1', 'ip')).rejects.toMatchObject({ code: 'invalid_device' });
    await expect(ids('   ')).rejects.toMatchObject({ code: 'invalid_device' });
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
  });

  it("the sync computes each endpoint's posture facts from its findings", async () => {
    const assets = (await records(t.store, 'assets')).slice(0, 40);
    let withKev = 0;
    for (const asset of assets) {
      const id = asset['endpoint_id'] as string;
      const e = (await t.store.posture.endpoint('default', id))!;
      expect(e.factsKnown).toBe(true);
      // Open findings: not excepted (a Tanium exception granted for them).
      const open = (await records(t.store, 'vulnerabilities', ofEndpoint(id))).filter((v) => !v['excepted']);
      const scores = open
        .map((v) => (v['cvss_score_v3'] ?? v['cvss_score']) as number | null)
        .filter((n): n is number => n !== null);
      expect(e.maxCvss).toBe(scores.length ? Math.max(...scores) : null);
      const kev = open
        .filter((v) => v['is_cisa_kev'] === true)
        .map((v) => v['cve_id'] as string)
        .sort();
      expect([...e.kevCves].sort()).toEqual(kev);
      if (kev.length > 0) withKev++;
      const failed = (await records(t.store, 'compliance', ofEndpoint(id))).filter(
        (c) => c['state'] === 'fail' && !c['excepted'],
      );
      expect(e.failedCompliance.reduce((sum, f) => sum + f.count, 0)).toBe(failed.length);
    }
    expect(withKev).toBeGreaterThan(0);
  });

  it('an endpoint retired by the last full sync is not managed: it is no longer found', async () => {
    const ids = async () => (await records(t.store, 'assets')).map((a) => a['endpoint_id'] as string);
    const before = await ids();
    await h.advance('6d');
    await t.sync({ full: true });
    const after = new Set(await ids());
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

/** A Gateway node of an endpoint, with the fields these tests look at. */
function node(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `ws-${id}.example.com`,
    serialNumber: `SN-${id}`,
    computerID: `c-${id}`,
    eidLastSeen: '2026-11-23T09:00:00Z',
    ...fields,
  };
}

/** Stores given exactly the endpoints a case needs (one full sync of assets), per dialect. */
describe.each(DIALECTS)('posture on endpoints stored as given ($name)', (dialect) => {
  const open: Store[] = [];
  afterAll(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  const storeOf = async (nodes: Record<string, unknown>[]) => {
    const store = await dialect.open();
    open.push(store);
    await storeNodes(store, 'assets', nodes);
    return store;
  };

  it('an identifier shared by several endpoints is ambiguous and lists them, never a guess', async () => {
    // Cloudflare warns that duplicate serial numbers break matching: Tanium can hold them (re-imaged
    // or cloned machines).
    const store = await storeOf([node('1'), node('2', { serialNumber: 'SN-1' }), node('3')]);
    const decision = await new PostureService(store).decide({
      connection: 'default',
      device: 'SN-1',
      by: 'serial',
    });
    expect(decision.verdict).toBe('ambiguous');
    expect(decision.endpoint).toBeNull();
    expect(decision.matches!.map((m) => m.endpointId).sort()).toEqual(['1', '2']);
    expect(decision.reason).toMatch(/matches 2 endpoints/);
  });

  it('an endpoint with no last-seen value is not managed', async () => {
    const store = await storeOf([node('1', { eidLastSeen: null })]);
    const d = await new PostureService(store, () => Date.now()).decide({
      connection: 'default',
      device: '1',
      by: 'eid',
      policy: defaultFresh(),
    });
    expect(d.checks[0]).toMatchObject({
      passed: false,
      sentence: 'not managed: no last-seen time is known',
    });
    expect(d.verdict).toBe('deny');
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
