import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { BossConnection } from './bossConfig.js';
import { type LaneJob, laneJob } from './lanes.js';
import type { QueueName } from './queues.js';

/** What a send into a lane did: queued the job (its id), or found the lane's live job and queued none. */
export type LaneSent = { sent: true; id: string } | { sent: false; live: LaneJob };

/** One transaction-scoped advisory lock per lane, keyed by pg-boss's schema, the queue and the connection. */
const LOCK_LANE = `SELECT pg_advisory_xact_lock(hashtext('tanium-bridge:lane:' || $1))`;

/**
 * Queues jobs into lanes, one live job per lane (lanes.ts), as one step: the look at the lane and the
 * send run in one transaction under the lane's advisory lock, so two senders (two API requests, or a
 * request and the dispatcher, in any processes) cannot both find the lane empty. pg-boss's `stately`
 * policy alone would not do: it keeps one job queued and one active per key, so a job could still queue
 * behind an active one (docs/scale.md). The transaction needs a session of its own, so this holds a
 * pool of one beside pg-boss's: sends are short and one at a time per process is plenty.
 */
export class LaneSender {
  readonly #pool: pg.Pool;
  readonly #schema: string;

  constructor(
    private readonly boss: PgBoss,
    connection: BossConnection,
    onError: (error: unknown) => void,
  ) {
    this.#pool = new pg.Pool({ connectionString: connection.connectionString, max: 1 });
    this.#schema = connection.schema;
    // A session lost while idle is reported as an event (as pg-boss's pool does) and replaced.
    this.#pool.on('error', onError);
  }

  /** Sends `data` to `queue` keyed by `connection` unless that lane holds a live job. */
  async send(queue: QueueName, connection: string, data: object): Promise<LaneSent> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(LOCK_LANE, [`${this.#schema}.${queue}.${connection}`]);
      const db: PgBoss.Db = { executeSql: (text, values) => client.query(text, values) };
      const live = await laneJob(db, this.#schema, queue, connection);
      const id = live ? null : await this.boss.send(queue, data, { singletonKey: connection, db });
      await client.query('COMMIT');
      if (live) return { sent: false, live };
      if (id !== null) return { sent: true, id };
      // The stately queue refused it: a sender that takes no lane lock (an older version) filled the lane.
      const now = await laneJob(db, this.#schema, queue, connection);
      return { sent: false, live: now ?? { id: 'unknown', state: 'created' } };
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A session that failed mid-transaction is closed rather than handed to the next send.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }
}
