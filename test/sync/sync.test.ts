import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamName, StreamRecord } from '../../src/streams/stream.js';
import type { Harness } from '../helpers/emulatorHarness.js';
import { startHarness } from '../helpers/emulatorHarness.js';
import { gatewayEndpoints } from '../helpers/gatewayEndpoints.js';
import {
  counts,
  digest,
  freezeClock,
  type SyncTarget,
  syncTarget,
  timeLimit,
  truth,
} from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const ENDPOINTS = 800;
const ASSET_FIELDS = `id computerID name serialNumber ipAddress eidLastSeen os { name platform }
  risk { totalScore } compliance { cveFindings { cveId cvssScoreV3 severityV3 lastFound isCisaKev }
  complianceFindings { id state lastScanDate } }`;

interface GatewayNode {
  id: string;
  computerID: string;
  name: string;
  serialNumber: string;
  ipAddress: string;
  eidLastSeen: string;
  os: { name: string; platform: string };
  risk: { totalScore: number };
  compliance: {
    cveFindings: {
      cveId: string;
      cvssScoreV3: number | null;
      severityV3: string;
      lastFound: string;
      isCisaKev: boolean;
    }[];
    complianceFindings: { id: string; state: string; lastScanDate: string }[];
  };
}

/** The Gateway's endpoints for `filter` (the whole fleet without), with the fields the tests check. */
const gatewayNodes = (h: Harness, filter?: unknown) => gatewayEndpoints<GatewayNode>(h, ASSET_FIELDS, filter);

/** One endpoint's records of a stream, in key order, through the store's row reader. */
async function endpointRows(t: SyncTarget, stream: StreamName, id: string): Promise<StreamRecord[]> {
  const filters = [{ columns: ['endpoint_id'], op: 'eq' as const, value: id }];
  return (await t.store.rowQuery.page({ connection: 'default', stream, filters, limit: 10_000 })).rows;
}

/** The store's view of one endpoint: its asset record and its findings. */
async function stored(t: SyncTarget, id: string) {
  return {
    asset: (await endpointRows(t, 'assets', id))[0],
    cves: await endpointRows(t, 'vulnerabilities', id),
    checks: await endpointRows(t, 'compliance', id),
  };
}

/** Every endpoint id of a stream's records, in key order. */
async function storedIds(t: SyncTarget, stream: StreamName): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of t.store.sync.rows('default', stream)) ids.push(row['endpoint_id'] as string);
  return ids;
}

async function expectMatches(t: SyncTarget, node: GatewayNode) {
  const { asset, cves, checks } = await stored(t, node.id);
  expect(asset).toMatchObject({
    computer_id: node.computerID,
    name: node.name,
    serial_number: node.serialNumber,
    ip_address: node.ipAddress,
    last_seen: node.eidLastSeen,
    os_name: node.os.name,
    os_platform: node.os.platform,
    risk_score: node.risk.totalScore,
  });
  const expectedCves = [...node.compliance.cveFindings].sort((a, b) => a.cveId.localeCompare(b.cveId));
  expect(
    cves.map((c) => [c['cve_id'], c['cvss_score_v3'], c['severity_v3'], c['last_found'], c['is_cisa_kev']]),
  ).toEqual(expectedCves.map((f) => [f.cveId, f.cvssScoreV3, f.severityV3, f.lastFound, f.isCisaKev]));
  const expectedChecks = [...node.compliance.complianceFindings].sort((a, b) => a.id.localeCompare(b.id));
  expect(checks.map((c) => [c['finding_id'], c['state'], c['last_scan']])).toEqual(
    expectedChecks.map((f) => [f.id, f.state, f.lastScanDate]),
  );
}

describe.each(DIALECTS)('sync against the emulator ($name)', (dialect) => {
  const timeout = (ms: number) => timeLimit(dialect, ms);
  let h: Harness;
  beforeAll(async () => {
    // Complete answers: these tests compare the store with the truth's counts across passes. Syncs
    // against answers with gaps (the default test profile) are checked endpoint by endpoint in
    // realism.test.ts.
    h = await startHarness({ endpoints: ENDPOINTS, seed: 6, realism: 0 });
    freezeClock(h.emulator);
  });
  afterAll(() => h.close());

  it(
    'a full sync equals the truth; an incremental after churn updates what was seen; a full one removes the retired',
    async () => {
      const t = await syncTarget(h.emulator, h.url, dialect);
      try {
        const first = await t.sync();
        expect(first.mode).toBe('full');
        const before = await truth(h.url);
        expect(await counts(t.store)).toEqual({
          endpoints: before.endpoints,
          cveFindings: before.cveFindings,
          complianceFindings: before.complianceFindings,
        });
        const nodes = await gatewayNodes(h);
        for (const node of nodes.filter((_, i) => i % 97 === 0)) await expectMatches(t, node);
        expect(await t.store.sync.count('default', 'sensors')).toBeGreaterThan(ENDPOINTS);

        await h.advance('3d');
        const incremental = await t.sync();
        expect(incremental.mode).toBe('incremental');
        expect(incremental.since).not.toBeNull();
        // Every endpoint seen since the watermark (minus the margin) is up to date, findings included.
        const seen = await gatewayNodes(h, { path: 'eidLastSeen', op: 'GT', value: incremental.since });
        // Read in full: those seen (here every check-in reports data) and those whose Online sensor
        // changed without a check-in (gone offline: the server noticed the silence), which depends on
        // the time of day the test runs at.
        const online = { sensor: { name: 'Online' }, op: 'UPDATED_AFTER', value: incremental.since };
        const changed = new Set([...seen, ...(await gatewayNodes(h, online))].map((n) => n.id));
        expect(incremental.endpoints).toBe(changed.size);
        expect(seen.length).toBeGreaterThan(0);
        for (const node of seen.filter((_, i) => i % 23 === 0)) await expectMatches(t, node);
        expect(
          incremental.streams.vulnerabilities!.removed + incremental.streams.vulnerabilities!.added,
        ).toBeGreaterThan(0);

        const full = await t.sync({ full: true });
        const after = await truth(h.url);
        expect(after.retired).toBeGreaterThan(0);
        expect(full.streams.assets!.removed).toBeGreaterThan(0);
        expect(await counts(t.store)).toEqual({
          endpoints: after.endpoints,
          cveFindings: after.cveFindings,
          complianceFindings: after.complianceFindings,
        });
        const ids = (await gatewayNodes(h)).map((n) => n.id).sort();
        expect(await storedIds(t, 'assets')).toEqual(ids);
        // No finding outlives its endpoint.
        const assets = new Set(ids);
        expect((await storedIds(t, 'vulnerabilities')).filter((id) => !assets.has(id))).toEqual([]);
        const runs = await t.store.sync.runs('default', 10);
        expect(runs.map((r) => [r.mode, r.status])).toEqual([
          ['full', 'complete'],
          ['incremental', 'complete'],
          ['full', 'complete'],
        ]);
      } finally {
        await t.close();
      }
    },
    timeout(180_000),
  );

  it(
    'with 5% injected 503s, resets and truncated bodies the result is identical',
    async () => {
      const clean = await syncTarget(h.emulator, h.url, dialect);
      const noisy = await syncTarget(h.emulator, h.url, dialect);
      try {
        const pageSize = { min: 10, max: 10 };
        // One collection: the pages are counted below (partitioned passes: parallelCursors.test.ts).
        await clean.sync({ full: true, pageSize, parallel: 1 });
        const path = '/plugin/products/gateway/graphql';
        const installed = await h.call('POST', '/__emulator/faults', {
          token: null,
          body: {
            rules: [
              { path, fault: 'status:503', rate: 0.05 },
              { path, fault: 'reset', rate: 0.05 },
              { path, fault: 'truncate', rate: 0.05 },
            ],
          },
        });
        expect(installed.status).toBe(200);
        await h.call('DELETE', '/__emulator/stats', { token: null });
        const summary = await noisy.sync({ full: true, pageSize, parallel: 1 });
        const stats = await h.call<{ faults: { total: number; byKind: Record<string, number> } }>(
          'GET',
          '/__emulator/stats',
          {
            token: null,
          },
        );
        await h.call('DELETE', '/__emulator/faults', { token: null });
        // About 14% of ~80 requests fail; the seed makes the pattern the same run after run.
        expect(stats.json.faults.total).toBeGreaterThanOrEqual(3);
        expect(Object.keys(stats.json.faults.byKind).length).toBeGreaterThanOrEqual(2);
        expect(summary.pages).toBe(Math.ceil((await truth(h.url)).endpoints / 10));
        expect(await digest(noisy.store)).toEqual(await digest(clean.store));
      } finally {
        h.emulator.faults.clear();
        await clean.close();
        await noisy.close();
      }
    },
    timeout(180_000),
  );

  it(
    'an expired cursor mid-run continues after the last committed endpoint and still ends equal to the truth',
    async () => {
      const t = await syncTarget(h.emulator, h.url, dialect);
      try {
        await h.call('POST', '/__emulator/faults', {
          token: null,
          body: { rules: [{ path: '/plugin/products/gateway/graphql', fault: 'expire-cursor', count: 1 }] },
        });
        const events: string[] = [];
        const summary = await t.sync({
          full: true,
          pageSize: { max: 200 },
          onEvent: (e) => events.push(e.event),
        });
        expect(summary.resumes).toBe(1);
        expect(summary.restarts).toBe(0);
        expect(events).toContain('resume');
        const now = await truth(h.url);
        expect(summary.endpoints).toBe(now.endpoints);
        expect(await counts(t.store)).toEqual({
          endpoints: now.endpoints,
          cveFindings: now.cveFindings,
          complianceFindings: now.complianceFindings,
        });
      } finally {
        h.emulator.faults.clear();
        await t.close();
      }
    },
    timeout(120_000),
  );
});
