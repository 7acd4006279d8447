import type PgBoss from 'pg-boss';
import { QUEUES, type QueueName } from './queues.js';

/** A lane is one queue of one connection: at most one job in it is queued, retrying or running. */
export const laneKey = (queue: QueueName, connection: string) => `${queue}\0${connection}`;

/** The live job of a lane, as pg-boss's job table holds it. */
export interface LaneJob {
  id: string;
  state: 'created' | 'retry' | 'active';
}

/**
 * The lanes with a live job (queued, waiting to retry, or active), read from pg-boss's job table:
 * pg-boss has no call that lists jobs by singleton key, and its `stately` policy alone would let one
 * more job queue behind an active one (whose fetch then fails on the policy's unique index until the
 * active one ends).
 */
export async function busyLanes(boss: PgBoss, schema: string): Promise<Set<string>> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      `SELECT name, singleton_key FROM "${schema}".job WHERE name = ANY($1::text[]) AND state < 'completed'`,
      [[...QUEUES]],
    );
  const busy = new Set<string>();
  for (const row of rows as { name: QueueName; singleton_key: string | null }[])
    if (row.singleton_key !== null) busy.add(laneKey(row.name, row.singleton_key));
  return busy;
}

/**
 * The live job of one connection's lane, the oldest first when (briefly) there are two. `db` is
 * pg-boss's pool or, for the lane's atomic send (laneSender.ts), the transaction holding its lock.
 */
export async function laneJob(
  db: PgBoss.Db,
  schema: string,
  queue: QueueName,
  connection: string,
): Promise<LaneJob | undefined> {
  const { rows } = await db.executeSql(
    `SELECT id::text AS id, state::text AS state FROM "${schema}".job
        WHERE name = $1 AND singleton_key = $2 AND state < 'completed' ORDER BY created_on LIMIT 1`,
    [queue, connection],
  );
  return (rows as LaneJob[])[0];
}
