import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { STREAMS } from '../../src/streams/index.js';
import { emptyBatch, type StreamBatch, type StreamName } from '../../src/streams/stream.js';
import { DIALECTS } from './dialects.js';

/**
 * Check-ins recorded without reading the endpoints (`SyncRepository.touchSeen`, an incremental pass's
 * last step): what a full read of an endpoint whose answer did not change would write, per dialect.
 */

const T0 = '2026-11-20T10:00:00Z';
const T1 = '2026-11-23T10:00:00Z';
const STREAM_LIST: StreamName[] = ['assets', 'vulnerabilities', 'sensors'];
const SENSOR = 'Applicable Patches';

function read(stream: StreamName, nodes: Record<string, unknown>[]): StreamBatch {
  const batch = emptyBatch();
  for (const node of nodes) STREAMS[stream].read(node, node['id'] as string, batch, { sensors: [SENSOR] });
  return batch;
}

const node = (id: string, cves: unknown) => ({
  id,
  eidLastSeen: T0,
  name: `ws-${id}`,
  compliance: cves === null ? null : { cveFindings: cves },
  sensorReadings: { columns: [{ name: 'Title', values: ['KB1'], sensor: { name: SENSOR } }] },
});

async function synced(store: Store): Promise<void> {
  const runId = await store.sync.startRun('default', 'full', STREAM_LIST, T0);
  const generation = await store.sync.beginPass(
    'default',
    STREAM_LIST,
    { mode: 'full', since: null, runId, pageSize: 100 },
    T0,
  );
  // Endpoint 1 answered its CVE findings; endpoint 2 answered them null (not known).
  const nodes = [node('1', [{ cveId: 'CVE-1', lastFound: T0 }]), node('2', null)];
  await store.sync.writePage(
    {
      connection: 'default',
      runId,
      generation,
      streams: STREAM_LIST.map((name) => ({ name, batch: read(name, nodes) })),
      quarantined: [],
      cursor: null,
      passMaxSeen: T0,
      pageSize: 100,
      pages: 1,
    },
    T0,
  );
  await store.sync.completePass('default', STREAM_LIST, { mode: 'full', generation, passMaxSeen: T0 }, T0);
}

async function rows(store: Store, stream: StreamName) {
  const out: Record<string, unknown>[] = [];
  for await (const row of store.sync.rows('default', stream)) out.push(row);
  return out;
}

describe.each(DIALECTS)('touchSeen ($name)', (dialect) => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  it('moves last_seen and checked_at, and answered_at of answered scopes only, never backwards', async () => {
    store = await dialect.open();
    await store.connections.upsert({ name: 'default', kind: 'server', address: 'https://t.example' }, T0);
    await synced(store);
    const touch = (seen: { endpointId: string; lastSeen: string }[]) =>
      store.sync.touchSeen(
        { connection: 'default', runId: 1, streams: STREAM_LIST, sensors: [SENSOR], seen },
        T1,
      );
    // Endpoint 3 is not stored: nothing to record.
    const touched = await touch([
      { endpointId: '1', lastSeen: T1 },
      { endpointId: '2', lastSeen: T1 },
      { endpointId: '3', lastSeen: T1 },
    ]);
    expect(touched).toBe(2);
    expect((await rows(store, 'assets')).map((r) => [r['endpoint_id'], r['last_seen']])).toEqual([
      ['1', T1],
      ['2', T1],
    ]);
    expect(
      (await rows(store, 'vulnerabilities')).map((r) => [r['endpoint_id'], r['answered_at'], r['status']]),
    ).toEqual([['1', T1, 'answered']]);
    expect((await rows(store, 'sensors')).map((r) => [r['endpoint_id'], r['answered_at']])).toEqual([
      ['1', T1],
      ['2', T1],
    ]);
    // An earlier check-in changes nothing.
    await touch([{ endpointId: '1', lastSeen: T0 }]);
    expect((await rows(store, 'assets'))[0]!['last_seen']).toBe(T1);
    expect(await store.posture.refreshFacts('default', T1, ['1'])).toBe(1);
    expect(await store.posture.refreshFacts('default', T1)).toBe(2);
  });

  it('keeps the later of two check-ins of one endpoint in one call, in either order', async () => {
    store = await dialect.open();
    await store.connections.upsert({ name: 'default', kind: 'server', address: 'https://t.example' }, T0);
    await synced(store);
    const later = '2026-11-20T10:40:00Z';
    const earlier = '2026-11-20T10:20:00Z';
    const touch = (seen: { endpointId: string; lastSeen: string }[]) =>
      store.sync.touchSeen(
        { connection: 'default', runId: 1, streams: STREAM_LIST, sensors: [SENSOR], seen },
        T1,
      );
    await touch([
      { endpointId: '1', lastSeen: later },
      { endpointId: '2', lastSeen: earlier },
      { endpointId: '1', lastSeen: earlier },
      { endpointId: '2', lastSeen: later },
    ]);
    expect((await rows(store, 'assets')).map((r) => [r['endpoint_id'], r['last_seen']])).toEqual([
      ['1', later],
      ['2', later],
    ]);
    expect((await rows(store, 'sensors')).map((r) => [r['endpoint_id'], r['answered_at']])).toEqual([
      ['1', later],
      ['2', later],
    ]);
  });

  it('compares times as instants: other offsets and fraction widths', async () => {
    store = await dialect.open();
    await store.connections.upsert({ name: 'default', kind: 'server', address: 'https://t.example' }, T0);
    await synced(store);
    const touch = (lastSeen: string) =>
      store.sync.touchSeen(
        {
          connection: 'default',
          runId: 1,
          streams: STREAM_LIST,
          sensors: [SENSOR],
          seen: [{ endpointId: '1', lastSeen }],
        },
        T1,
      );
    const lastSeen = async () => (await rows(store, 'assets'))[0]!['last_seen'];
    // T0 + 30 min, written with +01:00: later, though it sorts before T0 as text.
    expect(await touch('2026-11-20T11:30:00+01:00')).toBe(1);
    expect(await lastSeen()).toBe('2026-11-20T11:30:00+01:00');
    // T0 + 10 min in UTC: earlier, though it sorts after the +01:00 text.
    expect(await touch('2026-11-20T10:10:00Z')).toBe(0);
    // The same instant again, in UTC: not moved, not written.
    expect(await touch('2026-11-20T10:30:00Z')).toBe(0);
    // Half a second later: later, though `.` sorts before `Z` as text.
    expect(await touch('2026-11-20T10:30:00.5Z')).toBe(1);
    expect(await touch('2026-11-20T10:30:00.25Z')).toBe(0);
    // Past the microsecond (PostgreSQL's timestamp would round these two together).
    expect(await touch('2026-11-20T10:30:00.5000001Z')).toBe(1);
    expect(await lastSeen()).toBe('2026-11-20T10:30:00.5000001Z');
    expect((await rows(store, 'vulnerabilities'))[0]!['answered_at']).toBe('2026-11-20T10:30:00.5000001Z');
  });
});
