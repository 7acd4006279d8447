import type { Store } from '../../src/store/store.js';
import { STREAMS } from '../../src/streams/index.js';
import { emptyBatch, type StreamName } from '../../src/streams/stream.js';

const NOW = '2026-11-23T12:00:00Z';

/**
 * Stores Gateway `Endpoint` nodes as one complete full sync of one stream would, through the store's
 * interface (a run, a pass, one page, its sweep), so a test can give a store of any dialect exactly the
 * endpoints it needs. The connection is created when absent.
 */
export async function storeNodes(
  store: Store,
  stream: StreamName,
  nodes: readonly Record<string, unknown>[],
  connection = 'default',
): Promise<void> {
  if (!(await store.connections.get(connection)))
    await store.connections.upsert({ name: connection, kind: 'server', address: 'https://tanium.test' }, NOW);
  const batch = emptyBatch();
  for (const node of nodes) STREAMS[stream].read(node, node['id'] as string, batch, { sensors: [] });
  const runId = await store.sync.startRun(connection, 'full', [stream], NOW);
  const generation = await store.sync.beginPass(
    connection,
    [stream],
    { mode: 'full', since: null, runId, pageSize: 100 },
    NOW,
  );
  await store.sync.writePage(
    {
      connection,
      runId,
      generation,
      streams: [{ name: stream, batch }],
      quarantined: [],
      cursor: null,
      passMaxSeen: NOW,
      pageSize: 100,
      pages: 1,
    },
    NOW,
  );
  await store.sync.completePass(connection, [stream], { mode: 'full', generation, passMaxSeen: NOW }, NOW);
  await store.sync.finishRun(runId, 'complete', {}, null, NOW);
}
