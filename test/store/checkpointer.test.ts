import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { type Harness, startHarness, tempDir } from '../helpers/emulatorHarness.js';
import { counts, freezeClock, syncTarget, truth } from '../helpers/syncHarness.js';

/**
 * The checkpoint thread (src/store/sqlite/checkpointer.ts): `sync.idle()` asks it to copy the log
 * into the database file while the runner goes on; closing the store ends it.
 */

const ENDPOINTS = 3000;
const DIST_STORE = fileURLToPath(new URL('../../dist/store/sqlite/sqliteStore.js', import.meta.url));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ endpoints: ENDPOINTS, seed: 11, realism: 0 });
  freezeClock(h.emulator);
});
afterAll(() => h.close());

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

it('a sync into a file keeps the log bounded and stores the fleet; closing removes the log', async () => {
  const t = await syncTarget(h.emulator);
  const file = join(t.home, 'bridge.db');
  let largest = 0;
  try {
    const summary = await t.sync({
      pageSize: { min: 200, max: 200 },
      onEvent: (event) => {
        if (event.event === 'page') largest = Math.max(largest, size(`${file}-wal`));
      },
    });
    expect(summary.pages).toBeGreaterThan(10);
    const fleet = await truth(h.url);
    expect(await counts(t.store)).toEqual({
      endpoints: fleet.endpoints,
      cveFindings: fleet.cveFindings,
      complianceFindings: fleet.complianceFindings,
    });
    expect((t.store as SqliteStore).db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Bounded: checkpoints kept it below the automatic checkpoint's 4,000 pages (16 MiB) and a page's
    // commit, the fallback's own bound (about 3 MiB measured here, the file itself about 20 MiB).
    expect(largest).toBeLessThan(20 * 1024 * 1024);
  } finally {
    await t.close();
  }
  // The thread's connection closed first: the store's, closing last, copied the log and removed it.
  expect(existsSync(`${file}-wal`)).toBe(false);
});

it('a file removed under the store: the thread drops the ask, the store goes on and closes', async () => {
  const file = join(tempDir(), 'bridge.db');
  const store = SqliteStore.open(file);
  try {
    rmSync(file);
    // The thread opens its own connection at the first ask: the file is gone, so the ask is dropped.
    await store.sync.idle();
    const now = new Date().toISOString();
    await store.connections.upsert({ name: 'a', kind: 'cloud', address: 'a-api.cloud.tanium.com' }, now);
    await store.sync.idle();
    expect((await store.connections.list()).map((c) => c.name)).toEqual(['a']);
  } finally {
    await store.close();
  }
});

it('a process that asked for a checkpoint and never closed its store still exits', async () => {
  const file = join(tempDir(), 'bridge.db');
  const script = `
    const { SqliteStore } = await import(${JSON.stringify(DIST_STORE)});
    const store = SqliteStore.open(${JSON.stringify(file)});
    await store.connections.upsert({ name: 'a', kind: 'cloud', address: 'a-api.cloud.tanium.com' }, new Date().toISOString());
    await store.sync.idle();
  `;
  const exit = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // A thread keeping the process alive would never let it exit: end it and fail instead of hanging.
    const stuck = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(stuck);
      resolve({ code, stderr });
    });
  });
  expect(exit).toEqual({ code: 0, stderr: '' });
});
