// One full sync of the home's connection `default` in its own process, through the product's client
// (stored token, retries, rotation-safe) and runner, with small fixed pages so a fleet of a few
// thousand endpoints makes enough requests for 5% fault rates to bite. Prints the summary as JSON.
// Usage: node bench/reliability/syncWorker.mjs HOME PAGE_SIZE
import { join } from 'node:path';

const [home, pageSize] = process.argv.slice(2);
const { SqliteStore } = await import('../../dist/store/sqlite/sqliteStore.js');
const { clientForConnection } = await import('../../dist/connections/client.js');
const { runSync } = await import('../../dist/sync/runner.js');
const { STREAM_NAMES } = await import('../../dist/streams/index.js');

const store = SqliteStore.open(join(home, 'bridge.db'));
const ctx = { store, home, env: {} };
const { client } = await clientForConnection(ctx, 'default');
let code = 0;
try {
  const summary = await runSync({
    store,
    client,
    connection: 'default',
    streams: [...STREAM_NAMES],
    full: true,
    settings: await store.sync.settings('default'),
    pageSize: { min: Number(pageSize), max: Number(pageSize) },
  });
  process.stdout.write(
    `${JSON.stringify({ ok: true, pages: summary.pages, resumes: summary.resumes, restarts: summary.restarts })}\n`,
  );
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: String(error?.message ?? error) })}\n`);
  code = 1;
} finally {
  await client.close();
  await store.close();
}
process.exit(code);
