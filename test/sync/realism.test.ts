import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamName } from '../../src/streams/stream.js';
import { type Harness, startHarness, TEST_REALISM } from '../helpers/emulatorHarness.js';
import { gatewayEndpoints } from '../helpers/gatewayEndpoints.js';
import { runCli } from '../helpers/runCli.js';
import {
  freezeClock,
  SETTINGS,
  type SyncTarget,
  syncTarget,
  timeLimit,
  truth,
} from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

/**
 * Syncs against an emulator that answers what Tanium may (the test profile): `compliance` or its lists
 * null, endpoint fields null, `TSE-Error` and `[current result unavailable]` readings, for a seeded share
 * of endpoints at each check-in. The store must hold, for every endpoint, what Tanium last really
 * answered, and say which answers it did not have. Checked endpoint by endpoint against the emulator's
 * truth at each sync's instant (`/__emulator/truth/endpoints/:id?at=`), over real HTTP, into each dialect's
 * store, read through the repositories.
 */

const ENDPOINTS = 600;
const SENSORS = SETTINGS.sensors;

interface EndpointTruth {
  id: string;
  eidLastSeen: string;
  answered: { cveFindings: boolean; complianceFindings: boolean; nullFields: string[] };
  cveFindings: { cveId: string }[];
  complianceFindings: { id: string }[];
  sensors: Record<string, { status: 'answered' | 'none' | 'unavailable' | 'error' }>;
}

/** The truth of the endpoints at instant `at`, by id (an endpoint not in the fleet then is left out). */
async function truthOf(h: Harness, ids: string[], at: string): Promise<Map<string, EndpointTruth>> {
  const out = new Map<string, EndpointTruth>();
  const sensors = encodeURIComponent(SENSORS.join(','));
  for (let k = 0; k < ids.length; k += 50)
    await Promise.all(
      ids.slice(k, k + 50).map(async (id) => {
        const reply = await h.call<EndpointTruth>(
          'GET',
          `/__emulator/truth/endpoints/${id}?at=${encodeURIComponent(at)}&sensors=${sensors}`,
          { token: null },
        );
        if (reply.status === 200) out.set(id, reply.json);
        else expect(reply.status).toBe(404);
      }),
    );
  return out;
}

type Row = Record<string, unknown>;

/** What the store holds for each endpoint, by stream, through the store's row reader. */
async function snapshot(t: SyncTarget) {
  const byEndpoint = async (stream: StreamName) => {
    const map = new Map<string, Row[]>();
    for await (const row of t.store.sync.rows('default', stream)) {
      const id = row['endpoint_id'] as string;
      map.set(id, [...(map.get(id) ?? []), row]);
    }
    return map;
  };
  // How each scope was answered, those without stored rows too (an endpoint whose sensor read
  // TSE-Error on its first sync): only scopeAnswers shows those.
  const scopes = new Map<string, string>();
  for (const stream of ['vulnerabilities', 'compliance', 'sensors'] as const)
    for await (const answer of t.store.sync.scopeAnswers('default', stream))
      scopes.set(`${stream}/${answer.endpointId}/${answer.scope}`, answer.status);
  return {
    vulnerabilities: await byEndpoint('vulnerabilities'),
    compliance: await byEndpoint('compliance'),
    sensors: await byEndpoint('sensors'),
    assets: await byEndpoint('assets'),
    scopes,
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

const without = (rows: Row[] | undefined, ...columns: string[]) =>
  (rows ?? []).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !columns.includes(k))));
const sensorRows = (s: Snapshot, id: string, sensor: string) =>
  (s.sensors.get(id) ?? []).filter((r) => r['sensor'] === sensor);

/** Which answers of an endpoint are gaps, per stream (what the summary counts as unknown). */
function gapsOf(truth: EndpointTruth) {
  return {
    vulnerabilities: !truth.answered.cveFindings,
    compliance: !truth.answered.complianceFindings,
    sensors: SENSORS.some((s) => ['error', 'unavailable'].includes(truth.sensors[s]!.status)),
    assets: truth.answered.nullFields.some((f) => f !== 'disks'),
  };
}

async function clockNow(h: Harness): Promise<string> {
  return (await h.call<{ now: string }>('GET', '/__emulator/clock', { token: null })).json.now;
}

describe.each(DIALECTS)('sync against answers with gaps (the test profile, $name)', (dialect) => {
  const timeout = (ms: number) => timeLimit(dialect, ms);
  let h: Harness;
  let t: SyncTarget;
  beforeAll(async () => {
    h = await startHarness({ endpoints: ENDPOINTS, seed: 21, realism: TEST_REALISM });
    freezeClock(h.emulator);
    t = await syncTarget(h.emulator, h.url, dialect);
  });
  afterAll(async () => {
    await t.close();
    await h.close();
  });

  let t0: string;
  let before: Snapshot;
  let truth0: Map<string, EndpointTruth>;

  it(
    'a full sync stores what Tanium answered and records which answers it did not have',
    async () => {
      const summary = await t.sync();
      t0 = await clockNow(h);
      const counts = await truth(h.url, t0);
      expect(counts.answers.realism).toBe(TEST_REALISM);
      before = await snapshot(t);
      truth0 = await truthOf(h, [...before.assets.keys()], t0);
      expect(truth0.size).toBe(counts.endpoints);
      // A fresh store holds exactly the findings of the lists Tanium answered.
      expect(summary.streams.vulnerabilities!.unknown).toBe(counts.answers.cveFindingsNull);
      expect(summary.streams.compliance!.unknown).toBe(counts.answers.complianceFindingsNull);
      expect(counts.answers.cveFindingsNull).toBeGreaterThan(0);
      expect(await t.store.sync.count('default', 'vulnerabilities')).toBe(counts.answers.cveFindings);
      const expected = { vulnerabilities: 0, compliance: 0, sensors: 0, assets: 0 };
      for (const [id, et] of truth0) {
        const gaps = gapsOf(et);
        for (const stream of Object.keys(expected) as (keyof typeof expected)[])
          if (gaps[stream]) expected[stream]++;
        const cves = (before.vulnerabilities.get(id) ?? []).map((r) => r['cve_id']);
        expect(cves).toEqual(et.answered.cveFindings ? et.cveFindings.map((f) => f.cveId).sort() : []);
        expect(before.scopes.get(`vulnerabilities/${id}/`)).toBe(
          gaps.vulnerabilities ? 'unknown' : 'answered',
        );
        for (const row of before.vulnerabilities.get(id) ?? [])
          expect([row['status'], row['answered_at']]).toEqual(['answered', et.eidLastSeen]);
        for (const sensor of SENSORS) {
          const status = et.sensors[sensor]!.status;
          const stored = before.scopes.get(`sensors/${id}/${sensor}`);
          if (status === 'error' || status === 'unavailable') {
            expect(stored).toBe(status);
            expect(sensorRows(before, id, sensor)).toEqual([]);
          } else expect(stored).toBe('answered');
        }
        const unknownFields = before.assets.get(id)![0]!['unknown_fields'] as string[];
        expect(unknownFields.length > 0).toBe(gaps.assets);
      }
      expect(summary.streams.sensors!.unknown).toBe(expected.sensors);
      expect(summary.streams.assets!.unknown).toBe(expected.assets);
      expect(expected.sensors).toBeGreaterThan(0);
    },
    timeout(180_000),
  );

  it(
    'an incremental sync in which Tanium answers null or TSE-Error keeps those endpoints’ rows exactly',
    async () => {
      await h.advance('3d');
      const summary = await t.sync();
      expect(summary.mode).toBe('incremental');
      const t1 = await clockNow(h);
      const after = await snapshot(t);
      const truth1 = await truthOf(h, [...after.assets.keys()], t1);
      const since = Date.parse(summary.since!);
      // Read again in full: the endpoints seen since, and those whose Online sensor changed without a
      // check-in (gone offline: the server noticed the silence), which depends on the time of day the
      // fleet's clock started at (docs/sync.md, "Incremental").
      const online = { sensor: { name: 'Online' }, op: 'UPDATED_AFTER', value: summary.since };
      const offline = new Set((await gatewayEndpoints<{ id: string }>(h, 'id', online)).map((n) => n.id));
      const unknown = { vulnerabilities: 0, compliance: 0, sensors: 0, assets: 0 };
      const exercised = { keptFindings: 0, keptReadings: 0 };
      for (const [id, et] of truth1) {
        const reread = Date.parse(et.eidLastSeen) > since || offline.has(id);
        if (!reread) {
          // Not read again: untouched.
          if (before.vulnerabilities.has(id))
            expect(after.vulnerabilities.get(id)).toEqual(before.vulnerabilities.get(id));
          continue;
        }
        const gaps = gapsOf(et);
        for (const stream of Object.keys(unknown) as (keyof typeof unknown)[])
          if (gaps[stream]) unknown[stream]++;
        for (const [stream, list] of [
          ['vulnerabilities', 'cveFindings'],
          ['compliance', 'complianceFindings'],
        ] as const) {
          const rows = after[stream].get(id);
          if (gaps[stream]) {
            // Exactly as they were, now marked unknown, with the time of the last real answer.
            expect(without(rows, 'status')).toEqual(without(before[stream].get(id), 'status'));
            for (const row of rows ?? []) expect(row['status']).toBe('unknown');
            if (rows?.length) exercised.keptFindings++;
          } else {
            const key = stream === 'vulnerabilities' ? 'cve_id' : 'finding_id';
            const ids = et[list].map((f) => ('cveId' in f ? f.cveId : f.id)).sort();
            expect((rows ?? []).map((r) => r[key])).toEqual(ids);
            for (const row of rows ?? [])
              expect([row['status'], row['answered_at']]).toEqual(['answered', et.eidLastSeen]);
          }
        }
        for (const sensor of SENSORS) {
          const status = et.sensors[sensor]!.status;
          const rows = sensorRows(after, id, sensor);
          if (status === 'error' || status === 'unavailable') {
            expect(without(rows, 'status')).toEqual(without(sensorRows(before, id, sensor), 'status'));
            for (const row of rows) expect(row['status']).toBe(status);
            if (rows.length > 0) exercised.keptReadings++;
          } else
            for (const row of rows)
              expect([row['status'], row['answered_at']]).toEqual(['answered', et.eidLastSeen]);
        }
        // `Online: True` is never kept as if it were answered now.
        for (const row of sensorRows(after, id, 'Online'))
          if (row['status'] === 'answered') expect(et.sensors['Online']!.status).toBe('answered');
      }
      expect(summary.streams.vulnerabilities!.unknown).toBe(unknown.vulnerabilities);
      expect(summary.streams.compliance!.unknown).toBe(unknown.compliance);
      expect(summary.streams.sensors!.unknown).toBe(unknown.sensors);
      expect(summary.streams.assets!.unknown).toBe(unknown.assets);
      // The pass really met kept rows: endpoints answered at t0 with a gap at t1.
      expect(exercised.keptFindings).toBeGreaterThan(0);
      expect(exercised.keptReadings).toBeGreaterThan(0);

      // An asset field answered null keeps the value last answered.
      for (const [id, et] of truth1) {
        if (Date.parse(et.eidLastSeen) <= since || !et.answered.nullFields.includes('isEncrypted')) continue;
        const previous = before.assets.get(id)?.[0];
        if (previous) expect(after.assets.get(id)![0]!['is_encrypted']).toBe(previous['is_encrypted']);
      }
    },
    timeout(180_000),
  );

  it(
    'export sensors shows the kept rows with their status and last-answered time',
    async () => {
      const ndjson = await runCli(['export', 'sensors'], { home: t.home, env: t.env });
      expect(ndjson.code, ndjson.stderr).toBe(0);
      const rows = ndjson.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Row);
      const kept = rows.filter((r) => r['status'] === 'unavailable' || r['status'] === 'error');
      expect(kept.length).toBeGreaterThan(0);
      for (const row of kept) {
        // Last answered at the full sync, before the reading that did not answer.
        expect(row['answered_at']).toBe(truth0.get(row['endpoint_id'] as string)!.eidLastSeen);
        expect(row['columns']).toEqual(expect.any(Object));
      }
      const csv = await runCli(['export', 'sensors', '--format', 'csv'], { home: t.home, env: t.env });
      expect(csv.code, csv.stderr).toBe(0);
      const lines = csv.stdout.split('\r\n').filter(Boolean);
      expect(lines[0]).toBe('endpoint_id,sensor,row_index,columns,answered_at,status');
      expect(lines).toHaveLength(rows.length + 1);
      const [first] = kept;
      expect(
        lines.some(
          (l) =>
            l.startsWith(`${first!['endpoint_id']},`) &&
            l.endsWith(`,${first!['answered_at']},${first!['status']}`),
        ),
      ).toBe(true);
    },
    timeout(60_000),
  );
});
