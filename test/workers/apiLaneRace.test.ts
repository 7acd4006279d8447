import pg from 'pg';
import PgBoss from 'pg-boss';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bossConnection } from '../../src/jobs/workers/bossConfig.js';
import { QUEUES, type QueueName } from '../../src/jobs/workers/queues.js';
import { runCli } from '../helpers/runCli.js';
import {
  connectTenants,
  named,
  openScale,
  type Proc,
  type Scale,
  startFrozenTenants,
  startProc,
  type Tenant,
} from './workerHarness.js';

const ASKS = 10;
const ROUNDS = 3;
const PATH = { sync: 'sync', rotate: 'rotate' } as const satisfies Record<QueueName, string>;
const PENDING = { sync: 'sync_pending', rotate: 'rotation_pending' } as const;

/**
 * Many asks of one lane at once must queue one job. The test itself takes every job queued (as a
 * worker's poller would, only without pause), so that a lane whose job is already active is open
 * to the stately queue again (it keeps one job queued and one active per key): only the lane's own
 * check, made atomic with the send, refuses the asks that come after the first.
 */
describe('concurrent asks of one lane (serve --no-scheduler on PostgreSQL)', () => {
  let scale: Scale;
  let emulator: { tenants: Tenant[]; close(): Promise<void> };
  let serve: Proc;
  let boss: PgBoss;
  let name: string;
  let ask: (queue: QueueName) => Promise<{ status: number; code: string | undefined }>;

  beforeAll(async () => {
    scale = await openScale();
    emulator = await startFrozenTenants(1, 10);
    name = (await connectTenants(scale, emulator.tenants))[0] as string;
    const created = await runCli(['apikey', 'create', '--name', 'ops', '--role', 'admin', '--json'], {
      home: scale.home,
      env: scale.env,
    });
    expect(created.code, created.stderr).toBe(0);
    const key = (JSON.parse(created.stdout) as { key: string }).key;
    serve = await startProc(['serve', '--port', '0', '--json', '--no-scheduler'], {
      ...scale.env,
      TANIUM_BRIDGE_DB: named(scale.url, `${scale.schema}_serve`),
    });
    const base = (JSON.parse(serve.firstLine) as { url: string }).url;
    ask = async (queue) => {
      const reply = await request(`${base}/v1/connections/${name}/${PATH[queue]}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await reply.body.json()) as { error?: { code?: string } };
      return { status: reply.statusCode, code: body.error?.code };
    };
    const connection = bossConnection(scale.url, `${scale.schema}_taker`);
    boss = new PgBoss({
      connectionString: connection.connectionString,
      schema: connection.schema,
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => undefined);
    await boss.start();
  }, 60_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 2_000 });
    await serve?.stop();
    await emulator?.close();
    await scale?.close();
  }, 60_000);

  /** One round: the asks at once while the test takes every job; then the lane's live jobs, cancelled. */
  const round = async (queue: QueueName) => {
    let asking = true;
    const take = (async () => {
      while (asking) await boss.fetch(queue, { batchSize: ASKS });
    })();
    const replies = await Promise.all(Array.from({ length: ASKS }, () => ask(queue)));
    asking = false;
    await take;
    const { rows } = await boss
      .getDb()
      .executeSql(
        `SELECT id::text AS id FROM "${scale.schema}_pgboss".job WHERE name = $1 AND singleton_key = $2 AND state < 'completed'`,
        [queue, name],
      );
    const live = (rows as { id: string }[]).map((row) => row.id);
    if (live.length > 0) await boss.cancel(queue, live);
    return { replies, live };
  };

  for (const queue of QUEUES)
    it(`${ASKS} asks for a ${queue} at once: one 202, the others 409 ${PENDING[queue]}`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const { replies, live } = await round(queue);
        expect(
          replies.filter((r) => r.status === 202),
          JSON.stringify(replies),
        ).toHaveLength(1);
        for (const refused of replies.filter((r) => r.status !== 202))
          expect(refused).toEqual({ status: 409, code: PENDING[queue] });
        expect(live).toHaveLength(1);
      }
    }, 60_000);

  /** Holds the lane's lock in a transaction of the test's own, as a stalled sender would. */
  const holdLane = async (queue: QueueName) => {
    const admin = new pg.Client({ connectionString: scale.url.replace(/\?.*$/, '') });
    await admin.connect();
    await admin.query('BEGIN');
    await admin.query(`SELECT pg_advisory_xact_lock(hashtext('tanium-bridge:lane:' || $1))`, [
      `${scale.schema}_pgboss.${queue}.${name}`,
    ]);
    return {
      admin,
      release: async () => {
        await admin.query('ROLLBACK');
        await admin.end();
      },
    };
  };

  it('a lane whose lock another sender holds past the wait: 409 naming it, and nothing queued', async () => {
    const held = await holdLane('sync');
    try {
      const reply = await ask('sync');
      expect(reply).toEqual({ status: 409, code: 'sync_pending' });
    } finally {
      await held.release();
    }
    const { live } = await round('sync');
    expect(live).toHaveLength(1);
  }, 60_000);

  it('a sender whose session the server ends while it waits: 503, serve stays up, the next ask queues', async () => {
    const held = await holdLane('rotate');
    try {
      const asked = ask('rotate');
      // The serve's sender waits on the lock the test holds: end its sessions (a restart, a failover).
      let ended = 0;
      for (let i = 0; i < 40 && ended === 0; i++) {
        const { rowCount } = await held.admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name = $1 AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
          [`${scale.schema}_serve`],
        );
        ended = rowCount ?? 0;
        if (ended === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ended).toBe(1);
      expect(await asked).toEqual({ status: 503, code: 'database_unreachable' });
    } finally {
      await held.release();
    }
    expect(serve.child.exitCode).toBeNull();
    const { replies, live } = await round('rotate');
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    expect(live).toHaveLength(1);
    expect(serve.logs()).not.toMatch(/uncaught|Connection terminated unexpectedly\n\s+at /i);
  }, 60_000);
});
