import pg from 'pg';
import type PgBoss from 'pg-boss';
import { isProblem, Problem } from '../../common/problem.js';
import { parseDatabaseUrl } from '../../store/postgres/databaseUrl.js';
import { scrubError } from '../../store/postgres/redactUrl.js';
import { unreachableProblem } from '../../store/postgres/unreachable.js';
import { bossConnection, ensureQueues } from './bossConfig.js';

/** PostgreSQL's SQLSTATE for a privilege the user lacks (CREATE on the database, or on the schema's tables). */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Starts pg-boss (installing or migrating its schema on first use) and makes sure both queues exist.
 * A failure becomes one problem: the user may not create the queue's schema, or may not use it when
 * it exists and belongs to another role (with the grants that fix either), the server cannot be reached (as the store says it), or else the queue could not
 * start, with pg's one-line reason; never a stack, never the password. The pool is closed either way.
 */
export async function startBoss(boss: PgBoss, url: string, schema: string): Promise<void> {
  try {
    await boss.start();
    await ensureQueues(boss);
  } catch (error) {
    await boss.stop({ graceful: false, wait: true, timeout: 1_000 }).catch(() => undefined);
    const denied = (error as { code?: unknown } | null)?.code === INSUFFICIENT_PRIVILEGE;
    throw queueProblem(error, url, schema, denied ? await schemaOwner(url, schema) : undefined);
  }
}

/**
 * The owner of the queue's schema when it exists and is another role than the one connecting (so
 * what is missing is the right to use it, not to create it); undefined otherwise or when unknown.
 */
async function schemaOwner(url: string, schema: string): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: bossConnection(url, 'tanium-bridge').connectionString,
    connectionTimeoutMillis: 5_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ owner: string; me: string }>(
      'SELECT pg_get_userbyid(nspowner) AS owner, current_user::text AS me FROM pg_namespace WHERE nspname = $1',
      [schema],
    );
    const row = rows[0];
    return row && row.owner !== row.me ? row.owner : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Tells how the job queue could not start; `owner`: the queue's schema exists, owned by that role. */
export function queueProblem(error: unknown, url: string, schema: string, owner?: string): Problem {
  const target = parseDatabaseUrl(url);
  const database = target.where.slice(target.where.indexOf('/') + 1);
  const who = target.user === undefined ? 'The PostgreSQL user' : `The PostgreSQL user "${target.user}"`;
  const grantee = target.user ?? 'USER';
  if ((error as { code?: unknown } | null)?.code === INSUFFICIENT_PRIVILEGE && owner !== undefined)
    return new Problem({
      code: 'job_queue_denied',
      kind: 'forbidden',
      message: `${who} may not use the job queue's schema "${schema}" in ${target.where}, which belongs to "${owner}".`,
      fix: `Let it use that schema and its tables (GRANT USAGE ON SCHEMA "${schema}" TO "${grantee}"; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO "${grantee}"), or run every process as "${owner}".`,
      details: { where: target.where, schema, owner },
    });
  if ((error as { code?: unknown } | null)?.code === INSUFFICIENT_PRIVILEGE)
    return new Problem({
      code: 'job_queue_denied',
      kind: 'forbidden',
      message: `${who} may not create or use the job queue's schema "${schema}" in ${target.where}.`,
      fix: `Let it create schemas in that database (GRANT CREATE ON DATABASE "${database}" TO "${grantee}"), at least until its first start has installed the queue there.`,
      details: { where: target.where, schema },
    });
  const unreachable = unreachableProblem(error, target);
  if (isProblem(unreachable)) return unreachable;
  const scrubbed = scrubError(error, target.password);
  const reason = (scrubbed instanceof Error ? scrubbed.message : String(scrubbed))
    .replace(/\s+/g, ' ')
    .slice(0, 200);
  return new Problem({
    code: 'job_queue_failed',
    kind: 'unavailable',
    message: `The job queue (pg-boss, schema "${schema}") could not start in ${target.where}: ${reason}.`,
    fix: 'Check that the database accepts this user and that nothing else owns that schema.',
    details: { where: target.where, schema },
  });
}
