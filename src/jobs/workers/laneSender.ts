import pg from 'pg';
import type PgBoss from 'pg-boss';
import { inTransaction } from '../../store/postgres/session.js';
import type { BossConnection } from './bossConfig.js';
import { type LaneJob, laneJob } from './lanes.js';
import type { QueueName } from './queues.js';

/**
 * What a send into a lane did: queued the job (its id), found the lane's live job and queued none, or
 * found another sender holding the lane's lock past LOCK_WAIT and queued none (`busy`).
 */
export type LaneSent =
  | { sent: true; id: string }
  | { sent: false; live: LaneJob }
  | { sent: false; busy: true };

/**
 * How long a send waits for another sender's lane lock: a send holds it for a few statements, so a
 * longer wait means that sender is stalled (paused, its network half-open), and waiting on would hang
 * API requests and the dispatcher's tick behind it.
 */
const LOCK_WAIT = "SET LOCAL lock_timeout = '5s'";
/** PostgreSQL's lock_not_available: the lock_timeout passed. */
const LOCK_NOT_AVAILABLE = '55P03';

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
    // Connecting waits at most 10 s, as the store's pool does: a send never hangs on an unreachable server.
    this.#pool = new pg.Pool({
      connectionString: connection.connectionString,
      max: 1,
      connectionTimeoutMillis: 10_000,
    });
    this.#schema = connection.schema;
    // A session lost while idle is reported as an event (as pg-boss's pool does) and replaced.
    this.#pool.on('error', onError);
  }

  /**
   * Sends `data` to `queue` keyed by `connection` unless that lane holds a live job. The transaction
   * runs as the store's do (session.ts, `inTransaction`): a session the server ends mid-send fails the
   * send, never the process.
   */
  async send(queue: QueueName, connection: string, data: object): Promise<LaneSent> {
    try {
      return await inTransaction(
        this.#pool,
        async (client) => {
          await client.query(LOCK_LANE, [`${this.#schema}.${queue}.${connection}`]);
          const db: PgBoss.Db = { executeSql: (text, values) => client.query(text, values) };
          const live = await laneJob(db, this.#schema, queue, connection);
          if (live) return { sent: false, live };
          const id = await this.boss.send(queue, data, { singletonKey: connection, db });
          if (id !== null) return { sent: true, id };
          // The stately queue refused it: a sender that takes no lane lock (an older version) filled the lane.
          const now = await laneJob(db, this.#schema, queue, connection);
          return { sent: false, live: now ?? { id: 'unknown', state: 'created' } };
        },
        undefined,
        LOCK_WAIT,
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) return { sent: false, busy: true };
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }
}
