import type PgBoss from 'pg-boss';
import { Problem } from '../../common/problem.js';
import { parseDatabaseUrl } from '../../store/postgres/databaseUrl.js';
import { QUEUES } from './queues.js';

/** The schema pg-boss keeps its queue tables in when the URL names none of its own. */
export const DEFAULT_BOSS_SCHEMA = 'pgboss';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** How pg-boss reaches PostgreSQL: the store's URL without our `schema` parameter, and its own schema. */
export interface BossConnection {
  connectionString: string;
  /** `<schema>_pgboss` beside the store's `?schema=`, else `pgboss`: tests stay isolated per schema. */
  schema: string;
  applicationName: string;
}

/**
 * Derives pg-boss's connection from the store URL. The `schema` parameter is ours (the store's
 * schema, docs/scale.md), not libpq's, so it is taken out; `application_name` is kept when given, else
 * named after this process, so an operator can tell a worker's sessions apart in pg_stat_activity.
 */
export function bossConnection(url: string, defaultApplicationName: string): BossConnection {
  const target = parseDatabaseUrl(url);
  const parsed = new URL(target.connectionString);
  const schema = target.schema ? `${target.schema}_pgboss` : DEFAULT_BOSS_SCHEMA;
  if (!IDENTIFIER.test(schema))
    throw new Problem({
      code: 'invalid_db_schema',
      kind: 'invalid',
      message: `The schema "${schema.slice(0, 70)}" cannot hold the job queue: use letters, digits and underscores, at most 56 characters.`,
      fix: 'Choose a shorter schema name in the URL (?schema=NAME).',
    });
  const applicationName = parsed.searchParams.get('application_name') ?? defaultApplicationName;
  parsed.searchParams.set('application_name', applicationName);
  return { connectionString: parsed.toString(), schema, applicationName };
}

/** Retries after a job's worker died or its handler threw: three, from 5 s apart, doubling with jitter. */
export const RETRY = { retryLimit: 3, retryDelay: 5, retryBackoff: true } as const;

/**
 * Creates both queues unless they exist (`stately`, keyed by connection: queues.ts). Processes
 * starting at once may race to create one, and one of them wins.
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const queue of QUEUES) {
    if (await boss.getQueue(queue)) continue;
    try {
      await boss.createQueue(queue, { name: queue, policy: 'stately', ...RETRY });
    } catch (error) {
      if (!(await boss.getQueue(queue))) throw error;
    }
  }
}
