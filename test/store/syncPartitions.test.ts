import { afterEach, describe, expect, it } from 'vitest';
import { PartitionsOpenError } from '../../src/store/partitionsOpen.js';
import type { Store } from '../../src/store/store.js';
import { STREAMS } from '../../src/streams/index.js';
import { emptyBatch, type StreamName } from '../../src/streams/stream.js';
import { DIALECTS } from './dialects.js';

/**
 * Partition checkpoints (parallel cursors, docs/sync.md): each partition's position is committed with
 * its page, read back with the checkpoints, and a partitioned pass completes (and sweeps) only when
 * every partition has committed its last page.
 */

const NOW = '2026-12-01T12:00:00Z';
const STREAMS_USED: StreamName[] = ['assets'];

const node = (id: string) => ({ id, name: `host-${id}`, eidFirstSeen: NOW, eidLastSeen: NOW });

describe.each(DIALECTS)('partition checkpoints on $name', (dialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  async function pass(store: Store, partitions: number) {
    await store.connections.upsert({ name: 'default', kind: 'server', address: 'https://t.example' }, NOW);
    const runId = await store.sync.startRun('default', 'full', STREAMS_USED, NOW);
    const generation = await store.sync.beginPass(
      'default',
      STREAMS_USED,
      { mode: 'full', since: null, runId, pageSize: 100, partitions },
      NOW,
    );
    let pages = 0;
    const write = (part: number, ids: string[], cursor: string | null, partPages: number) => {
      const batch = emptyBatch();
      for (const id of ids) STREAMS.assets.read(node(id), id, batch, { sensors: [] });
      pages++;
      return store.sync.writePage(
        {
          connection: 'default',
          runId,
          generation,
          streams: [{ name: 'assets', batch }],
          quarantined: [],
          cursor,
          resumeKey: ids.at(-1) ?? null,
          passMaxSeen: NOW,
          pageSize: 100,
          pages,
          partition: { part, pages: partPages },
        },
        NOW,
      );
    };
    const complete = () =>
      store.sync.completePass('default', STREAMS_USED, { mode: 'full', generation, passMaxSeen: NOW }, NOW);
    return { generation, write, complete };
  }

  it("each partition's cursor, last id and pages are committed with its page and read back", async () => {
    const store = await dialect.open();
    open.push(store);
    const p = await pass(store, 3);
    await p.write(1, ['11', '21'], 'c1', 1);
    await p.write(0, ['10', '20'], 'c0', 1);
    await p.write(1, ['31'], null, 2);
    const [checkpoint] = await store.sync.checkpoints('default');
    expect(checkpoint).toMatchObject({
      status: 'running',
      partitions: 3,
      cursor: null,
      resumeKey: null,
      pages: 3,
    });
    expect(checkpoint!.parts).toEqual([
      { part: 0, cursor: 'c0', resumeKey: '20', pages: 1, done: false },
      { part: 1, cursor: null, resumeKey: '31', pages: 2, done: true },
    ]);
  });

  it('a pass with a partition still open does not complete and sweeps nothing; once all are in, it does', async () => {
    const store = await dialect.open();
    open.push(store);
    const first = await pass(store, 1);
    await store.sync.writePage(
      {
        connection: 'default',
        runId: 1,
        generation: first.generation,
        streams: [
          {
            name: 'assets',
            batch: (() => {
              const batch = emptyBatch();
              STREAMS.assets.read(node('99'), '99', batch, { sensors: [] });
              return batch;
            })(),
          },
        ],
        quarantined: [],
        cursor: null,
        passMaxSeen: NOW,
        pageSize: 100,
        pages: 1,
      },
      NOW,
    );
    await first.complete();
    const p = await pass(store, 2);
    await p.write(0, ['10'], null, 1);
    const error = await p.complete().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartitionsOpenError);
    expect((error as PartitionsOpenError).open).toBe(1);
    // Nothing swept: the endpoint of the earlier pass is still there, the pass still running.
    expect(await store.sync.count('default', 'assets')).toBe(2);
    expect((await store.sync.checkpoints('default'))[0]).toMatchObject({ status: 'running' });
    await p.write(1, ['11'], null, 1);
    expect(await p.complete()).toEqual({ assets: 1 });
    expect(await store.sync.count('default', 'assets')).toBe(2);
    expect((await store.sync.checkpoints('default'))[0]).toMatchObject({ status: 'complete', parts: [] });
  });

  it('a new pass clears the partitions of the one before', async () => {
    const store = await dialect.open();
    open.push(store);
    const p = await pass(store, 4);
    await p.write(2, ['12'], 'c2', 1);
    await pass(store, 4);
    expect((await store.sync.checkpoints('default'))[0]).toMatchObject({
      partitions: 4,
      parts: [],
      pages: 0,
    });
  });
});
